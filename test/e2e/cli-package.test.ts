import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../contract/manifests.js';
import { portableCommand } from '../emulator/test-cli.js';

const npm = (args: string[], cwd: string): string =>
  execFileSync(...portableCommand('npm', args), {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false'
    },
    stdio: ['ignore', 'pipe', 'pipe']
  });

describe('the npm package behind `npx azure-devops-entra-token`', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-package-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('holds the CLI bundle and the docs only, and installs with no dependencies to download', () => {
    const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], ROOT)) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = (packed?.files ?? []).map((f) => f.path).sort();
    expect(files).toContain('dist/cli/index.js');
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    expect(files).toContain('LICENSE');
    const unexpected = files.filter(
      (f) =>
        !f.startsWith('dist/cli/') && !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(f)
    );
    expect(unexpected).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    // Everything is bundled: npx downloads one package and nothing else.
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.bin).toEqual({ 'azure-devops-entra-token': 'dist/cli/index.js' });

    // Installed from the tarball without the network, the bin runs as a user's shell runs it.
    const prefix = join(dir, 'install');
    npm(['install', '--offline', '--no-save', '--prefix', prefix, join(dir, packed?.filename ?? '')], dir);
    const bin = join(prefix, 'node_modules/.bin/azure-devops-entra-token');
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' })).toBe(`${String(pkg.version)}\n`);
    expect(execFileSync(bin, ['--help'], { encoding: 'utf8' })).toContain(
      'azure-devops-entra-token exec [options] -- CMD'
    );
  });
});
