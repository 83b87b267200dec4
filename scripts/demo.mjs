// npm run demo: runs the committed bundles (dist/github with its post entry, dist/azure) against the local
// emulator exactly as the GitHub runner and the Azure Pipelines agent run them, and prints their job logs.
// No Azure account and no network: the emulator listens on loopback only. Before printing, it checks that
// no secret the emulator issued appears in what it would print, as the end-to-end tests do.
import { parseArgs } from 'node:util';
import { startEmulator } from '../test/emulator/index.js';
import { runCliJob } from './lib/demo-cli.mjs';
import { runAzureJob, runGitHubJob } from './lib/demo-jobs.mjs';
import { findLeaks } from './lib/self-check.mjs';
import { describeRequests } from './lib/wire-summary.mjs';

const USAGE = `Usage: npm run demo [-- [--platform github|azure|cli] [--debug]]
       node scripts/demo.mjs [--platform github|azure|cli] [--debug] [--help]

Starts a local emulator of Microsoft Entra ID, the GitHub and Azure Pipelines OIDC issuers and the Azure
DevOps REST API on 127.0.0.1, runs the committed bundles in dist/ as the GitHub runner and the Azure
Pipelines agent run them (a federated token exchange, verification, REST operations, git credentials),
and prints the job logs: commands hidden, secrets as ***. Then it runs the command line (dist/cli) as a
shell on an Azure VM would, with the VM's managed identity. No Azure account, no network.

Options:
  --platform github|azure|cli  run one platform only (default: all three)
  --debug                   show debug lines too (RUNNER_DEBUG=1 / System.Debug=true)
  --help                    show this help`;

const JOBS = { github: runGitHubJob, azure: runAzureJob, cli: runCliJob };

/** @returns {{ platforms: (keyof typeof JOBS)[], debug: boolean } | undefined} undefined after --help */
function parseOptions() {
  const { values } = parseArgs({
    options: {
      platform: { type: 'string' },
      debug: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false }
    }
  });
  if (values.help) return undefined;
  const platform = values.platform;
  if (platform !== undefined && !(platform in JOBS))
    throw new Error(
      `--platform '${platform}' is not a platform: use github, azure or cli, or leave it out to run all three.`
    );
  const platforms = /** @type {(keyof typeof JOBS)[]} */ (platform ? [platform] : Object.keys(JOBS));
  return { platforms, debug: values.debug === true };
}

/** @param {string} title */
const heading = (title) => ['', title, '─'.repeat(title.length)];

/**
 * @param {{ platforms: (keyof typeof JOBS)[], debug: boolean }} options
 * @returns {Promise<number>} the exit code
 */
async function runDemo(options) {
  const started = Date.now();
  const emu = await startEmulator();
  try {
    const out = [
      `Local demo. An emulator of Entra ID, the GitHub and Azure Pipelines OIDC issuers and Azure DevOps runs at`,
      `${emu.httpsUrl} (loopback only), standing in for login.microsoftonline.com and dev.azure.com.`,
      `Organization '${emu.devops.organization}'; app registration '${emu.app.displayName}' (client ID ${emu.app.clientId}),`,
      `with federated credentials for '${emu.github.subject}' and 'sc://contoso/release-project/release-wif'.`
    ];
    const failed = [];
    for (const platform of options.platforms) {
      const first = emu.requests.length;
      const job = await JOBS[platform](emu, options.debug);
      out.push(
        ...heading(job.platform === 'Command line' ? 'Command line — terminal' : `${job.platform} — job log`),
        ...job.lines
      );
      out.push(
        '',
        `What the emulator received from the ${job.platform === 'Command line' ? 'command line' : `${job.platform} job`}:`
      );
      out.push(...describeRequests(emu.requests.slice(first), emu.httpsUrl).map((l) => `  ${l}`));
      failed.push(...job.failed.map((step) => `${job.platform}: ${step}`));
    }
    const secrets = emu.secrets();
    const text = out.join('\n');
    const leaks = findLeaks(text, secrets);
    if (leaks.length > 0) {
      console.error(
        'demo: SELF-CHECK FAILED. The log would show a secret the emulator issued, so it is not printed:\n' +
          leaks.map((l) => `  ${l}`).join('\n') +
          '\nThis is a masking bug in the bundles or in the log rendering (scripts/lib/job-log.mjs).'
      );
      return 3;
    }
    console.log(text);
    const elapsed = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `\nDone in ${elapsed} s. Self-check passed: none of the ${secrets.length} secrets the emulator issued or holds appears above.`
    );
    if (failed.length === 0) return 0;
    console.error(`demo: these steps failed (their logs are above): ${failed.join('; ')}.`);
    return 1;
  } finally {
    await emu.close();
  }
}

/** @type {{ platforms: (keyof typeof JOBS)[], debug: boolean } | undefined} */
let options;
try {
  options = parseOptions();
} catch (error) {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exitCode = 2;
}
if (options === undefined && process.exitCode === undefined) console.log(USAGE);
if (options !== undefined) {
  try {
    process.exitCode = await runDemo(options);
  } catch (error) {
    console.error(`demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  }
}
