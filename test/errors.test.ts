/** The one error base: what happened, where and what to do, printed without a stack. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DockerLabError, UsageError, composeMessage } from '../src/errors.js';
import { DockerAccessError } from '../src/docker/errors.js';
import { BundleError } from '../src/images/bundle.js';
import { OutsideWorkdirError } from '../src/fs/inside.js';
import { ProgressSaveError } from '../src/progress/store.js';
import { formatFatal } from '../src/report/fatal.js';

test('a message is "where: what", then what to do as a list', () => {
  assert.equal(
    composeMessage({ where: 'lessons/en/a.md:3:1', what: 'no title', fix: ['add "# Title"'] }),
    'lessons/en/a.md:3:1: no title\nWhat to do:\n  - add "# Title"',
  );
  assert.equal(composeMessage({ what: 'plain' }), 'plain');
});

test('usage, engine, image, lesson and progress errors are all errors for people', () => {
  const errors = [
    new UsageError('unknown option --x'),
    new DockerAccessError('refused', 'nothing answers at tcp://h:2375', ['start dockerd']),
    new BundleError('/tmp/b.tar', 'it is cut off.', ['export it again']),
    new OutsideWorkdirError('out/x', 'out', '/etc'),
    new ProgressSaveError('io', 'Your progress was not saved'),
  ];
  for (const error of errors) {
    assert.ok(error instanceof DockerLabError, error.name);
    // Printed as its message alone: no stack, no "this is a bug".
    assert.equal(formatFatal(error), `docker-lab: ${error.message}\n`);
  }
  assert.equal(errors[0]!.exitCode, 2, 'a usage error exits 2');
  assert.equal(errors[1]!.exitCode, 1);
});

test('anything else reaching the top says it may be a bug, still without a stack', () => {
  const text = formatFatal(new TypeError('x is undefined'));
  assert.match(text, /^docker-lab: x is undefined\n\(this is a bug in docker-lab/);
  assert.doesNotMatch(text, /\n\s+at /);
});
