import { VerificationError, isVerificationError } from '../errors.js';
import type { IncomingRequest } from '../http/incoming.js';
import type { RequestLike } from '../http/request.js';
import { jsonResponse, refusalResponse, type AppResponse } from '../http/response.js';
import type { TokenPolicy } from '../jwt/options.js';
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
import { checkLifecyclePayload, lifecycleTokenRecord, verifyLifecycleToken } from '../lifecycle/verify-lifecycle.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import type { LifecycleChange, LifecycleEventType, Tenant, TenantStore } from '../tenants/types.js';
import { verifyRequest, type VerifiedContext } from '../verify-request.js';

export type RouteAuth = 'iframe' | 'context' | 'none';

export interface RouteContext {
  request: IncomingRequest;
  /** path relative to the app's base path, without query */
  path: string;
  /** set on `iframe` and `context` routes */
  verified: VerifiedContext | undefined;
}

export interface ConnectRoute {
  method: string | readonly string[];
  /** path relative to the app baseUrl's path, e.g. `/api/verify` */
  path: string;
  /** how the route is authenticated; there is deliberately no "skip qsh" mode */
  auth: RouteAuth;
  /**
   * Authorization after authentication (e.g. admin-only pages): a verified token only proves who the user is.
   * Returning false answers 403 NOT_AUTHORIZED.
   */
  authorize?: (verified: VerifiedContext) => boolean | Promise<boolean>;
  handle(context: RouteContext): AppResponse | Promise<AppResponse>;
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
}

export interface ConnectAppConfig {
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
  routes?: readonly ConnectRoute[];
  tokenPolicy?: TokenPolicy;
  onLifecycle?: (notice: LifecycleNotice) => void;
  /** hand the decrypted shared secret to `onLifecycle` (default false: the notice's tenant has none) */
  lifecycleNoticeSecret?: boolean;
  /**
   * Every refusal, for logs (default: none). Unknown tenant and bad signature answer the same code and message;
   * the error's `cause` says which.
   */
  onRefusal?: (error: VerificationError, request: IncomingRequest) => void;
  /** unexpected (non-verification) errors; default console.error */
  onError?: (error: unknown) => void;
}

export interface ConnectApp {
  readonly appKey: string;
  readonly baseUrl: string;
  readonly tenants: TenantDirectory;
  /** the matching route's response, or undefined when no route matches (adapters then fall through) */
  handle(request: IncomingRequest): Promise<AppResponse | undefined>;
  /** verify a request outside the route table (e.g. your own Express routes) */
  verify(request: IncomingRequest | RequestLike, mode: 'iframe' | 'context'): Promise<VerifiedContext>;
}

function normalisePath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path || '/';
}

/**
 * The framework-neutral core of a Connect app server: the signed lifecycle routes (`/installed`, `/uninstalled`,
 * `/enabled`, `/disabled`, applied in token order to the tenant store) plus your own routes, each authenticated
 * as `iframe`, `context` or `none`. Mount it with `createFetchHandler`, `createNodeHandler` or `expressMiddleware`.
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
 *       handle: ({ verified }) => jsonResponse(200, { accountId: verified?.accountId ?? null }),
 *     },
 *   ],
 * });
 * createServer(createNodeHandler(app)).listen(3000);
 */
export function createConnectApp(config: ConnectAppConfig): ConnectApp {
  const tenants = config.tenants instanceof TenantDirectory ? config.tenants : new TenantDirectory(config.tenants);
  const development = config.development === true;
  if (config.installKeysUrl !== undefined && !development) assertSecureKeyUrl(config.installKeysUrl);
  const installKeys =
    config.installKeys ?? createInstallKeyFetcher(config.installKeysUrl ? { url: config.installKeysUrl } : {});
  const allowedHosts = assertHostAllowlist(config.allowedHosts ?? (development ? DEVELOPMENT_HOSTS : PRODUCTION_HOSTS));
  const maxBodyBytes = config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const basePath = appBasePathOf(config.baseUrl);
  const policy = config.tokenPolicy ?? {};
  const onError = config.onError ?? ((error: unknown) => console.error('[confluence-iframe-kit/server]', error));

  const lifecycleByPath = new Map<string, LifecycleEventType>();
  for (const event of LIFECYCLE_EVENTS) {
    lifecycleByPath.set(normalisePath(config.lifecyclePaths?.[event] ?? `/${event}`), event);
  }
  const routes = (config.routes ?? []).map((route) => ({
    ...route,
    path: normalisePath(route.path),
    methods: (typeof route.method === 'string' ? [route.method] : route.method).map((m) => m.toUpperCase()),
  }));

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
    const change: LifecycleChange = {
      token: lifecycleTokenRecord(token, body, claims),
      clientKey: payload.clientKey,
      eventType: event,
      iat: claims.iat as number,
      baseUrl: payload.baseUrl,
      ...(payload.sharedSecret !== undefined ? { sharedSecret: payload.sharedSecret } : {}),
      ...(payload.productType !== undefined ? { productType: payload.productType } : {}),
      ...(payload.description !== undefined ? { description: payload.description } : {}),
    };
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
      });
    }
    // 204 for a stale event too: it was valid, just overtaken; a non-2xx would only make Atlassian retry it.
    return { status: 204 };
  }

  async function handle(request: IncomingRequest): Promise<AppResponse | undefined> {
    const path = relativePath(request.url);
    if (path === undefined) return undefined;
    const method = request.method.toUpperCase();
    try {
      const event = lifecycleByPath.get(path);
      if (event && method === 'POST') return await lifecycle(request, event);
      const route = routes.find(
        (r) => r.path === path && (r.methods.includes(method) || (method === 'HEAD' && r.methods.includes('GET'))),
      );
      if (!route) return undefined;
      const verified =
        route.auth === 'none'
          ? undefined
          : await verifyRequest(request, { ...policy, mode: route.auth, tenants, appBaseUrl: config.baseUrl });
      if (route.authorize && !(verified && (await route.authorize(verified)))) {
        throw new VerificationError('NOT_AUTHORIZED', 'This user may not use this route.');
      }
      return await route.handle({ request, path, verified });
    } catch (error) {
      if (isVerificationError(error)) {
        config.onRefusal?.(error, request);
        return refusalResponse(error, config.appKey);
      }
      onError(error);
      return jsonResponse(500, { error: { code: 'INTERNAL', message: 'Unexpected server error.' } });
    }
  }

  return {
    appKey: config.appKey,
    baseUrl: config.baseUrl,
    tenants,
    handle,
    verify: (request, mode) => verifyRequest(request, { ...policy, mode, tenants, appBaseUrl: config.baseUrl }),
  };
}
