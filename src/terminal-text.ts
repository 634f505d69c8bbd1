/**
 * Text as a terminal would leave it for a reader: without colour and cursor sequences, titles
 * or carriage-return redraws. What a check compares and what a report shows a learner.
 */
/** ANSI/VT control sequences and the terminal's carriage returns: what a check should not see. */
// CSI (colours, cursor), OSC (titles, ending in BEL or ST), other ESC pairs.
/* eslint-disable no-control-regex -- control characters are what these remove */
const CONTROL_SEQUENCE =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-_]/g;

export function plainTerminalText(text: string): string {
  return (
    text
      .replace(CONTROL_SEQUENCE, '')
      .replace(/\r+\n/g, '\n')
      // What a line shows after its last carriage return (a redrawn progress line). Per line, not
      // by a regular expression: /[^\n]*\r/ is quadratic on a long line that has no \r.
      .split('\n')
      .map((line) => line.slice(line.lastIndexOf('\r') + 1))
      .join('\n')
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
  );
}
/* eslint-enable no-control-regex */
