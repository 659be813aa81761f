import { randomUUID } from 'node:crypto';
import { createForgeJwksServer, createForgeKeyPair, mintForgeInvocationToken } from '../../src/testing/core';
import { EMULATED_CLOUD_ID } from '../forge/forge-context';
import { remoteInvocationBody, remoteInvocationResult } from '../../src/testing/internals';

/**
 * The Node half's stand-in for Forge's invocation service: it signs Forge Invocation Tokens with a key pair made
 * for this run, publishes the public half as a JWKS (the stand-in for Forge's CDN JWKS), and performs the
 * Custom UI's `invokeRemote` calls against the app's remote with a fresh FIT each. The private key never
 * reaches the browser.
 */
export interface ForgeInvocationService {
  /** The emulated Forge app id (a UUID per run): the FIT's `aud`, and what the app's remote must expect. */
  readonly appId: string;
  readonly jwksUrl: string;
  jwks(): Promise<Response>;
  invoke(request: unknown): Promise<{ status: number; headers: Record<string, string>; body?: unknown }>;
}

export class InvocationRefused extends Error {}
/** The app's remote did not answer within Forge's remote timeout. */
export class RemoteTimeout extends Error {}

/** Forge's limit for a remote invocation (`invokeRemote`): 25 seconds. */
export const FORGE_REMOTE_TIMEOUT_MS = 25_000;

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** What the Node half accepts from the page as an accountId and as a page-context value (shared with emulator-api.ts). */
export const ACCOUNT_ID = /^[A-Za-z0-9:_-]{1,128}$/;
export const CONTEXT_VALUE = /^[A-Za-z0-9:_.~-]{0,128}$/;
// The platform sets these; an app's value is dropped, as Forge does.
const PLATFORM_HEADERS = new Set([
  'authorization',
  'x-forge-oauth-system',
  'x-forge-oauth-user',
  'host',
  'content-length',
]);

/** Which Custom UI surface called, for the FIT's `app.module.type` (what getContext says for that frame). */
const MODULE_TYPES: Record<string, string> = {
  macro: 'confluence:macro',
  config: 'confluence:macro',
  dialog: 'confluence:macro',
  page: 'confluence:spacePage',
};
// RFC 9110 token for names; values: Latin-1 without control characters (what fetch's Headers accepts, minus NUL/CR/LF).
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]{0,8192}$/;

interface InvokeRequest {
  user: string;
  /** `requestRemote(remoteKey, …)`: the manifest remote to call; absent for `invokeRemote` (the module's remote). */
  remoteKey?: string;
  moduleKey: string;
  moduleType: string;
  context: Record<string, string>;
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: unknown;
  /** `requestRemote`'s body as the bridge serialised it: sent as it is. */
  bodyText?: string;
}

