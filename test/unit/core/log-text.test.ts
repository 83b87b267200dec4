import { describe, expect, test } from '@jest/globals';
import { neutralizeLogLine, neutralizeLogText } from '../../../src/core/log-text.js';
import { createTestGuard } from '../fakes.js';
import { failureMessage } from '../../../src/core/errors.js';

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
    ['plain text: a::b', 'plain text: a::b'],
    ['crlf\r\nend', 'crlf\\r\\nend'],
    ['esc\u001b[31m unit\u001f del\u007f end', 'esc\\u001b[31m unit\\u001f del\\u007f end'],
    ['ls\u2028ps\u2029end', 'ls\\u2028ps\\u2029end'],
    ['space ~ and \u00e9 kept', 'space ~ and \u00e9 kept'],
    ['\t::error::tab-indented', '\t: :error::tab-indented'],
    ['\u00a0::error::nbsp-indented', '\u00a0: :error::nbsp-indented'],
    [':single at the start', ':single at the start'],
    ['x ::not at the start', 'x ::not at the start'],
    ['##vso[ at the start', '##vso [ at the start'],
    ['##vsofoo[ and ## [ and #vso[', '##vsofoo[ and ## [ and #vso['],
    ['two ##vso[a] ##[b]', 'two ##vso [a] ## [b]'],
    ['', '']
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

  test('keeps tabs, escapes other control characters, and neutralises a marker or :: on every line', () => {
    expect(neutralizeLogText('\tindented\n\t::warning::x\rbell\u0007\u2028\n##[group]g\n\na ::b')).toBe(
      '\tindented\n\t: :warning::x\nbell\\u0007\\u2028\n## [group]g\n\na ::b'
    );
  });

  test('text without a line break is one line', () => {
    expect(neutralizeLogText('one line')).toBe('one line');
    expect(neutralizeLogText('')).toBe('');
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
