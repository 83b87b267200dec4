import type { Organization } from '../settings.js';
import { isLoopbackHost } from '../validate.js';

/**
 * The URL prefixes under which the organization's repositories live. An organization is reachable both as
 * https://dev.azure.com/ORG and as https://ORG.visualstudio.com; a loopback organization (tests) is itself.
 */
export function organizationUrlScopes(organization: Organization): string[] {
  const url = new URL(organization.url);
  if (isLoopbackHost(url.hostname)) return [organization.url];
  return [`https://dev.azure.com/${organization.name}`, `https://${organization.name}.visualstudio.com`];
}

/**
 * Git configuration passed through the environment (GIT_CONFIG_COUNT / GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n,
 * git ≥ 2.31): for each of the organization's URL prefixes, the helper list is reset and our credential
 * helper added. Nothing is written to a repository's .git/config or the user's ~/.gitconfig, no secret is in
 * the environment (the helper reads the token from a private file or mints one), and git asks the helper
 * only for URLs under those prefixes. Existing GIT_CONFIG_* entries are kept.
 */
export function gitCredentialEnvironment(
  organization: Organization,
  helperCommand: string,
  env: NodeJS.ProcessEnv
): Record<string, string> {
  // Number(undefined) is NaN: no count starts at 0 like a bad one.
  const existing = Number(env.GIT_CONFIG_COUNT);
  // Stryker disable next-line EqualityOperator: a count of 0 starts at 0 either way.
  const start = Number.isInteger(existing) && existing > 0 ? existing : 0;
  const entries: [string, string][] = [];
  for (const scope of organizationUrlScopes(organization)) {
    // An empty value clears helpers configured elsewhere (a system credential manager) for this URL.
    entries.push([`credential.${scope}.helper`, ''], [`credential.${scope}.helper`, helperCommand]);
  }
  const result: Record<string, string> = { GIT_CONFIG_COUNT: String(start + entries.length) };
  entries.forEach(([key, value], i) => {
    result[`GIT_CONFIG_KEY_${start + i}`] = key;
    result[`GIT_CONFIG_VALUE_${start + i}`] = value;
  });
  return result;
}

/**
 * The helper command line as git runs it: through its shell (Git for Windows' bundled MSYS bash too), with the
 * operation appended. Each word is single-quoted, so spaces, `$`, backslashes and quotes (`'` as `'\''`) stay
 * literal. On Windows a drive-letter path is given with forward slashes (`C:/Program Files/nodejs/node.exe`):
 * bash's exec, node and fs all accept it, and unlike a backslash a slash survives any later unquoted or MSYS
 * argument conversion unchanged. UNC paths (`\\server\share`) keep their backslashes, because MSYS reads an
 * argument starting with `//` as an escaped `/`.
 */
export function helperCommand(
  nodePath: string,
  helperScript: string,
  statePath: string,
  platform: NodeJS.Platform = process.platform
): string {
  const forShell = (value: string): string =>
    platform === 'win32' && /^[A-Za-z]:\\/.test(value) ? value.replace(/\\/g, '/') : value;
  const quote = (value: string): string => `'${forShell(value).replace(/'/g, `'\\''`)}'`;
  return `!${quote(nodePath)} ${quote(helperScript)} ${quote(statePath)}`;
}
