import {
  AzureDevOpsError,
  formatSupportIds,
  neutralizeServerText,
  type AzureDevOpsRequestIds
} from '../errors.js';
import type { HttpResponse } from '../http/transport.js';

/** Server-sent IDs are GUIDs or short references; anything longer is cut. */
const MAX_ID_LENGTH = 200;

/** The request IDs of an Azure DevOps answer (`ActivityId`, `X-VSS-E2EID`, `X-MSEdge-Ref`), made safe to print. */
export function readRequestIds(headers: Record<string, string>): AzureDevOpsRequestIds {
  const read = (name: string): string | undefined => {
    const value = headers[name];
    return value === undefined ? undefined : neutralizeServerText(value).slice(0, MAX_ID_LENGTH) || undefined;
  };
  const ids: AzureDevOpsRequestIds = {};
  const activityId = read('activityid') ?? read('x-tfs-session');
  const e2eId = read('x-vss-e2eid');
  const msEdgeRef = read('x-msedge-ref');
  if (activityId !== undefined) ids.activityId = activityId;
  if (e2eId !== undefined) ids.e2eId = e2eId;
  if (msEdgeRef !== undefined) ids.msEdgeRef = msEdgeRef;
  return ids;
}

/** ` (Azure DevOps activity ID …, E2E ID …, edge ref '…'; give these to Microsoft support …)`, or '' without IDs. */
export function formatRequestIds(ids: AzureDevOpsRequestIds): string {
  return formatSupportIds('Azure DevOps', [
    ['activity ID', ids.activityId],
    ['E2E ID', ids.e2eId],
    ['edge ref', ids.msEdgeRef === undefined ? undefined : `'${ids.msEdgeRef}'`]
  ]);
}

/** The fields of an Azure DevOps error body that users need. */
export interface AzureDevOpsErrorBody {
  message?: string;
  typeKey?: string;
}

export function parseAzureDevOpsError(body: string): AzureDevOpsErrorBody {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    return {
      ...(typeof parsed.message === 'string' ? { message: parsed.message } : {}),
      ...(typeof parsed.typeKey === 'string' ? { typeKey: parsed.typeKey } : {})
    };
  } catch {
    return {};
  }
}

/** Who the token belongs to, so hints can name the identity to add to the organization. */
export interface TokenIdentity {
  objectId: string;
  clientId: string;
  tenantId: string;
}

/** An Azure DevOps error with its TF code kept, a fix for the statuses users hit, and the request IDs at the end. */
export function azureDevOpsError(
  what: string,
  url: string,
  response: HttpResponse,
  identity: TokenIdentity,
  organizationName: string,
  /** A 2xx that is not JSON: Azure DevOps' sign-in page, i.e. the token was not accepted. */
  signInPage = false
): AzureDevOpsError {
  const parsed = parseAzureDevOpsError(response.body);
  const message = parsed.message === undefined ? undefined : neutralizeServerText(parsed.message);
  const typeKey = parsed.typeKey === undefined ? undefined : neutralizeServerText(parsed.typeKey);
  // Stryker disable next-line StringLiteral: without a message any text without a TF/VS code finds no code, just as '' does.
  const code = /\b(TF\d{5,6}|VS\d{6})\b/.exec(message ?? '')?.[1];
  const ids = readRequestIds(response.headers);
  const said = signInPage
    ? ' with a sign-in page instead of JSON, which means it did not accept the token'
    : message
      ? `: ${message.replace(/\.\s*$/, '')}${typeKey ? ` (${typeKey})` : ''}`
      : '';
  let hint = '';
  if (signInPage || response.status === 401 || response.status === 203 || code === 'TF400813') {
    hint =
      ` The identity (object ID ${identity.objectId || 'unknown'}, application ID ${identity.clientId || 'unknown'}, tenant ${identity.tenantId || 'unknown'}) is not a member of organization '${organizationName}'.` +
      ' Add it in Organization settings → Users → Add users (search by its name or object ID) with an access level (Basic for Repos), or check that the organization is connected to the same Entra tenant (Organization settings → Microsoft Entra).';
  } else if (response.status === 403) {
    hint = ` The identity is a member of '${organizationName}' but lacks permission for this call. Grant it the needed permission or add it to a group that has it.`;
  } else if (response.status === 404) {
    hint = ` Check the organization name ('${organizationName}') and the path; a missing project or repository also looks like this when the identity cannot see it.`;
  }
  return new AzureDevOpsError(
    `${what} failed: ${url} answered HTTP ${response.status}${said}.${hint}${formatRequestIds(ids)}`,
    response.status,
    code,
    { ...ids, typeKey }
  );
}
