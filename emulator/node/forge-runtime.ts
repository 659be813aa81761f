import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { ForgeStorage } from './forge-storage';

/**
 * The Forge runtime surface that Atlassian's npm packages reach, played by the emulator so an app's functions run in
 * this process unchanged. Read from their published sources:
 *  - `@forge/api` (out/api/fetch.js): every product call (`asUser().requestConfluence`, `asApp()…`,
 *    `requestConfluence`) is `global.__forge_fetch__({ type: 'fpp', provider, remote, accountId }, path, init)`,
 *    answered by a fetch `Response`; a `forge-proxy-error` header on it becomes a ProxyRequestError.
 *    (out/api/runtime.js): `global.__forge_runtime__` holds `appContext`, `lambdaContext` and `metrics`.
 *  - `@forge/kvs` (out/index.js): without `__forge_runtime__.kvs.url`, its calls are
 *    `__forge_fetch__({ type: 'kvs', provider: 'app', remote: 'kvs' }, '/api/v1/<operation>', { POST, JSON })`.
 *  - `@forge/storage` (the legacy `storage` of `@forge/api` 7): GraphQL through
 *    `__forge_fetch__({ type: 'fpp', provider: 'app', remote: 'stargate' }, '/forge/entities/graphql', …)`.
 * The hooks are process-wide (the packages read globals); which invocation a call belongs to is told by an
 * AsyncLocalStorage, so concurrent invocations (and several emulators in one test process) never mix.
 */

/** Who a product call acts as: the invoking (or a named) user with their permissions, or the app. */
export type ForgeAuthority = { kind: 'user'; accountId: string } | { kind: 'app' };

/** A product call as the emulator passes it on: the request read out of `init`. */
export interface ForgeProductRequest {
  authority: ForgeAuthority;
  method: string;
  /** As the app wrote it, e.g. `/wiki/api/v2/pages/123`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** One invocation's view of the platform. */
export interface ForgeInvocationScope {
  /** `getAppContext()`: the app, environment, installation and module of the invocation. */
  appContext: Record<string, unknown>;
  /** The invoking user (for `asUser()` without an accountId); undefined for an anonymous viewer. */
  accountId: string | undefined;
  /** When Forge would stop the invocation (epoch ms), for `getRemainingTimeInMillis`. */
  deadline: number;
  product(request: ForgeProductRequest): Promise<Response>;
  storage: ForgeStorage;
}

/** What `__forge_fetch__` receives as its first argument. */
interface FetchSpec {
  type?: string;
  provider?: string;
  remote?: string;
  accountId?: string;
}

const invocations = new AsyncLocalStorage<ForgeInvocationScope>();

/** The emulator says so in the app's own error, rather than a confusing network failure. */
class NotEmulated extends Error {
  constructor(what: string) {
    super(`${what} is not emulated by the Confluence emulator`);
    this.name = 'NotEmulatedError';
  }
}

function currentScope(): ForgeInvocationScope {
  const scope = invocations.getStore();
  if (!scope) throw new Error('Forge APIs can only be called while a function runs (not when its module loads)');
  return scope;
}

async function readInit(path: string, init: RequestInit | undefined) {
  // A Request reads every shape of init the app may pass (a Headers or a record, a string or a buffer body).
  const request = new Request(new URL(path, 'http://forge-product.invalid'), init);
  const method = request.method.toUpperCase();
  const body = method === 'GET' || method === 'HEAD' ? undefined : await request.text();
  return { method, headers: Object.fromEntries(request.headers), ...(body ? { body } : {}) };
}

async function forgeFetch(spec: FetchSpec, path: string, init?: RequestInit): Promise<Response> {
  const scope = currentScope();
  if (spec?.type === 'kvs') {
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    return scope.storage.kvs(path, body);
  }
  if (spec?.type !== 'fpp') throw new NotEmulated(`A Forge ${String(spec?.type)} call (${path})`);
  if (spec.remote === 'stargate') {
    if (path === '/forge/entities/graphql' && spec.provider === 'app') {
      return scope.storage.graphql(typeof init?.body === 'string' ? JSON.parse(init.body) : undefined);
    }
    throw new NotEmulated(`requestGraph / requestAtlassian (${path})`);
  }
  if (spec.remote !== 'confluence') throw new NotEmulated(`The ${String(spec.remote)} product API`);
  if (typeof path !== 'string' || !path.startsWith('/'))
    throw new TypeError('requestConfluence: the path must start with "/" (use route`…`)');
  let authority: ForgeAuthority = { kind: 'app' };
  if (spec.provider === 'user') {
    const accountId = spec.accountId ?? scope.accountId;
    // Forge answers asUser() with no user (an anonymous viewer) as needing authentication.
    if (!accountId)
      return new Response(null, { status: 401, headers: { 'forge-proxy-error': 'NEEDS_AUTHENTICATION_ERR' } });
    authority = { kind: 'user', accountId };
  }
  return scope.product({ authority, path, ...(await readInit(path, init)) });
}

const noMetric = { incr() {}, decr() {}, set() {}, measure: () => ({ stop() {} }) };
const metrics = { counter: () => noMetric, timing: () => noMetric, gauge: () => noMetric, histogram: () => noMetric };

/** `__forge_runtime__`: its members read the running invocation. */
const runtime = {
  get appContext() {
    return currentScope().appContext;
  },
  lambdaContext: {
    getRemainingTimeInMillis: () => Math.max(0, currentScope().deadline - Date.now()),
  },
  metrics,
  externalAuth: [],
  get tracing() {
    return { traceId: randomBytes(8).toString('hex'), spanId: randomBytes(8).toString('hex') };
  },
  proxy: { token: '' },
};

let installed = false;

/** Puts the runtime hooks on the global object, once per process, before any app bundle loads. */
export function installForgeRuntimeHooks(): void {
  if (installed) return;
  installed = true;
  const global = globalThis as Record<string, unknown>;
  global.__forge_fetch__ = forgeFetch;
  global.__forge_runtime__ = runtime;
}

/** Runs `fn` as one invocation: every Forge API call inside it (awaits included) sees `scope`. */
export function runForgeInvocation<T>(scope: ForgeInvocationScope, fn: () => Promise<T>): Promise<T> {
  installForgeRuntimeHooks();
  return invocations.run(scope, fn);
}
