import { describe, expect, test } from '@jest/globals';
import { createStepReport, markdownText, renderStepSummary } from '../../../src/core/summary.js';

const ORG = { name: 'contoso', url: 'https://dev.azure.com/contoso' };
const RESULT = {
  token: 'eyJ0eXAi.secret-token-value.sig',
  expiresOn: '2026-12-04T15:00:00Z',
  tenantId: '11111111-1111-1111-1111-111111111111',
  objectId: '22222222-2222-2222-2222-222222222222',
  clientId: '33333333-3333-3333-3333-333333333333',
  identity: 'release-bot'
};

describe('markdownText', () => {
  test.each([
    ['a | b', 'a \\| b'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['**bold** _it_ [link](x) `code`', '\\*\\*bold\\*\\* \\_it\\_ \\[link\\](x) \\`code\\`'],
    ['line one\r\nline two\u0007', 'line one line two'],
    ['x ##vso[task.setvariable variable=A]b', 'x \\#\\#vso \\[task.setvariable variable=A\\]b'],
    ['::error::owned', ': :error:&#58;owned'],
    ['R&D &amp; more', 'R&amp;D &amp;amp; more']
  ])('%j is one inert cell', (input, expected) => {
    expect(markdownText(input)).toBe(expected);
  });
});

describe('renderStepSummary', () => {
  test('a verified run with credentials and operations', () => {
    const report = createStepReport('workload identity federation (GitHub OIDC token)', ORG, true);
    report.result = RESULT;
    report.verified = true;
    report.published.push('step output `token`');
    report.jobCredentials.push('git over https for https://dev.azure.com/contoso');
    report.operations.push(
      {
        label: "operation 1 ('tag')",
        method: 'POST',
        path: '/contoso/p/_apis/git/repositories/r/annotatedtags',
        status: '201',
        durationMs: 1234,
        retries: 1
      },
      {
        label: 'operation 2',
        method: 'GET',
        path: '/contoso/_apis/projects',
        status: 'failed (404)',
        durationMs: 12_345,
        retries: 0
      }
    );
    expect(renderStepSummary(report)).toBe(
      [
        '### Azure DevOps access token',
        '',
        '✅ Token issued and accepted by Azure DevOps.',
        '',
        '| | |',
        '| --- | --- |',
        '| Signed in with | workload identity federation (GitHub OIDC token) |',
        `| Identity | **release-bot**, object ID \`${RESULT.objectId}\`, application ID \`${RESULT.clientId}\` |`,
        `| Tenant | \`${RESULT.tenantId}\` |`,
        '| Expires | `2026-12-04T15:00:00Z` |',
        '| Organization | contoso (https://dev.azure.com/contoso) |',
        '| Verified | Yes: contoso accepts the token (connectionData) |',
        '| Token for later steps | step output `token` |',
        '| Set up for later steps | git over https for https://dev.azure.com/contoso |',
        '',
        '#### Operations',
        '',
        '| Operation | Method | Path | Status | Duration | Retries |',
        '| --- | --- | --- | --- | --- | ---: |',
        "| operation 1 ('tag') | POST | `/contoso/p/_apis/git/repositories/r/annotatedtags` | 201 | 1.23 s | 1 |",
        '| operation 2 | GET | `/contoso/_apis/projects` | failed (404) | 12.3 s | 0 |',
        ''
      ].join('\n')
    );
  });

  test('server and user text cannot break the table, inject HTML or carry a runner command', () => {
    const report = createStepReport('managed identity', ORG, true);
    report.result = {
      ...RESULT,
      identity: 'bot | <b>x</b>\n::warning::hi ##vso[task.complete result=Failed]'
    };
    report.verified = true;
    report.operations.push({
      label: "operation 1 ('a|b\nc')",
      method: 'GET',
      path: '/contoso/x`|y::z##vso[a]\n',
      status: '200',
      durationMs: 5,
      retries: 0
    });
    const markdown = renderStepSummary(report);
    for (const line of markdown.split('\n')) {
      expect(line).not.toMatch(/^::|##vso\[/i);
      if (line.startsWith('| ')) expect(line.split(/(?<!\\)\|/).length).toBeLessThanOrEqual(8);
    }
    expect(markdown).toContain(
      '**bot \\| &lt;b&gt;x&lt;/b&gt; :&#58;warning:&#58;hi \\#\\#vso \\[task.complete result=Failed\\]**'
    );
    expect(markdown).toContain("| operation 1 ('a\\|b c') | GET | `/contoso/xy: :z##vso [a]` | 200 |");
  });

  test('a failed run says so and claims nothing it did not do', () => {
    const report = createStepReport('service principal with a client secret', ORG, true);
    report.failure = 'Microsoft Entra ID refused the token request: AADSTS7000215: Invalid client secret.';
    expect(renderStepSummary(report)).toBe(
      [
        '### Azure DevOps access token',
        '',
        '❌ **Failed:** Microsoft Entra ID refused the token request: AADSTS7000215: Invalid client secret.',
        '',
        '| | |',
        '| --- | --- |',
        '| Signed in with | service principal with a client secret |',
        '| Organization | contoso (https://dev.azure.com/contoso) |',
        '| Verified | No: no token was issued |',
        ''
      ].join('\n')
    );
  });

  test('before a token or a failure there is no status line and no empty rows or sections', () => {
    const report = createStepReport('managed identity', undefined, false);
    expect(renderStepSummary(report)).toBe(
      [
        '### Azure DevOps access token',
        '',
        '| | |',
        '| --- | --- |',
        '| Signed in with | managed identity |',
        '| Verified | No (verification is off or no organization is set) |',
        ''
      ].join('\n')
    );
  });

  test('a token that verification refused: no name, IDs that are empty or only table syntax show as unknown', () => {
    const report = createStepReport('managed identity', ORG, true);
    report.result = { ...RESULT, identity: '', objectId: '', clientId: '`|`', tenantId: ' ' };
    expect(renderStepSummary(report)).toBe(
      [
        '### Azure DevOps access token',
        '',
        '✅ Token issued.',
        '',
        '| | |',
        '| --- | --- |',
        '| Signed in with | managed identity |',
        '| Identity | object ID unknown, application ID unknown |',
        '| Tenant | unknown |',
        '| Expires | `2026-12-04T15:00:00Z` |',
        '| Organization | contoso (https://dev.azure.com/contoso) |',
        '| Verified | No: verification failed |',
        ''
      ].join('\n')
    );
  });

  test('several outputs and credentials are joined with semicolons', () => {
    const report = createStepReport('managed identity', undefined, false);
    report.published.push('step output `token`', 'environment variable `AZURE_DEVOPS_TOKEN`');
    report.jobCredentials.push('git over https', 'npm feeds');
    const markdown = renderStepSummary(report);
    expect(markdown).toContain(
      '| Token for later steps | step output `token`; environment variable `AZURE_DEVOPS_TOKEN` |\n'
    );
    expect(markdown).toContain('| Set up for later steps | git over https; npm feeds |\n');
  });

  test.each([
    [9_994, '9.99 s'],
    [10_000, '10.0 s'],
    [10_049, '10.0 s']
  ])('an operation of %i ms shows as %s', (durationMs, shown) => {
    const report = createStepReport('managed identity', undefined, false);
    report.operations.push({
      label: 'operation 1',
      method: 'GET',
      path: '/x',
      status: '200',
      durationMs,
      retries: 0
    });
    expect(renderStepSummary(report)).toContain(`| operation 1 | GET | \`/x\` | 200 | ${shown} | 0 |\n`);
  });

  test('verification off', () => {
    const report = createStepReport('managed identity', undefined, true);
    report.result = RESULT;
    expect(renderStepSummary(report)).toContain(
      '| Verified | No (verification is off or no organization is set) |'
    );
  });
});
