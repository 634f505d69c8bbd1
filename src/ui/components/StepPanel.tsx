import { Box, Text } from 'ink';
import type { Lesson, Step } from '../../lesson/schema.js';
import { helpLines } from '../help-line.js';
import type { Session } from '../session.js';
import type { UiState } from '../state.js';
import type { UiStrings } from '../../i18n/messages.js';

function Commands({ session, step, t }: { session: Session; step: Step; t: UiStrings }) {
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
          {'  $ '}
          {c.script.split('\n').join('\n    ')}
        </Text>
      ))}
      {manual.length > 0 && <Text dimColor>{t.youType}</Text>}
      {manual.map((c, i) => (
        <Text key={`m${i}`} color="magenta" wrap="wrap">
          {'  $ '}
          {c.script.split('\n').join('\n    ')}
        </Text>
      ))}
      {/* Only state checks can see work done elsewhere; the step's own output cannot. */}
      {elsewhere && <Text dimColor>{t.typeElsewhere}</Text>}
      {/* Typed elsewhere, a command that reads $PWD must run in the lesson's folder. */}
      {(manual.length > 0 || elsewhere) && session.workdir && (
        <Text dimColor wrap="wrap">
          {t.inFolder(session.workdir)}
        </Text>
      )}
    </Box>
  );
}

function Quiz({ step, state }: { step: Step; state: UiState }) {
  const quiz = step.quizzes[0];
  if (!quiz) return null;
  return (
    <Box flexDirection="column">
      <Text bold wrap="wrap">
        {quiz.question}
      </Text>
      {quiz.choices.map((choice, i) => (
        <Text
          key={i}
          wrap="wrap"
          color={state.step.quizPicked.includes(i + 1) ? 'cyan' : undefined}
        >
          {state.step.quizPicked.includes(i + 1) ? ' [x] ' : ' [ ] '}
          {i + 1}. {choice}
        </Text>
      ))}
      {state.step.quizVerdict === true && quiz.explain && (
        <Text dimColor wrap="wrap">
          {quiz.explain}
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
        {`── ${t.stepOf(state.stepIndex + 1, lesson.steps.length)} · ${step.title} `.padEnd(
          width,
          '─',
        )}
      </Text>
      {isQuiz ? (
        <Quiz step={step} state={state} />
      ) : (
        <Commands session={session} step={step} t={t} />
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
                {c.report}
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
        <Text key={`h${i}`} color="yellow" wrap="wrap">
          {t.hint(i + 1, step.hints.length)}: {hint.markdown}
        </Text>
      ))}
      {view.showSolution && step.solution && (
        <Box flexDirection="column" borderStyle="round" borderColor="green" paddingX={1}>
          <Text bold>{t.solution}</Text>
          <Text wrap="wrap">{step.solution.markdown.trim()}</Text>
        </Box>
      )}
      {view.note && (
        <Text dimColor wrap="wrap">
          {view.note}
        </Text>
      )}
      {/* Broken between keys, never cut: a narrow terminal must still show every key. */}
      <Text dimColor>{helpLines(isQuiz ? t.quizHelp : t.lessonHelp, width).join('\n')}</Text>
    </Box>
  );
}
