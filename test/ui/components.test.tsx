import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Writable } from 'node:stream';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import type { Lesson } from '../../src/lesson/schema.js';
import { courseInLanguage } from '../../src/lesson/course.js';
import { parseLesson } from '../../src/lesson/parser.js';
import { emptyProgress } from '../../src/progress/schema.js';
import { App } from '../../src/ui/components/App.js';
import { LessonList } from '../../src/ui/components/LessonList.js';
import { Prompt } from '../../src/ui/components/Prompt.js';
import { StepPanel } from '../../src/ui/components/StepPanel.js';
import { drawFirstFrame } from '../../src/ui/first-frame.js';
import { Session } from '../../src/ui/session.js';
import { freshStep, type StepView, type UiState } from '../../src/ui/state.js';
import { messages } from '../../src/i18n/messages.js';

/**
 * Each screen of the TUI rendered to a string at a fixed width (ink-testing-library: 100
 * columns, no terminal). Components only read state: the states here are made by hand, the way
 * the session would make them, so every screen is pinned without a Docker daemon.
 */

// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;
const plain = (text: string | undefined): string => (text ?? '').replace(SGR, '');
/** The frame's lines, colours removed and trailing spaces trimmed. */
const lines = (text: string | undefined): string[] =>
  plain(text)
    .split('\n')
    .map((line) => line.trimEnd());

function fixture(path: string): Lesson {
  const result = parseLesson(path, readFileSync(path, 'utf8'));
  assert.ok(result.lesson, `${path} parses`);
  return result.lesson;
}

const en = fixture('fixtures/lessons/tui/en/tui-drive.md');
const zh = fixture('fixtures/lessons/tui/zh-CN/tui-drive.md');
const cjk = fixture('fixtures/lessons/good/cjk.md');

function session(lessons: Lesson[], lang: 'en' | 'zh-CN' = 'en', color = false): Session {
  return new Session({
    lessons,
    lang,
    progress: emptyProgress(),
    progressOptions: { env: { DOCKER_LAB_STATE_DIR: '/nonexistent/docker-lab-test' } },
    readOnlyProgress: true,
    connect: () => Promise.reject(new Error('component tests have no daemon')),
    workdirFor: () => '/nonexistent',
    baseEnv: {},
    color,
    columns: () => 100,
    handOff: (_banner, work) => work(() => {}),
  });
}

/** A step as it is before anything ran, with `over` on top. */
const idle = (over: Partial<StepView> = {}): StepView => ({ ...freshStep(), ...over });

/** Puts the session on a step of its first lesson with the given view, as the session would. */
function onStep(s: Session, stepIndex: number, step: StepView): UiState {
  s.store.set((state) => ({ ...state, screen: 'lesson', lessonIndex: 0, stepIndex, step }));
  return s.store.get();
}

function panel(s: Session, state: UiState, width = 80): string[] {
  const lesson = s.lesson;
  assert.ok(lesson);
  const { lastFrame, unmount } = render(
    <StepPanel session={s} lesson={lesson} state={state} t={s.strings} width={width} />,
  );
  const frame = lines(lastFrame());
  unmount();
  return frame;
}

