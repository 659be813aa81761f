import type { TransportResponse } from '../types.js';
import type { RequestLine } from './classify.js';

// Development builds only: the client builds the warner behind a `process.env.NODE_ENV !== 'production'` check, so
// production bundles drop this module and its table (as they drop the scope check, scopes.ts).

/**
 * v2 replacements of the v1 operations apps call most, from Atlassian's deprecation notice (CHANGE-864, RFC-19).
 * Matched against the path with numeric ids written `{id}`. CQL search (`/wiki/rest/api/search`) and the current
 * user (`/wiki/rest/api/user/current`) have none, and are not deprecated.
 */
const V2_REPLACEMENTS: [RegExp, string][] = [
  [/^\/wiki\/rest\/api\/content\/?$/, '/wiki/api/v2/pages (or /blogposts)'],
  [/^\/wiki\/rest\/api\/content\/{id}\/?$/, '/wiki/api/v2/pages/{id} (or /blogposts/{id})'],
  [/^\/wiki\/rest\/api\/content\/{id}\/child\/page$/, '/wiki/api/v2/pages/{id}/children'],
  [/^\/wiki\/rest\/api\/content\/{id}\/child\/attachment$/, '/wiki/api/v2/pages/{id}/attachments'],
  [/^\/wiki\/rest\/api\/content\/{id}\/child\/comment$/, '/wiki/api/v2/pages/{id}/footer-comments'],
  [/^\/wiki\/rest\/api\/content\/{id}\/descendant(\/page)?$/, '/wiki/api/v2/pages/{id}/descendants'],
  [/^\/wiki\/rest\/api\/content\/{id}\/label$/, '/wiki/api/v2/pages/{id}/labels'],
  // v2 changes a property by its id, not its key.
  [/^\/wiki\/rest\/api\/content\/{id}\/property(\/[^/]+)?$/, '/wiki/api/v2/pages/{id}/properties'],
  [/^\/wiki\/rest\/api\/content\/{id}\/(version|history)$/, '/wiki/api/v2/pages/{id}/versions'],
  [/^\/wiki\/rest\/api\/content\/{id}\/permission\/check$/, '/wiki/api/v2/pages/{id}/operations'],
  [/^\/wiki\/rest\/api\/space\/?$/, '/wiki/api/v2/spaces'],
  [/^\/wiki\/rest\/api\/space\/[^/]+\/content(\/page)?$/, '/wiki/api/v2/spaces/{id}/pages'],
  [/^\/wiki\/rest\/api\/space\/[^/]+$/, '/wiki/api/v2/spaces?keys={key}'],
  [/^\/wiki\/rest\/api\/user(\/bulk)?$/, 'POST /wiki/api/v2/users-bulk'],
  [/^\/wiki\/rest\/api\/label$/, '/wiki/api/v2/labels'],
];

const NUMERIC_SEGMENT = /\/\d+(?=\/|$)/g;
/** `Warning: 299 - "Deprecated API, will be removed on …"`: warn-code 299 is a persistent warning (RFC 7234). */
const WARNING_299 = /^\s*299\b/;

/** The v2 operation that replaces a v1 path (numeric ids already written `{id}`), if the table knows one. */
export function v2ReplacementOf(template: string): string | undefined {
  return V2_REPLACEMENTS.find(([pattern]) => pattern.test(template))?.[1];
}

/**
 * Tells the console, once per operation (method and path, ids left out), that Confluence deprecated it
 * (`Deprecation` or `Warning: 299` on its answer) or has removed it (410), naming the v2 replacement when the table
 * knows one.
 */
export function createDeprecationWarner(warn: (message: string) => void = console.warn) {
  const told = new Set<string>();
  return (request: RequestLine, answer: TransportResponse) => {
    const { status, headers } = answer;
    const warning = headers['warning'];
    const deprecated = headers['deprecation'] !== undefined || (warning !== undefined && WARNING_299.test(warning));
    if (!deprecated && status !== 410) return;
    const template = (request.path.split('?')[0] ?? '').replace(NUMERIC_SEGMENT, '/{id}');
    const operation = `${request.method} ${template}`;
    if (told.has(operation)) return;
    told.add(operation);
    let message = `confluence-iframe-kit: ${operation} `;
    message += status === 410 ? 'has been removed by Confluence (410 Gone)' : 'is deprecated by Confluence';
    if (warning) message += ` (Warning: ${warning})`;
    const replacement = v2ReplacementOf(template);
    message += replacement ? `; use ${replacement} instead.` : '.';
    warn(message);
  };
}
