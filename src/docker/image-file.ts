/**
 * A file inside an image, read without running the image: docker-lab creates a container from
 * it that is never started, copies the path out of it (the Engine's archive endpoint, what
 * `docker cp` uses) and removes the container again, whatever happens in between.
 *
 * The container is docker-lab's own: it carries the helper label (so a lesson run does not take
 * it for the learner's, nor re-check a step because it came and went) and a label with a value
 * made for this read alone, by which it is found and removed if the create call was cut short
 * before the Engine said its id. Nothing is ever looked up by a guessed name.
 */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import tar from 'tar-stream';
import { CALL_TIMEOUT_MS, deadline } from './deadline.js';
import { statusOf } from './engine-error.js';
import { HELPER_LABEL } from './helper.js';

/** Labels the never-started container; its value is unique to one read. */
export const IMAGE_FILE_LABEL = 'org.docker-lab.image-file';
/**
 * The command the container is created with. Never run: create only needs one when the image
 * has neither CMD nor ENTRYPOINT (an image built FROM scratch, a `docker import`).
 */
export const NEVER_RUN = ['/docker-lab-never-started'];
/** Symbolic links followed before giving up (a loop, or a very long chain). */
const MAX_LINKS = 16;
/** More content than a check can sensibly compare: the rest is not read. */
export const MAX_CONTENT_BYTES = 4 * 1024 * 1024;

export interface ImageFile {
  /** The path after following symbolic links. */
  path: string;
  type: 'file' | 'directory' | 'other';
  /** Permission bits (with setuid, setgid and sticky). */
  mode: number;
  /** The text of a regular file, when asked for (at most MAX_CONTENT_BYTES). */
  content?: string;
}

interface Entry {
  type: string;
  mode: number;
  linkname: string | undefined;
  content?: Buffer;
}

/** The archive's first entry (the path itself), its body only when wanted. */
async function firstEntry(stream: Readable, wantContent: boolean): Promise<Entry | undefined> {
  const extract = tar.extract();
  stream.pipe(extract);
  try {
    for await (const entry of extract) {
      const header = entry.header;
      const out: Entry = {
        type: header.type ?? 'file',
        mode: header.mode ?? 0,
        linkname: header.linkname ?? undefined,
      };
      if (wantContent && out.type === 'file') {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of entry as AsyncIterable<Buffer>) {
          if (size < MAX_CONTENT_BYTES) chunks.push(chunk);
          size += chunk.length;
        }
        out.content = Buffer.concat(chunks).subarray(0, MAX_CONTENT_BYTES);
      }
      return out;
    }
    return undefined;
  } finally {
    // A directory's archive holds everything under it: only its first header was wanted.
    stream.unpipe(extract);
    stream.destroy();
    extract.destroy();
  }
}

async function archiveEntry(
  container: Dockerode.Container,
  path: string,
  wantContent: boolean,
  signal: AbortSignal,
): Promise<Entry | undefined> {
  let stream: Readable;
  try {
    stream = (await container.getArchive({ path, abortSignal: signal } as never)) as Readable;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  return firstEntry(stream, wantContent);
}

/** Removes what this read created: by the id the Engine gave, else by the read's own label. */
async function removeProbe(docker: Dockerode, id: string | undefined, token: string) {
  // Not the caller's signal: an aborted or timed-out check must still clean up after itself.
  const signal = deadline(undefined, CALL_TIMEOUT_MS);
  const ids =
    id !== undefined
      ? [id]
      : (
          await docker
            .listContainers({
              all: true,
              filters: { label: [`${IMAGE_FILE_LABEL}=${token}`] },
              abortSignal: signal,
            })
            .catch(() => [])
        ).map((c) => c.Id);
  await Promise.all(
    ids.map((c) =>
      docker
        .getContainer(c)
        .remove({ force: true, v: true, abortSignal: signal })
        .catch(() => undefined),
    ),
  );
}

/**
 * The file at the absolute `path` inside `image`, or undefined when there is none. Symbolic
 * links are followed inside the image, as a program in it would see them. Engine errors
 * (including a missing image) are thrown for the caller to put in words.
 */
export async function readImageFile(
  docker: Dockerode,
  image: string,
  path: string,
  options: { signal: AbortSignal; content: boolean },
): Promise<ImageFile | undefined> {
  const token = randomBytes(8).toString('hex');
  let id: string | undefined;
  try {
    const container = await docker.createContainer({
      Image: image,
      Cmd: NEVER_RUN,
      Labels: { [HELPER_LABEL]: 'true', [IMAGE_FILE_LABEL]: token },
      NetworkDisabled: true,
      HostConfig: { NetworkMode: 'none' },
      abortSignal: options.signal,
    } as Dockerode.ContainerCreateOptions);
    id = container.id;
    let current = path;
    for (let hop = 0; hop <= MAX_LINKS; hop += 1) {
      const entry = await archiveEntry(container, current, options.content, options.signal);
      if (!entry) return undefined;
      if (entry.type === 'symlink' && entry.linkname) {
        current = posix.resolve(posix.dirname(current), entry.linkname);
        continue;
      }
      const type =
        entry.type === 'file' ? 'file' : entry.type === 'directory' ? 'directory' : 'other';
      const file: ImageFile = { path: current, type, mode: entry.mode & 0o7777 };
      if (entry.content) file.content = entry.content.toString('utf8');
      return file;
    }
    // Too many links: as `cat` says, the path leads nowhere.
    return undefined;
  } finally {
    await removeProbe(docker, id, token);
  }
}
