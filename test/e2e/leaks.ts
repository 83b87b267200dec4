import type { AzureRun, GitHubRun } from './runner.js';

const isGitHub = (run: GitHubRun | AzureRun): run is GitHubRun => 'masks' in run;

/** Workflow command lines whose whole purpose is to carry a secret to the runner/agent. */
function isSecretCarrier(line: string): boolean {
  return (
    line.startsWith('::add-mask::') ||
    line.startsWith('##vso[task.setsecret]') ||
    /^##vso\[task\.setvariable [^\]]*issecret=true;?\]/.test(line)
  );
}

/**
 * Every secret the emulator knows must be absent from the process's output, except on the command
 * lines that register a mask or set a secret variable. Returns a description of each leak.
 */
export function findLeaks(
  run: GitHubRun | AzureRun,
  secrets: string[],
  allowedInFiles: string[] = []
): string[] {
  const leaks: string[] = [];
  const lines = `${run.stdout}\n${run.stderr}`.split('\n');
  for (const [index, line] of lines.entries()) {
    if (isSecretCarrier(line)) continue;
    for (const secret of secrets) {
      if (secret.length >= 6 && line.includes(secret))
        leaks.push(
          `line ${index + 1} contains a secret (${secret.slice(0, 4)}…): ${line.split(secret).join('<SECRET>').slice(0, 200)}`
        );
    }
  }
  if (isGitHub(run)) {
    for (const [name, content] of Object.entries(run.files)) {
      // A file may hold what it was asked to hold (the token in GITHUB_OUTPUT); nothing else.
      const text = allowedInFiles
        .filter((a) => a !== '')
        .reduce((t, allowed) => t.split(allowed).join(''), content);
      for (const secret of secrets) {
        if (text.includes(secret)) leaks.push(`file ${name} contains a secret (${secret.slice(0, 4)}…)`);
      }
    }
  } else {
    // An uploaded summary is published on the run's page: it holds no secret at all.
    for (const [index, summary] of run.summaries.entries())
      for (const secret of secrets)
        if (summary.includes(secret))
          leaks.push(`summary ${index + 1} contains a secret (${secret.slice(0, 4)}…)`);
  }
  return leaks;
}

/** The secrets a run handled must each have been registered for masking. */
export function unmasked(run: GitHubRun | AzureRun, handled: string[]): string[] {
  const registered = isGitHub(run)
    ? run.masks
    : [...run.secrets, ...run.variables.filter((v) => v.isSecret).map((v) => v.value)];
  return handled.filter((secret) => !registered.some((mask) => mask.includes(secret)));
}
