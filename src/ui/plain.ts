import { createInterface } from 'node:readline';
import type { CommandIO } from '../io.js';
import { lessonRow } from './lesson-row.js';
import type { Session, UiState } from './session.js';

/**
 * The TUI without a terminal (piped, a dumb console, a screen reader's line mode): the same
 * session, shown as lines, driven by typed lines (`3` opens lesson 3; r, c, h, s, n, p, x, q as
 * in the TUI; y/n for questions). End of input quits, keeping the lesson's resources.
 */
function describe(state: UiState, session: Session): string[] {
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
  const run = session.runnableCommands(step);
  if (run.length > 0) lines.push(t.willRun, ...run.map((c) => `  $ ${c.script}`));
  const manual = session.manualCommands(step);
  if (manual.length > 0) lines.push(t.youType, ...manual.map((c) => `  $ ${c.script}`));
  const quiz = step.quizzes[0];
  if (quiz && step.commands.length === 0) {
    lines.push(
      quiz.question,
      ...quiz.choices.map(
        (c, i) => `  ${state.step.quizPicked.includes(i + 1) ? '[x]' : '[ ]'} ${i + 1}. ${c}`,
      ),
    );
  }
  for (const check of state.step.checks)
    lines.push(check.pass ? `✓ ${check.id}` : (check.report ?? `✗ ${check.id}`));
  if (state.step.phase === 'passed') lines.push(t.passed);
  if (state.step.phase === 'failed') lines.push(t.failed);
  lines.push(
    ...step.hints
      .slice(0, state.step.hintsShown)
      .map((h, i) => `${t.hint(i + 1, step.hints.length)}: ${h.markdown}`),
  );
  if (state.step.showSolution && step.solution)
    lines.push(`${t.solution}:`, step.solution.markdown.trim());
  if (state.step.note) lines.push(state.step.note);
  lines.push(quiz && step.commands.length === 0 ? t.quizHelp : t.lessonHelp);
  return lines;
}

export async function runPlain(session: Session, io: CommandIO): Promise<number> {
  let printedLog = 0;
  let lastView = '';
  const show = () => {
    const state = session.store.get();
    for (const entry of state.log.slice(printedLog)) io.stdout.write(`${entry}\n`);
    printedLog = state.log.length;
    if (state.step.phase === 'running' || state.step.phase === 'checking') return;
    const view = describe(state, session).join('\n');
    if (view !== lastView) io.stdout.write(`${view}\n`);
    lastView = view;
  };
  // Asked before the list is shown, so the list is printed once, with its marks.
  await session.checkImages();
  const unsubscribe = session.store.subscribe(show);
  if (session.store.get().warning) io.stdout.write(`! ${session.store.get().warning}\n`);
  show();
  const rl = createInterface({ input: io.stdin ?? process.stdin, terminal: false });
  const onAbort = () => rl.close();
  io.signal?.addEventListener('abort', onAbort, { once: true });
  for await (const raw of rl) {
    const line = raw.trim();
    const state = session.store.get();
    if (state.prompt) {
      session.answer(line === '' ? 'default' : /^y/i.test(line));
      continue;
    }
    if (state.screen === 'list') {
      if (line === 'q') break;
      if (/^\d+$/.test(line)) await session.openLesson(Number(line) - 1);
      continue;
    }
    if (/^[1-9]$/.test(line) && session.currentStep?.quizzes.length)
      session.toggleQuizChoice(Number(line));
    else if (line === '' || line === 'r') await session.runStep();
    else if (line === 'c') await session.checkStep();
    else if (line === 'h') await session.nextHint();
    else if (line === 's') session.toggleSolution();
    else if (line === 'n') await session.goStep(1);
    else if (line === 'p') await session.goStep(-1);
    else if (line === 'x') await session.resetStep();
    else if (line === 'q') await session.leaveLesson();
  }
  io.signal?.removeEventListener('abort', onAbort);
  await session.quit({ ask: false });
  unsubscribe();
  return 0;
}
