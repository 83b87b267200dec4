import { acquireAzureDevOpsToken } from '../core/acquire.js';
import type { InputNames } from '../core/auth/entra-errors.js';
import { InputError } from '../core/errors.js';
import { failureMessage } from '../core/errors.js';
import { neutralizeLogLine } from '../core/log-text.js';
import { OperationFormatError } from '../core/operations/model.js';
import { loadOperations } from '../core/operations/lazy.js';
import { PRODUCT_VERSION } from '../core/product.js';
import { loadProxyAgents, proxyPasswords, proxyVariablesSet } from '../core/http/proxy.js';
import { createSecretGuard } from '../core/secrets.js';
import { runConfiguredOperations } from '../core/step.js';
import { execEnvironment, prepareCommand, runCommand } from './exec.js';
import { helpText, parseArguments, type Command } from './options.js';
import { createCliPlatform } from './platform.js';
import { readCliSettings } from './settings.js';

const NAMES: InputNames = {
  clientId: "'--client-id'",
  tenantId: "'--tenant-id'",
  cloud: "'--cloud' (or '--authority-host')",
  scope: "'--scope'",
  managedIdentitySelectors:
    "'--client-id', '--managed-identity-object-id' or '--managed-identity-resource-id'",
  azureCli: "'--azure-cli'",
  otherModes: '--federated-token-file, --federated-token-env or --managed-identity'
};

const SUBJECT_ADVICE =
  "Kubernetes subjects look like system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT (issuer: the cluster's OIDC issuer URL); GitLab subjects look like project_path:GROUP/PROJECT:ref_type:branch:ref:main (issuer https://gitlab.com or your instance).";

export interface CliIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (line: string) => void;
}

/** Exit codes, documented in --help and docs/command-line.md. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The CLI's whole run; returns the exit code. Never throws. */
export async function run(io: CliIo): Promise<number> {
  let quiet = false;
  let debug = false;
  const platform = createCliPlatform(
    {
      write: (line) => io.stderr(line),
      get quiet() {
        return quiet;
      },
      get debug() {
        return debug;
      }
    },
    await loadProxyAgents(proxyVariablesSet(io.env))
  );
  const guard = createSecretGuard(platform);
  for (const password of proxyPasswords(io.env)) guard.maskKnown(password);
  try {
    const args = parseArguments(io.argv);
    quiet = args.values.quiet === true;
    debug = args.values.debug === true;
    if (args.values.help) {
      io.stdout(`${helpText(PRODUCT_VERSION)}\n`);
      return EXIT.ok;
    }
    if (args.values.version) {
      io.stdout(`${PRODUCT_VERSION}\n`);
      return EXIT.ok;
    }
    const command = args.command as Command;
    const settings = await loadOperations(readCliSettings({ ...args, command }, io.env, guard, io.cwd));
    // Before any request: an argument Windows' cmd.exe would change is a usage error.
    const plan = command === 'exec' ? prepareCommand(args.commandLine, io.env) : undefined;
    const { result, session } = await acquireAzureDevOpsToken(settings, {
      platform,
      guard,
      names: NAMES,
      subjectAdvice: SUBJECT_ADVICE,
      env: io.env
    });
    if (command === 'token') {
      io.stdout(args.values.json ? `${JSON.stringify(result, null, 2)}\n` : `${result.token}\n`);
      return EXIT.ok;
    }
    if (command === 'run') {
      const results = await runConfiguredOperations(settings, result, session, guard, io.env);
      io.stdout(`${results ?? '{}'}\n`);
      return EXIT.ok;
    }
    const { env, gitScopes } = execEnvironment(
      result.token,
      settings.tokenVariable,
      settings.organization,
      settings.git,
      io.env
    );
    guard.info(
      `Running ${args.commandLine[0] ?? ''} with the token in ${settings.tokenVariable}${gitScopes.length > 0 ? ` and git credentials for ${gitScopes.map((s) => `${s}/`).join(' and ')}` : ''} (valid until ${result.expiresOn}).`
    );
    // Stryker disable next-line ConditionalExpression: plan is set for exec, the only command left here.
    return await runCommand(plan ?? prepareCommand(args.commandLine, io.env), env, (message) =>
      io.stderr(`error: ${neutralizeLogLine(guard.redact(message))}`)
    );
  } catch (error) {
    const message = failureMessage(error, guard, debug);
    io.stderr(`error: ${message}`);
    // Both are found before anything is sent.
    return error instanceof InputError || error instanceof OperationFormatError ? EXIT.usage : EXIT.failed;
  }
}
