import type { JWTPayload } from 'jose';
import { VerificationError, isVerificationError } from '../errors.js';
import type { ForgeInvocation } from '../forge/invocation.js';
import {
  createForgeInvocationVerifier,
  type ForgeInvocationVerifier,
  type VerifyForgeInvocationOptions,
} from '../forge/verify-forge-invocation.js';
import type { IncomingRequest } from '../http/incoming.js';
import { getHeader, type RequestLike } from '../http/request.js';
import { forgeRefusalResponse, jsonResponse, refusalResponse, type AppResponse } from '../http/response.js';
import { resolveTokenPolicy, type TokenPolicy } from '../jwt/options.js';
import { appBasePathOf, splitRequestTarget } from '../jwt/request-target.js';
import { DEFAULT_MAX_BODY_BYTES } from '../http/body.js';
import {
  DEVELOPMENT_HOSTS,
  PRODUCTION_HOSTS,
  assertHostAllowlist,
  type HostAllowlist,
} from '../lifecycle/host-allowlist.js';
import { assertSecureKeyUrl, createInstallKeyFetcher, type InstallKeyProvider } from '../lifecycle/install-keys.js';
import { LIFECYCLE_EVENTS } from '../lifecycle/payload.js';
import { lifecycleChangeOf } from '../lifecycle/lifecycle-change.js';
import { checkLifecyclePayload, verifyLifecycleToken } from '../lifecycle/verify-lifecycle.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import { unreadableRecordIn } from '../tenants/unreadable-record.js';
import { isActive, type LifecycleEventType, type Tenant, type TenantStore } from '../tenants/types.js';
import { verifyRequest, type VerifiedContext } from '../verify-request.js';
import {
  createBackendConfluence,
  type BackendConfluenceOptions,
  type CallerConfluence,
  type TenantConfluence,
} from '../confluence/backend-confluence.js';
import { BackendCallError } from '../confluence/errors.js';
import { connectLocation, forgeLocation, type CallerContent, type CallerSpace } from './caller-context.js';
import { loggedRequest, type LoggedRequest } from './logged-request.js';
import { compilePathPattern, type RouteParams } from './route-path.js';

/**
 * One way a caller proves who it is:
 * - `iframe`: a Connect module iframe or webhook, its JWT's qsh the hash of THIS request;
 * - `context`: the app's own frontend with a Connect context token (`AP.context.getToken()`);
 * - `forge`: the same frontend moved to Forge (Custom UI `requestRemote`/`invokeRemote`), with a Forge Invocation
 *   Token as `Authorization: Bearer`, mapped to the Connect tenant linked to its installation
 *   (`app.installationId`), else to the one installed on its site (`cloudId`): tenants/installation-link.ts.
 */
export type RouteAuthMethod = 'iframe' | 'context' | 'forge';

/**
 * How a route is authenticated: one method, several (`['context', 'forge']`: a Connect context token or a FIT,
 * whichever the request carries), or `'none'`. At most one of `iframe` and `context` per route; there is
 * deliberately no "skip qsh" mode.
 */
export type RouteAuth = RouteAuthMethod | readonly RouteAuthMethod[] | 'none';

/** What every caller has, whichever token it proved itself with. */
interface CallerBase {
  /** the Connect tenant's clientKey (a Forge caller is mapped to the same tenant) */
  clientKey: string;
  /** the tenant's product baseUrl, as stored at install */
  baseUrl: string;
  /** Atlassian account id of the user (Connect `sub`, Forge `principal`), undefined for anonymous viewers */
  accountId: string | undefined;
  /**
   * The page or blog post the call came from: Connect `context.confluence.content`, Forge
   * `context.extension.content`; undefined when the token names none (a general page, an app-only call)
   */
  content: CallerContent | undefined;
  /** The space the call came from (Connect `context.confluence.space`, Forge `context.extension.space`) */
  space: CallerSpace | undefined;
  /** every verified claim of the token, frozen: for what the typed fields above do not cover */
  claims: JWTPayload;
  /**
   * Confluence from this backend, on the browser's typed client: `asApp()` as the app, `asUser()` as this caller
   * (with the caller's permissions), `asUser(accountId)` as another user (Connect only). See the README,
   * "Call Confluence from your backend".
   */
  confluence: CallerConfluence;
}

