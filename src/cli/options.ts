import { parseArgs } from 'node:util';
import { InputError } from '../core/errors.js';
import { AZURE_DEVOPS_SCOPE } from '../core/auth/clouds.js';

export const COMMANDS = ['token', 'exec', 'run'] as const;
export type Command = (typeof COMMANDS)[number];

interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown in --help after the name, e.g. PATH. */
  value?: string;
  /** Environment variable read when the option is not given. */
  env?: string;
  /** The commands the option applies to; all when absent. */
  commands?: readonly Command[];
  group: 'Authentication' | 'Azure DevOps' | 'Operations (run)' | 'exec' | 'Output';
  help: string;
}

/** Every option of the CLI: the parser, --help and the table in docs/command-line.md (npm run docs) come from this one list. */
export const CLI_OPTIONS = {
  'federated-token-file': {
    type: 'string',
    value: 'PATH',
    env: 'AZURE_FEDERATED_TOKEN_FILE',
    group: 'Authentication',
    help: 'Workload identity federation with the OIDC token in this file, read before each exchange (Kubernetes workload identity, a CI job that writes its ID token to a file).'
  },
  'federated-token-env': {
    type: 'string',
    value: 'NAME',
    group: 'Authentication',
    help: 'Workload identity federation with the OIDC token in this environment variable (GitLab CI id_tokens, a Jenkins credential).'
  },
  'managed-identity': {
    type: 'boolean',
    group: 'Authentication',
    help: 'The Azure managed identity of this machine (VM, scale set, App Service, Container Apps); --client-id, --managed-identity-object-id or --managed-identity-resource-id selects a user-assigned one.'
  },
  'azure-cli': {
    type: 'boolean',
    group: 'Authentication',
    help: "The Azure CLI's signed-in account (a developer's `az login`); --tenant-id picks the tenant."
  },
  'client-id': {
    type: 'string',
    value: 'GUID',
    env: 'AZURE_CLIENT_ID',
    group: 'Authentication',
    help: 'Application (client) ID of the app registration or user-assigned identity the federated credential belongs to; with --managed-identity, selects a user-assigned identity.'
  },
  'tenant-id': {
    type: 'string',
    value: 'GUID',
    env: 'AZURE_TENANT_ID',
    group: 'Authentication',
    help: 'Directory (tenant) ID (or a verified domain) of the app registration. With --azure-cli: the tenant to get the token from (no environment fallback).'
  },
  'managed-identity-object-id': {
    type: 'string',
    value: 'GUID',
    group: 'Authentication',
    help: 'Selects a user-assigned managed identity by its object (principal) ID.'
  },
  'managed-identity-resource-id': {
    type: 'string',
    value: 'ID',
    group: 'Authentication',
    help: 'Selects a user-assigned managed identity by its Azure resource ID.'
  },
  cloud: {
    type: 'string',
    value: 'NAME',
    group: 'Authentication',
    help: 'AzureCloud (default), AzureUSGovernment or AzureChinaCloud: picks the Entra authority for federated modes.'
  },
  'authority-host': {
    type: 'string',
    value: 'URL',
    env: 'AZURE_AUTHORITY_HOST',
    group: 'Authentication',
    help: 'Entra authority host for federated modes (overrides --cloud).'
  },
  scope: {
    type: 'string',
    value: 'SCOPE',
    group: 'Azure DevOps',
    help: `Scope to request (default ${AZURE_DEVOPS_SCOPE}, Azure DevOps).`
  },
  organization: {
    type: 'string',
    value: 'ORG',
    group: 'Azure DevOps',
    help: 'Organization name or URL (https://dev.azure.com/ORG). Needed for verification, operations and git credentials.'
  },
  verify: {
    type: 'string',
    value: 'MODE',
    group: 'Azure DevOps',
    help: 'auto (default: verify when --organization is set), true or false. Verification calls connectionData and fails early when the identity is not a member of the organization.'
  },
  operations: {
    type: 'string',
    value: 'YAML',
    commands: ['run'],
    group: 'Operations (run)',
    help: 'Azure DevOps REST operations to run (the same YAML format as the action and the task).'
  },
  'operations-file': {
    type: 'string',
    value: 'PATH',
    commands: ['run'],
    group: 'Operations (run)',
    help: 'A file holding the operations, relative to the current directory.'
  },
  'operations-timeout': {
    type: 'string',
    value: 'SECONDS',
    commands: ['run'],
    group: 'Operations (run)',
    help: 'The total time all operations may take, retries and rate-limit pauses included (default 600).'
  },
  'dry-run': {
    type: 'boolean',
    commands: ['run'],
    group: 'Operations (run)',
    help: 'Run only the reading operations (GET, HEAD); print every POST, PUT, PATCH and DELETE as the request it would send (method, URL without its query, content type, body) instead of sending it. The results JSON holds the planned requests.'
  },
  'allowed-hosts': {
    type: 'string',
    value: 'HOSTS',
    commands: ['run'],
    group: 'Operations (run)',
    help: 'Hosts besides Azure DevOps that operations may send the token to (comma or newline separated).'
  },
  'token-variable': {
    type: 'string',
    value: 'NAME',
    commands: ['exec'],
    group: 'exec',
    help: 'The environment variable that carries the token to the command (default AZURE_DEVOPS_TOKEN).'
  },
  'no-git': {
    type: 'boolean',
    commands: ['exec'],
    group: 'exec',
    help: 'Do not configure git for the organization (by default exec does when --organization is set).'
  },
  json: {
    type: 'boolean',
    commands: ['token'],
    group: 'Output',
    help: 'Print JSON (token, expiresOn, tenantId, objectId, clientId, identity) instead of the bare token.'
  },
  quiet: { type: 'boolean', short: 'q', group: 'Output', help: 'Print only errors and warnings on stderr.' },
  debug: { type: 'boolean', group: 'Output', help: 'Print debug lines on stderr (secrets stay masked).' },
  help: { type: 'boolean', short: 'h', group: 'Output', help: 'Show this help.' },
  version: { type: 'boolean', short: 'V', group: 'Output', help: 'Show the version.' }
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof CLI_OPTIONS;

export interface ParsedArguments {
  command: Command | undefined;
  values: Partial<Record<OptionName, string | boolean>>;
  /** The command line after `--` (exec). */
  commandLine: string[];
}

/**
 * `--name value` → `--name=value` for options that take a value, so a value may start with a dash: inline
 * operations are a YAML list (`- url: …`), which node:util's parser would otherwise take for an option.
 */
function joinValues(args: string[]): string[] {
  const result: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const spec = arg.startsWith('--') ? (CLI_OPTIONS as Record<string, OptionSpec>)[arg.slice(2)] : undefined;
    const value = args[i + 1];
    if (spec?.type === 'string' && value !== undefined) {
      result.push(`${arg}=${value}`);
      i++;
    } else result.push(arg);
  }
  return result;
}

