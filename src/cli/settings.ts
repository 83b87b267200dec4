import { AZURE_DEVOPS_SCOPE, CLOUDS } from '../core/auth/clouds.js';
import { InputError, invalidInput } from '../core/errors.js';
import { parseAllowedHosts } from '../core/devops/host-policy.js';
import { readTokenFile } from '../core/auth/oidc.js';
import { requestedOperations, type SettingsRead } from '../core/operations/lazy.js';
import type { SecretGuard } from '../core/secrets.js';
import type { CredentialSettings, Settings } from '../core/settings.js';
import {
  parseAuthorityHost,
  parseCloud,
  parseAppClientId,
  requireAppInputs,
  parseManagedIdentitySelector,
  parseOperationsTimeout,
  parseOrganization,
  parseScope,
  parseTenant,
  parseTimeout,
  parseVariableName,
  parseVerify,
  type RawInput
} from '../core/validate.js';
import { UsageError, type Command, type OptionName, type ParsedArguments } from './options.js';

export interface CliSettings extends Settings {
  command: Command;
  /** exec: the variable that carries the token to the command. */
  tokenVariable: string;
  /** exec: configure git for the organization. */
  git: boolean;
}

const DEFAULT_TOKEN_VARIABLE = 'AZURE_DEVOPS_TOKEN';
/** The CLI has no manifest: its defaults live here and in --help. */
const DEFAULT_OPERATIONS_TIMEOUT = '600';
const MODES = ['federated-token-file', 'federated-token-env', 'managed-identity', 'azure-cli'] as const;

/**
 * Reads and validates the command line and environment once, before anything touches the network. The
 * operations stay as their inputs (undefined when there are none): loadOperations parses them with the engine
 * it loads only then.
 */
export function readCliSettings(
  args: ParsedArguments & { command: Command },
  env: NodeJS.ProcessEnv,
  guard: SecretGuard,
  cwd: string
): SettingsRead<CliSettings> {
  const { values } = args;
  const option = (name: OptionName, fallbackEnv?: string): RawInput => {
    const value = values[name];
    if (typeof value === 'string') return { name: `--${name}`, word: 'option', value: value.trim() };
    const fromEnv = fallbackEnv === undefined ? undefined : env[fallbackEnv]?.trim();
    if (fromEnv) return { name: `--${name} (from ${fallbackEnv})`, word: 'option', value: fromEnv };
    return { name: `--${name}`, word: 'option', value: '' };
  };
  const given = (name: OptionName): boolean => values[name] !== undefined;

  const organization = parseOrganization(option('organization'));
  const verify = parseVerify(orDefault(option('verify'), 'auto'), organization !== undefined);
  const scope = parseScope(orDefault(option('scope'), AZURE_DEVOPS_SCOPE));
  const allowedHosts = parseAllowedHosts(option('allowed-hosts'));
  const operations = requestedOperations({
    inline: option('operations'),
    file: option('operations-file'),
    baseDir: cwd,
    organization,
    allowedHosts
  });
  if (args.command === 'run' && operations === undefined)
    throw new UsageError(
      '--operations-file',
      'The run command needs operations: give --operations-file PATH or --operations YAML (see docs/operations.md for the format).'
    );
  const timeoutInput = option('operations-timeout');
  const operationsTimeout = {
    seconds: parseOperationsTimeout({
      ...timeoutInput,
      value: given('operations-timeout') ? timeoutInput.value : DEFAULT_OPERATIONS_TIMEOUT
    }),
    input: '--operations-timeout'
  };
  const tokenInput = option('token-variable');
  const tokenVariable = tokenInput.value ? parseVariableName(tokenInput, ['GIT_']) : DEFAULT_TOKEN_VARIABLE;

  return {
    command: args.command,
    credential: readCredential(values, env, guard, option, given),
    scope,
    organization,
    verify,
    timeoutSeconds: parseTimeout(env),
    allowedHosts,
    operations,
    operationsTimeout,
    dryRun: values['dry-run'] === true,
    gitCredentials: false,
    feeds: [],
    tokenVariable,
    git: args.command === 'exec' && values['no-git'] !== true && organization !== undefined
  };
}

