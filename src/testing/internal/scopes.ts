/** Connect descriptor scopes (https://developer.atlassian.com/cloud/confluence/scopes-for-connect-apps/). */
export type ConnectScope =
  'NONE' | 'READ' | 'WRITE' | 'DELETE' | 'SPACE_ADMIN' | 'ADMIN' | 'ACT_AS_USER' | 'ACCESS_EMAIL_ADDRESSES';

/**
 * Connect scope implication, from https://developer.atlassian.com/cloud/confluence/scopes-for-connect-apps/:
 * DELETE implies WRITE implies READ; SPACE_ADMIN and ADMIN imply everything below them.
 */
const IMPLIES: Record<ConnectScope, ConnectScope[]> = {
  NONE: [],
  READ: ['NONE'],
  WRITE: ['READ', 'NONE'],
  DELETE: ['WRITE', 'READ', 'NONE'],
  SPACE_ADMIN: ['DELETE', 'WRITE', 'READ', 'NONE'],
  ADMIN: ['SPACE_ADMIN', 'DELETE', 'WRITE', 'READ', 'NONE'],
  ACT_AS_USER: [],
  ACCESS_EMAIL_ADDRESSES: [],
};

/** Descriptors may spell scopes in lower case; unknown names grant nothing. */
export function effectiveScopes(declared: readonly string[]): Set<ConnectScope> {
  const out = new Set<ConnectScope>(['NONE']);
  for (const raw of declared) {
    const scope = raw.toUpperCase() as ConnectScope;
    if (!(scope in IMPLIES)) continue;
    out.add(scope);
    for (const implied of IMPLIES[scope]) out.add(implied);
  }
  return out;
}

export function hasScope(declared: readonly string[], required: ConnectScope): boolean {
  return effectiveScopes(declared).has(required);
}
