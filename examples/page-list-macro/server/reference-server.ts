import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import {
  DEFAULT_DATABASE_URL,
  TenantDirectory,
  createConnectApp,
  createNodeHandler,
  defineRoute,
  createSecretBox,
  jsonResponse,
  loadSecretKey,
  openTenantStore,
  parseSecretKeys,
  type ConnectApp,
  type InstallKeyProvider,
  type LifecycleNotice,
  type TenantStore,
  type TokenPolicy,
  type VerifiedContext,
} from 'confluence-iframe-kit/server';
import { staticAppHtml, type AppHtml, type ModuleKind } from './app-html.js';
import { PAGE_LIST_MACRO_APP_KEY, ROUTES, buildDescriptor } from './descriptor.js';
import { iframeHeaders } from './security-headers.js';
import { serveStatic } from './static-files.js';
import { createForgeRoutes, type ForgeRemoteOptions } from './forge.js';

export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface ReferenceServerOptions {
  /** listening port; 0 picks a free one (default 3000) */
  port?: number;
  /** listening interface (default 127.0.0.1: loopback only; `0.0.0.0` or `::` to listen on every interface) */
  host?: string;
  /** descriptor baseUrl and install `aud` (default http://localhost:<port>) */
  baseUrl?: string;
  /** `sqlite:<path>` or `postgres://…` (default sqlite:./data/tenants.db) */
  databaseUrl?: string;
  /** a ready store instead of databaseUrl (tests, custom backends) */
  store?: TenantStore;
  /** where install public keys are fetched (default https://connect-install-keys.atlassian.com) */
  installKeysUrl?: string;
  installKeys?: InstallKeyProvider;
  /** TENANT_SECRET_KEY: 64 hex chars or base64 of 32 bytes, or several such keys newest first (comma-separated); required in production */
  secretKey?: string | Uint8Array;
  /**
   * Strict, production behaviour (default true: fails closed): *.atlassian.net https product hosts, no dev frame
   * ancestors, no generated secret key, no Custom UI pages, only PRODUCTION Forge FITs with Atlassian's keys. Only an
   * explicit `false` turns on development behaviour, for a server on a developer's machine.
   */
  production?: boolean;
  /** development only: extra origins allowed to frame the module pages (the emulator, e.g. http://localhost:5173) */
  devFrameAncestors?: readonly string[];
  /** the module page HTML; default: the demo build in staticDir (or a placeholder) */
  appHtml?: AppHtml;
  /** built app assets (default ./dist/example/app) */
  staticDir?: string;
  /** Forge Remote at /forge-remote/*: the app moved to Forge calls this backend with `invokeRemote` (FIT-verified) */
  forgeRemote?: ForgeRemoteOptions;
  /** development only: the demo as Forge Custom UI at /forge/<module> (Atlassian hosts Custom UI in production) */
  forgeCustomUiHtml?: (url: string) => Promise<string>;
  /** development: vite in middleware mode, asked for anything the routes and static files do not answer */
  viteMiddleware?: NodeMiddleware;
  appKey?: string;
  appName?: string;
  scopes?: readonly string[];
  tokenPolicy?: TokenPolicy;
  onLifecycle?: (notice: LifecycleNotice) => void;
  log?: (message: string) => void;
}

export interface ReferenceHandler {
  app: ConnectApp;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  descriptor: ReturnType<typeof buildDescriptor>;
  close(): Promise<void>;
}

export interface ReferenceServer extends ReferenceHandler {
  url: string;
  server: Server;
}

function dataDirOf(databaseUrl: string): string {
  const file = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : '';
  return file && file !== ':memory:' ? dirname(resolve(file)) : resolve('data');
}

/**
 * The reference app server as a node:http handler, for callers that own the http server (the emulator's dev
 * environment mounts it behind vite). `baseUrl` is required here because the handler cannot know its port.
 */
