// The command-line part of `npm run demo`: the committed dist/cli bundle run as a shell on an Azure VM runs
// it (managed identity, IMDS), printed as a terminal transcript. The CLI prints the token on stdout when asked
// to (`token`); the demo shows it as *** because a demo log is no place for a token.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runProcess } from './hosts.mjs';
import { gitClientEnv } from '../../test/emulator/test-cli.js';

/** @typedef {Awaited<ReturnType<typeof import('../../test/emulator/index.js').startEmulator>>} Emulator */

const CLI = join(ROOT, 'dist/cli/index.js');
const OPERATIONS = `- name: projects
  url: _apis/projects
  select: "value[].name"`;

/** A shell word as the transcript shows it: quoted when it has spaces or shell characters. */
const quote = (/** @type {string} */ word) =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * @param {Emulator} emu
 * @param {boolean} debug
 * @returns {Promise<import('./demo-jobs.mjs').JobLog>}
 */
export async function runCliJob(emu, debug) {
  const home = mkdtempSync(join(tmpdir(), 'demo-cli-'));
  try {
    const repo = await emu.git.createRepository('release-tools');
    const env = { ...gitClientEnv(emu, home), ...emu.env.common, ...emu.env.imds };
    const org = emu.devops.orgUrl;
    const extra = debug ? ['--debug'] : [];
    const commands = [
      ['token', '--managed-identity', '--organization', org, '--json', ...extra],
      [
        'exec',
        '--managed-identity',
        '--organization',
        org,
        '--quiet',
        ...extra,
        '--',
        'git',
        'ls-remote',
        repo.cloneUrl,
        'HEAD'
      ],
      ['run', '--managed-identity', '--organization', org, '--operations', OPERATIONS, ...extra]
    ];
    const lines = [
      'A shell on an Azure VM whose managed identity is a member of the organization (IMDS is the emulator):',
      ''
    ];
    const failed = [];
    for (const args of commands) {
      const result = await runProcess([process.execPath, CLI, ...args], env, home);
      // The CLI prints the token on stdout for `token`, as asked; the demo does not show it.
      const tokens = [...result.stdout.matchAll(/"token": "([^"]+)"/g)].map((m) => m[1] ?? '');
      const stdout = tokens.reduce((text, token) => text.split(token).join('***'), result.stdout);
      lines.push(
        `$ azure-devops-entra-token ${args.map(quote).join(' ').replace(/\n/g, '\n  ')}`,
        ...result.stderr
          .trimEnd()
          .split('\n')
          .filter(Boolean)
          .map((l) => `  ${l}`),
        ...stdout
          .trimEnd()
          .split('\n')
          .filter(Boolean)
          .map((l) => `  ${l}`),
        `  (exit ${result.exitCode})`,
        ''
      );
      if (result.exitCode !== 0) failed.push(`azure-devops-entra-token ${args[0] ?? ''}`);
    }
    return { platform: 'Command line', lines, failed };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
