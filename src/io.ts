/**
 * The I/O every command and view receives. Streams and environment are passed in (defaults
 * from `process` at the edge, in cli.ts) so a command or a view can be run into strings in a
 * test. At the bottom of the layers: commands hand it to the views they start.
 */
export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl-C (SIGINT/SIGTERM); long-running work must stop when it fires. */
  signal?: AbortSignal;
  /** Lines of a quick first frame already on the screen, for the TUI to replace. */
  firstFrameLines?: number;
}
