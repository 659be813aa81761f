import type { IncomingMessage, ServerResponse } from 'node:http';
import { createForgeRemoteHandler, jsonResponse, readNodeBody, toWebResponse } from 'confluence-iframe-kit/server';

/** The Forge side of the reference server, next to its Connect routes. */
export const FORGE_ROUTES = {
  /** The demo's Custom UI resources in development (Atlassian hosts them in production): `/forge/macro`, … */
  customUi: '/forge/',
  /** The Forge remote (manifest `remotes[].baseUrl`): `invokeRemote({ path: '/api/verify' })` → `/forge-remote/api/verify`. */
  remote: '/forge-remote/',
} as const;

const CUSTOM_UI_SCREENS = new Set(['macro', 'macro-editor', 'page', 'dialog']);
const MAX_BODY_BYTES = 256 * 1024;

export interface ForgeRemoteOptions {
  /** The Forge app id (bare or ARI) every FIT must be addressed to. */
  appId: string;
  /** default: Atlassian's Forge JWKS; the emulator passes its own */
  jwksUrl?: string;
}

export interface ForgeRoutesOptions {
  remote?: ForgeRemoteOptions;
  /** development only: the Custom UI page for a request target (the emulator's dev server renders it) */
  customUiHtml?: (url: string) => Promise<string>;
  /** origins allowed to frame the Custom UI page (development: the emulator) */
  frameAncestors: readonly string[];
  baseUrl: string;
}

async function toWebRequest(req: IncomingMessage, baseUrl: string): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readNodeBody(req, MAX_BODY_BYTES);
  return new Request(new URL(req.url ?? '/', baseUrl), { method, headers, body });
}

async function writeWebResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * A node:http pre-handler for the Forge routes; answers `false` for anything else. The remote verifies every
 * call's Forge Invocation Token (`createForgeRemoteHandler`) before a route sees it; `/api/verify` answers what
 * the token proved, the Forge twin of the Connect `/api/verify` the demo's VerifiedIdentity reads.
 */
export function createForgeRoutes(options: ForgeRoutesOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const remote =
    options.remote &&
    createForgeRemoteHandler(
      { appId: options.remote.appId, ...(options.remote.jwksUrl ? { jwksUrl: options.remote.jwksUrl } : {}) },
      (request, invocation) => {
        const path = new URL(request.url).pathname.slice(FORGE_ROUTES.remote.length - 1);
        if (request.method === 'GET' && path === '/api/verify') {
          return toWebResponse(
            jsonResponse(200, {
              host: 'forge',
              accountId: invocation.accountId ?? null,
              installationId: invocation.installationId,
              cloudId: invocation.cloudId ?? null,
              appId: invocation.appId,
              module: invocation.module ?? null,
            }),
          );
        }
        return toWebResponse(jsonResponse(404, { error: { code: 'NOT_FOUND', message: 'No such remote route.' } }));
      },
    );

  return (req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    if (remote && pathname.startsWith(FORGE_ROUTES.remote)) {
      toWebRequest(req, options.baseUrl)
        .then(remote)
        .then(
          (response) => writeWebResponse(res, response),
          (error: unknown) =>
            writeWebResponse(
              res,
              toWebResponse(
                jsonResponse(400, {
                  error: { code: 'BAD_REQUEST', message: error instanceof Error ? error.message : 'bad request' },
                }),
              ),
            ),
        )
        .catch(() => res.destroy());
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
          res.statusCode = 500;
          res.end(error instanceof Error ? error.message : 'the Custom UI page could not be rendered');
        },
      );
      return true;
    }
    return false;
  };
}
