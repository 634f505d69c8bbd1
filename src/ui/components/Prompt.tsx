import { Box, Text } from 'ink';
import type { PromptView } from '../state.js';

/** A yes/no question with the list it is about (what cleanup removes, a command to confirm). */
export function Prompt({ prompt, width }: { prompt: PromptView; width: number }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} width={width}>
      <Text bold>{prompt.title}</Text>
      {prompt.items.map((item, i) => (
        <Text key={i} wrap="wrap">
          {'  '}
          {item}
        </Text>
      ))}
      <Text color="yellow">{prompt.question}</Text>
    </Box>
  );
}