export async function createReferenceHandler(
  options: ReferenceServerOptions & { baseUrl: string },
): Promise<ReferenceHandler> {
  // Fails closed: development behaviour only when a caller asks for it.
  const production = options.production ?? true;
  const log = options.log ?? ((message: string) => console.log(message));
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const databaseUrl = options.databaseUrl ?? DEFAULT_DATABASE_URL;

  let store = options.store;
  if (!store) {
    const key =
      options.secretKey instanceof Uint8Array
        ? options.secretKey
        : options.secretKey
          ? parseSecretKeys(options.secretKey)
          : loadSecretKey({ production, devKeyFile: join(dataDirOf(databaseUrl), 'tenant-secret.key'), warn: log });
    store = await openTenantStore(databaseUrl, createSecretBox(key));
  }
  const tenants = new TenantDirectory(store);
  const appKey = options.appKey ?? PAGE_LIST_MACRO_APP_KEY;
  const descriptor = buildDescriptor({
    key: appKey,
    name: options.appName ?? 'Iframe kit demo',
    baseUrl,
    scopes: options.scopes ?? ['READ', 'WRITE'],
  });
  const staticDir = resolve(options.staticDir ?? 'dist/example/app');
  const appHtml = options.appHtml ?? staticAppHtml(staticDir);
  const devFrameAncestors = options.devFrameAncestors ?? [];

  const modulePaths: Record<ModuleKind, string> = {
    macro: ROUTES.macro,
    'macro-editor': ROUTES.macroEditor,
    page: ROUTES.page,
    dialog: ROUTES.dialog,
  };
  const modulePage = (module: ModuleKind) => ({
    method: 'GET',
    path: modulePaths[module],
    auth: 'iframe' as const,
    async handle({ request, verified }: { request: { url: string }; verified: VerifiedContext | undefined }) {
      const html = await appHtml({ module, verified: verified!, url: request.url });
      return {
        status: 200,
        headers: iframeHeaders({ tenantBaseUrl: verified!.baseUrl, production, devFrameAncestors }),
        body: html,
      };
    },
  });

  const app = createConnectApp({
    appKey,
    baseUrl,
    tenants,
    installKeysUrl: options.installKeysUrl,
    ...(options.installKeys ? { installKeys: options.installKeys } : {}),
    development: !production,
    ...(options.tokenPolicy ? { tokenPolicy: options.tokenPolicy } : {}),
    ...(options.onLifecycle ? { onLifecycle: options.onLifecycle } : {}),
    // The same tenants for the app's Forge side: a FIT maps to the Connect install of its site (cloudId).
    ...(options.forgeRemote
      ? {
          forge: {
            appId: options.forgeRemote.appId,
            ...(options.forgeRemote.jwksUrl ? { jwksUrl: options.forgeRemote.jwksUrl } : {}),
            ...(options.forgeRemote.fetch ? { fetch: options.forgeRemote.fetch } : {}),
          },
        }
      : {}),
    routes: [
      {
        method: 'GET',
        path: ROUTES.descriptor,
        auth: 'none',
        handle: () => jsonResponse(200, descriptor, { 'cache-control': 'no-cache' }),
      },
      { method: 'GET', path: ROUTES.healthz, auth: 'none', handle: () => jsonResponse(200, { status: 'ok' }) },
      {
        method: 'GET',
        path: ROUTES.verify,
        auth: 'context',
        handle: ({ verified }) =>
          jsonResponse(200, {
            clientKey: verified!.clientKey,
            baseUrl: verified!.baseUrl,
            accountId: verified!.accountId ?? null,
            context: verified!.context,
          }),
      },
      // One route for both hosts: the Connect frontend sends its context token, the Forge one its FIT.
      defineRoute({
        method: 'GET',
        path: ROUTES.caller,
        auth: options.forgeRemote ? (['context', 'forge'] as const) : 'context',
        handle: ({ caller }) =>
          jsonResponse(200, {
            via: caller.via,
            clientKey: caller.clientKey,
            baseUrl: caller.baseUrl,
            cloudId: caller.cloudId ?? null,
            accountId: caller.accountId ?? null,
            installationId: caller.via === 'forge' ? caller.installationId : null,
          }),
      }),
      modulePage('macro'),
      modulePage('macro-editor'),
      modulePage('page'),
      modulePage('dialog'),
    ],
  });

  const assets = serveStatic(staticDir);
  const notFound = (res: ServerResponse) => {
    const body = JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No such route.' } });
    res.writeHead(404, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };
  const handler = createNodeHandler(app, {
    fallback: (req, res) => {
      if (options.viteMiddleware) return options.viteMiddleware(req, res, () => notFound(res));
      assets(req, res).then(
        (served) => {
          if (!served) notFound(res);
        },
        () => notFound(res),
      );
    },
  });
  const forgeRoutes =
    options.forgeRemote || (options.forgeCustomUiHtml && !production)
      ? createForgeRoutes({
          ...(options.forgeRemote ? { remote: options.forgeRemote } : {}),
          ...(options.forgeCustomUiHtml && !production ? { customUiHtml: options.forgeCustomUiHtml } : {}),
          frameAncestors: production ? [] : devFrameAncestors,
          baseUrl,
        })
      : undefined;
  const withForge = forgeRoutes
    ? (req: IncomingMessage, res: ServerResponse) => void (forgeRoutes(req, res) || handler(req, res))
    : handler;
  return { app, handler: withForge, descriptor, close: () => store.close() };
}

/** Where the server listens unless `host` says otherwise: this machine only. */
const DEFAULT_HOST = '127.0.0.1';

/** Starts the reference server on its own port. `url` is where it listens; `baseUrl` defaults to it. */
export async function createReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const server = createServer();
  const host = options.host ?? DEFAULT_HOST;
  // Slow or silent clients must not hold sockets forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host !== '0.0.0.0' && host !== '::' ? host : 'localhost'}:${port}`;
  let reference: ReferenceHandler;
  try {
    reference = await createReferenceHandler({ ...options, baseUrl: options.baseUrl ?? url });
  } catch (error) {
    await new Promise<void>((done) => server.close(() => done()));
    throw error;
  }
  server.on('request', reference.handler);
  return {
    ...reference,
    url,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await reference.close();
    },
  };
}
