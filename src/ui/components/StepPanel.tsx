import { Box, Text } from 'ink';
import type { Lesson, Step } from '../../lesson/schema.js';
import { truncate, width as columns } from '../../report/columns.js';
import { helpLines } from '../help-line.js';
import { renderInline, renderMarkdown } from '../markdown.js';
import type { Session } from '../session.js';
import type { UiState } from '../state.js';
import type { UiStrings } from '../../i18n/messages.js';
import { stripAnsi, wrapText } from '../wrap.js';

/**
 * Text wrapped here, as the lesson prose is (Ink's own wrapping knows no Chinese); remembered,
 * as the panel is drawn again on every chunk of output.
 */
const wraps = new Map<string, string>();
const wrapped = (text: string, width: number, color = true, indent?: string): string => {
  const key = `${width}:${color ? 1 : 0}:${indent ?? '-'}\u0000${text}`;
  let out = wraps.get(key);
  if (out === undefined) {
    out = wrapText(text, width, indent === undefined ? {} : { indent }).join('\n');
    if (!color) out = stripAnsi(out);
    if (wraps.size > 200) wraps.clear();
    wraps.set(key, out);
  }
  return out;
};

/** `── Step 2 of 5 · Title ─────`, exactly `width` columns wide. */
function titleBar(text: string, width: number): string {
  const head = `── ${text} `;
  const used = columns(head);
  return used >= width ? truncate(head, width) : head + '─'.repeat(width - used);
}

/** A command as Enter runs it: `  $ ` before it, a line too wide folded with a deeper indent. */
const shown = (script: string, width: number) =>
  wrapped(`  $ ${script.split('\n').join('\n    ')}`, width, true, '      ');

function Commands({
  session,
  step,
  t,
  width,
}: {
  session: Session;
  step: Step;
  t: UiStrings;
  width: number;
}) {
  const run = session.runnableCommands(step);
  const manual = session.manualCommands(step);
  // Output checks read docker-lab's own run of the command: typed elsewhere, it cannot pass.
  const elsewhere =
    run.length > 0 && step.checks.length > 0 && !step.checks.some((c) => c.kind === 'output');
  return (
    <Box flexDirection="column">
      {run.length > 0 && <Text dimColor>{t.willRun}</Text>}
      {run.map((c, i) => (
        <Text key={`r${i}`} color="cyan" wrap="wrap">
          {shown(session.shownScript(c.script), width)}
        </Text>
      ))}
      {manual.length > 0 && <Text dimColor>{t.youType}</Text>}
      {manual.map((c, i) => (
        <Text key={`m${i}`} color="magenta" wrap="wrap">
          {shown(session.shownScript(c.script), width)}
        </Text>
      ))}
      {/* Only state checks can see work done elsewhere; the step's own output cannot. */}
      {elsewhere && (
        <Text dimColor wrap="wrap">
          {wrapped(t.typeElsewhere, width)}
        </Text>
      )}
      {/* Typed elsewhere, a command that reads $PWD must run in the lesson's folder. */}
      {(manual.length > 0 || elsewhere) && session.workdir && (
        <Text dimColor wrap="wrap">
          {wrapped(t.inFolder(session.workdir), width)}
        </Text>
      )}
    </Box>
  );
}

function Quiz({ step, state, width }: { step: Step; state: UiState; width: number }) {
  const quiz = step.quizzes[0];
  if (!quiz) return null;
  const color = state.color;
  return (
    <Box flexDirection="column">
      <Text bold wrap="wrap">
        {wrapped(renderInline(quiz.question), width, color)}
      </Text>
      {quiz.choices.map((choice, i) => {
        const picked = state.step.quizPicked.includes(i + 1);
        const mark = `${picked ? ' [x] ' : ' [ ] '}${i + 1}. `;
        return (
          <Text key={i} wrap="wrap">
            {wrapped(
              `${picked ? `\u001b[36m${mark}\u001b[39m` : mark}${renderInline(choice)}`,
              width,
              color,
              ' '.repeat(columns(mark)),
            )}
          </Text>
        );
      })}
      {state.step.quizVerdict === true && quiz.explain && (
        <Text dimColor wrap="wrap">
          {wrapped(renderInline(quiz.explain), width, color)}
        </Text>
      )}
    </Box>
  );
}

/** The live part of a step: what Enter runs, the running command's tail, the verdict, hints. */
export function StepPanel({
  session,
  lesson,
  state,
  t,
  width,
}: {
  session: Session;
  lesson: Lesson;
  state: UiState;
  t: UiStrings;
  width: number;
}) {
  const step = lesson.steps[state.stepIndex];
  if (!step) return null;
  const view = state.step;
  const isQuiz = step.quizzes.length > 0 && step.commands.length === 0;
  const last = state.stepIndex === lesson.steps.length - 1;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold color="blue" wrap="truncate-end">
        {titleBar(`${t.stepOf(state.stepIndex + 1, lesson.steps.length)} · ${step.title}`, width)}
      </Text>
      {isQuiz ? (
        <Quiz step={step} state={state} width={width} />
      ) : (
        <Commands session={session} step={step} t={t} width={width} />
      )}
      {view.phase === 'running' && (
        <Box flexDirection="column" borderStyle="single" borderColor="gray" paddingX={1}>
          <Text dimColor wrap="truncate-end">
            {t.running(view.running?.split('\n')[0] ?? '')}
            {view.outputTotal > view.output.length
              ? `  (${t.outputLines(view.output.length, view.outputTotal)})`
              : ''}
          </Text>
          {view.output.map((line, i) => (
            <Text key={i} wrap="truncate-end">
              {line}
            </Text>
          ))}
        </Box>
      )}
      {view.phase === 'checking' && (
        <Text color="yellow" wrap="wrap">
          {view.waiting ?? t.checking}
        </Text>
      )}
      {view.phase === 'failed' && <Text color="red">{t.failed}</Text>}
      {view.checks.length > 0 && view.phase !== 'running' && (
        <Box flexDirection="column">
          {view.checks.map((c) =>
            c.pass ? (
              <Text key={c.id} color="green">
                ✓ {c.title}
              </Text>
            ) : (
              <Text key={c.id} wrap="wrap">
                {wrapped(c.report ?? '', width)}
              </Text>
            ),
          )}
        </Box>
      )}
      {view.phase === 'passed' && (
        <Text color="green" bold>
          {last ? t.lessonDone : t.passed}
        </Text>
      )}
      {step.hints.slice(0, view.hintsShown).map((hint, i) => (
        <Text key={`h${i}`} wrap="wrap">
          {renderMarkdown(hint.markdown, width, state.color, {
            lead: `\u001b[33m${t.hint(i + 1, step.hints.length)}:\u001b[39m `,
          })}
        </Text>
      ))}
      {view.showSolution && step.solution && (
        <Box flexDirection="column" borderStyle="round" borderColor="green" paddingX={1}>
          <Text bold>{t.solution}</Text>
          {/* Inside the box: its border and padding take four columns. */}
          <Text wrap="wrap">{renderMarkdown(step.solution.markdown, width - 4, state.color)}</Text>
        </Box>
      )}
      {view.note && (
        <Text dimColor wrap="wrap">
          {wrapped(view.note, width)}
        </Text>
      )}
      {/* Broken between keys, never cut: a narrow terminal must still show every key. */}
      <Text dimColor>{helpLines(isQuiz ? t.quizHelp : t.lessonHelp, width).join('\n')}</Text>
    </Box>
  );
}
