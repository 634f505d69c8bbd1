import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { requireDaemon } from '../helpers/daemon.js';
import { daemonListing } from '../helpers/listing.js';

const root = mkdtempSync(join(tmpdir(), 'dl-new-'));
after(() => rmSync(root, { recursive: true, force: true }));
// Unique per run: the skeleton names its container after the lesson.
const id = `new-lesson-${process.pid}`;

describe('docker-lab new', () => {
  test('writes the lesson in both languages, says where and what to run next', async () => {
    const dir = join(root, 'course');
    const run = await runCli(['new', id, '--dir', dir]);
    assert.equal(run.code, 0, run.stderr);
    const en = join(dir, 'en', `${id}.md`);
    const zh = join(dir, 'zh-CN', `${id}.md`);
    assert.match(run.stdout, new RegExp(`^wrote .*en/${id}\\.md$`, 'm'));
    assert.match(run.stdout, new RegExp(`^wrote .*zh-CN/${id}\\.md$`, 'm'));
    assert.match(run.stdout, /docker-lab lint .*\.md .*\.md/);
    assert.match(run.stdout, new RegExp(`docker-lab verify --watch .*en/${id}\\.md`));
    const enText = readFileSync(en, 'utf8');
    const zhText = readFileSync(zh, 'utf8');
    assert.match(enText, new RegExp(`^---\\nid: ${id}\\n`));
    assert.match(enText, /^> Hint: /m);
    assert.match(enText, /^ {2}description: /m);
    assert.match(zhText, /^lang: zh-CN$/m);
    assert.match(zhText, /^> 提示：/m, 'the Chinese hint uses a full-width colon');
    assert.match(zhText, /description: 容器打印了 hello/);
  });

  test('the skeleton lints clean, its twins agree, and verify proves it on the daemon', async () => {
    await requireDaemon();
    const dir = join(root, 'course');
    const files = ['en', 'zh-CN'].map((lang) => join(dir, lang, `${id}.md`));
    const lint = await runCli(['lint', ...files]);
    assert.equal(lint.code, 0, lint.stdout);
    assert.match(lint.stdout, /2 lessons checked, no problems/);
    const listed = daemonListing();
    const verify = await runCli(['verify', dir]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /^2 passed, 0 failed$/m);
    assert.deepEqual(daemonListing(), listed);
  });

  test('refuses an existing file, an invalid id and a folder that leads out of the course', async () => {
    const dir = join(root, 'course');
    const again = await runCli(['new', id, '--dir', dir]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, new RegExp(`en/${id}\\.md already exists: new never overwrites`));

    const bad = await runCli(['new', 'My_Lesson', '--dir', dir]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /"My_Lesson" is not a lesson id: ids are lowercase letters/);
    const climbing = await runCli(['new', '../escape', '--dir', dir]);
    assert.equal(climbing.code, 2);
    assert.ok(!existsSync(join(root, 'escape.md')));

    const linked = join(root, 'linked');
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(join(linked), { recursive: true });
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(linked, 'zh-CN'));
    const out = await runCli(['new', 'outside', '--dir', linked]);
    assert.equal(out.code, 2);
    assert.match(
      out.stderr,
      /zh-CN\/outside\.md would be written outside .*a folder on the way is a link out of it/,
    );
    assert.ok(!existsSync(join(linked, 'en', 'outside.md')), 'nothing was written');
    assert.ok(!existsSync(join(elsewhere, 'outside.md')));
  });
});
