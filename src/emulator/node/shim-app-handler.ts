import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeHandler } from './app-origin';

/**
 * SHIM, used only until the server slice's reference server (server/) lands: serves a descriptor and the two
 * module routes WITHOUT verifying anything, and accepts every install. dev-environment.ts prefers the real one.
 */
export function createShimAppHandler(opts: {
  baseUrl: string;
  frameAncestors: string[];
  renderAppHtml(url: string): Promise<string>;
}): NodeHandler {
  const descriptor = {
    key: 'com.example.confluence-iframe-kit-demo',
    name: 'Iframe kit demo',
    baseUrl: opts.baseUrl,
    authentication: { type: 'jwt' },
    apiMigrations: { 'context-qsh': true, 'signed-install': true },
    lifecycle: { installed: '/installed', uninstalled: '/uninstalled' },
    scopes: ['READ', 'WRITE'],
    modules: {
      dynamicContentMacros: [{ key: 'page-list-macro', name: { value: 'Page list' }, url: '/macro?pageId={page.id}&spaceKey={space.key}', outputType: 'block', bodyType: 'none' }],
      generalPages: [{ key: 'page-browser', name: { value: 'Page browser' }, url: '/page?spaceKey={space.key}' }],
    },
  };
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', opts.baseUrl);
    if (url.pathname === '/atlassian-connect.json') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(descriptor));
      return;
    }
    if (url.pathname === '/installed' || url.pathname === '/uninstalled') {
      req.resume();
      res.statusCode = 204;
      res.end();
      return;
    }
    if (url.pathname === '/macro' || url.pathname === '/page') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('content-security-policy', `frame-ancestors 'self' ${opts.frameAncestors.join(' ')}`);
      res.end(await opts.renderAppHtml(req.url ?? '/'));
      return;
    }
    res.statusCode = 404;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'not found' } }));
  };
}
