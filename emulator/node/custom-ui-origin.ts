import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createAtlassianConnectFiles, emulatedAllJs } from './atlassian-connect-files';
import { contentTypeOf } from './content-types';
import type { ForgeManifest } from './forge-manifest';
import { buildForgeShim, FORGE_SHIM_PATH, withForgeShim } from './forge-shim-script';
import { createRequestGuard } from './request-guard';

/**
 * The Custom UI origin of `emulate --forge`: each resource of the manifest served as Forge serves it, at
 * `/<resource key>/` on an origin of its own (cross-origin to the emulator page, as Atlassian's CDN is to the site).
 * Its built `index.html` gets the emulator's Forge bridge shim as the first script, so the app's own bundled
 * `@forge/bridge` talks to the emulator page; the Custom UI content security policy goes with it report-only, so a
 * team sees in the browser console what Forge would block, and only the emulator page may frame it.
 */
export interface CustomUiOrigin {
  url: string;
  close(): Promise<void>;
}

function answer(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end(text);
}

export async function startCustomUiOrigin(options: {
  manifest: ForgeManifest;
  emulatorOrigin: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
}): Promise<CustomUiOrigin> {
  const { manifest } = options;
  const shim = await buildForgeShim(options.emulatorOrigin);
  // The theme stylesheets the shim links for `view.theme.enable()` (the Atlassian design tokens), from this origin.
  const atlassianConnectFiles = createAtlassianConnectFiles(
    await emulatedAllJs('location.origin + "/atlassian-connect"'),
  );
  const frameAncestors = `frame-ancestors ${new URL(options.emulatorOrigin).origin}`;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, 'GET only');
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://custom-ui.invalid').pathname);
    } catch {
      return answer(res, 400, 'bad path');
    }
    if (pathname === FORGE_SHIM_PATH) {
      res.setHeader('content-type', 'text/javascript; charset=utf-8');
      res.setHeader('cache-control', 'no-cache');
      res.end(shim);
      return;
    }
    if (atlassianConnectFiles(pathname, res)) return;
    const [, resourceKey = '', ...rest] = pathname.split('/');
    const folder = manifest.resources.get(resourceKey);
    if (!folder) return answer(res, 404, `the manifest has no resource "${resourceKey}"`);
    const relative = rest.join('/');
    const file = path.resolve(folder, relative === '' || relative.endsWith('/') ? `${relative}index.html` : relative);
    if (!file.startsWith(folder + path.sep)) return answer(res, 404, 'not found');
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch {
      if (path.basename(file) === 'index.html') {
        return answer(
          res,
          404,
          `resource "${resourceKey}": no index.html in ${folder} (build the resource first; UI Kit resources are not emulated)`,
        );
      }
      return answer(res, 404, 'not found');
    }
    const extension = path.extname(file);
    res.setHeader('content-type', contentTypeOf(extension));
    res.setHeader('cache-control', 'no-store');
    if (extension === '.html') {
      res.setHeader('content-security-policy', frameAncestors);
      res.setHeader('content-security-policy-report-only', manifest.contentSecurityPolicy);
      try {
        res.end(withForgeShim(content.toString('utf8')));
      } catch (error) {
        answer(res, 500, `resource "${resourceKey}": ${error instanceof Error ? error.message : String(error)}`);
      }
      return;
    }
    res.end(content);
  }

  const server = createServer((req, res) => {
    if (!guard.admits(req, res)) return;
    serve(req, res).catch(() => {
      if (!res.headersSent) answer(res, 500, 'the Custom UI origin failed');
      else res.end();
    });
  });
  const listeningPort = () => {
    const address = server.address();
    return address && typeof address === 'object' ? address.port : options.port;
  };
  const guard = createRequestGuard({ host: options.host, port: listeningPort });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    url: `http://${options.host}:${listeningPort()}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
