import { Box, Static, Text, useApp, useInput, useStdout, type Key } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { intentForKey } from '../intents.js';
import { renderMarkdown } from '../markdown.js';
import { logText } from '../state.js';
import type { Session } from '../session.js';
import { LessonList } from './LessonList.js';
import { Prompt } from './Prompt.js';
import { StepPanel } from './StepPanel.js';

/** The terminal's width, following resizes. */
function useColumns(): number {
  const { stdout } = useStdout();
  const [columns, setColumns] = useState(stdout.columns || 80);
  useEffect(() => {
    const onResize = () => setColumns(stdout.columns || 80);
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return columns;
}

/**
 * The whole TUI: finished output above (printed once), the live screen below. `printed` log
 * entries are already on the terminal (from before a hand-off remounted the UI): <Static> of a
 * new mount would print them all again.
 */
export function App({ session, printed = 0 }: { session: Session; printed?: number }) {
  const state = useSyncExternalStore(session.store.subscribe, session.store.get);
  const { exit } = useApp();
  const width = Math.max(40, useColumns() - 1);
  const t = session.strings;

  useEffect(() => {
    if (state.quitting) exit();
  }, [state.quitting, exit]);

  const onKey = (input: string, key: Key) => {
    // The store, not the rendered state: one chunk may hold several keys (below).
    const intent = intentForKey({ ...key, input }, session.store.get());
    if (intent) void session.dispatch(intent);
  };

  useInput((input, key) => {
    // Keys typed while the process was busy arrive as one chunk ("jj\r"), which Ink passes on
    // whole: take them one by one, or they are all lost.
    if (input.length > 1 && !key.ctrl && !key.meta) {
      for (const char of input) onKey(char === '\r' ? '' : char, { ...key, return: char === '\r' });
      return;
    }
    onKey(input, key);
  });

  const lesson = session.lesson;
  return (
    <Box flexDirection="column">
      <Static
        items={state.log.slice(printed).map((entry, index) => ({
          text: logText(entry, (markdown) => renderMarkdown(markdown, width - 1, state.color)),
          index,
        }))}
      >
        {(item) => (
          <Text key={item.index} wrap="wrap">
            {item.text}
          </Text>
        )}
      </Static>
      {state.warning && (
        <Text color="yellow" wrap="wrap">
          ! {state.warning}
        </Text>
      )}
      {state.prompt ? (
        <Prompt prompt={state.prompt} width={width} />
      ) : state.screen === 'list' || !lesson ? (
        <LessonList state={state} t={t} width={width} />
      ) : (
        <StepPanel session={session} lesson={lesson} state={state} t={t} width={width} />
      )}
    </Box>
  );
}
