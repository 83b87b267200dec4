import type { TokenResult } from './acquire.js';
import { neutralizeServerText } from './errors.js';
import type { Organization } from './settings.js';

/** One operation as the step summary shows it: what was called, how it ended, what it cost. */
export interface OperationRecord {
  /** "operation 2 ('repos')": the label the log uses. */
  label: string;
  method: string;
  /** The path that was called, without the query string (the URL template's path for a for-each over different paths). */
  path: string;
  /** "200", "200 ×3, 404 ×1", or "failed" / "failed (404)". */
  status: string;
  durationMs: number;
  retries: number;
}

/** What one run did, for the step summary. Filled in as the run goes, so a failed run still reports its part. */
export interface StepReport {
  /** How it authenticated (describeMethod). */
  method: string;
  organization: Organization | undefined;
  /** Set once a token was issued. */
  result: TokenResult | undefined;
  /** True once Azure DevOps accepted the token (connectionData). */
  verified: boolean;
  /** Whether verification was asked for (verify and an organization). */
  verifyRequested: boolean;
  /** Where later steps find the token, e.g. "step output `token`". Our own words, never a value. */
  published: string[];
  /** What git and the package clients of later steps were set up for. */
  jobCredentials: string[];
  operations: OperationRecord[];
  /** The failure line, already scrubbed of secrets. */
  failure: string | undefined;
}

export function createStepReport(
  method: string,
  organization: Organization | undefined,
  verify: boolean
): StepReport {
  return {
    method,
    organization,
    result: undefined,
    verified: false,
    verifyRequested: verify && organization !== undefined,
    published: [],
    jobCredentials: [],
    operations: [],
    failure: undefined
  };
}

/**
 * Text we did not write (display names, operation names, paths, messages quoting server answers) as one
 * inert Markdown table cell: no line breaks, no HTML, no table or emphasis syntax, and no runner or agent
 * command (`::`, `##vso[`) even if the file is ever echoed to a log.
 */
export function markdownText(value: string): string {
  return neutralizeServerText(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~])/g, '\\$1')
    .replace(/::/g, ':&#58;');
}

/** A value as inline code: literal text, so only what would end the span or the cell must go. */
function code(value: string): string {
  const inert = neutralizeServerText(value).replace(/[`|]/g, '').replace(/::/g, ': :');
  return inert === '' ? 'unknown' : `\`${inert}\``;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** The step summary as Markdown: the same text on GitHub (GITHUB_STEP_SUMMARY) and Azure Pipelines (task.uploadsummary). */
export function renderStepSummary(report: StepReport): string {
  const lines: string[] = ['### Azure DevOps access token', ''];
  const result = report.result;
  if (report.failure !== undefined) lines.push(`❌ **Failed:** ${markdownText(report.failure)}`, '');
  else if (result)
    lines.push('✅ Token issued' + (report.verified ? ' and accepted by Azure DevOps.' : '.'), '');

  const rows: [string, string][] = [['Signed in with', markdownText(report.method)]];
  if (result) {
    const name = result.identity ? `**${markdownText(result.identity)}**, ` : '';
    rows.push(
      ['Identity', `${name}object ID ${code(result.objectId)}, application ID ${code(result.clientId)}`],
      ['Tenant', code(result.tenantId)],
      ['Expires', code(result.expiresOn)]
    );
  }
  if (report.organization)
    rows.push([
      'Organization',
      `${markdownText(report.organization.name)} (${markdownText(report.organization.url)})`
    ]);
  rows.push(['Verified', verifiedText(report)]);
  if (report.published.length > 0) rows.push(['Token for later steps', report.published.join('; ')]);
  if (report.jobCredentials.length > 0)
    rows.push(['Set up for later steps', report.jobCredentials.map(markdownText).join('; ')]);
  lines.push('| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`));

  if (report.operations.length > 0) {
    lines.push(
      '',
      '#### Operations',
      '',
      ...(report.operations.some((op) => op.status.startsWith('planned'))
        ? ['Dry run: writes (POST, PUT, PATCH, DELETE) were shown in the log and in `results`, not sent.', '']
        : []),
      '| Operation | Method | Path | Status | Duration | Retries |',
      '| --- | --- | --- | --- | --- | ---: |',
      ...report.operations.map(
        (op) =>
          `| ${markdownText(op.label)} | ${op.method} | ${code(op.path)} | ${markdownText(op.status)} | ${seconds(op.durationMs)} | ${op.retries} |`
      )
    );
  }
  lines.push('');
  return lines.join('\n');
}

function verifiedText(report: StepReport): string {
  if (report.verified && report.organization)
    return `Yes: ${markdownText(report.organization.name)} accepts the token (connectionData)`;
  if (!report.verifyRequested) return 'No (verification is off or no organization is set)';
  return report.result ? 'No: verification failed' : 'No: no token was issued';
}
