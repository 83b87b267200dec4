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
