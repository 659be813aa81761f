import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  fetchDescriptor,
  listModules,
  signsRequests,
  substituteUrlVariables,
  type ConnectDescriptor,
  type EmulatedModule,
} from './descriptor';
import { installApp, type InstallResult } from './install';
import {
  createInstallKeyPair,
  createInstallKeyServer,
  mintContextToken,
  mintIframeToken,
  createWorld,
  type ConfluenceWorld,
  type ConfluenceAnswer,
  type ConnectScope,
  type WorldSeed,
} from '../../src/testing/core';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createAtlassianConnectFiles, emulatedAllJs } from './atlassian-connect-files';
import { answerBackendCall, deserializeAnswer, type SerializedAnswer } from './site-answer';
import { createBackendTokens } from './backend-authority';
import { answerTokenRequest, OAUTH_TOKEN_ROUTE } from './oauth-server';
import { createSiteRest, type BackendCallRecord } from './site-rest';
import type { EmulatedTenant } from './tenant';
import {
  ACCOUNT_ID,
  CONTEXT_VALUE,
  createForgeInvocationService,
  InvocationRefused,
  type ForgeInvocationService,
  RemoteTimeout,
} from './forge-invocation';
import { readNodeBody } from '../../src/server/internal/index.js';
import { appLicenceActive, visibleAccountId } from '../../src/testing/internals';
import type { ForgeManifest } from './forge-manifest';
import { createForgeResolvers, type ForgeResolvers } from './forge-resolvers';
import { createForgeStorage } from './forge-storage';
import type { RequestHandler } from 'msw';
import { answerExtraHandlerRequest, answerWithExtraHandlers } from './extra-handlers';
import type { BackendCall } from './site-answer';

/**
 * The Node half of the emulator, mounted under `/__emulator/` on the emulator origin. It holds what a
 * browser page must never hold: the install private key and the tenant's shared secret.
 */
export interface EmulatorBackendOptions {
  /** Each backend REST call as the page's request log shows it (with its authority), for tests and tools. */
  onBackendCall?: (record: BackendCallRecord) => void;
  /** Origin of the emulator page, e.g. http://localhost:5173 (the emulated product lives at `${origin}/wiki`). */
  emulatorOrigin: string;
  /**
   * Where the app serves its descriptor, e.g. http://localhost:3000/atlassian-connect.json. Absent for a Forge app
   * without Connect modules (`forge.manifest` then names everything the emulator hosts).
   */
  descriptorUrl?: string;
  clientKey?: string;
  /** accountId of the site admin who "installs" the app. */
  installingAccountId?: string;
  /** The emulated site's content, as `createWorld` takes it (default: the testing kit's default world). */
  site?: WorldSeed;
  /** Who acts when the page URL names nobody: an accountId or a seed user name. */
  actingUser?: string;
  /** Parameters a macro starts with on the page, by module key (over the descriptor's `defaultValue`s). */
  macroParameters?: Record<string, Record<string, string>>;
  /**
   * Where the emulator keeps the tenant (client key and shared secret) across runs, so a restart re-installs the same
   * tenant. Default: a new tenant every run.
   */
  tenantFile?: string;
  /**
   * The app's Forge side (Forge mode): where its Custom UI is served, and either its one remote (our example app) or
   * its manifest (`emulate --forge`: modules, resources, remotes).
   */
  forge?: { customUiBaseUrl: string; remoteBaseUrl?: string; manifest?: ForgeManifest };
  /** Where a Forge app's storage (KVS) is kept across runs. Default: in memory only. */
  forgeStorageFile?: string;
  /** Where a Forge function's failure is printed. Default: the console. */
  output?: { error(line: string): void };
  /** `emulate --handlers`: msw handlers that answer the site's REST calls before the emulated site does. */
  extraHandlers?: readonly RequestHandler[];
}

