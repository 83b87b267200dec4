import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** This project's own action: the examples show `@v1` and explain SHA pinning (examples/README.md, Pinning). */
const OWN_ACTION = 'azure-devops-entra-token/azure-devops-entra-token@';

function yamlFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? yamlFiles(join(dir, entry.name))
      : /\.ya?ml$/.test(entry.name)
        ? [join(dir, entry.name)]
        : []
  );
}

/** Every `uses:` of a third-party action that is not `owner/repo[/path]@<40 hex> # vX.Y.Z`. */
function unpinnedUses(file: string, text: string, allowOwnAction: boolean): string[] {
  return text.split('\n').flatMap((line, index) => {
    const match = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
    const uses = match?.[1];
    if (!uses || uses.startsWith('./') || uses.startsWith('docker://')) return [];
    if (allowOwnAction && uses.startsWith(OWN_ACTION)) return [];
    const pinned =
      /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(uses) && /^\s+#\s*v\d+\.\d+\.\d+\s*$/.test(match[2] ?? '');
    return pinned ? [] : [`${file}:${index + 1}: ${line.trim()}`];
  });
}

describe('third-party actions are pinned to a full commit SHA with a version comment', () => {
  test('the check finds tags, short SHAs and missing version comments', () => {
    const text = [
      '      - uses: actions/checkout@v4',
      '      - uses: actions/checkout@11bd719',
      '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683',
      '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
      '        uses: ./',
      `        uses: ${OWN_ACTION}v1`
    ].join('\n');
    expect(unpinnedUses('w.yml', text, true)).toEqual([
      'w.yml:1: - uses: actions/checkout@v4',
      'w.yml:2: - uses: actions/checkout@11bd719',
      'w.yml:3: - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683'
    ]);
    expect(unpinnedUses('w.yml', `  uses: ${OWN_ACTION}v1`, false)).toHaveLength(1);
  });

  // Regression (fixed): ci.yml used actions/checkout@v4, setup-node@v4 and upload-artifact@v4 (movable tags).
  test.each([...yamlFiles('.github/workflows'), ...yamlFiles('.github/actions')])('%s', (file) => {
    expect(unpinnedUses(file, readFileSync(join(ROOT, file), 'utf8'), false)).toEqual([]);
  });

  test('the workflows checked include the live canary and its local action', () => {
    expect(yamlFiles('.github/workflows')).toEqual(
      expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/live.yml'])
    );
    expect(yamlFiles('.github/actions')).toContain('.github/actions/cleanup-watch/action.yml');
  });

  test.each(yamlFiles('examples/github'))('%s (this action may stay on @v1)', (file) => {
    expect(unpinnedUses(file, readFileSync(join(ROOT, file), 'utf8'), true)).toEqual([]);
  });
});
