import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createJobsOutput } from '../../src/report/verify-jobs.js';
import type { LessonReport, RunnerEvent } from '../../src/run/events.js';

const finished = (id: string): RunnerEvent => ({
  type: 'lesson-finished',
  report: {
    id,
    lang: 'en',
    file: id,
    title: id,
    status: 'passed',
    steps: [],
    durationMs: 0,
  } as LessonReport,
});

/** A printer that writes one line per event: which lesson, which event. */
const printerFor = (write: (text: string) => void) => (event: RunnerEvent) =>
  write(`${event.type === 'lesson-finished' ? event.report.id : '?'}\n`);

describe('verify --jobs output', () => {
  test('lessons that end out of order are written in lesson order, each whole', () => {
    let out = '';
    const jobs = createJobsOutput({ write: (t) => (out += t), tty: false, printerFor });
    const a = jobs.emitFor(0, 'a');
    const b = jobs.emitFor(1, 'b');
    const c = jobs.emitFor(2, 'c');
    c(finished('c'));
    jobs.finish(2);
    b(finished('b'));
    jobs.finish(1);
    assert.equal(out, '', 'nothing after the first lesson is written before it');
    a(finished('a'));
    assert.equal(out, 'a\n', 'the first lesson writes as it goes');
    jobs.finish(0);
    assert.equal(out, 'a\nb\nc\n');
    jobs.close();
    assert.equal(out, 'a\nb\nc\n');
  });

  test('on a terminal, one live line per running lesson, gone at the end', () => {
    let out = '';
    let clock = 0;
    const jobs = createJobsOutput({
      write: (t) => (out += t),
      tty: true,
      printerFor: () => () => undefined,
      now: () => clock,
    });
    jobs.emitFor(0, 'en/first-run');
    jobs.emitFor(1, 'en/basics');
    clock = 3_000;
    jobs.status(1, 'starting a Docker 26.1 sandbox');
    assert.match(out, /en\/first-run {2}3 s {2}\n/);
    assert.match(out, /en\/basics {2}3 s {2}starting a Docker 26\.1 sandbox\n$/);
    jobs.finish(0);
    // first-run's line is gone: the two are erased, basics' alone is drawn again.
    assert.ok(
      out.endsWith(
        '\x1b[2A\r\x1b[2K\n\x1b[2K\n\x1b[2A\r  en/basics  3 s  starting a Docker 26.1 sandbox\n',
      ),
      JSON.stringify(out.slice(-90)),
    );
    jobs.finish(1);
    jobs.close();
    // The last thing written erases the last live line: up, cleared, up again.
    assert.ok(out.endsWith('\x1b[1A\r\x1b[2K\n\x1b[1A\r'), JSON.stringify(out.slice(-40)));
  });
});