/** A mistake on the command line: exit code 2, before anything is sent. */
export class UsageError extends InputError {}

/** Splits and checks the arguments; every mistake is a UsageError that says how to fix it. */
export function parseArguments(argv: readonly string[]): ParsedArguments {
  const separator = argv.indexOf('--');
  const own = separator === -1 ? [...argv] : argv.slice(0, separator);
  const commandLine = separator === -1 ? [] : argv.slice(separator + 1);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: joinValues(own),
      options: Object.fromEntries(
        Object.entries(CLI_OPTIONS).map(([name, spec]) => [
          name,
          { type: spec.type, ...('short' in spec ? { short: spec.short } : {}) }
        ])
      ),
      allowPositionals: true,
      strict: true
    });
  } catch (error) {
    throw new UsageError(
      'arguments',
      `${(error as Error).message.replace(/\.$/, '')}. Run with --help for the options.`
    );
  }
  const values = parsed.values as ParsedArguments['values'];
  if (values.help || values.version) return { command: undefined, values, commandLine };
  const [command, ...extra] = parsed.positionals;
  if (command === undefined)
    throw new UsageError('command', `No command given. Use one of: ${COMMANDS.join(', ')} (see --help).`);
  if (!(COMMANDS as readonly string[]).includes(command))
    throw new UsageError(
      'command',
      `Unknown command '${command}'. Use one of: ${COMMANDS.join(', ')} (see --help).`
    );
  const known = command as Command;
  if (extra.length > 0)
    throw new UsageError(
      'arguments',
      known === 'exec'
        ? `Put the command to run after --: azure-devops-entra-token exec [options] -- ${extra.join(' ')}`
        : `Unexpected argument '${extra[0] ?? ''}' after '${known}'. Run with --help for the options.`
    );
  if (known === 'exec' && commandLine.length === 0)
    throw new UsageError(
      'arguments',
      'exec needs the command to run after --, e.g. azure-devops-entra-token exec --organization contoso -- git push origin v1.2.3'
    );
  if (known !== 'exec' && separator !== -1)
    throw new UsageError('arguments', `'--' and a command line apply to exec only, not to '${known}'.`);
  for (const [name, value] of Object.entries(values)) {
    const spec: OptionSpec = CLI_OPTIONS[name as OptionName];
    if (value !== undefined && spec.commands !== undefined && !spec.commands.includes(known))
      throw new UsageError(
        `--${name}`,
        `Option '--${name}' applies to ${spec.commands.join(', ')} only, not to '${known}'.`
      );
  }
  return { command: known, values, commandLine };
}