describe('the lesson list', () => {
  test('shows each lesson with its number, duration and progress, the cursor on one row', () => {
    const s = session([en, cjk]);
    const state: UiState = {
      ...s.store.get(),
      cursor: 1,
      entries: [
        { lesson: en, done: 2, total: 5, completed: false },
        { lesson: cjk, done: 1, total: 1, completed: true },
      ],
    };
    const { lastFrame } = render(<LessonList state={state} t={s.strings} width={80} />);
    assert.deepEqual(lines(lastFrame()), [
      'docker-lab — learn Docker by doing',
      '',
      '    1  Driving the TUI                                          5m     2/5 steps',
      // A Chinese lesson in an English list says so, as `docker-lab list` does.
      '›   2  中文课程：镜像与容器 (in Chinese)                                  ✓ done',
      '',
      '↑/↓ choose · Enter or 1-9 open · q quit',
    ]);
    // The columns line up: every row ends at the right edge of the 80 columns the list gets.
    const frame = lines(lastFrame());
    assert.equal(stringWidth(frame[2] ?? ''), 80);
    assert.equal(stringWidth(frame[3] ?? ''), 80);
  });

  test('the first frame, drawn before Ink loads, is the list Ink draws: Chinese measured in columns', () => {
    const lessons = courseInLanguage(
      ['en', 'zh-CN'].flatMap((lang) =>
        readdirSync(join('lessons', lang)).map((name) => fixture(join('lessons', lang, name))),
      ),
      'zh-CN',
    );
    // One lesson begun, one done: the progress column holds Chinese too.
    const [begun, done] = lessons;
    assert.ok(begun && done);
    const state = mkdtempSync(join(tmpdir(), 'docker-lab-first-frame-'));
    const at = '2026-01-01T00:00:00.000Z';
    const key = (l: Lesson) => `${l.meta.lang}/${l.meta.id}`;
    writeFileSync(
      join(state, 'progress.json'),
      JSON.stringify({
        version: 1,
        lessons: {
          [key(begun)]: { completed: { [begun.steps[0]!.id]: at } },
          [key(done)]: { completed: Object.fromEntries(done.steps.map((st) => [st.id, at])) },
        },
      }),
    );
    try {
      for (const columns of [45, 61, 81]) {
        let written = '';
        const out = Object.assign(new (class extends Writable {})(), { columns });
        out.write = (chunk: unknown) => ((written += String(chunk)), true);
        const env = { DOCKER_LAB_COURSE_DIR: 'lessons', DOCKER_LAB_STATE_DIR: state };
        assert.ok(drawFirstFrame(out, env, 'zh-CN'));
        const s = session(lessons, 'zh-CN');
        const entries = lessons.map((lesson) => {
          const total = lesson.steps.length;
          const count = lesson === begun ? 1 : lesson === done ? total : 0;
          return { lesson, done: count, total, completed: count === total };
        });
        const width = columns - 1;
        const { lastFrame, unmount } = render(
          <LessonList state={{ ...s.store.get(), entries }} t={s.strings} width={width} />,
        );
        const ink = lines(lastFrame());
        unmount();
        const first = written.split('\n').map((line) => line.trimEnd());
        assert.ok(first.some((line) => line.endsWith('✓ 已完成')));
        // Some titles are cut with … at 45 columns (Ink may keep one more column of a cut title
        // than its box has); every row ends where Ink's does.
        ink.slice(2, 2 + lessons.length).forEach((row, i) => {
          const mine = first[2 + i] ?? '';
          if (!row.includes('…')) assert.equal(mine, row);
          else assert.equal(stringWidth(mine), stringWidth(row), `${mine}\n${row}`);
        });
        for (const line of first) assert.ok(stringWidth(line) <= width, `${columns}: ${line}`);
      }
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });

  test('a lesson whose images the daemon lacks is marked, and the list says how to get them', () => {
    const s = session([en, cjk]);
    const state: UiState = {
      ...s.store.get(),
      entries: [
        {
          lesson: en,
          done: 0,
          total: 5,
          completed: false,
          imagesMissing: ['docker-lab-test/busybox:latest'],
        },
        { lesson: cjk, done: 1, total: 1, completed: true, imagesMissing: [] },
      ],
    };
    const { lastFrame } = render(<LessonList state={state} t={s.strings} width={80} />);
    const frame = lines(lastFrame());
    assert.match(frame[2] ?? '', /1 {2}Driving the TUI +5m +! images$/);
    assert.match(frame[3] ?? '', /✓ done$/);
    // The explanation wraps at 80 columns; read it as one text.
    assert.match(
      frame.join(' '),
      /^.*! Lessons marked ! need images this daemon lacks: docker-lab images pull/,
    );
  });

  test('fits CJK titles to 80 columns, shortening them rather than wrapping a row', () => {
    const s = session([zh], 'zh-CN');
    const long = {
      ...zh,
      title: '一个非常非常长的中文标题，'.repeat(6),
      meta: { ...zh.meta, id: 'long', title: '一个非常非常长的中文标题，'.repeat(6) },
    };
    const state: UiState = {
      ...s.store.get(),
      entries: [
        { lesson: long, done: 3, total: 5, completed: false },
        { lesson: zh, done: 0, total: 5, completed: false },
      ],
    };
    const { lastFrame } = render(<LessonList state={state} t={s.strings} width={80} />);
    const frame = lines(lastFrame());
    assert.equal(frame[0], 'docker-lab —— 动手学 Docker');
    assert.equal(frame.length, 6, 'one row per lesson');
    const row = frame[2] ?? '';
    assert.ok(row.startsWith('›   1  一个非常非常长的中文标题'), row);
    assert.ok(row.includes('…'), `the long title is shortened: ${row}`);
    assert.match(row, /… +5m +3\/5 步$/);
    assert.equal(stringWidth(row), 80);
    // No progress yet: the duration still sits in its column, 14 columns from the edge.
    assert.match(frame[3] ?? '', /^ {4}2 {2}操作 TUI +5m$/);
    assert.equal(stringWidth(frame[3] ?? ''), 80 - 14);
    assert.equal(frame[5], '↑/↓ 选择 · Enter 或 1-9 打开 · q 退出');
    for (const line of frame) assert.ok(stringWidth(line) <= 80, line);
  });
});

describe('the step panel', () => {
  test('shows the step, the commands Enter runs and that the step completes on its own', () => {
    const s = session([en]);
    assert.deepEqual(panel(s, onStep(s, 0, idle())), [
      '── Step 1 of 5 · Run a container ───────────────────────────────────────────────',
      'Enter runs:',
      '  $ docker run --name dl-tui-hello docker-lab-test/busybox:latest echo hello',
      // Folded where it is too wide, the rest indented under the command.
      '      from the tui',
      // No "run it in another terminal": an output check needs the step's own run.
      'Enter run · t type · c check · h hint · s answer · n/p step · x reset · q leave',
    ]);
    // A state check can see work done elsewhere: the step says so.
    const elsewhere = panel(s, onStep(s, 2, idle()));
    assert.equal(
      elsewhere[4],
      'or run it yourself in another terminal: this step completes on its own',
    );
  });

  test('while a command runs: its first line and the last lines of its output, with the count', () => {
    const s = session([en]);
    const output = Array.from({ length: 12 }, (_, i) => String(99_989 + i));
    const state = onStep(
      s,
      0,
      idle({ phase: 'running', running: 'seq 1 100000\necho done', output, outputTotal: 100_000 }),
    );
    const frame = panel(s, state, 100);
    assert.equal(frame[4], `│ running seq 1 100000  (last 12 of 100000 lines)${' '.repeat(50)}│`);
    assert.deepEqual(
      frame.slice(5, 17).map((line) => line.replace(/^│ (.*?) *│$/, '$1')),
      output,
    );
    assert.ok(frame[3]?.startsWith('┌') && frame[17]?.startsWith('└'), 'the output is boxed');
  });

  test('a passed check is ticked by its description, a failed one shows its report under "Not yet:"', () => {
    const s = session([en]);
    const report = [
      '✗ the container dl-tui-idle is running: container dl-tui-idle',
      '  status: expected equals "running", found "created"',
      '  likeliest fix: Start it with docker start dl-tui-idle.',
    ].join('\n');
    const failed = onStep(
      s,
      1,
      idle({
        phase: 'failed',
        lastExit: 0,
        checks: [
          {
            id: 'idle-running',
            title: 'the container dl-tui-idle is running',
            pass: false,
            report,
          },
        ],
      }),
    );
    const frame = panel(s, failed, 100);
    const at = frame.indexOf('Not yet:');
    assert.ok(at > 0, frame.join('\n'));
    assert.deepEqual(frame.slice(at, at + 4), ['Not yet:', ...report.split('\n')]);

    const passed = onStep(
      s,
      0,
      idle({
        phase: 'passed',
        checks: [
          { id: 'said-hello', title: 'echo printed hello from the tui', pass: true },
          {
            id: 'hello-exited',
            title: 'the container dl-tui-hello exited with code 0',
            pass: true,
          },
        ],
      }),
    );
    const done = panel(s, passed, 100);
    assert.deepEqual(done.slice(-4), [
      '✓ echo printed hello from the tui',
      '✓ the container dl-tui-hello exited with code 0',
      'Step complete.',
      'Enter run · t type · c check · h hint · s answer · n/p step · x reset · q leave',
    ]);
  });

  test('hints appear one by one; with the solution open, Enter runs its commands too', () => {
    const s = session([en]);
    const oneHint = panel(s, onStep(s, 1, idle({ hintsShown: 1 })), 100);
    assert.ok(
      oneHint.includes(
        // Rendered as Markdown: the code span is styled, not shown with its backticks.
        'Hint 1/2: a created container is not running yet; docker start starts it.',
      ),
      oneHint.join('\n'),
    );
    assert.ok(!oneHint.some((line) => line.startsWith('Hint 2/2')));

    const solved = panel(s, onStep(s, 1, idle({ hintsShown: 2, showSolution: true })), 100);
    assert.deepEqual(solved.slice(1, 4), [
      'Enter runs:',
      '  $ docker create --name dl-tui-idle docker-lab-test/busybox:latest sleep 300',
      '  $ docker start dl-tui-idle',
    ]);
    assert.ok(solved.includes('Hint 2/2: the name is dl-tui-idle.'));
    const box = solved.findIndex((line) => line.startsWith('╭'));
    assert.ok(box > 0);
    assert.equal(solved[box + 1]?.replace(/\s+│$/, ''), '│ Solution');
    assert.ok(
      solved.some((line) => line.includes('docker start dl-tui-idle') && line.startsWith('│')),
    );
  });

  test('a note says when there is nothing more to show', () => {
    const s = session([en]);
    const frame = panel(s, onStep(s, 0, idle({ note: 'This step has no hints.' })), 100);
    assert.equal(frame.at(-2), 'This step has no hints.');
  });

  test('a quiz lists its choices with the picked ones marked, and its own key help', () => {
    const s = session([en]);
    const frame = panel(s, onStep(s, 4, idle({ quizPicked: [2] })), 100);
    assert.deepEqual(frame, [
      `── Step 5 of 5 · A quiz ${'─'.repeat(100 - 24)}`,
      'What was PID 1 in the container?',
      ' [ ] 1. init',
      ' [x] 2. the shell',
      ' [ ] 3. docker',
      '1-9 choose · Enter answer · h hint · n next · p back · q leave',
    ]);
    const right = panel(
      s,
      onStep(s, 4, idle({ phase: 'passed', quizPicked: [2], quizVerdict: true, note: 'Right.' })),
      100,
    );
    assert.deepEqual(right.slice(-3), [
      'Lesson complete. q returns to the list.',
      'Right.',
      '1-9 choose · Enter answer · h hint · n next · p back · q leave',
    ]);
  });

  test('in Chinese, at 80 columns, no line is wider than the terminal', () => {
    const s = session([zh], 'zh-CN');
    const frame = panel(s, onStep(s, 1, idle({ hintsShown: 1, phase: 'failed' })), 80);
    assert.equal(frame[0]?.startsWith('── 第 2 步，共 5 步 · 启动你创建的容器 ─'), true, frame[0]);
    assert.ok(frame.includes('还没有完成：'));
    assert.ok(frame.includes('提示 1/2: 刚创建的容器还没有运行；docker start 可以启动它。'));
    for (const line of frame) assert.ok(stringWidth(line) <= 80, `${stringWidth(line)}: ${line}`);
  });

  test('in Chinese, at 40 columns: the title bar fits, hints and the solution are rendered Markdown', () => {
    const s = session([zh], 'zh-CN');
    const frame = panel(
      s,
      onStep(s, 1, idle({ hintsShown: 2, showSolution: true, phase: 'failed' })),
      40,
    );
    // Exactly 40 columns, the Chinese title measured in columns, not characters.
    assert.equal(stringWidth(frame[0] ?? ''), 40, frame[0]);
    assert.ok(frame[0]?.endsWith('─'), frame[0]);
    const hint = frame.findIndex((line) => line.startsWith('提示 1/2'));
    // Wrapped between Chinese characters, filling the line, no punctuation at a line's start.
    assert.deepEqual(frame.slice(hint, hint + 2), [
      '提示 1/2: 刚创建的容器还没有运行；docker',
      'start 可以启动它。',
    ]);
    // The solution's shell block is shown as code, without its fence.
    const box = frame.findIndex((line) => line.startsWith('╭'));
    assert.ok(frame.slice(box).some((line) => /^│ {3}docker start dl-tui-idle +│$/.test(line)));
    assert.ok(!frame.some((line) => line.includes('```')));
    for (const line of frame) assert.ok(stringWidth(line) <= 40, `${stringWidth(line)}: ${line}`);
  });
});

describe('the prompt', () => {
  test('asks its question about the listed resources, in a box', () => {
    const t = messages('en').ui;
    const { lastFrame } = render(
      <Prompt
        prompt={{
          title: t.cleanupTitle,
          items: ['container dl-tui-hello', 'container dl-tui-idle'],
          question: t.cleanupAsk,
          defaultYes: true,
        }}
        width={100}
      />,
    );
    assert.deepEqual(
      lines(lastFrame()).map((line) => line.replace(/\s+│$/, ' │')),
      [
        `╭${'─'.repeat(98)}╮`,
        '│ This lesson created: │',
        '│   container dl-tui-hello │',
        '│   container dl-tui-idle │',
        '│ Remove them now? Your own containers, images, volumes and networks are never touched. [Y/n] │',
        `╰${'─'.repeat(98)}╯`,
      ],
    );
  });
});

describe('the whole app', () => {
  test('shows the list, then the prompt in place of the screen while a question is open', async () => {
    const s = session([en]);
    const { lastFrame, unmount } = render(<App session={s} />);
    assert.match(plain(lastFrame()), /› {3}1 {2}Driving the TUI +5m\n/);
    s.store.set((state) => ({
      ...state,
      prompt: {
        title: 'This lesson created:',
        items: ['container x'],
        question: 'Remove? [Y/n]',
        defaultYes: true,
      },
    }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.match(plain(lastFrame()), /│ This lesson created: +│/);
    assert.doesNotMatch(plain(lastFrame()), /Driving the TUI/);
    unmount();
  });

  test('keys drive the session: j/k move the cursor, several keys in one chunk all count', async () => {
    const s = session([en, cjk, zh]);
    const { stdin, unmount } = render(<App session={s} />);
    await new Promise((resolve) => setImmediate(resolve));
    stdin.write('j');
    assert.equal(s.store.get().cursor, 1);
    stdin.write('k');
    assert.equal(s.store.get().cursor, 0);
    // Typed while the process was busy: one chunk, two keys.
    stdin.write('jj');
    assert.equal(s.store.get().cursor, 2);
    stdin.write('q');
    assert.equal(s.store.get().quitting, true);
    unmount();
  });

  test('finished output is printed once above the screen; a remount prints only what is new', () => {
    const s = session([en]);
    s.store.set((state) => ({ ...state, log: ['first entry', 'second entry'] }));
    const first = render(<App session={s} />);
    assert.match(plain(first.lastFrame()), /^first entry\nsecond entry\n/);
    first.unmount();
    s.store.set((state) => ({ ...state, log: [...state.log, 'after the hand-off'] }));
    const second = render(<App session={s} printed={2} />);
    const frame = plain(second.lastFrame());
    assert.match(frame, /^after the hand-off\n/);
    assert.doesNotMatch(frame, /first entry/);
    second.unmount();
  });

  test('without colour every state still reads from its text: marks, not colours alone', () => {
    const s = session([en], 'en', false);
    onStep(
      s,
      1,
      idle({
        phase: 'failed',
        checks: [
          { id: 'said-hello', title: 'echo printed hello from the tui', pass: true },
          {
            id: 'idle-running',
            title: 'the container dl-tui-idle is running',
            pass: false,
            report: '✗ the container dl-tui-idle is running: container dl-tui-idle',
          },
        ],
      }),
    );
    const { lastFrame, unmount } = render(<App session={s} />);
    const frame = lines(lastFrame());
    for (const expected of [
      'Not yet:',
      '✓ echo printed hello from the tui',
      '✗ the container dl-tui-idle is running: container dl-tui-idle',
    ])
      assert.ok(frame.includes(expected), `${expected} in\n${frame.join('\n')}`);
    unmount();
    // Ink itself needs no colour to lay out: the same frame with a plain <Text> has no escapes.
    const bare = render(<Text>plain</Text>);
    assert.equal(bare.lastFrame(), 'plain');
    bare.unmount();
  });
});