/** A caller that proved itself with a Connect JWT (`iframe` or `context`). */
export interface ConnectCaller extends CallerBase {
  via: 'iframe' | 'context';
  host: 'connect';
  /** the site's cloudId, when the tenant's install payload carried one */
  cloudId: string | undefined;
  /** everything the Connect JWT proved (claims, product context, token source) */
  connect: VerifiedContext;
}

/** A caller that proved itself with a Forge Invocation Token, mapped to the Connect tenant of its site. */
export interface ForgeCaller extends CallerBase {
  via: 'forge';
  host: 'forge';
  /** the FIT's site (`context.cloudId`, or its installation's only site) */
  cloudId: string;
  /**
   * the Forge installation (`app.installationId`): the first link to the tenant, but it changes on reinstall (with no
   * event to the remote), so the tenant's key stays `clientKey` and the site remains the fallback
   */
  installationId: string;
  /** everything the FIT proved (claims, module, environment, OAuth tokens) */
  forge: ForgeInvocation;
}

/** Who called a route, and how it proved it (`via`, `host`). */
export type RouteCaller = ConnectCaller | ForgeCaller;

/**
 * What a handler gets. `caller` is the verified caller on every authenticated route (never undefined there) and
 * undefined on `auth: 'none'` routes; `params` holds the route path's `:name` segments, decoded (see route-path.ts).
 */
export interface RouteContext<
  Path extends string = string,
  Caller extends RouteCaller | undefined = RouteCaller | undefined,
> {
  request: IncomingRequest;
  /** path relative to the app's base path, without query */
  path: string;
  /** the `:name` segments of the route path, percent-decoded: `{ id: '42' }` for `/api/items/:id` */
  params: RouteParams<Path>;
  /** the verified caller, whichever way it authenticated */
  caller: Caller;
  /** set when the caller authenticated with a Connect JWT (`caller.connect`); undefined for Forge callers */
  verified: VerifiedContext | undefined;
}

interface RouteBase<Path extends string> {
  method: string | readonly string[];
  /**
   * path relative to the app baseUrl's path, e.g. `/api/verify`; a `:name` segment matches one segment and is
   * handed to the handler as `params.name` (rules in src/server/README.md, "Route paths")
   */
  path: Path;
  /**
   * Authorization after authentication of a Connect JWT (e.g. admin-only pages): a verified token only proves who
   * the user is. Returning false answers 403 NOT_AUTHORIZED. Routes that accept `forge` use `authorizeCaller`.
   */
  authorize?: (verified: VerifiedContext) => boolean | Promise<boolean>;
  /** Authorization for every caller, Connect or Forge. Returning false answers 403 NOT_AUTHORIZED. */
  authorizeCaller?: (caller: RouteCaller) => boolean | Promise<boolean>;
}

/** A route that needs a caller: its handler's `caller` is always set. */
export interface AuthenticatedRoute<Path extends string = string> extends RouteBase<Path> {
  /** how the route is authenticated (see RouteAuth) */
  auth: RouteAuthMethod | readonly RouteAuthMethod[];
  /** Answers a verified call: `caller` is who made it (never undefined here), `params` the path's `:name` values. */
  handle(context: RouteContext<Path, RouteCaller>): AppResponse | Promise<AppResponse>;
}

/** A route anyone may call: its handler's `caller` is undefined. */
export interface OpenRoute<Path extends string = string> extends RouteBase<Path> {
  auth: 'none';
  /** Answers any call: nothing is verified, so `caller` is undefined. */
  handle(context: RouteContext<Path, undefined>): AppResponse | Promise<AppResponse>;
}

/**
 * One route of `createConnectApp`. Written inline in `routes`, `params` is typed from the path literal and
 * `caller` from a single `auth` value; a route whose `auth` is a list (`['context', 'forge']`) gets the same typing
 * through `defineRoute` (TypeScript cannot tell an array literal apart from `'none'` while typing the handler).
 */
