/**
 * A small container docker-lab keeps on a daemon that shares no folder and no loopback with
 * this machine (Docker-in-Docker over tcp, a daemon on another host). It runs on the daemon
 * host's network with the host's root file system at /host, so through it docker-lab reaches
 * what a lesson publishes on the daemon's 127.0.0.1 and keeps the lesson's working directory at
 * the same path there. It carries the run's label: cleanup removes it like anything else the run
 * made.
 */
import { PassThrough, type Duplex, type Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { DockerLabError } from '../errors.js';
import type { Engine } from './client.js';

/** Busybox has nc, tar, stat and find in 2 MB; the course pulls it (or its stand-in) anyway. */
export const HELPER_IMAGE = 'busybox:latest';
/** Where the daemon host's root file system is inside the helper. */
export const HOST_ROOT = '/host';
/** Marks a container as docker-lab's own (this helper, a never-started image-file probe). */
export const HELPER_LABEL = 'org.docker-lab.helper';

export class HelperImageMissing extends DockerLabError {
  override name = 'HelperImageMissing';
  constructor(readonly daemon: string) {
    super({
      what: `the daemon at ${daemon} shares no folder and no loopback with this machine, and docker-lab needs the image ${HELPER_IMAGE} on it to reach the lesson's ports and files there: run "docker-lab images pull" (or offline "docker-lab images build-standins", or images import a bundle) with the same DOCKER_HOST`,
    });
  }
}

export interface ExecResult {
  exitCode: number;
  stdout: Buffer;
  stderr: string;
}

export class DaemonHelper {
  private constructor(
    private readonly engine: Engine,
    readonly container: Dockerode.Container,
  ) {}

  /** Creates and starts the helper; `labels` name it as the run's. */
  static async start(engine: Engine, labels: Record<string, string>): Promise<DaemonHelper> {
    const present = await engine
      .call((abortSignal) =>
        engine.docker.getImage(HELPER_IMAGE).inspect({ abortSignal } as object),
      )
      .then(
        () => true,
        () => false,
      );
    if (!present) throw new HelperImageMissing(engine.endpoint.url);
    const container = await engine.call((abortSignal) =>
      engine.docker.createContainer({
        Image: HELPER_IMAGE,
        Cmd: ['sleep', '2147483647'],
        Labels: { ...labels, [HELPER_LABEL]: 'true' },
        HostConfig: { NetworkMode: 'host', Binds: [`/:${HOST_ROOT}`] },
        abortSignal,
      } as Dockerode.ContainerCreateOptions),
    );
    await engine.call((abortSignal) => container.start({ abortSignal }));
    return new DaemonHelper(engine, container);
  }

  /**
   * Starts `cmd` in the helper with its stdin and stdout as one stream: what is written goes to
   * the command's stdin (end() closes it), its stdout comes out of `output`.
   */
  async stream(cmd: string[]): Promise<{ input: Duplex; output: Readable }> {
    const exec = await this.engine.call((abortSignal) =>
      this.container.exec({
        Cmd: cmd,
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        abortSignal,
      } as never),
    );
    const input = (await exec.start({ hijack: true, stdin: true })) as Duplex;
    const output = new PassThrough();
    this.engine.docker.modem.demuxStream(input, output, new PassThrough().resume());
    input.once('end', () => output.end());
    input.once('close', () => output.end());
    // A daemon that resets the connection ends the stream; nobody may be listening for an
    // error on `output`, and an unheard 'error' would end docker-lab.
    input.on('error', () => output.end());
    return { input, output };
  }

  /**
   * Runs `cmd` to its end, with `stdin` if given; stdout as bytes. A daemon's host that goes
   * silent fails it at `timeoutMs` instead of holding the lesson (and docker-lab's exit).
   */
  async run(cmd: string[], stdin?: Buffer, timeoutMs = 120_000): Promise<ExecResult> {
    const exec = await this.engine.call((abortSignal) =>
      this.container.exec({
        Cmd: cmd,
        AttachStdin: stdin !== undefined,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        abortSignal,
      } as never),
    );
    const stream = (await exec.start({ hijack: true, stdin: stdin !== undefined })) as Duplex;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const stdout = new PassThrough().on('data', (chunk: Buffer) => out.push(chunk));
    const stderr = new PassThrough().on('data', (chunk: Buffer) => err.push(chunk));
    this.engine.docker.modem.demuxStream(stream, stdout, stderr);
    await new Promise<void>((resolve, reject) => {
      // A plain timer, not a signal tied to the run's: a listener per call would pile up there.
      const timer = setTimeout(() => {
        stream.destroy();
        reject(
          new Error(
            `the helper on the daemon's host did not finish ${cmd[0]} within ${Math.round(timeoutMs / 1000)} s`,
          ),
        );
      }, timeoutMs);
      timer.unref();
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      stream.once('end', done);
      stream.once('close', done);
      stream.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      if (stdin !== undefined) stream.end(stdin);
    });
    const info = (await this.engine.call(
      (abortSignal) => exec.inspect({ abortSignal } as never) as unknown as Promise<unknown>,
    )) as { ExitCode?: number | null };
    return {
      exitCode: info.ExitCode ?? -1,
      stdout: Buffer.concat(out),
      stderr: Buffer.concat(err).toString('utf8'),
    };
  }

  /** Unpacks a tar stream into `path` (a path inside the helper: prefix HOST_ROOT for the host). */
  async putArchive(tar: Readable, path: string): Promise<void> {
    await this.engine.call(
      (abortSignal) => this.container.putArchive(tar, { path, abortSignal } as never),
      5 * 60_000,
    );
  }

  async remove(): Promise<void> {
    await this.engine
      .call((abortSignal) => this.container.remove({ force: true, v: true, abortSignal }))
      .catch(() => undefined);
  }
}
