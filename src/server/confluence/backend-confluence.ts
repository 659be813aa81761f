import {
  ConfluenceError,
  createConfluenceClient,
  type ConfluenceClient,
  type ConnectScope,
  type HttpMethod,
  type RetryPolicy,
} from '../../client/index.js';
import type { ForgeInvocation } from '../forge/invocation.js';
import { FifoMap } from '../tenants/fifo-map.js';
import type { TenantDirectory } from '../tenants/tenant-directory.js';
import { isActive, type Tenant } from '../tenants/types.js';
import { signAppRequest } from './app-jwt.js';
import { createAuthorityTransport, type Authorization } from './authority-transport.js';
import { BackendCallError } from './errors.js';
import { UserTokenCache } from './user-token-cache.js';
import { DEFAULT_AUTHORIZATION_SERVER_URL, requestUserToken, UserTokenGrantFailure } from './user-token-grant.js';

/** How the backend calls Confluence: `createConnectApp({ confluence: … })`. */
export interface BackendConfluenceOptions {
  /**
   * The app's descriptor scopes. `asUser()` on Connect needs `ACT_AS_USER` among them (Connect refuses the grant
   * otherwise): without it, `asUser()` throws BackendCallError ACT_AS_USER_SCOPE_MISSING before any request.
   */
  scopes?: readonly ConnectScope[];
  /**
   * The authorization server of the JWT bearer grant (Connect `asUser()`); default Atlassian's
   * (`https://oauth-2-authorization-server.services.atlassian.com`). The emulator's: `<emulator>/__emulator`.
   */
  authorizationServerUrl?: string;
  /** used for Confluence and the authorization server */
  fetch?: typeof fetch;
  /** per attempt, ms (default the client's 15 000) */
  timeoutMs?: number;
  /** the client's retry policy (429/503 with Retry-After, network failures of idempotent requests) */
  retry?: Partial<RetryPolicy> | false;
  /** clients kept per process, one per tenant and authority (default 10 000; the oldest goes first) */
  maxClients?: number;
  /** clock, ms since epoch (tests) */
  now?: () => number;
}

/** One typed Confluence client per authority, on the same client the browser uses (ConfluenceError, retries…). */
export interface TenantConfluence {
  /**
   * As the app. Connect: an HS256 JWT with the qsh of each request, signed with the tenant's shared secret, sent to
   * the tenant's baseUrl. Sees what the app may see, whoever asked: check the user's permissions yourself, or use
   * `asUser`.
   */
  asApp(): ConfluenceClient;
  /**
   * As a user, with that user's permissions. Connect: the OAuth 2.0 JWT bearer grant (needs `ACT_AS_USER`), the
   * token cached per tenant and user until shortly before it expires.
   */
  asUser(accountId: string): ConfluenceClient;
}

/** `caller.confluence`: the same, with `asUser()` meaning the verified caller. */
export interface CallerConfluence {
  /** As the app (Connect: a JWT per request; Forge Remote: the `x-forge-oauth-system` token). */
  asApp(): ConfluenceClient;
  /**
   * As the caller (no argument) or another user (Connect only): Connect uses the JWT bearer grant, Forge Remote the
   * `x-forge-oauth-user` token of the invoking user. Throws BackendCallError NO_USER for an anonymous caller.
   */
  asUser(accountId?: string): ConfluenceClient;
}

export interface BackendConfluence {
  /** Connect: the clients of a tenant, by clientKey (in a request, a webhook or a job). */
  tenant(clientKey: string): TenantConfluence;
  /** Forge Remote: the clients of one invocation (its tokens are the invocation's own). */
  forge(invocation: ForgeInvocation): CallerConfluence;
}

const ACT_AS_USER = 'ACT_AS_USER';

type RequestLine = { method: HttpMethod; path: string };

/** A failure before Confluence answered, as the client's error for this request (never retried as a network fault). */
function refusedBeforeSending(request: RequestLine, message: string, cause: unknown, status = 0): ConfluenceError {
  return new ConfluenceError({
    kind: 'unauthorized',
    method: request.method,
    path: request.path,
    message,
    status,
    cause,
  });
}

/**
 * The backend's Confluence clients. Clients are kept per tenant and authority, so identical reads of many requests
 * in one tick share one call (the client's coalescing), and user tokens are granted once per user until they expire.
 */
