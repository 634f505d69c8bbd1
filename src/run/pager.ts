/**
 * The whole output of a command, in a pager: the learner's $PAGER, else `less -R` (colours kept,
 * q quits), else nothing (the caller prints the text). The pager owns the terminal meanwhile.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function showInPager(
  text: string,
  env: Record<string, string | undefined>,
): Promise<boolean> {
  const dir = await mkdtemp(join(tmpdir(), 'docker-lab-output-'));
  const file = join(dir, 'output.txt');
  try {
    await writeFile(file, text);
    const pager = env.PAGER?.trim() || 'less -R';
    return await new Promise<boolean>((resolve) => {
      // Through sh: $PAGER may carry its own options ("less -FRX").
      const child = spawn('sh', ['-c', `${pager} "$1"`, 'sh', file], {
        stdio: 'inherit',
        env: env as NodeJS.ProcessEnv,
      });
      child.on('error', () => resolve(false));
      // 127: no such pager on this machine.
      child.on('exit', (code) => resolve(code !== 127));
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
