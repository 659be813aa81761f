import { randomUUID } from 'node:crypto';
import { createForgeJwksServer, createForgeKeyPair, mintForgeInvocationToken, remoteInvocationBody, remoteInvocationResult } from '../../testing/core';

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

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const ACCOUNT_ID = /^[A-Za-z0-9:_-]{1,128}$/;
const CONTEXT_VALUE = /^[A-Za-z0-9:_.~-]{0,128}$/;
// The platform sets these; an app's value is dropped, as Forge does.
const PLATFORM_HEADERS = new Set(['authorization', 'x-forge-oauth-system', 'x-forge-oauth-user', 'host', 'content-length']);

interface InvokeRequest {
  user: string;
  moduleKey: string;
  context: Record<string, string>;
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: unknown;
}

function parse(input: unknown): InvokeRequest {
  const r = (input ?? {}) as Record<string, unknown>;
  if (typeof r.user !== 'string' || !ACCOUNT_ID.test(r.user)) throw new InvocationRefused('user must be an accountId');
  if (typeof r.moduleKey !== 'string' || !CONTEXT_VALUE.test(r.moduleKey)) throw new InvocationRefused('invalid moduleKey');
  // A path, never a URL: the remote's baseUrl is fixed (the manifest's `remotes`), as on Forge.
  if (typeof r.path !== 'string' || !r.path.startsWith('/') || r.path.startsWith('//') || r.path.length > 2048) {
    throw new InvocationRefused('path must be a path starting with a single "/"');
  }
  const method = String(r.method ?? '').toUpperCase();
  if (!METHODS.has(method)) throw new InvocationRefused(`method "${String(r.method)}" is not supported by invokeRemote`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries((r.headers ?? {}) as Record<string, unknown>)) {
    if (!PLATFORM_HEADERS.has(name.toLowerCase())) headers[name] = String(value);
  }
  const context: Record<string, string> = {};
  for (const [name, value] of Object.entries((r.context ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string' || !CONTEXT_VALUE.test(value)) throw new InvocationRefused(`invalid context ${name}`);
    context[name] = value;
  }
  return { user: r.user, moduleKey: r.moduleKey, context, path: r.path, method, headers, ...('body' in r && { body: r.body }) };
}

export async function createForgeInvocationService(opts: { emulatorOrigin: string; remoteBaseUrl: string; siteUrl: string }): Promise<ForgeInvocationService> {
  const appId = randomUUID();
  const keyPair = await createForgeKeyPair();
  const jwksUrl = `${opts.emulatorOrigin}/__emulator/forge/jwks.json`;
  const keys = createForgeJwksServer([keyPair], jwksUrl);
  const remoteBaseUrl = opts.remoteBaseUrl.replace(/\/+$/, '');

  return {
    appId,
    jwksUrl,
    jwks: () => keys.fetch(jwksUrl),
    async invoke(input) {
      const call = parse(input);
      const fit = await mintForgeInvocationToken(
        {
          appId,
          accountId: call.user,
          module: { key: call.moduleKey, type: 'confluence:macro' },
          context: {
            moduleKey: call.moduleKey,
            localId: call.context.localId,
            siteUrl: opts.siteUrl,
            extension: { content: { id: call.context.pageId }, space: { id: call.context.spaceId, key: call.context.spaceKey } },
          },
        },
        keyPair,
      );
      const headers = new Headers(call.headers);
      headers.set('authorization', `Bearer ${fit}`);
      const body = remoteInvocationBody(call.method, call.body, headers);
      const response = await fetch(remoteBaseUrl + call.path, { method: call.method, headers, body, redirect: 'manual' });
      return remoteInvocationResult(response);
    },
  };
}