const HELP_WIDTH = 100;
const HELP_INDENT = 38;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The --help text, generated from CLI_OPTIONS. */
export function helpText(version: string): string {
  const groups = new Map<string, string[]>();
  for (const [name, spec] of Object.entries(CLI_OPTIONS) as [string, OptionSpec][]) {
    const flag = `${'short' in spec && spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    const env = spec.env ? ` [env ${spec.env}]` : '';
    const lines = groups.get(spec.group) ?? [];
    const text = wrap(`${spec.help}${env}`, HELP_WIDTH - HELP_INDENT);
    const first = flag.length + 2 < HELP_INDENT ? text.shift() : undefined;
    lines.push(first === undefined ? `  ${flag}` : `  ${flag.padEnd(HELP_INDENT - 2)}${first}`);
    for (const line of text) lines.push(`${' '.repeat(HELP_INDENT)}${line}`);
    groups.set(spec.group, lines);
  }
  return [
    `azure-devops-entra-token ${version}: a Microsoft Entra access token for Azure DevOps, without stored secrets.`,
    '',
    'Usage:',
    '  azure-devops-entra-token token [options]            print the token (or JSON with --json) on stdout',
    '  azure-devops-entra-token exec [options] -- CMD ...  run CMD with the token in AZURE_DEVOPS_TOKEN and git',
    '                                                      configured for --organization; nothing is written to disk',
    '  azure-devops-entra-token run [options]              run Azure DevOps REST operations; results JSON on stdout',
    '',
    'Choose one way to authenticate: --federated-token-file (or AZURE_FEDERATED_TOKEN_FILE set),',
    '--federated-token-env, --managed-identity or --azure-cli. Diagnostics go to stderr; secrets never do.',
    ...[...groups].flatMap(([group, lines]) => ['', `${group}:`, ...lines]),
    '',
    'Environment: AZURE_DEVOPS_ENTRA_TOKEN_TIMEOUT (seconds for getting a token, default 50),',
    'HTTPS_PROXY / HTTP_PROXY / NO_PROXY (proxy), NODE_EXTRA_CA_CERTS (extra CA certificates).',
    '',
    'Exit codes: 0 success; 1 the token, verification or an operation failed; 2 bad arguments or',
    'settings (nothing was sent); exec: the exit code of CMD, 126/127 when CMD cannot be run,',
    '128+N when CMD was killed by signal N.',
    '',
    'Examples:',
    '  azure-devops-entra-token token --azure-cli --organization contoso',
    '  azure-devops-entra-token exec --managed-identity --organization contoso -- git push origin main',
    '  azure-devops-entra-token run --federated-token-env GITLAB_OIDC_TOKEN --client-id ID --tenant-id ID \\',
    '      --organization contoso --operations-file release-ops.yml',
    '',
    'Documentation: https://github.com/azure-devops-entra-token/azure-devops-entra-token#command-line'
  ].join('\n');
}