export function createBackendConfluence(
  options: BackendConfluenceOptions & { appKey: string; tenants: TenantDirectory },
): BackendConfluence {
  const now = options.now ?? Date.now;
  const authorizationServerUrl = options.authorizationServerUrl ?? DEFAULT_AUTHORIZATION_SERVER_URL;
  const userTokens = new UserTokenCache({ now });
  const clients = new FifoMap<string, ConfluenceClient>(options.maxClients ?? 10_000);
  const mayActAsUser = options.scopes?.some((scope) => scope.toUpperCase() === ACT_AS_USER) === true;

  function client(authorize: (request: RequestLine) => Promise<Authorization>): ConfluenceClient {
    return createConfluenceClient({
      transport: createAuthorityTransport({ authorize, ...(options.fetch ? { fetch: options.fetch } : {}) }),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.retry !== undefined ? { retry: options.retry } : {}),
    });
  }

  function kept(key: string, make: () => ConfluenceClient): ConfluenceClient {
    let found = clients.get(key);
    if (!found) clients.set(key, (found = make()));
    return found;
  }

  /** The tenant as it is now (a reinstall's new secret or site, an uninstall), from the directory's cache. */
  async function activeTenant(clientKey: string, request: RequestLine): Promise<Tenant> {
    const resolved = await options.tenants.resolve(clientKey);
    if (!resolved || !isActive(resolved.tenant)) {
      const cause = new BackendCallError('TENANT_NOT_INSTALLED', 'The app is not installed (or not enabled) there.');
      throw refusedBeforeSending(request, cause.message, cause);
    }
    return resolved.tenant;
  }

  async function appAuthorization(clientKey: string, request: RequestLine): Promise<Authorization> {
    const site = await activeTenant(clientKey, request);
    const token = await signAppRequest({
      appKey: options.appKey,
      sharedSecret: site.sharedSecret,
      baseUrl: site.baseUrl,
      method: request.method,
      path: request.path,
      now,
    });
    return { baseUrl: site.baseUrl, headers: { authorization: `JWT ${token}` } };
  }

  async function userAuthorization(clientKey: string, accountId: string, request: RequestLine): Promise<Authorization> {
    const site = await activeTenant(clientKey, request);
    const oauthClientId = site.oauthClientId;
    if (oauthClientId === undefined) {
      const cause = new BackendCallError(
        'OAUTH_CLIENT_ID_MISSING',
        "The tenant's install payload carried no oauthClientId: reinstall the app to act as users there.",
      );
      throw refusedBeforeSending(request, cause.message, cause);
    }
    let token: string;
    try {
      token = await userTokens.get(`${clientKey}\n${accountId}`, () =>
        requestUserToken({
          authorizationServerUrl,
          oauthClientId,
          sharedSecret: site.sharedSecret,
          baseUrl: site.baseUrl,
          accountId,
          now,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
      );
    } catch (error) {
      // The server's refusal (an unknown user, a revoked client): Confluence was never asked, nothing to retry.
      if (error instanceof UserTokenGrantFailure)
        throw refusedBeforeSending(request, error.message, error, error.status);
      throw error;
    }
    return { baseUrl: site.baseUrl, headers: { authorization: `Bearer ${token}` } };
  }

  function tenant(clientKey: string): TenantConfluence {
    return {
      asApp: () => kept(`app\n${clientKey}`, () => client((request) => appAuthorization(clientKey, request))),
      asUser: (accountId) => {
        if (!mayActAsUser) {
          throw new BackendCallError(
            'ACT_AS_USER_SCOPE_MISSING',
            'Acting as a user needs the ACT_AS_USER scope: add it to the descriptor and to createConnectApp({ confluence: { scopes } }).',
          );
        }
        if (typeof accountId !== 'string' || accountId === '') {
          throw new BackendCallError('NO_USER', 'asUser needs the accountId of the user to act as.');
        }
        return kept(`user\n${clientKey}\n${accountId}`, () =>
          client((request) => userAuthorization(clientKey, accountId, request)),
        );
      },
    };
  }

  function forge(invocation: ForgeInvocation): CallerConfluence {
    let appClient: ConfluenceClient | undefined;
    let userClient: ConfluenceClient | undefined;
    const bearer = (token: string) =>
      client(async () => ({ baseUrl: invocation.apiBaseUrl, headers: { authorization: `Bearer ${token}` } }));
    return {
      asApp() {
        const token = invocation.appSystemToken;
        if (token === undefined) {
          throw new BackendCallError(
            'FORGE_TOKEN_MISSING',
            "No x-forge-oauth-system token arrived: the manifest's remote must ask for auth.appSystemToken.",
          );
        }
        return (appClient ??= bearer(token));
      },
      asUser(accountId) {
        if (invocation.accountId === undefined) {
          throw new BackendCallError('NO_USER', 'The invocation has no user (anonymous or app-only).');
        }
        if (accountId !== undefined && accountId !== invocation.accountId) {
          throw new BackendCallError('FORGE_OTHER_USER', 'Forge Remote acts only as the invoking user.');
        }
        const token = invocation.appUserToken;
        if (token === undefined) {
          throw new BackendCallError(
            'FORGE_TOKEN_MISSING',
            "No x-forge-oauth-user token arrived: the manifest's remote must ask for auth.appUserToken.",
          );
        }
        return (userClient ??= bearer(token));
      },
    };
  }

  return { tenant, forge };
}
