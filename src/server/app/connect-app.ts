import { VerificationError, isVerificationError } from '../errors.js';
import type { IncomingRequest } from '../http/incoming.js';
import type { RequestLike } from '../http/request.js';
import { jsonResponse, refusalResponse, type AppResponse } from '../http/response.js';
import type { TokenPolicy } from '../jwt/options.js';
import { appBasePathOf, splitRequestTarget } from '../jwt/request-target.js';
import { DEVELOPMENT_HOSTS, PRODUCTION_HOSTS, type HostAllowlist } from '../lifecycle/host-allowlist.js';
import { createInstallKeyFetcher, type InstallKeyProvider } from '../lifecycle/install-keys.js';
import { LIFECYCLE_EVENTS, MAX_LIFECYCLE_BODY } from '../lifecycle/payload.js';
import { verifyLifecycleRequest } from '../lifecycle/verify-lifecycle.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import type { LifecycleEventType, Tenant, TenantStore } from '../tenants/types.js';
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

export interface LifecycleNotice {
  eventType: LifecycleEventType;
  clientKey: string;
  /** false when a newer event for the tenant had already been applied */
  applied: boolean;
  tenant: Tenant | undefined;
}

export interface ConnectAppConfig {
  /** descriptor `key`; the realm of `WWW-Authenticate` */
  appKey: string;
  /** descriptor `baseUrl`: install `aud`, and the path prefix removed before hashing and routing */
  baseUrl: string;
  tenants: TenantStore | TenantDirectory;
  /** key provider; default fetches from `installKeysUrl` (default Atlassian's CDN) */
  installKeys?: InstallKeyProvider;
  installKeysUrl?: string;
  /** strict defaults: product hosts limited to *.atlassian.net */
  production?: boolean;
  allowedHosts?: HostAllowlist;
  /** lifecycle route paths (relative to the base path); default /installed, /uninstalled, /enabled, /disabled */
  lifecyclePaths?: Partial<Record<LifecycleEventType, string>>;
  routes?: readonly ConnectRoute[];
  tokenPolicy?: TokenPolicy;
  onLifecycle?: (notice: LifecycleNotice) => void;
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
  const installKeys =
    config.installKeys ?? createInstallKeyFetcher(config.installKeysUrl ? { url: config.installKeysUrl } : {});
  const allowedHosts = config.allowedHosts ?? (config.production ? PRODUCTION_HOSTS : DEVELOPMENT_HOSTS);
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
    const body = await request.text(MAX_LIFECYCLE_BODY);
    const { payload, claims } = await verifyLifecycleRequest(request, body, {
      ...policy,
      event,
      appBaseUrl: config.baseUrl,
      installKeys,
      allowedHosts,
    });
    const change = {
      clientKey: payload.clientKey,
      eventType: event,
      iat: claims.iat as number,
      baseUrl: payload.baseUrl,
      ...(payload.sharedSecret !== undefined ? { sharedSecret: payload.sharedSecret } : {}),
      ...(payload.productType !== undefined ? { productType: payload.productType } : {}),
      ...(payload.description !== undefined ? { description: payload.description } : {}),
    };
    const result = await tenants.applyLifecycleEvent(change);
    config.onLifecycle?.({
      eventType: event,
      clientKey: payload.clientKey,
      applied: result.applied,
      tenant: result.tenant,
    });
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
      if (isVerificationError(error)) return refusalResponse(error, config.appKey);
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
