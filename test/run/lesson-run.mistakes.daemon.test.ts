// A learner who types one of the step's near misses in the practice shell: the failing check's
// report says what is wrong, in the lesson's language; what the mistake made is the lesson's
// (its names are), so leaving the lesson removes it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { formatFailure } from '../../src/checks/report.js';
import { connectFromEnv } from '../../src/docker/client.js';
import { parseLesson } from '../../src/lesson/parser.js';
import { LessonRun } from '../../src/run/lesson-run.js';
import { requireDaemon } from '../helpers/daemon.js';
import { ensureBusyboxImage } from '../helpers/images.js';
import { daemonListing } from '../helpers/listing.js';

before(async () => {
  await requireDaemon();
  await ensureBusyboxImage();
});

test("the learner typed a near miss: the check's report names the mistake; leaving removes what it made", async () => {
  const file = 'fixtures/lessons/verify/near-miss.md';
  const lesson = parseLesson(file, readFileSync(file, 'utf8')).lesson!;
  const step = lesson.steps[0]!;
  const missingE = step.mistakes[0]!;
  const listed = daemonListing();
  const workdir = mkdtempSync(join(tmpdir(), 'docker-lab-mistakes-'));
  const engine = await connectFromEnv();
  const run = await LessonRun.start({
    lesson,
    engine,
    mode: 'learner',
    workdir,
    lang: 'en',
    baseEnv: process.env,
    journal: false,
  });
  try {
    await run.beginStep(step, 0);
    // As the practice shell runs it: the learner's bash with the lesson's environment.
    const output = execFileSync('sh', ['-c', missingE.command], {
      cwd: workdir,
      env: run.commandEnv,
      encoding: 'utf8',
    });
    run.recordTyped(step, { script: `  ${missingE.command}  `, output, exitCode: 0 });
    const findings = await run.evaluate(step, 'after');
    const greets = findings.find((f) => f.check.id === 'web-greets')!;
    assert.equal(greets.result.pass, false);
    const report = formatFailure(greets.result, {
      lang: 'en',
      learner: { mistake: (check) => run.mistakeFor(step, check) },
    });
    assert.match(report, /^✗ dl-verify-nm-web has GREETING=hello in its environment$/m);
    assert.ok(report.includes(`  a typical mistake: ${missingE.mistake}`), report);
    // A check the near miss does not name says nothing of it.
    const running = findings.find((f) => f.check.id === 'web-running')!;
    assert.equal(running.result.pass, true);
    assert.equal(run.mistakeFor(step, running.check), undefined);
  } finally {
    const cleanup = await run.finish();
    rmSync(workdir, { recursive: true, force: true });
    assert.deepEqual(cleanup.failed, []);
    assert.deepEqual(
      cleanup.removed.map((r) => `${r.type} ${r.name}`),
      ['container dl-verify-nm-web', 'volume dl-verify-nm-data'],
    );
  }
  assert.deepEqual(daemonListing(), listed);
});
