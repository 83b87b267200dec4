// GitHub's own local debugger (@github/local-action) runs the action's TypeScript entry with its stand-in for
// @actions/core: inputs and their action.yml defaults, outputs, masks and the step summary all go through the
// toolkit's API, so this proves the adapter speaks the runner protocol only through @actions/core, and that
// `npx @github/local-action run . src/github/main.ts .env` works for a newcomer against the emulator.
import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useEmulator } from '../e2e/fixture.js';
import { ROOT } from '../../scripts/lib/hosts.mjs';

const emu = useEmulator();

interface DebuggerRun {
  exitCode: number | null;
  /** stdout and stderr, colours stripped. */
  output: string;
  summary: string;
}

/** `local-action run <repo> src/github/main.ts <dotenv>` with the dotenv file holding `variables`. */
async function runLocalAction(
  variables: Record<string, string>,
  env: Record<string, string>
): Promise<DebuggerRun> {
  const dir = mkdtempSync(join(tmpdir(), 'local-action-'));
  try {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    const dotenv = join(dir, '.env');
    writeFileSync(
      dotenv,
      Object.entries({ ...variables, GITHUB_STEP_SUMMARY: summary })
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join('\n')
    );
    const bin = join(ROOT, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js');
    const result = await new Promise<{ exitCode: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'run', ROOT, 'src/github/main.ts', dotenv], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? dir,
          npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? dir, '.npm'),
          FORCE_COLOR: '0',
          NO_COLOR: '1',
          ...env
        },
        stdio: ['ignore', 'pipe', 'pipe']
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ exitCode, output }));
    });
    return {
      exitCode: result.exitCode,
      // eslint-disable-next-line no-control-regex
      output: result.output.replace(/\u001b\[[0-9;]*m/g, ''),
      summary: readFileSync(summary, 'utf8')
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('GitHub Action under @github/local-action', () => {
  test('runs with only the required inputs: defaults from action.yml, outputs in the table, token masked', async () => {
    // Only what a newcomer must give; auth-type, cloud, scope, verify, git-credentials, summary… come from
    // action.yml through the debugger's getInput. authority-host points at the emulator instead of Entra.
    const run = await runLocalAction(
      {
        'INPUT_CLIENT-ID': emu.app.clientId,
        'INPUT_TENANT-ID': emu.tenantId,
        'INPUT_AUTHORITY-HOST': emu.httpsUrl,
        INPUT_ORGANIZATION: emu.devops.orgUrl,
        ACTIONS_ID_TOKEN_REQUEST_URL: emu.env.github.ACTIONS_ID_TOKEN_REQUEST_URL ?? '',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: emu.env.github.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? ''
      },
      // Read by Node at start-up, so it cannot come from the dotenv file.
      { ...emu.env.common }
    );
    const log = run.output;
    expect(log).not.toMatch(/Input '[^']+' is empty/);
    expect(log).not.toMatch(/::error::/);
    expect(run.exitCode).toBe(0);

    // The wire: one OIDC request, one token POST, one verification, as on the runner.
    expect(emu.requestsFor('github-oidc')).toHaveLength(1);
    expect(emu.requestsFor('entra-token')).toHaveLength(1);
    expect(emu.requestsFor('devops')).toHaveLength(1);

    // The debugger's output table (`Output | Value`) lists the outputs read from the token and the organization.
    const table = log.slice(log.indexOf('Action Outputs'));
    const row = (name: string, value: string): RegExp =>
      new RegExp(`│ '${name}'\\s*│ '${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'\\s*│`);
    expect(table).toMatch(row('tenant-id', emu.tenantId));
    expect(table).toMatch(row('object-id', emu.app.objectId));
    expect(table).toMatch(row('client-id', emu.app.clientId));
    expect(table).toMatch(row('identity', 'release-bot'));
    expect(table).toMatch(/│ 'expires-on'\s*│ '\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ'\s*│/);
    // The token was registered as a secret before it became an output, so the debugger, like the runner for a
    // job output, keeps it out of the table; it never appears in clear anywhere.
    expect(log).toContain('Skip output token since it may contain secret.');
    expect(table).not.toContain("'token'");
    const token = (emu.requestsFor('devops')[0]?.headers.authorization ?? '').replace(/^Bearer /, '');
    expect(token.length).toBeGreaterThan(100);
    expect(emu.secrets()).toContain(token);
    for (const secret of emu.secrets()) expect(log).not.toContain(secret);

    // The step summary went through core.summary.
    expect(run.summary).toContain('### Azure DevOps access token');
    expect(run.summary).toContain(emu.tenantId);
    for (const secret of emu.secrets()) expect(run.summary).not.toContain(secret);
  }, 120_000);
});
