import { formatEntraSupportIds, readEntraErrorDetails, type ErrorAnswer } from './entra-error-details.js';
import { AZURE_DEVOPS_SCOPE } from './clouds.js';
import {
  AuthenticationError,
  EndpointTimeoutError,
  ManagedIdentityError,
  describeError,
  neutralizeServerText
} from '../errors.js';
import { NetworkError } from '../http/transport.js';
import { describeOidcSource, type OidcTokenInfo } from './oidc.js';
import type { CredentialSettings } from '../settings.js';

/** How the user's platform names the inputs a hint may point at: ready-to-print phrases (quotes included). */
export interface InputNames {
  clientId: string;
  tenantId: string;
  /** Where the cloud is chosen: `cloud` on GitHub, the service connection's environment on Azure. */
  cloud: string;
  scope: string;
  /** The inputs that select a user-assigned managed identity, as one phrase. */
  managedIdentitySelectors: string;
  /** The option that chose the Azure CLI (the CLI only). */
  azureCli?: string;
  /** The other ways to authenticate, for a hint when the Azure CLI is missing (the CLI only). */
  otherModes?: string;
}

export interface ErrorContext {
  credential: CredentialSettings;
  names: InputNames;
  /** The OIDC token presented in the failed exchange, if any. */
  presented: OidcTokenInfo | undefined;
  /** The platform's own advice on the subject of the federated credential. */
  subjectAdvice: string;
  /** Error answers seen during the attempt, newest last: a fallback source of AADSTS codes and support IDs. */
  responses?: ErrorAnswer[];
  /** The last network failure the transport saw, with the endpoint named. */
  networkError?: NetworkError | undefined;
}

const EXACT_MATCH = 'Entra matches issuer, subject and audience exactly (case-sensitive).';

function presentedText(ctx: ErrorContext): string {
  const p = ctx.presented;
  if (p === undefined) return '';
  return ` Presented token: issuer '${p.issuer}', subject '${p.subject}', audience '${p.audience}'.`;
}

function federatedFix(ctx: ErrorContext): string {
  const p = ctx.presented;
  const credential = p
    ? `issuer '${p.issuer}', subject '${p.subject}' and audience '${p.audience}'`
    : 'the issuer, subject and audience printed above';
  return `${EXACT_MATCH} Add a federated credential with ${credential} to the app registration (Entra ID → App registrations → the app → Certificates & secrets → Federated credentials), or change the workflow so the token matches an existing one. ${ctx.subjectAdvice}`;
}

function hintFor(code: string, ctx: ErrorContext): string {
  const clientId = 'clientId' in ctx.credential ? ctx.credential.clientId : '';
  const tenantId = ('tenantId' in ctx.credential ? ctx.credential.tenantId : undefined) ?? '';
  switch (code) {
    case 'AADSTS70021':
    case 'AADSTS700211':
    case 'AADSTS700212':
    case 'AADSTS700213':
    case 'AADSTS7002138':
      return `No federated credential of app ${clientId} matches the presented token.${presentedText(ctx)} ${federatedFix(ctx)}`;
    case 'AADSTS70025':
      return `App ${clientId} has no federated credentials at all.${presentedText(ctx)} ${federatedFix(ctx)}`;
    case 'AADSTS700024':
      if (
        ctx.credential.kind === 'federated' &&
        (ctx.credential.oidc.kind === 'file' || ctx.credential.oidc.kind === 'env')
      )
        return `The OIDC token was outside its validity window when Entra checked it.${presentedText(ctx)} It comes from the ${describeOidcSource(ctx.credential.oidc)}: check that whatever writes it keeps it fresh (the Kubernetes webhook rotates the projected file; a CI job's id_tokens last only for the job), and that this machine's clock is in sync with internet time.`;
      return ctx.credential.kind === 'federated'
        ? `The OIDC token was outside its validity window when Entra checked it.${presentedText(ctx)} A fresh token is fetched right before each exchange, so check this machine's clock (it must be in sync with internet time) and retry.`
        : "The client assertion was outside its validity window when Entra checked it. Check this machine's clock (it must be in sync with internet time) and retry.";
    case 'AADSTS700016':
      return `Check ${ctx.names.clientId} (${clientId}) and ${ctx.names.tenantId} (${tenantId}): the client ID must be the Application (client) ID of an app registration in that tenant, and the tenant must be in the cloud set by ${ctx.names.cloud}.`;
    case 'AADSTS90002':
      return `Check ${ctx.names.tenantId} (${tenantId}): use the Directory (tenant) ID of the app registration. A tenant in a national cloud also needs ${ctx.names.cloud} set to AzureUSGovernment or AzureChinaCloud.`;
    case 'AADSTS90038':
    case 'AADSTS900382':
      return `The tenant lives in another Azure cloud. Set ${ctx.names.cloud} to the tenant's cloud (AzureCloud, AzureUSGovernment or AzureChinaCloud).`;
    case 'AADSTS7000215':
      return "The client secret is wrong. Use the secret's Value (not its Secret ID) and update the service connection — or better, convert it to workload identity federation so there is no secret to rotate.";
    case 'AADSTS7000222':
      return 'The client secret has expired. Create a new secret in the app registration and update the service connection — or better, convert it to workload identity federation so there is no secret to expire.';
    case 'AADSTS700027':
      return ctx.credential.kind === 'client-certificate'
        ? 'Entra could not verify the client assertion with any certificate of the app. Upload the certificate (public part) to the app registration, or update the service connection with a certificate the app has.'
        : `Entra could not verify the signature of the presented token.${presentedText(ctx)} Check that the federated credential's issuer is the exact issuer of this platform's tokens.`;
    case 'AADSTS53003':
      return "A Conditional Access policy blocked the sign-in. Ask a tenant administrator to exclude this workload identity from the policy or allow the runner's network location (Entra ID → Security → Conditional Access → Workload identities).";
    case 'AADSTS700223':
    case 'AADSTS700238':
      return 'Federated identity credentials are disabled for this app or tenant by policy. Ask a tenant administrator to allow them for this app.';
    case 'AADSTS500011':
      return `The resource in ${ctx.names.scope} does not exist in the tenant. For Azure DevOps leave ${ctx.names.scope} at its default (${AZURE_DEVOPS_SCOPE}).`;
    case 'AADSTS7000112':
      return 'The application is disabled in the tenant. Ask a tenant administrator to enable the enterprise application (service principal).';
    case 'AADSTS700082':
    case 'AADSTS50173':
    case 'AADSTS50076':
    case 'AADSTS50079':
    case 'AADSTS50078':
      return ctx.credential.kind === 'azure-cli'
        ? `The Azure CLI's sign-in is no longer valid (expired, revoked, or a new MFA sign-in is required). Run \`${azLoginCommand(ctx.credential.tenantId)}\` and retry.`
        : genericHint(code);
    default:
      return ctx.credential.kind === 'azure-cli'
        ? `${genericHint(code)} If the Azure CLI's sign-in is stale, run \`${azLoginCommand(ctx.credential.tenantId)}\` and retry.`
        : genericHint(code);
  }
}