export interface EmulatorBackend {
  readonly installKeysUrl: string;
  /**
   * The emulator's authorization server for the JWT bearer grant (`<emulator>/__emulator`; token endpoint
   * `/oauth2/token` under it): where an app that acts as users points its authorization-server URL.
   */
  readonly authorizationServerUrl: string;
  /** Forge mode: the emulated app id and the JWKS its invocation tokens verify against (when the app has a Forge side). */
  readonly forge: { appId: string; jwksUrl: string } | undefined;
  /** Install (once; again after a failure) and report the outcome. */
  ensureInstalled(): Promise<InstallResult>;
  middleware(req: IncomingMessage, res: ServerResponse, next: () => void): void;
  /** Stops what runs beside the servers (the Forge functions' event streams and bundles). */
  close(): Promise<void>;
}

/** The page context the emulated page hands to the module URL and the context token. */
const CONTEXT_PARAMS = ['pageId', 'pageVersion', 'spaceKey', 'spaceId', 'macroId', 'outputType'] as const;
type PageContext = Partial<Record<(typeof CONTEXT_PARAMS)[number], string>>;

class BadRequest extends Error {}

/** How long a backend call waits for an open emulator page to answer before this process's site copy answers. */
const PAGE_ANSWER_TIMEOUT_MS = 10_000;
/** A page's answer to a backend call (a page body, a list of results): far below this. */
const PAGE_ANSWER_MAX_BYTES = 16 * 1024 * 1024;

/** A page route's parameters (page context, module key, macro parameters of at most 256 characters each): far below. */
const PAGE_PARAMS_MAX_BYTES = 64 * 1024;

/** The installation ARI of a Forge installation, as Forge names it in FITs and the install payload (with a UUID). */
const INSTALLATION_ARI_PREFIX = 'ari:cloud:ecosystem::installation/';

/** The size of a Connect shared secret (256 bits). */
const SHARED_SECRET_BYTES = 32;

/** The tenant a previous run kept, or undefined when there is none (or it is not one). */
async function readKeptTenant(file: string): Promise<EmulatedTenant | undefined> {
  try {
    const kept = JSON.parse(await readFile(file, 'utf8')) as Partial<EmulatedTenant>;
    if (typeof kept.sharedSecret === 'string' && typeof kept.baseUrl === 'string' && typeof kept.clientKey === 'string')
      return kept as EmulatedTenant;
  } catch {
    // No tenant kept yet.
  }
  return undefined;
}

