import { AZURE_DEVOPS_SCOPE, CLOUD_NAMES, CLOUDS, findCloud, type CloudName } from './auth/clouds.js';
import { invalidInput, InputError, quoteInputs, type InputName } from './errors.js';
import type { ManagedIdentitySelector, Organization } from './settings.js';

/** A value read from an input, with the name the user knows it by. */
export interface RawInput extends InputName {
  value: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const ORG_NAME = /^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$/i;
const MULTI_TENANT = ['common', 'organizations', 'consumers'];
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

export function parseGuid(input: RawInput, what: string, where: string): string {
  const value = input.value.trim();
  if (!GUID.test(value)) {
    throw invalidInput(
      input,
      value,
      `it must be the ${what}, a GUID such as 00000000-0000-0000-0000-000000000000.`,
      `Copy it from ${where}.`
    );
  }
  return value.toLowerCase();
}

/** Where the app registration's client and tenant IDs are shown. */
const APP_PAGE = "the app registration's Overview page in the Entra admin center";

/**
 * An app registration's client and tenant IDs are both required; AZURE_CLIENT_ID and AZURE_TENANT_ID, the
 * variables each falls back to, are not set either when they are empty.
 */
export function requireAppInputs(client: RawInput, tenant: RawInput, requiredFor: string): void {
  if (client.value === '')
    throw new InputError(
      client.name,
      `${quoteInputs(client)} is required for ${requiredFor} (and AZURE_CLIENT_ID is not set). Set it to the Application (client) ID from ${APP_PAGE}.`
    );
  if (tenant.value === '')
    throw new InputError(
      tenant.name,
      `${quoteInputs(tenant)} is required for ${requiredFor} (and AZURE_TENANT_ID is not set). Set it to the Directory (tenant) ID from ${APP_PAGE}.`
    );
}

export function parseAppClientId(input: RawInput): string {
  return parseGuid(
    input,
    'Application (client) ID of the app registration or user-assigned identity',
    APP_PAGE
  );
}

export function parseTenant(input: RawInput): string {
  const value = input.value.trim();
  if (MULTI_TENANT.includes(value.toLowerCase())) {
    throw invalidInput(
      input,
      value,
      'a token exchange needs the specific tenant of the app registration, not a multi-tenant alias.',
      "Use the Directory (tenant) ID from the app registration's Overview page."
    );
  }
  if (!GUID.test(value) && !DOMAIN.test(value)) {
    throw invalidInput(
      input,
      value,
      'it must be a tenant ID (a GUID) or a verified domain such as contoso.onmicrosoft.com.',
      "Use the Directory (tenant) ID from the app registration's Overview page."
    );
  }
  return value.toLowerCase();
}

export function parseCloud(input: RawInput): CloudName {
  const cloud = findCloud(input.value);
  if (cloud === undefined) {
    throw invalidInput(
      input,
      input.value,
      `it must be one of ${CLOUD_NAMES.join(', ')}.`,
      'Use AzureCloud unless your tenant lives in a national cloud.'
    );
  }
  return cloud;
}

export function parseAuthorityHost(input: RawInput): string {
  const value = input.value.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidInput(
      input,
      value,
      'it is not a URL.',
      `Use an https origin such as ${CLOUDS.AzureCloud.authorityHost}, or leave it empty to use the cloud's host.`
    );
  }
  if (url.protocol !== 'https:') {
    throw invalidInput(
      input,
      value,
      'the Entra authority host must use https (tokens and assertions must never cross the network in clear text).',
      `Use https://${url.host}.`
    );
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw invalidInput(
      input,
      value,
      'it must be a plain https origin with no query, fragment or credentials.',
      `Use ${url.origin}.`
    );
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

export function parseScope(input: RawInput): string {
  const value = input.value.trim();
  if (value === '' || /\s/.test(value)) {
    throw invalidInput(
      input,
      value,
      `it must be a single scope such as ${AZURE_DEVOPS_SCOPE}.`,
      "Leave it empty for Azure DevOps, or give one resource's /.default scope."
    );
  }
  return value;
}

/** Accepts `contoso`, `https://dev.azure.com/contoso[/]`, `https://contoso.visualstudio.com[/]`, or a loopback URL (tests). */
export function parseOrganization(input: RawInput): Organization | undefined {
  const value = input.value.trim();
  if (value === '') return undefined;
  const fix = 'Use the organization name (contoso) or its URL (https://dev.azure.com/contoso).';
  if (!value.includes('/') && !value.includes(':')) {
    if (!ORG_NAME.test(value)) {
      throw invalidInput(
        input,
        value,
        'an organization name has 1 to 50 letters, digits or hyphens and does not start or end with a hyphen.',
        fix
      );
    }
    return { name: value, url: `https://dev.azure.com/${value}` };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidInput(input, value, 'it is neither an organization name nor a URL.', fix);
  }
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:' && !isLoopbackHost(host)) {
    throw invalidInput(
      input,
      value,
      'the token must only travel over https.',
      `Use https://${url.host}${url.pathname}.`
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalidInput(input, value, 'only https URLs are allowed.', fix);
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw invalidInput(input, value, 'an organization URL has no query, fragment or credentials.', fix);
  }
  if (host === 'dev.azure.com' || isLoopbackHost(host)) {
    const name = segments[0];
    if (name === undefined || segments.length > 1 || !ORG_NAME.test(name)) {
      throw invalidInput(
        input,
        value,
        `the URL must be ${url.origin}/<organization>, with nothing after the organization name.`,
        fix
      );
    }
    return { name, url: `${url.origin}/${name}` };
  }
  const legacy = /^([a-z0-9][a-z0-9-]*)\.visualstudio\.com$/.exec(host);
  if (
    legacy?.[1] !== undefined &&
    (segments.length === 0 || (segments.length === 1 && segments[0]?.toLowerCase() === 'defaultcollection'))
  ) {
    return { name: legacy[1], url: `https://${host}` };
  }
  throw invalidInput(
    input,
    value,
    'it is not an Azure DevOps Services organization URL (https://dev.azure.com/<organization> or https://<organization>.visualstudio.com).',
    fix
  );
}

export function parseVerify(input: RawInput, organizationSet: boolean): boolean {
  const value = input.value.trim().toLowerCase();
  if (value === '' || value === 'auto') return organizationSet;
  if (value === 'true' || value === 'false') {
    const verify = value === 'true';
    if (verify && !organizationSet) {
      throw new InputError(
        input.name,
        `${quoteInputs(input)} is 'true' but no organization is set, so there is nothing to verify against. Set the organization input, or set '${input.name}' to auto or false.`
      );
    }
    return verify;
  }
  throw invalidInput(
    input,
    input.value,
    'it must be auto, true or false.',
    'Use auto (verify when an organization is set), true or false.'
  );
}

const RESERVED_VARIABLES = new Set(['PATH', 'NODE_OPTIONS', 'HOME', 'PWD', 'SHELL', 'TEMP', 'TMP', 'TMPDIR']);

export function parseVariableName(input: RawInput, reservedPrefixes: readonly string[]): string {
  const value = input.value.trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
    throw invalidInput(
      input,
      value,
      'a variable name has letters, digits and underscores and does not start with a digit.',
      'Use a name such as AZURE_DEVOPS_TOKEN.'
    );
  }
  const upper = value.toUpperCase();
  const prefix = reservedPrefixes.find((p) => upper.startsWith(p));
  if (RESERVED_VARIABLES.has(upper) || prefix !== undefined) {
    throw invalidInput(
      input,
      value,
      `that name is reserved${prefix === undefined ? '' : ` (names starting with ${prefix} belong to the platform)`}.`,
      'Use a name such as AZURE_DEVOPS_TOKEN.'
    );
  }
  return value;
}

/** At most one selector; each has its own shape. */
export function parseManagedIdentitySelector(inputs: {
  clientId: RawInput;
  objectId: RawInput;
  resourceId: RawInput;
}): ManagedIdentitySelector | undefined {
  const given = Object.entries(inputs).filter(([, input]) => input.value.trim() !== '');
  if (given.length > 1) {
    const [first, ...others] = given.map(([, input]) => input);
    throw new InputError(
      first?.name ?? '',
      `${first ? quoteInputs(first, ...others) : ''} are both set, but a user-assigned managed identity is selected by one of them only. Keep exactly one, or none to use the system-assigned identity.`
    );
  }
  const [kind, input] = given[0] ?? [];
  if (kind === undefined || input === undefined) return undefined;
  if (kind === 'resourceId') {
    const value = input.value.trim();
    if (
      !/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.managedidentity\/userassignedidentities\/[^/]+$/i.test(
        value
      )
    ) {
      throw invalidInput(
        input,
        value,
        'it must be the Azure resource ID of a user-assigned identity: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>.',
        "Copy it from the identity's Properties page in the Azure portal."
      );
    }
    return { kind, value };
  }
  const what =
    kind === 'clientId'
      ? 'client ID of the user-assigned managed identity'
      : 'object (principal) ID of the user-assigned managed identity';
  return {
    kind: kind as 'clientId' | 'objectId',
    value: parseGuid(input, what, "the identity's Overview page in the Azure portal")
  };
}

/** A true/false input (the manifests give the default). */
export function parseBoolean(input: RawInput): boolean {
  const value = input.value.trim().toLowerCase();
  if (value === 'true' || value === 'false') return value === 'true';
  throw invalidInput(
    input,
    input.value,
    'it must be true or false.',
    `Set '${input.name}' to true or false.`
  );
}

/** Git credentials are scoped to the organization, so one must be set. */
export function requireOrganizationFor(
  input: RawInput,
  organization: Organization | undefined,
  organizationInput: string
): void {
  if (organization === undefined) {
    throw new InputError(
      input.name,
      `${quoteInputs(input)} is true, but '${organizationInput}' is empty: git credentials are scoped to the organization's URLs. Set '${organizationInput}'.`
    );
  }
}

export const DEFAULT_TIMEOUT_SECONDS = 50;
export const TIMEOUT_VARIABLE = 'AZURE_DEVOPS_ENTRA_TOKEN_TIMEOUT';

/** The total network budget; an environment variable so slow proxies can raise it without a new input. */
export function parseTimeout(env: NodeJS.ProcessEnv): number {
  const raw = env[TIMEOUT_VARIABLE]?.trim();
  if (raw === undefined || raw === '') return DEFAULT_TIMEOUT_SECONDS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 600) {
    throw invalidInput(
      TIMEOUT_VARIABLE,
      raw,
      'it must be a number of seconds between 1 and 600.',
      `Unset it to use the default of ${DEFAULT_TIMEOUT_SECONDS} seconds.`
    );
  }
  return seconds;
}

/**
 * The total time all operations may take (`operations-timeout`): whole seconds, at least 1. The default lives
 * in the manifests (600 seconds); an empty value means the input was cleared.
 */
export function parseOperationsTimeout(input: RawInput): number {
  const seconds = Number(input.value);
  if (!/^\d+$/.test(input.value) || !Number.isSafeInteger(seconds) || seconds < 1) {
    throw invalidInput(
      input,
      input.value,
      'it must be a whole number of seconds, 1 or more (the total time all operations may take).',
      `Give seconds, such as 600 (the default), or more if the operations need longer.`
    );
  }
  return seconds;
}
