import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { insideWorkdir, OutsideWorkdirError, prepareInside } from '../../src/fs/inside.js';

let root: string;
let work: string;
let outside: string;
before(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'dl-inside-')));
  work = join(root, 'work');
  outside = join(root, 'outside');
  await mkdir(join(work, 'sub'), { recursive: true });
  await mkdir(outside);
  await symlink(outside, join(work, 'out'));
  await symlink('sub', join(work, 'here'));
  await symlink(join(outside, 'missing'), join(work, 'dangling'));
});
after(() => rm(root, { recursive: true, force: true }));

test('paths inside the working directory resolve, links inside it included', async () => {
  assert.equal(await insideWorkdir(work, 'a.txt'), join(work, 'a.txt'));
  assert.equal(await insideWorkdir(work, 'here/x'), join(work, 'sub', 'x'));
  assert.equal(await insideWorkdir(work, 'new/dir/x'), join(work, 'new', 'dir', 'x'));
});

test('a link that leads out is refused, naming the link and where it leads', async () => {
  await assert.rejects(insideWorkdir(work, 'out/pwned'), (error: unknown) => {
    assert.ok(error instanceof OutsideWorkdirError);
    assert.equal(error.link, 'out');
    assert.equal(error.target, outside);
    assert.equal(
      error.message,
      `out/pwned would leave the lesson's working directory: out is a symbolic link to ${outside}`,
    );
    return true;
  });
  await assert.rejects(insideWorkdir(work, 'dangling'), OutsideWorkdirError);
  await assert.rejects(insideWorkdir(work, '../outside/x'), OutsideWorkdirError);
  await assert.rejects(prepareInside(work, 'out/deeper/x'), OutsideWorkdirError);
});