function readCredential(
  values: ParsedArguments['values'],
  env: NodeJS.ProcessEnv,
  guard: SecretGuard,
  option: (name: OptionName, fallbackEnv?: string) => RawInput,
  given: (name: OptionName) => boolean
): CredentialSettings {
  const chosen = MODES.filter((mode) => given(mode));
  if (chosen.length > 1)
    throw new UsageError(
      `--${chosen[0] ?? ''}`,
      `Options ${chosen.map((m) => `'--${m}'`).join(' and ')} each choose a way to authenticate; give exactly one.`
    );
  const fileFromEnv = env.AZURE_FEDERATED_TOKEN_FILE?.trim();
  const mode = chosen[0] ?? (fileFromEnv ? 'federated-token-file' : undefined);
  if (mode === undefined)
    throw new UsageError(
      'authentication',
      'No way to authenticate was chosen. Give one of: --federated-token-file PATH (or set AZURE_FEDERATED_TOKEN_FILE), --federated-token-env NAME, --managed-identity, or --azure-cli.'
    );
  const refuse = (names: OptionName[], why: string): void => {
    for (const name of names)
      if (given(name))
        throw new UsageError(
          `--${name}`,
          `Option '--${name}' does not apply with --${mode}: ${why} Remove it.`
        );
  };

  if (mode === 'managed-identity') {
    refuse(
      ['tenant-id', 'authority-host', 'cloud'],
      'the managed identity endpoint of this machine issues the token for its own tenant and cloud.'
    );
    const objectId = option('managed-identity-object-id');
    const resourceId = option('managed-identity-resource-id');
    // AZURE_CLIENT_ID selects a user-assigned identity only when no other selector is given (as DefaultAzureCredential does).
    const clientId =
      objectId.value || resourceId.value ? option('client-id') : option('client-id', 'AZURE_CLIENT_ID');
    return {
      kind: 'managed-identity',
      selector: parseManagedIdentitySelector({ clientId, objectId, resourceId })
    };
  }
  refuse(
    ['managed-identity-object-id', 'managed-identity-resource-id'],
    'they select a managed identity, which only --managed-identity uses.'
  );
  if (mode === 'azure-cli') {
    refuse(
      ['client-id', 'authority-host', 'cloud'],
      'the Azure CLI uses its signed-in account and its own cloud (see `az account show` and `az cloud show`).'
    );
    const tenant = option('tenant-id');
    return { kind: 'azure-cli', tenantId: tenant.value ? parseTenant(tenant) : undefined };
  }

  const clientInput = option('client-id', 'AZURE_CLIENT_ID');
  const tenantInput = option('tenant-id', 'AZURE_TENANT_ID');
  requireAppInputs(clientInput, tenantInput, 'workload identity federation');
  const clientId = parseAppClientId(clientInput);
  const tenantId = parseTenant(tenantInput);
  const cloud = parseCloud(orDefault(option('cloud'), 'AzureCloud'));
  const authorityInput = option('authority-host', 'AZURE_AUTHORITY_HOST');
  const authorityHost = authorityInput.value
    ? parseAuthorityHost(authorityInput)
    : CLOUDS[cloud].authorityHost;

  if (mode === 'federated-token-env') {
    const variableInput = option('federated-token-env');
    const variable = parseVariableName(variableInput, []);
    const token = env[variable]?.trim() ?? '';
    if (token === '')
      throw new InputError(
        '--federated-token-env',
        `Option '--federated-token-env' names ${variable}, but that environment variable is ${env[variable] === undefined ? 'not set' : 'empty'}. In GitLab CI declare it under the job's id_tokens (with aud: api://AzureADTokenExchange); elsewhere export the OIDC token in it before running this command.`
      );
    return {
      kind: 'federated',
      clientId,
      tenantId,
      authorityHost,
      oidc: { kind: 'env', variable, token: guard.mask(token) }
    };
  }
  const fileInput = option('federated-token-file', 'AZURE_FEDERATED_TOKEN_FILE');
  if (fileInput.value === '')
    throw invalidInput(
      fileInput,
      '',
      'it must be the path of the file holding the OIDC token.',
      'Give the path, e.g. /var/run/secrets/azure/tokens/azure-identity-token.'
    );
  const source = { path: fileInput.value, input: fileInput.name };
  try {
    // Read once now so a missing or empty file fails before any request; it is read again before each exchange.
    guard.mask(readTokenFile(source));
  } catch (error) {
    throw new InputError(fileInput.name, (error as Error).message);
  }
  return { kind: 'federated', clientId, tenantId, authorityHost, oidc: { kind: 'file', ...source } };
}

/** The CLI has no manifest: an option left out takes its default here. */
function orDefault(input: RawInput, fallback: string): RawInput {
  return { ...input, value: input.value || fallback };
}
