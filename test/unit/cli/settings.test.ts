import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helpText, parseArguments, UsageError, type Command } from '../../../src/cli/options.js';
import { readCliSettings } from '../../../src/cli/settings.js';
import { createTestGuard, thrownBy } from '../fakes.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-settings-'));
const tokenFile = join(dir, 'oidc-token');
writeFileSync(tokenFile, 'header.payload.signature');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const AUTH = [
  '--federated-token-file',
  tokenFile,
  '--client-id',
  '11111111-2222-4333-8444-555555555555',
  '--tenant-id',
  '99999999-8888-4777-8666-555555555555',
  '--organization',
  'contoso'
];

function settingsOf(argv: string[]): ReturnType<typeof readCliSettings> {
  const args = parseArguments(argv);
  const { guard } = createTestGuard();
  return readCliSettings({ ...args, command: args.command as Command }, {}, guard, dir);
}

describe('CLI --dry-run', () => {
  test('run --dry-run sets dryRun; without it dryRun is false', () => {
    const ops = ['--operations', '- url: _apis/projects'];
    expect(settingsOf(['run', ...AUTH, ...ops, '--dry-run']).dryRun).toBe(true);
    expect(settingsOf(['run', ...AUTH, ...ops]).dryRun).toBe(false);
  });

  test('applies to run only, and takes no value', () => {
    const other = thrownBy(() => parseArguments(['token', ...AUTH, '--dry-run']));
    expect(other).toBeInstanceOf(UsageError);
    expect(other.message).toBe("Option '--dry-run' applies to run only, not to 'token'.");
    expect(thrownBy(() => parseArguments(['run', ...AUTH, '--dry-run=yes'])).message).toMatch(
      /^Option '--dry-run' does not take an argument.*Run with --help for the options\.$/
    );
  });

  test('--help lists it under the run options', () => {
    expect(helpText('1.0.0')).toMatch(
      /Operations \(run\):[\s\S]*--dry-run {2,}Run only the reading operations/
    );
  });
});
