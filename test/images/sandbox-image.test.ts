import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mirrorsFromSources, mmdebstrapArgs } from '../../src/images/base.js';
import {
  isSandboxEngine,
  sandboxImage,
  sandboxRecipe,
  sandboxRecipeHash,
} from '../../src/images/sandbox-image.js';

describe('sandbox images', () => {
  test("each Engine is a Debian release's docker.io, with what a daemon's host needs", () => {
    assert.deepEqual(sandboxRecipe('20.10'), {
      suite: 'bookworm',
      include: ['docker.io', 'iptables', 'ca-certificates', 'procps'],
    });
    assert.equal(sandboxRecipe('26.1').suite, 'trixie');
    assert.equal(sandboxImage('26.1'), 'docker-lab/sandbox:26.1');
    assert.ok(isSandboxEngine('20.10') && !isSandboxEngine('19.03'));
  });

  test('the recipe hash names the content: one per Engine, stable', () => {
    assert.notEqual(sandboxRecipeHash('20.10'), sandboxRecipeHash('26.1'));
    assert.equal(sandboxRecipeHash('26.1'), sandboxRecipeHash('26.1'));
  });

  test("mmdebstrap gets the release's suites and the packages, through the stand-ins' path", () => {
    const args = mmdebstrapArgs(
      '/tmp/x.tar',
      { debian: 'http://m/debian', security: 'http://m/sec' },
      sandboxRecipe('26.1'),
    );
    assert.ok(args.includes('--include=docker.io,iptables,ca-certificates,procps'));
    assert.ok(args.includes('--variant=minbase'));
    assert.deepEqual(args.slice(-3), [
      'deb http://m/debian trixie main',
      'deb http://m/debian trixie-updates main',
      'deb http://m/sec trixie-security main',
    ]);
  });

  test("a bookworm host's mirror serves trixie too; one named for trixie wins", () => {
    const bookworm =
      'deb http://b.example/debian bookworm main\ndeb http://s.example/debian-security bookworm-security main\n';
    assert.deepEqual(mirrorsFromSources([bookworm], 'trixie'), {
      debian: 'http://b.example/debian',
      security: 'http://s.example/debian-security',
    });
    const both = `${bookworm}deb http://t.example/debian trixie main\n`;
    assert.equal(mirrorsFromSources([both], 'trixie').debian, 'http://t.example/debian');
    assert.equal(mirrorsFromSources([both]).debian, 'http://b.example/debian');
  });
});
