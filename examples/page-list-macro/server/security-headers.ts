/** Hosts Confluence Cloud pages are served from; the iframe may be framed by them and by the tenant itself. */
export const ATLASSIAN_FRAME_ANCESTORS = ['https://*.atlassian.net', 'https://*.jira.com'] as const;

const DNS_HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** The origin, only when its host is a plain DNS name: anything else could end the CSP directive early (`;`). */
function originOf(url: string): string | undefined {
  try {
    const { origin, hostname } = new URL(url);
    return origin === 'null' || !DNS_HOST.test(hostname) ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Response headers of an iframe module page. frame-ancestors: the tenant's own origin + Atlassian hosts, plus in
 * development the emulator's origin(s). no-referrer because the iframe URL carries the JWT; no-store because the
 * page embeds a per-user token.
 */
export function iframeHeaders(opts: {
  tenantBaseUrl: string;
  production: boolean;
  devFrameAncestors: readonly string[];
}): Record<string, string> {
  const ancestors = new Set<string>();
  const tenant = originOf(opts.tenantBaseUrl);
  if (tenant && (!opts.production || tenant.startsWith('https://'))) ancestors.add(tenant);
  for (const host of ATLASSIAN_FRAME_ANCESTORS) ancestors.add(host);
  if (!opts.production) {
    for (const origin of opts.devFrameAncestors) {
      const normalised = originOf(origin);
      if (normalised) ancestors.add(normalised);
    }
  }
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `frame-ancestors ${[...ancestors].join(' ')}`,
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
}
