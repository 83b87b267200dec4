/**
 * What the runner and the agent would act on in plain output. The Azure Pipelines agent runs `##vso[…]` found
 * anywhere in a line of stdout or stderr and formats `##[…]` lines; the GitHub runner runs `::command::` at the
 * start of a line (after leading white space) and v1 `##[command]` anywhere. Either splits lines on CR as well
 * as LF. A value we did not write (server data, headers, inputs, file contents) must never start a line or
 * carry one of these markers, so every log line, failure message and CLI diagnostic passes through here.
 */
const MARKER = /##(vso)?\[/gi;

function escapeControl(char: string): string {
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function neutralizeLine(line: string, keepTabs: boolean): string {
  const printable = [...line]
    .map((c) =>
      (c < ' ' && !(keepTabs && c === '\t')) || c === '\u007f' || c === '\u2028' || c === '\u2029'
        ? escapeControl(c)
        : c
    )
    .join('');
  return printable.replace(MARKER, (marker) => `${marker.slice(0, -1)} [`).replace(/^(\s*):(?=:)/, '$1: ');
}

/** One log line: line breaks and other control characters shown escaped (`\n`), no command marker. */
export function neutralizeLogLine(text: string): string {
  return neutralizeLine(text, true);
}

/**
 * Text that may span lines (debug output, a stack trace, a failure with a YAML code frame): it keeps its
 * line breaks, but no line can start a command and no marker survives.
 */
export function neutralizeLogText(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => neutralizeLine(line, true))
    .join('\n');
}
