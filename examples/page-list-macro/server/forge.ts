import type { IncomingMessage, ServerResponse } from 'node:http';
import { requireForgeInvocation, type ForgeInvocation } from 'confluence-iframe-kit/server';

/** The Forge side of the reference server, next to its Connect routes. */
export const FORGE_ROUTES = {
  /** The demo's Custom UI resources in development (Atlassian hosts them in production): `/forge/macro`, … */
  customUi: '/forge/',
  /** The Forge remote (manifest `remotes[].baseUrl`): `invokeRemote({ path: '/api/verify' })` → `/forge-remote/api/verify`. */
  remote: '/forge-remote/',
} as const;

const CUSTOM_UI_SCREENS = new Set(['macro', 'macro-editor', 'page', 'dialog']);

export interface ForgeRemoteOptions {
  /** The Forge app id (bare or ARI) every FIT must be addressed to. */
  appId: string;
  /** default: Atlassian's Forge JWKS; the emulator passes its own */
  jwksUrl?: string;
  /** used for the JWKS fetch (tests pass an in-memory key server) */
  fetch?: typeof fetch;
}

export interface ForgeRoutesOptions {
  remote?: ForgeRemoteOptions;
  /** development only: the Custom UI page for a request target (the emulator's dev server renders it) */
  customUiHtml?: (url: string) => Promise<string>;
  /** origins allowed to frame the Custom UI page (development: the emulator) */
  frameAncestors: readonly string[];
  baseUrl: string;
}

function writeJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/**
 * A node:http pre-handler for the Forge routes; answers `false` for anything else. The remote verifies every
 * call's Forge Invocation Token (`requireForgeInvocation`) before a route sees it; `/api/verify` answers what
 * the token proved, the Forge twin of the Connect `/api/verify` the demo's VerifiedIdentity reads.
 */
export function createForgeRoutes(options: ForgeRoutesOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const remote = options.remote
    ? requireForgeInvocation({
        appId: options.remote.appId,
        ...(options.remote.jwksUrl ? { jwksUrl: options.remote.jwksUrl } : {}),
        ...(options.remote.fetch ? { fetch: options.remote.fetch } : {}),
      })
    : undefined;

  /** The remote's routes, once the FIT verified. An exception is logged and answered with a generic 500. */
  function remoteRoute(req: IncomingMessage, res: ServerResponse & { locals?: Record<string, unknown> }): void {
    try {
      const invocation = res.locals?.forge as ForgeInvocation;
      const pathname = (req.url ?? '/').split('?')[0] ?? '/';
      const path = pathname.slice(FORGE_ROUTES.remote.length - 1);
      if (req.method === 'GET' && path === '/api/verify') {
        writeJson(res, 200, {
          host: 'forge',
          accountId: invocation.accountId ?? null,
          installationId: invocation.installationId,
          cloudId: invocation.cloudId ?? null,
          appId: invocation.appId,
          module: invocation.module ?? null,
        });
        return;
      }
      writeJson(res, 404, { error: { code: 'NOT_FOUND', message: 'No such remote route.' } });
    } catch (error) {
      console.error('[page-list-macro] Forge remote route failed', error);
      if (!res.headersSent) writeJson(res, 500, { error: { code: 'INTERNAL', message: 'Unexpected server error.' } });
      else res.destroy();
    }
  }

  return (req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    if (remote && pathname.startsWith(FORGE_ROUTES.remote)) {
      remote(req, res, (error?: unknown) => {
        if (error === undefined) return remoteRoute(req, res);
        console.error('[page-list-macro] Forge remote failed', error);
        if (!res.headersSent) writeJson(res, 500, { error: { code: 'INTERNAL', message: 'Unexpected server error.' } });
      });
      return true;
    }
    const screen = pathname.startsWith(FORGE_ROUTES.customUi)
      ? pathname.slice(FORGE_ROUTES.customUi.length)
      : undefined;
    if (options.customUiHtml && req.method === 'GET' && screen !== undefined && CUSTOM_UI_SCREENS.has(screen)) {
      options.customUiHtml(req.url ?? pathname).then(
        (html) => {
          res.statusCode = 200;
          res.setHeader('content-type', 'text/html; charset=utf-8');
          // Static, like Custom UI: no token in the URL, so a short cache would be harmless; no-store keeps dev edits visible.
          res.setHeader('cache-control', 'no-store');
          res.setHeader('content-security-policy', `frame-ancestors ${options.frameAncestors.join(' ') || "'none'"}`);
          res.setHeader('x-content-type-options', 'nosniff');
          res.end(html);
        },
        (error: unknown) => {
          console.error('[page-list-macro] the Custom UI page could not be rendered', error);
          writeJson(res, 500, { error: { code: 'INTERNAL', message: 'Unexpected server error.' } });
        },
      );
      return true;
    }
    return false;
  };
}
