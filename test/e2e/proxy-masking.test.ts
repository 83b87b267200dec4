// Proxy passwords are secrets whatever their length and however the proxy URL is written (issue 11, item 10a).
import { describe, expect, test } from '@jest/globals';
import { azureOptions, githubEnv, githubInputs, useEmulator } from './fixture.js';
import { runAzureTask, runGitHubAction } from './runner.js';

const emu = useEmulator();
/** Shorter than the six characters below which arbitrary values are not masked. */
const PASSWORD = 'q7Zx';

describe('proxy passwords are masked before any request', () => {
  // Regression (fixed): a scheme-less proxy URL gave no password, and a password under six characters was
  // never registered, so a proxy or network error quoting the proxy URL showed it.
  test('GitHub: a scheme-less HTTPS_PROXY with a short password', async () => {
    const proxy = `build:${PASSWORD}@${new URL(emu.proxyUrl).host}`;
    const run = await runGitHubAction(
      { inputs: githubInputs(emu, { verify: 'false' }) },
      { ...githubEnv(emu), HTTPS_PROXY: proxy, NO_PROXY: '' }
    );
    expect(run.masks).toContain(PASSWORD);
    const firstRequest = run.stdout.indexOf('Authenticating with');
    expect(run.stdout.indexOf(`::add-mask::${PASSWORD}`)).toBeLessThan(firstRequest);
    expect(run.shownLog).not.toContain(PASSWORD);
  });

  test('Azure Pipelines: the agent proxy password (Agent.ProxyPassword), however short', async () => {
    const run = await runAzureTask(
      azureOptions(emu, {
        variables: {
          'Agent.ProxyUrl': emu.proxyUrl,
          'Agent.ProxyUsername': 'build',
          'Agent.ProxyPassword': PASSWORD
        }
      })
    );
    expect(run.secrets).toContain(PASSWORD);
    expect(run.shownLog).not.toContain(PASSWORD);
  });
});
