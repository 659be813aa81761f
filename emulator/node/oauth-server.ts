import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { readNodeBody } from '../../src/server/adapters/node.js';
import type { ConfluenceWorld } from '../../src/testing/core';
import type { BackendTokens } from './backend-authority';
import type { EmulatedTenant } from './tenant';

/**
 * The emulator's stand-in for Atlassian's OAuth 2.0 authorization server, for the JWT bearer grant a Connect app
 * makes to act as a user (`asUser` in this kit, `httpClient.asUserByAccountId` in atlassian-connect-express). Its
 * base URL is `<emulator>/__emulator`, so the token endpoint is `<emulator>/__emulator/oauth2/token`, the path
 * Atlassian's server uses under its own base. Outside the page's own `/__emulator/` routes that mint tokens for the
 * browser: this one answers only an assertion signed with the tenant's shared secret.
 */
export const OAUTH_TOKEN_ROUTE = 'oauth2/token';

const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const CLIENT_ID_PREFIX = 'urn:atlassian:connect:clientid:';
const ACCOUNT_ID_PREFIX = 'urn:atlassian:connect:useraccountid:';
/** A form with one JWT in it is small. */
const MAX_FORM_BYTES = 16 * 1024;

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

/** RFC 6749 §5.2: what the server says when it refuses. */
function refuse(res: ServerResponse, status: number, error: string, description: string): void {
  answer(res, status, { error, error_description: description });
}

/**
 * POST `/__emulator/oauth2/token`: checks the assertion as Atlassian does (HS256 with the tenant's shared secret,
 * `iss` the tenant's `oauthClientId`, `tnt` the site, `aud` this server, `sub` a user of the site) and answers a
 * bearer token acting as that user. A user the site does not know gets `400 invalid_grant`, as a grant for a
 * user outside the site does on Atlassian's server.
 */
export async function answerTokenRequest(
  req: IncomingMessage,
  res: ServerResponse,
  site: { tenant: EmulatedTenant; world: ConfluenceWorld; authorizationServerUrl: string; tokens: BackendTokens },
): Promise<void> {
  if (req.method !== 'POST') return refuse(res, 405, 'invalid_request', 'POST only');
  let form: URLSearchParams;
  try {
    form = new URLSearchParams(await readNodeBody(req, MAX_FORM_BYTES));
  } catch {
    return refuse(res, 400, 'invalid_request', 'the body is not a form this server reads');
  }
  if (form.get('grant_type') !== GRANT_TYPE) {
    return refuse(res, 400, 'unsupported_grant_type', `grant_type must be ${GRANT_TYPE}`);
  }
  const assertion = form.get('assertion') ?? '';
  let claims: Record<string, unknown>;
  try {
    if (decodeProtectedHeader(assertion).alg !== 'HS256') throw new Error('not HS256');
    const { payload } = await jwtVerify(assertion, new TextEncoder().encode(site.tenant.sharedSecret), {
      algorithms: ['HS256'],
      audience: site.authorizationServerUrl,
      requiredClaims: ['iss', 'sub', 'exp', 'iat'],
    });
    claims = payload;
  } catch {
    return refuse(res, 401, 'invalid_client', 'the assertion is not signed by the installed app, or has expired');
  }
  if (claims.iss !== CLIENT_ID_PREFIX + site.tenant.oauthClientId) {
    return refuse(res, 401, 'invalid_client', 'iss is not the oauthClientId of the installed app');
  }
  if (claims.tnt !== site.tenant.baseUrl) {
    return refuse(res, 400, 'invalid_grant', 'tnt is not the site the app is installed on');
  }
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  const accountId = subject.startsWith(ACCOUNT_ID_PREFIX) ? subject.slice(ACCOUNT_ID_PREFIX.length) : '';
  const user = accountId ? site.world.user(accountId) : undefined;
  // By accountId only (the world also knows seed names, which are no accountIds); an anonymous viewer is no user.
  if (!user || user.accountId !== accountId || user.anonymous) {
    return refuse(res, 400, 'invalid_grant', 'the user is not a user of this site');
  }
  const { token, expiresIn } = site.tokens.issue({ kind: 'user', via: 'connect', accountId });
  answer(res, 200, { access_token: token, token_type: 'Bearer', expires_in: expiresIn });
}
