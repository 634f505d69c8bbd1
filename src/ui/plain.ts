import { createInterface } from 'node:readline';
import { messages } from '../i18n/messages.js';
import type { CommandIO } from '../io.js';
import { intentForLine } from './intents.js';
import { lessonRow } from './lesson-row.js';
import { renderInline, renderMarkdown } from './markdown.js';
import type { Session } from './session.js';
import { logText, type UiState } from './state.js';
import { stripAnsi } from './wrap.js';

/**
 * The TUI without a terminal (piped, a dumb console, a screen reader's line mode): the same
 * session, shown as lines, driven by typed lines (`3` opens lesson 3; r, c, h, s, n, p, x, q as
 * in the TUI; y/n for questions; a quiz is answered with its numbers, `2` or `1,3`). End of
 * input quits: every question then takes its default answer, so the lesson's objects are
 * removed and the learner's are not touched.
 */
function describe(state: UiState, session: Session, width: number): string[] {
  const t = session.strings;
  if (state.prompt)
    return [state.prompt.title, ...state.prompt.items.map((i) => `  ${i}`), state.prompt.question];
  if (state.screen === 'list') {
    return [
      t.courseTitle,
      ...state.entries.map((e, i) => {
        const row = lessonRow(
          { ...e, title: e.lesson.meta.title, lang: e.lesson.meta.lang },
          state.lang,
          t,
        );
        const duration = e.lesson.meta.duration ? ` (${e.lesson.meta.duration})` : '';
        const status = [row.progress, row.imagesMark].filter(Boolean).join('  ');
        return `${String(i + 1).padStart(2)}. ${row.title}${duration}${status ? `  ${status}` : ''}`;
      }),
      ...(state.entries.some((e) => e.imagesMissing?.length && !e.completed)
        ? [`! ${t.imagesMissing}`]
        : []),
      'number: open a lesson · q: quit',
    ];
  }
  const step = session.currentStep;
  if (!step) return [];
  const lines: string[] = [];
  // Once the step has passed, Enter moves on: what it would run is not shown again.
  const run = state.step.phase === 'passed' ? [] : session.runnableCommands(step);
  if (run.length > 0)
    lines.push(t.willRun, ...run.map((c) => `  $ ${session.shownScript(c.script)}`));
  const manual = session.manualCommands(step);
  if (manual.length > 0)
    lines.push(t.youType, ...manual.map((c) => `  $ ${session.shownScript(c.script)}`));
  const quiz = step.quizzes[0];
  if (quiz && step.commands.length === 0) {
    // Inline Markdown, as the TUI shows it: a code span without its backticks.
    const md = (text: string) => (state.color ? renderInline(text) : stripAnsi(renderInline(text)));
    lines.push(
      md(quiz.question),
      ...quiz.choices.map(
        (c, i) => `  ${state.step.quizPicked.includes(i + 1) ? '[x]' : '[ ]'} ${i + 1}. ${md(c)}`,
      ),
    );
  }
  for (const check of state.step.checks)
    lines.push(check.pass ? `✓ ${check.title}` : (check.report ?? `✗ ${check.title}`));
  if (state.step.phase === 'passed') lines.push(t.passed);
  if (state.step.phase === 'failed') lines.push(t.failed);
  lines.push(
    ...step.hints.slice(0, state.step.hintsShown).map((h, i) =>
      renderMarkdown(h.markdown, width, state.color, {
        lead: `${t.hint(i + 1, step.hints.length)}: `,
      }),
    ),
  );
  if (state.step.showSolution && step.solution)
    lines.push(`${t.solution}:`, renderMarkdown(step.solution.markdown, width, state.color));
  if (state.step.note) lines.push(state.step.note);
  lines.push(
    quiz && step.commands.length === 0 ? messages(state.lang).plain.quizHelp : t.lessonHelp,
  );
  return lines;
}