function genericHint(code: string): string {
  return `See https://login.microsoftonline.com/error?code=${code.replace('AADSTS', '')} for the meaning of this code.`;
}

/** The sign-in that gives the Azure CLI a token for Azure DevOps, with or without an Azure subscription. */
function azLoginCommand(tenantId: string | undefined): string {
  return `az login --allow-no-subscriptions${tenantId ? ` --tenant ${tenantId}` : ''}`;
}

/** What the Azure CLI said, turned into the step to take. */
function explainAzureCliError(
  error: unknown,
  names: ErrorContext['names'],
  tenantId: string | undefined
): AuthenticationError {
  const text = neutralizeServerText(describeError(error));
  if (/Azure CLI could not be found|az: .*not found|is not recognized/i.test(text))
    return new AuthenticationError(
      `The Azure CLI ('az') was not found on PATH, so ${names.azureCli} cannot be used. Install it (https://aka.ms/azure-cli) and run \`${azLoginCommand(tenantId)}\`, or use another mode: ${names.otherModes}.`
    );
  if (/az login/i.test(text))
    return new AuthenticationError(
      `The Azure CLI is not signed in${tenantId ? ` to tenant ${tenantId}` : ''}. Run \`${azLoginCommand(tenantId)}\` (--allow-no-subscriptions lets an account without Azure subscriptions sign in) and retry. (Azure CLI said: ${text})`
    );
  return new AuthenticationError(`The Azure CLI did not issue a token: ${text}`);
}

/**
 * Turns whatever the credential threw into one error with the Entra code kept, a fix added and the support IDs
 * (trace ID, correlation ID, timestamp) at the end; the original error is kept as `cause`.
 */
export function explainCredentialError(error: unknown, ctx: ErrorContext): Error {
  if (
    error instanceof EndpointTimeoutError ||
    error instanceof AuthenticationError ||
    error instanceof ManagedIdentityError
  )
    return error;
  if (error instanceof Error && error.name === 'OidcTokenError') return error;
  const details = readEntraErrorDetails(error, ctx.responses);
  if (details?.code !== undefined) {
    const said = details.description ? `: ${details.description}` : '.';
    return new AuthenticationError(
      `Microsoft Entra ID refused the token request: ${details.code}${said} ${hintFor(details.code, ctx)}${formatEntraSupportIds(details)}`,
      details,
      { cause: error }
    );
  }
  if (ctx.credential.kind === 'managed-identity') return explainManagedIdentityError(error, ctx);
  if (ctx.credential.kind === 'azure-cli')
    return explainAzureCliError(error, ctx.names, ctx.credential.tenantId);
  if (error instanceof NetworkError) return error;
  if (ctx.networkError !== undefined && /network_error|network/i.test(describeError(error)))
    return ctx.networkError;
  return new AuthenticationError(
    `Microsoft Entra ID did not issue a token: ${neutralizeServerText(describeError(error))}${formatEntraSupportIds(details)}`,
    details,
    { cause: error }
  );
}

function explainManagedIdentityError(error: unknown, ctx: ErrorContext): ManagedIdentityError {
  const text = describeError(error);
  const selectors = ctx.names.managedIdentitySelectors;
  if (/multiple user assigned identities/i.test(text)) {
    return new ManagedIdentityError(
      `This machine has several user-assigned managed identities and none was selected. Set one of ${selectors} to choose one. (Endpoint said: ${neutralizeServerText(text)})`
    );
  }
  if (/identity not found/i.test(text)) {
    return new ManagedIdentityError(
      `The managed identity endpoint has no identity matching the request. Check ${selectors} against the identities assigned to this machine (Azure portal → the VM or app → Identity), or assign a system-assigned identity. (Endpoint said: ${neutralizeServerText(text)})`
    );
  }
  if (
    ctx.networkError !== undefined ||
    error instanceof NetworkError ||
    /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|unreachable|network_error|no response/i.test(text)
  ) {
    return new ManagedIdentityError(
      `No managed identity endpoint answered on this machine: ${neutralizeServerText(ctx.networkError?.message ?? text)} Managed identity works only on Azure compute with an identity assigned (a VM, scale set agent, App Service or Container App); hosted runners and agents have none — use workload identity federation there.`
    );
  }
  return new ManagedIdentityError(
    `The managed identity endpoint did not issue a token: ${neutralizeServerText(text)}`
  );
}