export type ConnectRoute<Path extends string = string> = AuthenticatedRoute<Path> | OpenRoute<Path>;

/**
 * Types a route on its own: `params` from the path literal, `caller` from `auth`. Needed only for a route whose
 * `auth` is a list of methods written inline in `routes`; any route may use it.
 *
 * @example
 * const pageRoute = defineRoute({
 *   method: 'GET',
 *   path: '/api/pages/:id',
 *   auth: ['context', 'forge'],
 *   handle: ({ params, caller }) => jsonResponse(200, { id: params.id, viewer: caller.accountId ?? null }),
 * });
 * createConnectApp({ appKey, baseUrl, tenants, forge: { appId }, routes: [pageRoute] });
 */
export function defineRoute<const Path extends string>(route: AuthenticatedRoute<Path>): AuthenticatedRoute<Path>;
export function defineRoute<const Path extends string>(route: OpenRoute<Path>): OpenRoute<Path>;
export function defineRoute(route: ConnectRoute): ConnectRoute {
  return route;
}

/** A tenant as `onLifecycle` sees it: the shared secret only when `lifecycleNoticeSecret` asks for it. */
export type NoticeTenant = Omit<Tenant, 'sharedSecret'> & { sharedSecret?: string };

export interface LifecycleNotice {
  eventType: LifecycleEventType;
  clientKey: string;
  /** false when a newer event for the tenant had already been applied, or when this was a replay */
  applied: boolean;
  /** true when the same token had already been applied with the same body (a retry): nothing changed */
  replayed: boolean;
  tenant: NoticeTenant | undefined;
  /** the lifecycle request, safe to log (no Authorization header, `jwt` redacted) */
  request: LoggedRequest;
}

export interface ConnectAppConfig<Paths extends readonly string[] = readonly string[]> {
  /** descriptor `key`; the realm of `WWW-Authenticate` */
  appKey: string;
  /** descriptor `baseUrl`: install `aud`, and the path prefix removed before hashing and routing */
  baseUrl: string;
  tenants: TenantStore | TenantDirectory;
  /** key provider; default fetches from `installKeysUrl` (default Atlassian's CDN) */
  installKeys?: InstallKeyProvider;
  /** https (plain http only for a loopback host, as tests and local mirrors use) */
  installKeysUrl?: string;
  /**
   * Development defaults instead of the strict ones: any product host (`DEVELOPMENT_HOSTS`), http product
   * baseUrls and ports, and an http install-keys URL. Default false: strict.
   */
  development?: boolean;
  /** product hosts installs may come from; default `*.atlassian.net` (`*` with `development: true`) */
  allowedHosts?: HostAllowlist;
  /** largest request body the app reads (lifecycle payloads), bytes (default 64 KiB); more → 413 */
  maxBodyBytes?: number;
  /** lifecycle route paths (relative to the base path); default /installed, /uninstalled, /enabled, /disabled */
  lifecyclePaths?: Partial<Record<LifecycleEventType, string>>;
  /** your routes; each path literal types its handler's `params` */
  routes?: { readonly [Index in keyof Paths]: ConnectRoute<Paths[Index]> };
  /**
   * Required when a route accepts `forge`: how Forge Invocation Tokens are verified (`appId`, and `keyPlatform`
   * or `jwksUrl`). The tenant store must offer `findClientKeyByCloudId` (the SQLite and PostgreSQL stores do).
   */
  forge?: VerifyForgeInvocationOptions;
  tokenPolicy?: TokenPolicy;
  /**
   * How `caller.confluence` and `app.confluence(clientKey)` call Confluence: the descriptor `scopes` (acting as a
   * user needs ACT_AS_USER), the authorization server URL (default Atlassian's), `fetch`, retries, timeout.
   */
  confluence?: BackendConfluenceOptions;
  onLifecycle?: (notice: LifecycleNotice) => void;
  /** hand the decrypted shared secret to `onLifecycle` (default false: the notice's tenant has none) */
  lifecycleNoticeSecret?: boolean;
  /**
   * Every refusal, for logs (default: none). Unknown tenant and bad signature answer the same code and message;
   * the error's `cause` says which.
   */
  onRefusal?: (error: VerificationError, request: LoggedRequest) => void;
  /**
   * unexpected (non-verification) errors, with the request safe to log (no Authorization header, `jwt` redacted);
   * default console.error of the error and that request
   */
  onError?: (error: unknown, request: LoggedRequest | undefined) => void;
}

