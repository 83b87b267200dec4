import { describe, expect, test } from '@jest/globals';
import { neutralizeLogLine, neutralizeLogText } from '../../../src/core/log-text.js';
import { createTestGuard } from '../fakes.js';
import { failureMessage } from '../../../src/core/failure.js';

/** What the agent and the runner would act on in one printed line. */
function isCommand(line: string): boolean {
  return /##vso\[|##\[/i.test(line) || /^\s*::/.test(line);
}

describe('neutralizeLogLine', () => {
  test.each([
    [
      "accepts the token as 'bot ##vso[task.setvariable variable=NODE_OPTIONS]--require=/tmp/x'",
      "accepts the token as 'bot ##vso [task.setvariable variable=NODE_OPTIONS]--require=/tmp/x'"
    ],
    ['Retry-After ##VSO[task.prependpath]/tmp', 'Retry-After ##VSO [task.prependpath]/tmp'],
    ['name\n::add-mask::x', 'name\\n::add-mask::x'],
    ['a\r::error::b', 'a\\r::error::b'],
    ['::warning::at the start', ': :warning::at the start'],
    ['  ::group::indented', '  : :group::indented'],
    ['v1 ##[add-mask]x', 'v1 ## [add-mask]x'],
    ['bell\u0007 and nul\u0000', 'bell\\u0007 and nul\\u0000'],
    ['tab\tkept', 'tab\tkept'],
    ['plain text: a::b', 'plain text: a::b']
  ])('%j', (input, expected) => {
    const out = neutralizeLogLine(input);
    expect(out).toBe(expected);
    expect(out).not.toMatch(/[\r\n]/);
    expect(isCommand(out)).toBe(false);
  });
});

describe('neutralizeLogText', () => {
  test('keeps line breaks, but no line can be a command', () => {
    const out = neutralizeLogText(
      'Error: x\r\n::set-env name=A::b\r##vso[task.complete result=Succeeded]\n    at f (a.js:1:1)'
    );
    expect(out.split('\n')).toEqual([
      'Error: x',
      ': :set-env name=A::b',
      '##vso [task.complete result=Succeeded]',
      '    at f (a.js:1:1)'
    ]);
    for (const line of out.split('\n')) expect(isCommand(line)).toBe(false);
  });
});

describe('the guard and the failure line neutralise every line they print', () => {
  test('info, warning, debug and the failure message', () => {
    const { platform, guard } = createTestGuard();
    guard.mask('s3cr3t-value');
    guard.info("Verified: accepts the token as 'x\n::add-mask::y ##vso[task.setvariable variable=A]b'");
    guard.warning('Retry-After ##vso[task.setvariable variable=PATH]/evil');
    guard.debug('Response body: {"m":"\\r\\n::error::z"}\n::debug::s3cr3t-value');
    const failure = failureMessage(
      new Error('Entra said: ##vso[task.complete result=Succeeded]\n::notice::ok s3cr3t-value'),
      guard,
      true
    );
    const printed = [...platform.lines(), ...failure.split('\n')];
    for (const text of printed) for (const line of text.split('\n')) expect(isCommand(line)).toBe(false);
    expect(platform.lines('info')[0]).toBe(
      "Verified: accepts the token as 'x\\n::add-mask::y ##vso [task.setvariable variable=A]b'"
    );
    expect(failure).toBe('Entra said: ##vso [task.complete result=Succeeded]\n: :notice::ok ***');
    expect(printed.join('\n')).not.toContain('s3cr3t-value');
  });
});
