import { SignJWT } from 'jose';

/** Atlassian's authorization server for the Connect JWT bearer grant (what atlassian-connect-express uses too). */
export const DEFAULT_AUTHORIZATION_SERVER_URL = 'https://oauth-2-authorization-server.services.atlassian.com';

export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** How long the assertion lives (Atlassian's own client library uses 60 s). */
const ASSERTION_LIFETIME_SECONDS = 60;
/** A token answer without `expires_in` is trusted for this long (Atlassian's tokens last about 15 minutes). */
const DEFAULT_TOKEN_SECONDS = 15 * 60;
/** The answer of an authorization server is small; anything larger is not one. */
const MAX_ANSWER_CHARS = 64 * 1024;

export interface UserToken {
  accessToken: string;
  /** epoch ms */
  expiresAt: number;
}

/** The authorization server refused, or answered something that is not a token. */
export class UserTokenGrantFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** the server's OAuth `error` (`invalid_grant`, …) when it named one */
    readonly oauthError: string | undefined,
  ) {
    super(message);
    this.name = 'UserTokenGrantFailure';
  }
}

export interface UserTokenGrantRequest {
  /** the authorization server's base URL; the token endpoint is `<url>/oauth2/token`, and `aud` is the URL */
  authorizationServerUrl: string;
  oauthClientId: string;
  sharedSecret: string;
  /** the tenant's product baseUrl: the assertion's `tnt` */
  baseUrl: string;
  accountId: string;
  fetch?: typeof fetch;
  now?: () => number;
  signal?: AbortSignal;
}

/**
 * The OAuth 2.0 JWT bearer grant a Connect app makes to act as a user: an assertion signed with the tenant's shared
 * secret (`iss` `urn:atlassian:connect:clientid:<oauthClientId>`, `sub` `urn:atlassian:connect:useraccountid:<id>`,
 * `tnt` the site, `aud` the authorization server) posted as a form to `<server>/oauth2/token`. Resolves with the
 * bearer token and when it expires; rejects with UserTokenGrantFailure when the server refuses.
 */
export async function requestUserToken(request: UserTokenGrantRequest): Promise<UserToken> {
  const now = request.now ?? Date.now;
  const server = request.authorizationServerUrl.replace(/\/+$/, '');
  const iat = Math.floor(now() / 1000);
  const assertion = await new SignJWT({ tnt: request.baseUrl })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(`urn:atlassian:connect:clientid:${request.oauthClientId}`)
    .setSubject(`urn:atlassian:connect:useraccountid:${request.accountId}`)
    .setAudience(server)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ASSERTION_LIFETIME_SECONDS)
    .sign(new TextEncoder().encode(request.sharedSecret));
  const started = now();
  const response = await (request.fetch ?? fetch)(`${server}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT_TYPE, assertion }).toString(),
    redirect: 'manual',
    signal: request.signal ?? null,
  });
  const text = (await response.text()).slice(0, MAX_ANSWER_CHARS);
  let answer: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) answer = parsed as Record<string, unknown>;
  } catch {
    // not JSON: handled below as a refusal without a named error
  }
  const oauthError = typeof answer.error === 'string' ? answer.error.slice(0, 64) : undefined;
  if (!response.ok || typeof answer.access_token !== 'string' || answer.access_token === '') {
    throw new UserTokenGrantFailure(
      `The authorization server did not grant a token to act as this user (${response.status}${oauthError ? ` ${oauthError}` : ''}).`,
      response.status,
      oauthError,
    );
  }
  const seconds =
    typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : DEFAULT_TOKEN_SECONDS;
  return { accessToken: answer.access_token, expiresAt: started + seconds * 1000 };
}
