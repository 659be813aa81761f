import { randomBytes } from 'node:crypto';

/**
 * Who an app backend's REST call acts as, as the emulated site decides from its Authorization header:
 * - `app`: a Connect JWT signed with the tenant's secret, or Forge's `x-forge-oauth-system` token;
 * - `user`: a bearer token the emulator issued for one user (the JWT bearer grant, or Forge's `x-forge-oauth-user`).
 * The request log shows it, and the site answers with that user's permissions (or the app's, as the site admin).
 */
export type BackendAuthority =
  { kind: 'app'; via: 'connect' | 'forge' } | { kind: 'user'; via: 'connect' | 'forge'; accountId: string };

/** How the request log names an authority: `as app`, `as user <accountId>`. */
export function describeAuthority(authority: BackendAuthority): string {
  return authority.kind === 'app' ? 'as app' : `as user ${authority.accountId}`;
}

/** Atlassian's user tokens last about 15 minutes; the emulator's too. */
export const BACKEND_TOKEN_SECONDS = 15 * 60;
/** Tokens kept at once: enough for any local session; the oldest are forgotten first. */
const MAX_TOKENS = 10_000;

/**
 * The bearer tokens the emulated site has issued to the app's backend and accepts back on its REST API: opaque
 * random strings (as Atlassian's are to an app), each bound to its authority until it expires.
 */
export function createBackendTokens(now: () => number = Date.now) {
  const tokens = new Map<string, { authority: BackendAuthority; expiresAt: number }>();
  return {
    issue(authority: BackendAuthority): { token: string; expiresIn: number } {
      const token = `emu_${randomBytes(24).toString('base64url')}`;
      tokens.set(token, { authority, expiresAt: now() + BACKEND_TOKEN_SECONDS * 1000 });
      while (tokens.size > MAX_TOKENS) {
        const oldest = tokens.keys().next().value;
        if (oldest === undefined) break;
        tokens.delete(oldest);
      }
      return { token, expiresIn: BACKEND_TOKEN_SECONDS };
    },
    /** The authority of a token the site issued and that has not expired, else undefined. */
    authorityOf(token: string): BackendAuthority | undefined {
      const issued = tokens.get(token);
      if (!issued) return undefined;
      if (issued.expiresAt <= now()) {
        tokens.delete(token);
        return undefined;
      }
      return issued.authority;
    },
  };
}

export type BackendTokens = ReturnType<typeof createBackendTokens>;
