/** A failing step's command output: the first failed command leads, escape codes are gone. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandOutputBlocks, firstFailedCommand } from '../../src/report/command-output.js';

const ran = (script: string, exitCode: number | null, stdout = '', stderr = '') => ({
  command: { script },
  result: { stdout, stderr, exitCode },
});

test('the first command that exited non-zero leads; the last command follows as the rest', () => {
  const commands = [
    ran('docker run --name web busybox true', 0),
    ran(
      'docker run --name db busybox true',
      125,
      '',
      '\u001b[31mdocker: Error response from daemon: Conflict. The container name "/db" is already in use.\u001b[0m\n',
    ),
    ran('docker exec db sh -c "usage"', 1, '', 'Usage: docker exec [OPTIONS]\n'),
    ran('docker ps --help', 0, 'Usage:  docker ps [OPTIONS]\n\u001b[6n'),
  ];
  assert.equal(firstFailedCommand(commands), commands[1]);
  const { lead, last } = commandOutputBlocks(commands, 'en');
  assert.equal(
    lead,
    'the first command that failed: `docker run --name db busybox true`, exit 125:\n' +
      '  docker: Error response from daemon: Conflict. The container name "/db" is already in use.',
  );
  assert.equal(last, 'output of `docker ps --help`, exit 0:\n  Usage:  docker ps [OPTIONS]');
});

test('without a failed command, only the last command’s output is shown, as before', () => {
  const { lead, last } = commandOutputBlocks([ran('echo hi', 0, 'hi\n')], 'en');
  assert.equal(lead, undefined);
  assert.equal(last, 'output of `echo hi`, exit 0:\n  hi');
});

test('a failed command that said nothing still leads, saying so; killed ones do not lead', () => {
  const killed = {
    command: { script: 'sleep 99' },
    result: { stdout: '', stderr: '', exitCode: null },
  };
  const { lead, last } = commandOutputBlocks([killed, ran('false', 1)], 'en');
  assert.equal(lead, 'the first command that failed: `false`, exit 1:\n  (no output)');
  assert.equal(last, undefined, 'the last command is the one already shown');
});

test('a long output keeps its last 20 lines and says so; in Chinese too', () => {
  const text = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n');
  const { last } = commandOutputBlocks([ran('seq', 0, text)], 'en');
  assert.match(last!, /^output of `seq` \(last 20 of 30 lines\), exit 0:\n {2}line 11\n/);
  const zh = commandOutputBlocks([ran('false', 2, '', 'boom')], 'zh-CN');
  assert.equal(zh.lead, '第一个失败的命令：`false`，退出码 2：\n  boom');
});