export async function createEmulatorBackend(opts: EmulatorBackendOptions): Promise<EmulatorBackend> {
  // The emulator's own "connect-install-keys" service: one RS256 key pair per run, served like Atlassian's CDN.
  const keyPair = await createInstallKeyPair();
  const installKeysUrl = `${opts.emulatorOrigin}/__emulator/install-keys`;
  const keyServer = createInstallKeyServer([keyPair], installKeysUrl);
  const productBaseUrl = `${opts.emulatorOrigin}/wiki`;
  const authorizationServerUrl = `${opts.emulatorOrigin}/__emulator`;
  // Bearer tokens the site issues to the app's backend (user tokens, Forge Remote tokens) and accepts back.
  const backendTokens = createBackendTokens();
  const manifest = opts.forge?.manifest;
  // One installation for the run (kept with the tenant across runs): the FITs and the install payload name it.
  const keptTenant = opts.tenantFile ? await readKeptTenant(opts.tenantFile) : undefined;
  const installationId = keptTenant?.installationId ?? `${INSTALLATION_ARI_PREFIX}${randomUUID()}`;
  const extraHandlers = opts.extraHandlers ?? [];
  const forge = opts.forge
    ? await createForgeInvocationService({
        emulatorOrigin: opts.emulatorOrigin,
        principalOf: (user) => tokenAccountId(user),
        installationId,
        ...(opts.forge.remoteBaseUrl ? { remoteBaseUrl: opts.forge.remoteBaseUrl } : {}),
        ...(manifest
          ? {
              appId: manifest.appId,
              remotes: manifest.remotes,
              ...(manifest.remoteTokens ? { remoteTokens: manifest.remoteTokens } : {}),
              moduleRemotes: manifest.moduleRemotes,
              moduleTypes: new Map(
                manifest.modules.flatMap((module) => (module.forge ? [[module.key, module.forge.type]] : [])),
              ),
            }
          : {}),
        siteUrl: opts.emulatorOrigin,
        backendTokens,
      })
    : undefined;
  // A manifest's `function` modules run in this process when the Custom UI calls invoke().
  const resolvers: ForgeResolvers | undefined = manifest
    ? createForgeResolvers({
        manifest,
        storage: await createForgeStorage(opts.forgeStorageFile ? { file: opts.forgeStorageFile } : {}),
        emulatorOrigin: opts.emulatorOrigin,
        appId: forge!.appId,
        installationId,
        world: async () => (await installed()).world,
        principalOf: (user) => tokenAccountId(user),
        output: opts.output ?? console,
      })
    : undefined;
  // all.js on the emulator origin: its CDN stylesheets come from here too.
  const atlassianConnectFiles = createAtlassianConnectFiles(
    await emulatedAllJs(JSON.stringify(`${opts.emulatorOrigin}/atlassian-connect`)),
  );
  // The pages listening on /__emulator/events: each backend call goes to their request logs, and an open page
  // answers it from its own site data (backend-call → POST backend-answer), so the backend and the iframes share one
  // site. With no page open, or none answering in time, this process's copy of the site answers.
  const eventStreams = new Set<ServerResponse>();
  const pageAnswers = new Map<string, (answer: ConfluenceAnswer | undefined) => void>();
  const broadcast = (event: string, data: unknown) => {
    const message = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const stream of eventStreams) stream.write(message);
  };
  const siteRest = createSiteRest({
    installedApp: async () => {
      try {
        const { descriptor, tenant, result, world } = await installed();
        return result.ok ? { appKey: descriptor.key, tenant, world } : undefined;
      } catch {
        return undefined;
      }
    },
    onCall: (record) => {
      broadcast('backend-request', record);
      opts.onBackendCall?.(record);
    },
    tokens: backendTokens,
    // `--handlers` answer first; what they leave goes to the page (or this process's site copy), as before.
    askPage: (call) => {
      if (extraHandlers.length === 0) return askPage(call);
      return answerWithExtraHandlers(extraHandlers, opts.emulatorOrigin, call).then(
        (answer) => answer ?? askPage(call) ?? answerInProcess(call),
      );
    },
  });
  async function answerInProcess(call: BackendCall): Promise<ConfluenceAnswer> {
    const { descriptor, tenant, world } = await installed();
    return answerBackendCall(world, call, { appKey: descriptor.key, siteBaseUrl: tenant.baseUrl });
  }
  function askPage(call: BackendCall): Promise<ConfluenceAnswer> | undefined {
    if (eventStreams.size === 0) return undefined;
    const id = randomUUID();
    return new Promise<ConfluenceAnswer | undefined>((resolve) => {
      const timer = setTimeout(() => settle(undefined), PAGE_ANSWER_TIMEOUT_MS);
      function settle(answer: ConfluenceAnswer | undefined) {
        clearTimeout(timer);
        pageAnswers.delete(id);
        resolve(answer);
      }
      pageAnswers.set(id, settle);
      broadcast('backend-call', { id, call });
    }).then((answer) => answer ?? answerInProcess(call));
  }
  let state:
    | Promise<{
        descriptor: ConnectDescriptor;
        modules: EmulatedModule[];
        tenant: EmulatedTenant;
        result: InstallResult;
        world: ConfluenceWorld;
      }>
    | undefined;

  /** A Forge app with no Connect side: nothing to install, its modules are the manifest's. */
  function forgeOnly(forgeManifest: ForgeManifest) {
    const key = forgeManifest.appId;
    const descriptor: ConnectDescriptor = { key, name: 'Forge app', baseUrl: opts.forge!.customUiBaseUrl, scopes: [] };
    // No Connect app signs REST calls: a shared secret nobody knows keeps the site's REST API refusing every call.
    const tenant: EmulatedTenant = {
      clientKey: opts.clientKey ?? 'confluence-emulator-local',
      sharedSecret: randomBytes(SHARED_SECRET_BYTES).toString('base64url'),
      baseUrl: productBaseUrl,
    };
    const world = createWorld({
      ...opts.site,
      appKey: key,
      scopes: forgeManifest.scopes,
      siteUrl: opts.emulatorOrigin,
    });
    const result: InstallResult = { ok: true, status: 200, detail: 'a Forge app: nothing to install' };
    return { descriptor, modules: forgeManifest.modules, tenant, result, world };
  }

  async function install() {
    if (!opts.descriptorUrl) return forgeOnly(manifest!);
    const descriptor = await fetchDescriptor(opts.descriptorUrl);
    const kept = keptTenant;
    const { tenant, result } = await installApp({
      descriptor,
      keyPair,
      clientKey: opts.clientKey ?? 'confluence-emulator-local',
      productBaseUrl,
      installingAccountId: opts.installingAccountId ?? 'emulator-admin',
      installationId,
      ...(kept && kept.baseUrl === productBaseUrl ? { sharedSecret: kept.sharedSecret } : {}),
      ...(kept?.oauthClientId && kept.baseUrl === productBaseUrl ? { oauthClientId: kept.oauthClientId } : {}),
    });
    if (opts.tenantFile && result.ok) await writeFile(opts.tenantFile, JSON.stringify(tenant), { mode: 0o600 });
    // The site as the app's backend sees it over HTTP: the same seed as the page's, in this process.
    const world = createWorld({
      ...opts.site,
      appKey: descriptor.key,
      scopes: (descriptor.scopes ?? []) as ConnectScope[],
      siteUrl: opts.emulatorOrigin,
    });
    // Listed once per install: every module URL the page asks for looks its module up here. An adopted app's
    // Forge modules (from its manifest) come after its Connect modules.
    const modules = [...listModules(descriptor), ...(manifest?.modules ?? [])].map((module) => {
      const seeded = opts.macroParameters?.[module.key];
      return seeded && module.kind === 'macro'
        ? { ...module, defaultParameters: { ...module.defaultParameters, ...seeded } }
        : module;
    });
    return { descriptor, modules, tenant, result, world };
  }

  async function installed() {
    if (!state) state = install();
    try {
      const current = await state;
      if (!current.result.ok) state = undefined; // retried on the next page load
      return current;
    } catch (error) {
      state = undefined;
      throw error;
    }
  }

  /**
   * The `sub` (Connect) or `principal` (Forge) an acting user's tokens carry: none for an anonymous viewer, as
   * Confluence sends none; an accountId the site does not know is passed through as given.
   */
  async function tokenAccountId(user: string): Promise<string | null> {
    const known = (await installed()).world.user(user);
    if (!known) return user;
    return visibleAccountId(known) ?? null;
  }

  function readContext(params: URLSearchParams): PageContext {
    const ctx: PageContext = {};
    for (const name of CONTEXT_PARAMS) {
      const value = params.get(name);
      if (value === null) continue;
      if (!CONTEXT_VALUE.test(value)) throw new BadRequest(`invalid ${name}`);
      ctx[name] = value;
    }
    return ctx;
  }

  function readUser(params: URLSearchParams): string {
    const user = params.get('user') ?? '';
    if (!ACCOUNT_ID.test(user)) throw new BadRequest('user must be an accountId');
    return user;
  }

  function jwtContext(ctx: PageContext) {
    return {
      license: { active: true },
      confluence: {
        content: ctx.pageId ? { id: ctx.pageId, type: 'page', version: ctx.pageVersion ?? '1' } : undefined,
        space: ctx.spaceKey || ctx.spaceId ? { key: ctx.spaceKey, id: ctx.spaceId } : undefined,
        macro: ctx.macroId ? { id: ctx.macroId, outputType: ctx.outputType ?? 'display' } : undefined,
      },
    };
  }

  function readSurface(params: URLSearchParams): 'module' | 'editor' {
    const editor = params.get('editor');
    if (editor === null) return 'module';
    if (editor === '1') return 'editor';
    throw new BadRequest('editor must be 1 or absent');
  }

  /** Macro parameters arrive as `p.<identifier>`; Confluence substitutes them into the macro URL as `{identifier}`. */
  function readMacroParams(params: URLSearchParams): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of params) {
      if (!name.startsWith('p.')) continue;
      const id = name.slice(2);
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(id) || value.length > 256)
        throw new BadRequest(`invalid macro parameter ${id}`);
      out[id] = value;
    }
    return out;
  }

  /** `surface` picks the module's own URL or, for a macro, its custom editor's (signed the same way). */
  async function moduleUrl(
    module: EmulatedModule,
    surface: 'module' | 'editor',
    descriptor: ConnectDescriptor,
    tenant: EmulatedTenant,
    user: string,
    ctx: PageContext,
    macroParams: Record<string, string>,
  ) {
    const appBaseUrl = descriptor.baseUrl.replace(/\/$/, '');
    const template = surface === 'editor' ? module.editor!.url : module.url;
    const path = substituteUrlVariables(template, {
      ...(module.kind === 'macro' ? macroParams : {}),
      'page.id': ctx.pageId,
      'content.id': ctx.pageId,
      'page.version': ctx.pageVersion,
      'content.version': ctx.pageVersion,
      'page.type': 'page',
      'space.key': ctx.spaceKey,
      'space.id': ctx.spaceId,
      'macro.id': ctx.macroId,
      'output.type': ctx.outputType ?? 'display',
    });
    const url = new URL(appBaseUrl + path);
    // The context parameters Confluence appends to every module URL (connect-client.md §c).
    url.searchParams.set('xdm_e', opts.emulatorOrigin);
    url.searchParams.set('xdm_c', `channel-${module.key}${surface === 'editor' ? '-editor' : ''}`);
    url.searchParams.set('cp', '/wiki');
    url.searchParams.set('lic', appLicenceActive((await installed()).world.user(user)) ? 'active' : 'none');
    url.searchParams.set('cv', '1.0.0');
    if (!signsRequests(descriptor)) return url.toString();
    const jwt = await mintIframeToken({
      ...tenant,
      url: url.toString(),
      appBaseUrl,
      accountId: await tokenAccountId(user),
      context: jwtContext(ctx),
    });
    url.searchParams.set('jwt', jwt);
    return url.toString();
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const json = (status: number, body: unknown) => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'no-store');
      res.end(JSON.stringify(body));
    };
    const route = url.pathname.slice('/__emulator/'.length);

    if (route.startsWith('install-keys/')) {
      const answer = await keyServer.fetch(new URL(url.pathname, opts.emulatorOrigin), { method: req.method ?? 'GET' });
      res.statusCode = answer.status;
      res.setHeader('content-type', answer.headers.get('content-type') ?? 'text/plain');
      res.end(await answer.text());
      return;
    }
    if (route === 'backend-answer') return backendAnswer(req, json);
    if (
      route.startsWith('forge/') &&
      resolvers &&
      (await resolvers.handle(req, res, route.slice('forge/'.length), url))
    )
      return;
    if (route === 'extra-handler') {
      const { status, body } = await answerExtraHandlerRequest(req, extraHandlers, opts.emulatorOrigin);
      return json(status, body);
    }
    if (route === OAUTH_TOKEN_ROUTE) {
      const { tenant, world, result } = await installed();
      if (!result.ok || !tenant.oauthClientId) {
        return json(401, { error: 'invalid_client', error_description: 'no app is installed on this site' });
      }
      return answerTokenRequest(req, res, { tenant, world, authorizationServerUrl, tokens: backendTokens });
    }
    if (route === 'forge/invoke-remote') {
      if (!forge)
        return json(404, { error: { code: 'NO_FORGE_REMOTE', message: 'the hosted app has no Forge remote' } });
      return invokeRemote(forge, req, json);
    }
    if (route === 'config' || route === 'iframe-url' || route === 'context-token') {
      // POSTs from the emulator page only (request-guard.ts refuses other origins before this).
      if (req.method !== 'POST') return json(405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'POST only' } });
      return pageRoute(route, await readPageParams(req), json);
    }
    if ((route === 'events' || route === 'forge/jwks.json') && req.method !== 'GET')
      return json(405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'GET only' } });

    if (route === 'events') {
      // Server-sent events for the emulator page (same origin only: no CORS header), kept open until it goes.
      res.statusCode = 200;
      res.setHeader('content-type', 'text/event-stream');
      res.setHeader('cache-control', 'no-store');
      res.setHeader('connection', 'keep-alive');
      res.flushHeaders();
      res.write(': connected\n\n');
      eventStreams.add(res);
      req.once('close', () => eventStreams.delete(res));
      return;
    }
    if (route === 'forge/jwks.json' && forge) {
      const answer = await forge.jwks();
      res.statusCode = answer.status;
      res.setHeader('content-type', answer.headers.get('content-type') ?? 'application/json');
      res.end(await answer.text());
      return;
    }
    return json(404, { error: { code: 'NOT_FOUND', message: 'unknown emulator route' } });
  }

  /**
   * The routes that hand the emulator page what only it may see: the installed app with the site seed (`config`), a
   * signed module URL (`iframe-url`), a context token (`context-token`). Their parameters come as a JSON object.
   */
  async function pageRoute(
    route: 'config' | 'iframe-url' | 'context-token',
    params: URLSearchParams,
    json: (status: number, body: unknown) => void,
  ): Promise<void> {
    if (route === 'config') {
      try {
        const { descriptor, modules, tenant, result } = await installed();
        return json(200, {
          addonKey: descriptor.key,
          appName: descriptor.name ?? descriptor.key,
          appBaseUrl: descriptor.baseUrl,
          productBaseUrl: tenant.baseUrl,
          scopes: opts.descriptorUrl ? (descriptor.scopes ?? []) : manifest!.scopes,
          modules,
          install: result,
          site: opts.site,
          actingUser: opts.actingUser,
          ...(extraHandlers.length > 0 ? { extraHandlers: true } : {}),
          forge: opts.forge
            ? {
                customUiBaseUrl: opts.forge.customUiBaseUrl,
                ...(manifest ? { manifest: true, resources: [...manifest.resources.keys()] } : {}),
                ...(manifest && !opts.descriptorUrl ? { only: true } : {}),
              }
            : undefined,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return json(502, { error: { code: 'APP_UNREACHABLE', message } });
      }
    }
    const user = readUser(params);
    const ctx = readContext(params);
    const { descriptor, modules, tenant, result } = await installed();
    if (!result.ok) return json(409, { error: { code: 'NOT_INSTALLED', message: 'the app refused the install' } });
    if (route === 'context-token') {
      return json(200, {
        token: await mintContextToken({ ...tenant, accountId: await tokenAccountId(user), context: jwtContext(ctx) }),
      });
    }
    const module = modules.find((candidate) => candidate.key === params.get('module'));
    if (!module) return json(404, { error: { code: 'UNKNOWN_MODULE', message: 'no such module in the descriptor' } });
    const surface = readSurface(params);
    if (surface === 'editor' && !module.editor) {
      return json(404, {
        error: { code: 'NO_EDITOR', message: 'this module has no custom macro editor in the descriptor' },
      });
    }
    return json(200, {
      url: await moduleUrl(module, surface, descriptor, tenant, user, ctx, readMacroParams(params)),
    });
  }

  /** A page route's parameters: a JSON object of strings (the page context, the module, macro parameters). */
  async function readPageParams(req: IncomingMessage): Promise<URLSearchParams> {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
      throw new BadRequest('content-type must be application/json');
    let input: unknown;
    try {
      input = JSON.parse(await readNodeBody(req, PAGE_PARAMS_MAX_BYTES));
    } catch {
      throw new BadRequest('the body is not JSON');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new BadRequest('the body must be a JSON object of strings');
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(input)) {
      if (typeof value !== 'string') throw new BadRequest(`${name} must be a string`);
      params.set(name, value);
    }
    return params;
  }

  /**
   * An emulator page's answer to a backend call it was sent on /__emulator/events. Same origin and JSON only; the id
   * is a random UUID only the pages listening were told, and the first answer wins.
   */
  async function backendAnswer(req: IncomingMessage, json: (status: number, body: unknown) => void): Promise<void> {
    if (req.method !== 'POST') return json(405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'POST only' } });
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
      throw new BadRequest('content-type must be application/json');
    let input: { id?: unknown; answer?: Partial<SerializedAnswer> };
    try {
      input = JSON.parse(await readNodeBody(req, PAGE_ANSWER_MAX_BYTES)) as typeof input;
    } catch {
      throw new BadRequest('the body is not JSON');
    }
    const settle = typeof input.id === 'string' ? pageAnswers.get(input.id) : undefined;
    if (!settle)
      return json(404, { error: { code: 'UNKNOWN_CALL', message: 'no backend call waits for this answer' } });
    const answer = input.answer;
    const answered = deserializeAnswer(answer);
    if (!answered) throw new BadRequest('the answer needs status, headers and body');
    settle(answered);
    return json(200, { ok: true });
  }

  /**
   * The Forge invocation service: the page sends the Custom UI's `invokeRemote` here; the FIT is minted on this
   * side. JSON only and same-origin only, so another site cannot make the emulator call the app as a user.
   */
  async function invokeRemote(
    service: ForgeInvocationService,
    req: IncomingMessage,
    json: (status: number, body: unknown) => void,
  ): Promise<void> {
    if (req.method !== 'POST') return json(405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'POST only' } });
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
      throw new BadRequest('content-type must be application/json');
    let input: unknown;
    try {
      input = JSON.parse(await readNodeBody(req, 256 * 1024));
    } catch {
      throw new BadRequest('the body is not JSON');
    }
    try {
      return json(200, await service.invoke(input));
    } catch (error) {
      if (error instanceof InvocationRefused) throw new BadRequest(error.message);
      if (error instanceof RemoteTimeout)
        return json(504, { error: { code: 'REMOTE_TIMEOUT', message: error.message } });
      return json(502, {
        error: {
          code: 'REMOTE_UNREACHABLE',
          message: `the app's remote did not answer: ${error instanceof Error ? error.message : String(error)}`,
        },
      });
    }
  }

  return {
    installKeysUrl,
    authorizationServerUrl,
    forge: forge ? { appId: forge.appId, jwksUrl: forge.jwksUrl } : undefined,
    async ensureInstalled() {
      return (await installed()).result;
    },
    close: async () => resolvers?.close(),
    middleware(req, res, next) {
      const url = new URL(req.url ?? '/', opts.emulatorOrigin);
      // all.js for apps that load it from the product (`{xdm_e}{cp}/atlassian-connect/all.js`) or the emulator root.
      const connectFilePath = url.pathname.replace(/^\/wiki(?=\/atlassian-connect\/)/, '');
      if (atlassianConnectFiles(connectFilePath, res)) return;
      if (!url.pathname.startsWith('/__emulator/')) {
        siteRest(req, res, url).then(
          (answered) => {
            if (!answered) next();
          },
          (error: unknown) => {
            res.statusCode = 500;
            res.end(JSON.stringify({ statusCode: 500, message: error instanceof Error ? error.message : 'failed' }));
          },
        );
        return;
      }
      handle(req, res, url).catch((error: unknown) => {
        const bad = error instanceof BadRequest;
        res.statusCode = bad ? 400 : 502;
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            error: {
              code: bad ? 'BAD_REQUEST' : 'EMULATOR_ERROR',
              message: error instanceof Error ? error.message : 'failed',
            },
          }),
        );
      });
    },
  };
}
