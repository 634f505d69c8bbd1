import { Box, Text } from 'ink';
import type { UiState } from '../state.js';
import { helpLines } from '../help-line.js';
import { lessonRow } from '../lesson-row.js';
import type { UiStrings } from '../../i18n/messages.js';
import { wrapText } from '../wrap.js';

/** The course: one row per lesson, with its progress; the cursor row is highlighted. */
export function LessonList({ state, t, width }: { state: UiState; t: UiStrings; width: number }) {
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{t.courseTitle}</Text>
      <Text> </Text>
      {state.entries.map((entry, i) => {
        const selected = i === state.cursor;
        const row = lessonRow(
          { ...entry, title: entry.lesson.meta.title, lang: entry.lesson.meta.lang },
          state.lang,
          t,
        );
        return (
          <Box key={`${entry.lesson.meta.lang}/${entry.lesson.meta.id}`}>
            <Box width={3} flexShrink={0}>
              <Text color="cyan">{selected ? '›' : ' '}</Text>
            </Box>
            <Box width={4} flexShrink={0}>
              <Text dimColor>{String(i + 1).padStart(2, ' ')}</Text>
            </Box>
            <Box flexGrow={1} flexShrink={1}>
              <Text bold={selected} wrap="truncate-end">
                {row.title}
              </Text>
            </Box>
            <Box width={6} flexShrink={0} justifyContent="flex-end">
              <Text dimColor>{entry.lesson.meta.duration ?? ''}</Text>
            </Box>
            <Box width={14} flexShrink={0} justifyContent="flex-end">
              {row.imagesMark ? (
                <Text color="yellow">{row.imagesMark}</Text>
              ) : (
                <Text color={entry.completed ? 'green' : undefined} dimColor={!entry.completed}>
                  {row.progress}
                </Text>
              )}
            </Box>
          </Box>
        );
      })}
      <Text> </Text>
      {state.entries.some((e) => (e.imagesMissing?.length ?? 0) > 0) && (
        <Text color="yellow" wrap="wrap">
          {wrapText(`! ${t.imagesMissing}`, width, { indent: '  ' }).join('\n')}
        </Text>
      )}
      <Text dimColor>{helpLines(t.listHelp, width).join('\n')}</Text>
    </Box>
  );
}
