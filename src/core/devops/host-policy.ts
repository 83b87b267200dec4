import { InputError, quoteInputs } from '../errors.js';
import { MULTI_LABEL_PUBLIC_SUFFIXES } from './public-suffixes.js';
import type { Organization } from '../settings.js';
import { isLoopbackHost } from '../validate.js';

/** Where the token may be sent. */
export interface HostPolicy {
  /** Throws a HostNotAllowedError naming the host when the token must not go to `url`. */
  check(url: URL): void;
  /** The allowed hosts, for messages. */
  readonly description: string;
}

export class HostNotAllowedError extends Error {
  override readonly name = 'HostNotAllowedError';
}

const BUILT_IN = ['dev.azure.com', '*.dev.azure.com', '*.visualstudio.com'];
const HOST_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Parses `allowed-hosts`: host names or `*.domain` wildcards, separated by commas or new lines. */
export function parseAllowedHosts(input: { name: string; value: string }): string[] {
  const hosts = input.value
    .split(/[,\n]/)
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  for (const host of hosts) {
    if (!HOST_PATTERN.test(host)) {
      throw new InputError(
        input.name,
        `${quoteInputs(input)} has the entry '${host}', which is not a host name: give host names only (no scheme, port or path), such as vsrm.contoso.example or *.contoso.example.`
      );
    }
    const domain = host.startsWith('*.') ? host.slice(2) : undefined;
    if (domain !== undefined && (!domain.includes('.') || MULTI_LABEL_PUBLIC_SUFFIXES.has(domain))) {
      throw new InputError(
        input.name,
        `${quoteInputs(input)} has the wildcard '${host}', which covers a whole public suffix: anyone can get a host name under '${domain}', and the token would go to it. Give a domain you control, such as *.contoso.${domain}, or list the hosts one by one.`
      );
    }
  }
  return hosts;
}

function matches(pattern: string, host: string): boolean {
  return pattern.startsWith('*.')
    ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1
    : host === pattern;
}

/**
 * The token goes over https to the organization's host, dev.azure.com and its subdomains, any
 * *.visualstudio.com host, and the hosts the user allowed; over http only to a loopback organization.
 */
export function createHostPolicy(organization: Organization | undefined, allowed: string[]): HostPolicy {
  const orgUrl = organization ? new URL(organization.url) : undefined;
  const patterns = [...(orgUrl ? [orgUrl.hostname.toLowerCase()] : []), ...BUILT_IN, ...allowed];
  const description = [...new Set(patterns)].join(', ');
  return {
    description,
    check(url) {
      const host = url.hostname.toLowerCase();
      if (url.protocol === 'http:') {
        const sameLoopbackOrg =
          orgUrl?.protocol === 'http:' && isLoopbackHost(host) && url.host === orgUrl.host;
        if (!sameLoopbackOrg)
          throw new HostNotAllowedError(
            `Refused to send the token to ${url.host} over plain http: the token only travels over https (http is allowed only for a loopback organization URL). Use https://${url.host}${url.pathname}.`
          );
        return;
      }
      if (url.protocol !== 'https:')
        throw new HostNotAllowedError(
          `Refused to send the token to '${url.protocol}' URLs: only https is allowed.`
        );
      if (!patterns.some((pattern) => matches(pattern, host))) {
        throw new HostNotAllowedError(
          `Refused to send the token to ${host}: it is not an allowed host (${description}). If you trust it, add it to the allowed hosts input.`
        );
      }
    }
  };
}
