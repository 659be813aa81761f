import { isDnsHostName } from './payload.js';

/**
 * Host patterns for the install payload's baseUrl: `*.atlassian.net` matches any subdomain (not the apex),
 * `*` matches everything. The check is a first line of defence only: the signature is what proves the host.
 */
export type HostAllowlist = readonly string[];

export const PRODUCTION_HOSTS: HostAllowlist = ['*.atlassian.net'];
export const DEVELOPMENT_HOSTS: HostAllowlist = ['*'];

/**
 * Each pattern is `*`, `*.<dns name>` or a DNS name. Anything else (a scheme, a port, `;`, a second `*`) is a
 * configuration mistake and throws when the app is created, instead of matching something unexpected.
 */
export function assertHostAllowlist(allowlist: HostAllowlist): HostAllowlist {
  for (const pattern of allowlist) {
    const name = pattern.startsWith('*.') ? pattern.slice(2) : pattern;
    if (pattern !== '*' && !isDnsHostName(name)) {
      throw new Error(
        `Invalid allowedHosts pattern ${JSON.stringify(pattern)}: use "*.example.net" or "host.example.net".`,
      );
    }
  }
  return allowlist;
}

export function isHostAllowed(hostname: string, allowlist: HostAllowlist): boolean {
  const host = hostname.toLowerCase();
  return allowlist.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p === '*') return true;
    if (p.startsWith('*.')) return host.endsWith(p.slice(1)) && host.length > p.length - 1;
    return host === p;
  });
}