export async function runPlain(session: Session, io: CommandIO): Promise<number> {
  // Lesson prose is wrapped as the step's own prose is: to the terminal, if there is one.
  const width = Math.max(40, (io.stdout.columns ?? 80) - 2);
  let printedLog = 0;
  let lastView = '';
  // While a typed line's work goes on, the view waits: it is printed once that work is done
  // (or asks something), below what the work printed, not half-way through it (the step's
  // panel before the step's own prose, and then again).
  let working = false;
  // Input has ended: nobody will answer, each question takes its default (said once).
  let inputEnded = false;
  let saidInputEnded = false;
  let answered: UiState['prompt'];
  const show = () => {
    const state = session.store.get();
    for (const entry of state.log.slice(printedLog))
      io.stdout.write(
        `${logText(entry, (markdown) => renderMarkdown(markdown, width, state.color))}\n`,
      );
    printedLog = state.log.length;
    if (working && !state.prompt) return;
    if (state.step.phase === 'running' || state.step.phase === 'checking') return;
    const view = describe(state, session, width).join('\n');
    if (view !== lastView) io.stdout.write(`${view}\n`);
    lastView = view;
    if (inputEnded && state.prompt && state.prompt !== answered) {
      answered = state.prompt;
      if (!saidInputEnded) io.stdout.write(`${messages(state.lang).plain.inputEnded}\n`);
      saidInputEnded = true;
      // After this change has reached every listener, not in the middle of telling them.
      setImmediate(() => void session.dispatch({ type: 'answer', yes: 'default' }));
    }
  };
  // Asked before the list is shown, so the list is printed once, with its marks.
  await session.checkImages();
  const unsubscribe = session.store.subscribe(show);
  if (session.store.get().warning) io.stdout.write(`! ${session.store.get().warning}\n`);
  show();
  const rl = createInterface({ input: io.stdin ?? process.stdin, terminal: false });
  const onAbort = () => rl.close();
  io.signal?.addEventListener('abort', onAbort, { once: true });
  // What the last line started. A line waits for it, unless it stops to ask something: then the
  // line is the answer (awaiting the work itself would wait for an answer never read).
  let busy: Promise<void> = Promise.resolve();
  const untilDoneOrAsking = (work: Promise<void>) =>
    new Promise<void>((resolve) => {
      const unsubscribe = session.store.subscribe(() => {
        if (session.store.get().prompt) settle();
      });
      const settle = () => {
        unsubscribe();
        resolve();
      };
      if (session.store.get().prompt) settle();
      work.then(settle, settle);
    });
  for await (const raw of rl) {
    await untilDoneOrAsking(busy);
    const intent = intentForLine(raw, session.store.get());
    if (!intent) continue;
    if (intent.type === 'answer') {
      // The answer lets the asking work go on: its result is the next view, not the one the
      // question interrupted.
      working = true;
      void session.dispatch(intent);
      await untilDoneOrAsking(busy);
      working = false;
      show();
      continue;
    }
    working = true;
    busy = session.dispatch(intent);
    await untilDoneOrAsking(busy);
    working = false;
    show();
    if (session.store.get().quitting) break;
  }
  working = false;
  // A terminal's input (TERM=dumb) stays open after q: let it go, or docker-lab never exits.
  rl.close();
  io.signal?.removeEventListener('abort', onAbort);
  if (io.signal?.aborted) {
    // Ctrl-C: the lesson's resources are left as they are (said by the session), as in the TUI.
    if (session.store.get().prompt) void session.dispatch({ type: 'answer', yes: false });
    await busy;
    await session.quit({ ask: false });
  } else if (!session.store.get().quitting) {
    // End of input (a pipe, a file): never wait at a prompt nobody will answer. Each question
    // takes its default, the safe one: the lesson's objects are removed, the learner's kept.
    inputEnded = true;
    working = true;
    show();
    await busy;
    await session.quit();
    working = false;
    show();
  }
  unsubscribe();
  return 0;
}