export interface ConnectApp {
  readonly appKey: string;
  readonly baseUrl: string;
  readonly tenants: TenantDirectory;
  /** the matching route's response, or undefined when no route matches (adapters then fall through) */
  handle(request: IncomingRequest): Promise<AppResponse | undefined>;
  /** verify a request outside the route table (e.g. your own Express routes) */
  verify(request: IncomingRequest | RequestLike, mode: 'iframe' | 'context'): Promise<VerifiedContext>;
  /**
   * Authenticates a request outside the route table the way a route with this `auth` would (`forge` needs the
   * `forge` config). Throws VerificationError.
   */
  authenticate(
    request: IncomingRequest | RequestLike,
    auth: RouteAuthMethod | readonly RouteAuthMethod[],
  ): Promise<RouteCaller>;
  /**
   * Confluence for a tenant outside a request (a webhook, a job): `app.confluence(clientKey).asApp()`,
   * `.asUser(accountId)`. Connect tenants; a Forge invocation's tokens exist only in its request.
   */
  confluence(clientKey: string): TenantConfluence;
}

const AUTH_METHODS: readonly RouteAuthMethod[] = ['iframe', 'context', 'forge'];

/** The route's methods, checked at startup: a typo or a contradiction is a TypeError, never an open route. */
function authMethodsOf(auth: RouteAuth, path: string): readonly RouteAuthMethod[] {
  if (auth === 'none') return [];
  const methods: readonly unknown[] = typeof auth === 'string' ? [auth] : auth;
  if (!Array.isArray(methods) || methods.length === 0) {
    throw new TypeError(`Route ${path}: auth must be 'none', a method or a non-empty list of methods.`);
  }
  for (const method of methods) {
    if (!AUTH_METHODS.includes(method as RouteAuthMethod)) {
      throw new TypeError(`Route ${path}: unknown auth method ${JSON.stringify(method)}.`);
    }
  }
  if (new Set(methods).size !== methods.length) throw new TypeError(`Route ${path}: an auth method is repeated.`);
  if (methods.includes('iframe') && methods.includes('context')) {
    throw new TypeError(`Route ${path}: a route takes iframe tokens or context tokens, not both (their qsh differ).`);
  }
  return methods as readonly RouteAuthMethod[];
}

/** Whether the request carries a `jwt` query parameter (a Connect token), however it is spelled. */
function hasJwtQuery(url: string): boolean {
  const { query } = splitRequestTarget(url);
  if (query === '') return false;
  return new URLSearchParams(query).has('jwt');
}

function connectCaller(verified: VerifiedContext, site: TenantConfluence): ConnectCaller {
  const confluence: CallerConfluence = {
    asApp: () => site.asApp(),
    asUser: (accountId = verified.accountId) => {
      if (accountId === undefined) throw new BackendCallError('NO_USER', 'The caller is anonymous: no user to act as.');
      return site.asUser(accountId);
    },
  };
  return {
    via: verified.kind === 'iframe' ? 'iframe' : 'context',
    host: 'connect',
    clientKey: verified.clientKey,
    baseUrl: verified.baseUrl,
    cloudId: verified.cloudId,
    accountId: verified.accountId,
    ...connectLocation(verified.context),
    claims: verified.claims,
    confluence,
    connect: verified,
  };
}

function isBearer(request: RequestLike): boolean {
  const authorization = getHeader(request, 'authorization');
  return authorization !== undefined && /^Bearer[ \t]/i.test(authorization);
}

/** A 503 that says nothing of why: the reason is the server's to log. */
function storeUnavailable(): VerificationError {
  return new VerificationError('STORE_UNAVAILABLE', 'The tenant store is unavailable; retry later.');
}

