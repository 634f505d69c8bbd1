/**
 * An `output` check with `rerun: true` in the learner's TUI (its line mode, piped): the command
 * run again is shown, said to be a re-run, in the learner's language, and the step passes when
 * a run of it answers. Fixture: fixtures/lessons/tui-rerun (its probe answers from its second run).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { requireDaemon } from '../helpers/daemon.js';

const run = promisify(execFile);
const CLI = resolve('dist/cli.js');
const COURSE = resolve('fixtures/lessons/tui-rerun');
const root = mkdtempSync(join(tmpdir(), 'docker-lab-rerun-'));

before(async () => {
  await requireDaemon();
});
after(() => rmSync(root, { recursive: true, force: true }));

/** Opens the lesson, runs its step (Enter), leaves it and quits, as typed lines. */
async function drive(lang: string): Promise<string> {
  const { stdout } = await run(
    'sh',
    ['-c', `printf '1\\n\\nq\\nq\\n' | node ${CLI} --lang ${lang}; echo "[exit $?]"`],
    {
      env: {
        ...process.env,
        NO_COLOR: '1',
        DOCKER_LAB_COURSE_DIR: COURSE,
        DOCKER_LAB_STATE_DIR: join(root, lang),
      },
      timeout: 60_000,
    },
  );
  return stdout;
}

test('the command a check runs again is shown as a re-run, and the step passes on its answer', async () => {
  const out = await drive('en');
  const probe = '$ if [ -f probed ]; then echo up; else touch probed; echo down; fi';
  assert.ok(
    out.includes(
      [
        probe,
        '  down',
        '  (exit 0)',
        '↻ run again (1), a check waits for its output',
        probe,
        '  up',
        '  (exit 0)',
      ].join('\n'),
    ),
    out,
  );
  assert.match(out, /^✓ the probe answers up\nStep complete\.$/m);
  assert.match(out, /\[exit 0\]\n$/);
});

test('in Chinese, the re-run is said in Chinese', async () => {
  const out = await drive('zh-CN');
  assert.match(out, /^↻ 第 1 次重新运行，检查在等待它的输出\n\$ if \[ -f probed \]/m);
  assert.match(out, /^✓ 探测应答 up$/m);
});
