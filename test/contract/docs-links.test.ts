import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { linkedDocs } from './doc-files.js';
import { ROOT } from './manifests.js';

/** Markdown text without fenced code blocks and code spans, where a `[x](y)` is not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchor: lower case, punctuation other than - and _ dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown file; a repeated heading gets -1, -2, ... as on GitHub. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, text = ''] of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** Relative link targets of a Markdown file: `[text](target)`, leaving out URLs with a scheme (https:, mailto:). */
function relativeLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)(?: "[^"]*")?\)/g)]
    .map((m) => m[1] ?? '')
    .filter((target) => !/^[a-z][a-z+.-]*:/i.test(target));
}

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const links = linkedDocs().flatMap((file) =>
  relativeLinks(read(file)).map((target) => [file, target] as const)
);

describe('relative links in the documentation', () => {
  test('the docs have links to check', () => {
    expect(linkedDocs()).toEqual(expect.arrayContaining(['README.md', 'docs/operations.md', 'SECURITY.md']));
    expect(links.length).toBeGreaterThan(50);
  });

  test.each(links)('%s → %s resolves', (file, target) => {
    const [path = '', fragment] = target.split('#');
    const resolved = path === '' ? file : normalize(join(dirname(file), decodeURIComponent(path)));
    expect([target, existsSync(join(ROOT, resolved))]).toEqual([target, true]);
    if (fragment !== undefined) {
      expect([target, statSync(join(ROOT, resolved)).isFile() && resolved.endsWith('.md')]).toEqual([
        target,
        true
      ]);
      expect([...anchors(read(resolved))]).toContain(fragment);
    }
  });
});

describe('slug', () => {
  test.each([
    ['Quick start: Entra and Azure DevOps setup', 'quick-start-entra-and-azure-devops-setup'],
    [
      "e. The command line: GitLab CI, Kubernetes, a developer's shell",
      'e-the-command-line-gitlab-ci-kubernetes-a-developers-shell'
    ],
    ['`git-credentials` and `feeds`', 'git-credentials-and-feeds'],
    ['0001. One POST for the federated exchange', '0001-one-post-for-the-federated-exchange']
  ])('%s → %s', (heading, anchor) => {
    expect(slug(heading)).toBe(anchor);
  });

  test('a repeated heading gets a numbered anchor, as on GitHub', () => {
    expect([...anchors('# Notes\n## Notes\n```\n# not a heading\n```\n')]).toEqual(['notes', 'notes-1']);
  });
});