function normalisePath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path || '/';
}

/**
 * The framework-neutral core of a Connect app server: the signed lifecycle routes (`/installed`, `/uninstalled`,
 * `/enabled`, `/disabled`, applied in token order to the tenant store) plus your own routes, each authenticated
 * as `iframe`, `context`, `forge` (a Forge Invocation Token mapped to the Connect tenant of its site), a list of
 * those, or `none`. Handlers get one `caller` whichever way it authenticated. Mount it with `createFetchHandler`,
 * `createNodeHandler` or `expressMiddleware`.
 *
 * @example
 * const store = await openTenantStore(process.env.DATABASE_URL!, createSecretBox(parseSecretKey(process.env.TENANT_SECRET_KEY!)));
 * const app = createConnectApp({
 *   appKey: 'com.example.my-app',
 *   baseUrl: 'https://my-app.example.com',
 *   tenants: store,
 *   routes: [
 *     {
 *       method: 'GET',
 *       path: '/api/me',
 *       auth: 'context',
 *       handle: ({ caller }) => jsonResponse(200, { accountId: caller.accountId ?? null, page: caller.content?.id }),
 *     },
 *   ],
 * });
 * createServer(createNodeHandler(app)).listen(3000);
 *
 * @example
 * // The app adopted onto Forge: one route for the Connect frontend (context token) and the Forge one (FIT).
 * const app = createConnectApp({
 *   appKey: 'com.example.my-app',
 *   baseUrl: 'https://my-app.example.com',
 *   tenants: store,
 *   forge: { appId: process.env.FORGE_APP_ID! },
 *   routes: [
 *     defineRoute({
 *       method: 'GET',
 *       path: '/api/pages/:id',
 *       auth: ['context', 'forge'],
 *       authorizeCaller: (caller) => caller.accountId !== undefined,
 *       handle: ({ caller, params }) => jsonResponse(200, { page: params.id, tenant: caller.clientKey, via: caller.via }),
 *     }),
 *   ],
 * });
 */
