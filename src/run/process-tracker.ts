/**
 * Finds every process a lesson command started, wherever it went. A process group is not
 * enough: `setsid`, `script(1)` and daemons leave it, and a group kill then misses them (a
 * `setsid sleep 321` outlived its 2 s timeout and held the command's output open).
 *
 * Each command's environment carries a marker, `DOCKER_LAB_PROC=<docker-lab pid>-<n>`, that
 * every descendant inherits whatever group or session it moves to; `/proc/<pid>/environ` shows
 * it. Why this rather than the alternatives: a cgroup needs root and a writable cgroupfs, a
 * child subreaper needs a native addon (prctl), and a pid namespace needs root or user
 * namespaces, which many learners' machines and CI containers do not have. A marker works for
 * any user on Linux. What escapes it: a process that clears its environment (`env -i`), and
 * every platform without /proc, where the process group is still killed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

export const MARKER_VARIABLE = 'DOCKER_LAB_PROC';
/** Set by a lesson run on all its commands: what they left behind ends with the lesson. */
export const LESSON_MARKER_VARIABLE = 'DOCKER_LAB_LESSON_RUN';

let counter = 0;

/** A fresh marker for one command; the prefix is this docker-lab process's. */
export function newMarker(): string {
  counter += 1;
  return `${process.pid}-${counter}`;
}

/** The prefix every marker of this docker-lab process starts with. */
export function ownMarkerPrefix(): string {
  return `${process.pid}-`;
}

/**
 * Pids whose environment holds the marker (exactly, or as a prefix when `prefix` is set).
 * Processes of other users and ones that exit while being read are skipped.
 */
export async function markedProcesses(
  marker: string,
  prefix = false,
  variable = MARKER_VARIABLE,
): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return []; // no /proc: only the process group can be reached
  }
  const needle = Buffer.from(`${variable}=${marker}`);
  const found: number[] = [];
  await Promise.all(
    entries.map(async (entry) => {
      if (!/^\d+$/.test(entry)) return;
      const pid = Number(entry);
      if (pid === process.pid) return;
      let environ: Buffer;
      try {
        environ = await readFile(`/proc/${entry}/environ`);
      } catch {
        return;
      }
      for (let at = environ.indexOf(needle); at >= 0; at = environ.indexOf(needle, at + 1)) {
        if (at > 0 && environ[at - 1] !== 0) continue; // the middle of another variable
        const end = at + needle.length;
        if (prefix || end === environ.length || environ[end] === 0) {
          found.push(pid);
          return;
        }
      }
    }),
  );
  return found;
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Sends `signal` to every marked process; returns how many there were. */
export async function signalMarked(
  marker: string,
  signal: NodeJS.Signals,
  prefix = false,
  variable = MARKER_VARIABLE,
): Promise<number> {
  const pids = await markedProcesses(marker, prefix, variable);
  for (const pid of pids) signalPid(pid, signal);
  return pids.length;
}

/**
 * Kills every marked process and keeps looking until none is left (a process may fork while
 * its parent is being killed), bounded: a few rounds of SIGKILL.
 */
export async function killMarked(
  marker: string,
  prefix = false,
  variable = MARKER_VARIABLE,
): Promise<void> {
  for (let round = 0; round < 20; round++) {
    if ((await signalMarked(marker, 'SIGKILL', prefix, variable)) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The same, synchronously, for `process.on('exit')` where nothing asynchronous runs. */
export function killMarkedSync(markerPrefix: string): void {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return;
  }
  const needle = `${MARKER_VARIABLE}=${markerPrefix}`;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (environ.startsWith(needle) || environ.includes(`\0${needle}`))
        signalPid(Number(entry), 'SIGKILL');
    } catch {
      // gone or not ours
    }
  }
}