function parse(input: unknown): InvokeRequest {
  const call = (input ?? {}) as Record<string, unknown>;
  if (typeof call.user !== 'string' || !ACCOUNT_ID.test(call.user))
    throw new InvocationRefused('user must be an accountId');
  if (typeof call.moduleKey !== 'string' || !CONTEXT_VALUE.test(call.moduleKey))
    throw new InvocationRefused('invalid moduleKey');
  // A path, never a URL: the remote's baseUrl is fixed (the manifest's `remotes`), as on Forge.
  if (
    typeof call.path !== 'string' ||
    !call.path.startsWith('/') ||
    call.path.startsWith('//') ||
    call.path.length > 2048
  ) {
    throw new InvocationRefused('path must be a path starting with a single "/"');
  }
  if (call.remoteKey !== undefined && (typeof call.remoteKey !== 'string' || !CONTEXT_VALUE.test(call.remoteKey)))
    throw new InvocationRefused('invalid remoteKey');
  const kind = call.moduleKind ?? 'macro';
  if (typeof kind !== 'string' || !Object.hasOwn(MODULE_TYPES, kind)) throw new InvocationRefused('invalid moduleKind');
  const method = String(call.method ?? '').toUpperCase();
  if (!METHODS.has(method))
    throw new InvocationRefused(`method "${String(call.method)}" is not supported by invokeRemote`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries((call.headers ?? {}) as Record<string, unknown>)) {
    // Refused here, named but never echoed: a bad name or value must not reach fetch (a TypeError there looked
    // like an unreachable remote) nor come back in the answer.
    if (!HEADER_NAME.test(name)) throw new InvocationRefused('invalid header name');
    if (!HEADER_VALUE.test(String(value))) throw new InvocationRefused(`invalid header ${name}`);
    if (!PLATFORM_HEADERS.has(name.toLowerCase())) headers[name] = String(value);
  }
  const context: Record<string, string> = {};
  for (const [name, value] of Object.entries((call.context ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string' || !CONTEXT_VALUE.test(value)) throw new InvocationRefused(`invalid context ${name}`);
    context[name] = value;
  }
  return {
    user: call.user,
    ...(typeof call.remoteKey === 'string' && { remoteKey: call.remoteKey }),
    moduleKey: call.moduleKey,
    moduleType: MODULE_TYPES[kind]!,
    context,
    path: call.path,
    method,
    headers,
    ...('body' in call && { body: call.body }),
    ...(typeof call.bodyText === 'string' && { bodyText: call.bodyText }),
  };
}

/**
 * The remote's URL for an `invokeRemote` path, or a refusal when the path would leave the remote: `..`, `%2e%2e`
 * and backslashes are resolved the way fetch resolves them, so the check sees the URL that is really called.
 */
export function remoteUrl(remoteBaseUrl: string, path: string): URL {
  const base = new URL(remoteBaseUrl.replace(/\/+$/, '') + '/');
  // Encoded separators are refused too: a server that decodes them before routing would see another path.
  if (/%(2f|5c)/i.test(path)) throw new InvocationRefused('path must not contain encoded "/" or "\\"');
  const url = new URL(`.${path}`, base);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
    throw new InvocationRefused(`path must stay under the remote's base path ${base.pathname}`);
  }
  return url;
}

export interface ForgeInvocationOptions {
  emulatorOrigin: string;
  /** The one remote of a hosted app without a manifest (our example app): every call goes there. */
  remoteBaseUrl?: string;
  /** A manifest's `remotes` (key → baseUrl): `requestRemote(key)` names one, `invokeRemote` uses its module's. */
  remotes?: Map<string, string>;
  /** Which remote each module's `invokeRemote` reaches (module key → remote key), from the manifest. */
  moduleRemotes?: Map<string, string>;
  /** The Forge module type of each manifest module (module key → e.g. `confluence:globalPage`), for the FIT. */
  moduleTypes?: Map<string, string>;
  /** The app id (or ARI) the FIT's `aud` names: the manifest's `app.id`. Default: a UUID per run. */
  appId?: string;
  siteUrl: string;
  /** default: Forge's 25 s */
  remoteTimeoutMs?: number;
  /** The FIT's `principal` for an acting user: null for an anonymous viewer (no accountId). Default: the user. */
  principalOf?: (user: string) => Promise<string | null>;
}

/** The base URL a call goes to: the named remote, else its module's, else the app's only one. */
function remoteBaseUrlFor(call: InvokeRequest, opts: ForgeInvocationOptions): string {
  const remotes = opts.remotes ?? new Map<string, string>();
  if (call.remoteKey !== undefined) {
    const named = remotes.get(call.remoteKey);
    if (!named) throw new InvocationRefused(`the manifest has no remote "${call.remoteKey}"`);
    return named;
  }
  const moduleRemote = opts.moduleRemotes?.get(call.moduleKey);
  if (moduleRemote && remotes.has(moduleRemote)) return remotes.get(moduleRemote)!;
  if (opts.remoteBaseUrl) return opts.remoteBaseUrl;
  if (remotes.size === 1) return [...remotes.values()][0]!;
  throw new InvocationRefused(
    `module "${call.moduleKey}" has no remote: give it resolver.endpoint naming an endpoint with a remote in the manifest`,
  );
}

/** Forge's module type names for a manifest module type (`macro` is `confluence:macro` in a FIT). */
function fitModuleType(manifestType: string): string {
  return manifestType === 'macro' ? 'confluence:macro' : manifestType;
}

export async function createForgeInvocationService(opts: ForgeInvocationOptions): Promise<ForgeInvocationService> {
  const appId = opts.appId ?? randomUUID();
  const keyPair = await createForgeKeyPair();
  const jwksUrl = `${opts.emulatorOrigin}/__emulator/forge/jwks.json`;
  const keys = createForgeJwksServer([keyPair], jwksUrl);
  const timeoutMs = opts.remoteTimeoutMs ?? FORGE_REMOTE_TIMEOUT_MS;

  return {
    appId,
    jwksUrl,
    jwks: () => keys.fetch(jwksUrl),
    async invoke(input) {
      const call = parse(input);
      const url = remoteUrl(remoteBaseUrlFor(call, opts), call.path);
      const manifestType = opts.moduleTypes?.get(call.moduleKey);
      const fit = await mintForgeInvocationToken(
        {
          appId,
          accountId: opts.principalOf ? await opts.principalOf(call.user) : call.user,
          // The site the Connect install named (install.ts): an adopted app's backend maps the FIT to that tenant.
          cloudId: EMULATED_CLOUD_ID,
          module: { key: call.moduleKey, type: manifestType ? fitModuleType(manifestType) : call.moduleType },
          context: {
            moduleKey: call.moduleKey,
            localId: call.context.localId,
            siteUrl: opts.siteUrl,
            extension: {
              content: { id: call.context.pageId },
              space: { id: call.context.spaceId, key: call.context.spaceKey },
            },
          },
        },
        keyPair,
      );
      const headers = new Headers(call.headers);
      headers.set('authorization', `Bearer ${fit}`);
      const body =
        call.bodyText !== undefined && call.method !== 'GET' && call.method !== 'HEAD'
          ? call.bodyText
          : remoteInvocationBody(call.method, call.body, headers);
      try {
        const response = await fetch(url, {
          method: call.method,
          headers,
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        return await remoteInvocationResult(response);
      } catch (error) {
        if ((error as { name?: unknown } | null)?.name === 'TimeoutError') {
          throw new RemoteTimeout(
            `the app's remote did not answer within ${timeoutMs / 1000} s (Forge's remote timeout)`,
          );
        }
        throw error;
      }
    },
  };
}