export function createConnectApp<const Paths extends readonly string[]>(config: ConnectAppConfig<Paths>): ConnectApp {
  const tenants = config.tenants instanceof TenantDirectory ? config.tenants : new TenantDirectory(config.tenants);
  const development = config.development === true;
  if (config.installKeysUrl !== undefined && !development) assertSecureKeyUrl(config.installKeysUrl);
  const installKeys =
    config.installKeys ?? createInstallKeyFetcher(config.installKeysUrl ? { url: config.installKeysUrl } : {});
  const allowedHosts = assertHostAllowlist(config.allowedHosts ?? (development ? DEVELOPMENT_HOSTS : PRODUCTION_HOSTS));
  const maxBodyBytes = config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const basePath = appBasePathOf(config.baseUrl);
  const policy = config.tokenPolicy ?? {};
  const leewaySeconds = resolveTokenPolicy(policy).leewaySeconds;
  const onError =
    config.onError ??
    ((error: unknown, request: LoggedRequest | undefined) =>
      console.error('[confluence-iframe-kit/server]', error, ...(request ? [request.method, request.url] : [])));

  const lifecycleByPath = new Map<string, LifecycleEventType>();
  for (const event of LIFECYCLE_EVENTS) {
    lifecycleByPath.set(normalisePath(config.lifecyclePaths?.[event] ?? `/${event}`), event);
  }
  const routes = ((config.routes ?? []) as readonly ConnectRoute[]).map((route) => {
    const authMethods = authMethodsOf(route.auth, route.path);
    if (authMethods.includes('forge') && route.authorize) {
      // `authorize` sees only Connect's VerifiedContext: on a Forge call it could not run, and skipping it would open the route.
      throw new TypeError(
        `Route ${route.path}: routes that accept forge authorize with authorizeCaller, not authorize.`,
      );
    }
    return {
      ...route,
      authMethods,
      pattern: compilePathPattern(route.path),
      methods: (typeof route.method === 'string' ? [route.method] : route.method).map((m) => m.toUpperCase()),
    };
  });
  const forgeRoutes = routes.some((route) => route.authMethods.includes('forge'));
  if (forgeRoutes && !config.forge) {
    throw new TypeError('A route accepts forge, but createConnectApp has no `forge` config (appId, keys).');
  }
  if (forgeRoutes && !tenants.store.findClientKeyByCloudId) {
    throw new TypeError('A route accepts forge, but the tenant store cannot look tenants up by cloudId.');
  }
  const backend = createBackendConfluence({ ...config.confluence, appKey: config.appKey, tenants });
  // Development serves every app environment unless told otherwise (the emulator, a `forge tunnel`); strict
  // serves the PRODUCTION one only when the keys are Atlassian's (see `environments`).
  const verifyForge: ForgeInvocationVerifier | undefined = config.forge
    ? createForgeInvocationVerifier(
        development && config.forge.environments === undefined
          ? { ...config.forge, environments: 'any' }
          : config.forge,
      )
    : undefined;

  /** A verified FIT, mapped to the active Connect tenant of its site: never a tenant the FIT does not name. */
  async function forgeCaller(request: RequestLike): Promise<ForgeCaller> {
    if (!verifyForge) throw new TypeError('createConnectApp has no `forge` config.');
    const invocation = await verifyForge(request);
    const cloudId = invocation.cloudId;
    if (cloudId === undefined) {
      throw new VerificationError('CLAIM_MISSING', 'The Forge Invocation Token names no site (context.cloudId).');
    }
    // Installation first (the link atlassian-connect-express keys on), the site second: tenants/installation-link.ts.
    const resolved = await tenants.resolveForge(invocation.installationId, cloudId);
    if (resolved === 'site-mismatch') {
      throw new VerificationError(
        'FORGE_INSTALLATION_MISMATCH',
        "The Forge installation is linked to another site's tenant than the one this token names.",
      );
    }
    if (!resolved || !isActive(resolved.tenant)) {
      throw new VerificationError(
        'FORGE_SITE_NOT_INSTALLED',
        'The app is not installed (or not enabled) on this site.',
      );
    }
    return {
      via: 'forge',
      host: 'forge',
      clientKey: resolved.tenant.clientKey,
      baseUrl: resolved.tenant.baseUrl,
      cloudId,
      accountId: invocation.accountId,
      ...forgeLocation(invocation.claims),
      claims: invocation.claims,
      confluence: backend.forge(invocation),
      installationId: invocation.installationId,
      forge: invocation,
    };
  }

  /**
   * The scheme decides which verifier runs: `Authorization: Bearer` is a FIT, anything else a Connect JWT. A
   * request carrying both a FIT and a `?jwt=` is refused rather than resolved to either of two tenants.
   */
  async function authenticate(request: RequestLike, methods: readonly RouteAuthMethod[]): Promise<RouteCaller> {
    // Routes without `forge` verify exactly as before: a Bearer header there is simply not a Connect token.
    if (methods.includes('forge') && isBearer(request)) {
      if (hasJwtQuery(request.url)) {
        throw new VerificationError(
          'TOKEN_AMBIGUOUS',
          'The request carries both a Forge Invocation Token and a Connect ?jwt=.',
        );
      }
      return forgeCaller(request);
    }
    const connectMode = methods.find((method): method is 'iframe' | 'context' => method !== 'forge');
    if (connectMode === undefined) return forgeCaller(request);
    const verified = await verifyRequest(request, {
      ...policy,
      mode: connectMode,
      tenants,
      appBaseUrl: config.baseUrl,
    });
    return connectCaller(verified, backend.tenant(verified.clientKey));
  }

  function relativePath(url: string): string | undefined {
    const { path } = splitRequestTarget(url);
    if (!basePath) return normalisePath(path);
    if (path === basePath) return '/';
    return path.startsWith(basePath + '/') ? normalisePath(path.slice(basePath.length)) : undefined;
  }

  async function lifecycle(request: IncomingRequest, event: LifecycleEventType): Promise<AppResponse> {
    // The token first: a stranger's request is refused before a byte of its body is read.
    const { token, claims } = await verifyLifecycleToken(request, {
      ...policy,
      appBaseUrl: config.baseUrl,
      installKeys,
    });
    const body = await request.text(maxBodyBytes);
    const payload = checkLifecyclePayload(claims, body, { event, appKey: config.appKey, allowedHosts, development });
    const change = lifecycleChangeOf(event, payload, { token, claims }, body, leewaySeconds);
    const result = await tenants.applyLifecycleEvent(change);
    if (config.onLifecycle) {
      let tenant: NoticeTenant | undefined = result.tenant;
      if (tenant && !config.lifecycleNoticeSecret) {
        const { sharedSecret: _secret, ...withoutSecret } = tenant;
        tenant = withoutSecret;
      }
      config.onLifecycle({
        eventType: event,
        clientKey: payload.clientKey,
        applied: result.applied,
        replayed: result.replayed === true,
        tenant,
        request: loggedRequest(request),
      });
    }
    // 204 for a stale event too: it was valid, just overtaken; a non-2xx would only make Atlassian retry it.
    return { status: 204 };
  }

  async function handle(request: IncomingRequest): Promise<AppResponse | undefined> {
    const path = relativePath(request.url);
    if (path === undefined) return undefined;
    const method = request.method.toUpperCase();
    /** a FIT on a route that takes one: its refusal carries the Bearer challenge */
    let forgeAttempt = false;
    try {
      const event = lifecycleByPath.get(path);
      if (event && method === 'POST') return await lifecycle(request, event);
      let params: Record<string, string> | undefined;
      const route = routes.find(
        (r) =>
          (r.methods.includes(method) || (method === 'HEAD' && r.methods.includes('GET'))) &&
          (params = r.pattern.match(path)) !== undefined,
      );
      if (!route || !params) return undefined;
      forgeAttempt = route.authMethods.includes('forge') && isBearer(request);
      const caller = route.authMethods.length === 0 ? undefined : await authenticate(request, route.authMethods);
      const verified = caller?.via === 'forge' ? undefined : caller?.connect;
      if (route.authorize && !(verified && (await route.authorize(verified)))) {
        throw new VerificationError('NOT_AUTHORIZED', 'This user may not use this route.');
      }
      if (route.authorizeCaller && !(caller && (await route.authorizeCaller(caller)))) {
        throw new VerificationError('NOT_AUTHORIZED', 'This user may not use this route.');
      }
      // The union of the two handler kinds: `caller` is set exactly when the route has auth methods.
      const handler = route.handle as (context: RouteContext) => AppResponse | Promise<AppResponse>;
      return await handler({ request, path, params, caller, verified });
    } catch (error) {
      if (isVerificationError(error)) {
        config.onRefusal?.(error, loggedRequest(request));
        // A record that cannot be decrypted is the operator's problem: logged here with its detail, answered
        // without it (tenants/unreadable-record.ts).
        const unreadable = unreadableRecordIn(error);
        if (unreadable) onError(unreadable, loggedRequest(request));
        const answered = unreadable === error ? storeUnavailable() : error;
        // Each scheme names its own challenge: a refused FIT is answered the way a Forge remote answers it.
        return forgeAttempt ? forgeRefusalResponse(answered) : refusalResponse(answered, config.appKey);
      }
      onError(error, loggedRequest(request));
      return jsonResponse(500, { error: { code: 'INTERNAL', message: 'Unexpected server error.' } });
    }
  }

  return {
    appKey: config.appKey,
    baseUrl: config.baseUrl,
    tenants,
    handle,
    confluence: (clientKey) => backend.tenant(clientKey),
    verify: (request, mode) => verifyRequest(request, { ...policy, mode, tenants, appBaseUrl: config.baseUrl }),
    authenticate: (request, auth) => {
      const methods = authMethodsOf(auth, 'authenticate()');
      if (methods.length === 0) return Promise.reject(new TypeError('authenticate() needs at least one method.'));
      if (methods.includes('forge') && !verifyForge) {
        return Promise.reject(new TypeError('createConnectApp has no `forge` config.'));
      }
      return authenticate(request, methods);
    },
  };
}
