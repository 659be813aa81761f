import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * What keeps other web pages out of the emulator's servers on a developer's machine. Every server the emulator starts
 * (the emulator origin, prebuilt or through vite; the Custom UI origin; the app origin of `npm run dev`) calls
 * `admits` first, for every request.
 *
 * 1. **Host allowlist** (DNS rebinding). A page at `http://evil.example:5173` can make its name resolve to 127.0.0.1:
 *    the browser then treats the emulator as that page's own origin. Only the Host header tells the two apart, so each
 *    server answers only at the names it is reached by on purpose: `localhost`, `127.0.0.1`, `[::1]` and the configured
 *    host, each with the server's port. Anything else is 421 with the reason in plain text. Node callers (the app's
 *    backend fetching the site's REST API, the install keys, the Forge JWKS) send `Host: localhost:<port>` and pass.
 * 2. **Same origin for the emulator page's own routes** (`/__emulator/…`, the table below). These hand out what only
 *    the emulator page may see: signed module URLs and context tokens, the site seed, the request log with every
 *    backend REST call. A cross-site request is refused with 403, whatever it carries:
 *    - a foreign `Origin`, or a `Sec-Fetch-Site` other than `same-origin`, is refused on every one of them;
 *    - the routes that mint or answer (`post`) are POSTs with a JSON body and must prove they come from the page:
 *      browsers always send `Origin` on a POST (same-origin too), so a request without `Origin` (and without
 *      `Sec-Fetch-Site: same-origin`) is refused; a GET is 405. A JSON POST from another origin also needs a CORS
 *      preflight, which the emulator never grants.
 *    - the event stream (`stream`) is an `EventSource`, a GET that sends no `Origin` when same-origin. We rely on
 *      the Fetch Metadata and CORS rules rather than a per-page secret: a cross-origin `EventSource` is a CORS-mode
 *      request, so a browser always sends `Origin` on it (and `Sec-Fetch-Site: cross-site`/`same-site`), and both are
 *      refused here; the one case where a browser's request looks same-origin without being so is DNS rebinding,
 *      which the Host check has already stopped. A secret in the page's HTML would need the HTML templated on both
 *      the vite and the prebuilt server and would protect nothing more, because a page that can read that HTML is
 *      already same-origin. Requests with neither header come from outside a browser (or a plain-http configured
 *      host, where browsers send no Fetch Metadata), and another local process can read the data folder anyway.
 */
export interface RequestGuard {
  /**
   * Checks the Host header (every request) and, for the emulator page's routes, the method and the origin. True:
   * handle the request. False: it has been answered (421, 403 or 405, plain text).
   */
  admits(req: IncomingMessage, res: ServerResponse): boolean;
}

/**
 * How the emulator page's routes are protected: `post` mints tokens or hands out the site (POST, proof of the same
 * origin required), `stream` is the request log (GET `EventSource`, nothing cross-site). Any other `/__emulator/`
 * route is the page's too (nothing cross-site), except the key servers the app's backend reads from Node.
 */
type RouteKind = 'post' | 'stream' | 'page' | 'public';
const PAGE_ROUTES: ReadonlyMap<string, RouteKind> = new Map([
  ['/__emulator/config', 'post'],
  ['/__emulator/iframe-url', 'post'],
  ['/__emulator/context-token', 'post'],
  ['/__emulator/backend-answer', 'post'],
  ['/__emulator/forge/invoke-remote', 'post'],
  // Runs the app's resolver as the user the page names: the page's alone, as the token routes are.
  ['/__emulator/forge/invoke', 'post'],
  // Answers the page's REST call through the developer's --handlers: the page's alone.
  ['/__emulator/extra-handler', 'post'],
  ['/__emulator/events', 'stream'],
  ['/__emulator/forge/jwks.json', 'public'],
]);

/** The route a request names, parsed as the emulator's backend parses it (emulator-api.ts), and its kind. */
function routeOf(url: string | undefined): { pathname: string; kind: RouteKind } {
  let pathname: string;
  try {
    pathname = new URL(url ?? '/', 'http://request-guard.invalid').pathname;
  } catch {
    // Not a path the backend can route either: treated as the page's, so nothing cross-site gets past.
    return { pathname: url ?? '', kind: 'page' };
  }
  const listed = PAGE_ROUTES.get(pathname);
  if (listed !== undefined) return { pathname, kind: listed };
  const pageRoute = pathname.startsWith('/__emulator/') && !pathname.startsWith('/__emulator/install-keys/');
  return { pathname, kind: pageRoute ? 'page' : 'public' };
}

/** The names a loopback server is reached by on purpose. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

function refuse(res: ServerResponse, status: number, reason: string, headers: Record<string, string> = {}): false {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(`${reason}\n`);
  return false;
}

/** The Host header values a server on `host`:`port` answers to: each name with the port (without it on port 80). */
export function allowedHostHeaders(host: string, port: number): Set<string> {
  const configured = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const names = new Set([...LOOPBACK_NAMES, configured.toLowerCase()]);
  const headers = new Set<string>();
  for (const name of names) {
    headers.add(`${name}:${port}`);
    if (port === 80) headers.add(name);
  }
  return headers;
}

/**
 * Why a request to one of the page's routes is not the emulator page's own, or undefined when it is. `proof`: the
 * request must show it is same-origin (a POST), rather than only show nothing cross-site (the event stream).
 */
function crossSiteReason(req: IncomingMessage, proof: boolean): string | undefined {
  const fetchSite = req.headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin') return `a ${fetchSite} request (Sec-Fetch-Site)`;
  const origin = req.headers.origin;
  // The Host header is one of the allowed ones by now, so the page's own origin is the one it names.
  const ownOrigin = `http://${req.headers.host ?? ''}`.toLowerCase();
  if (origin !== undefined && origin.toLowerCase() !== ownOrigin) return `a request from ${JSON.stringify(origin)}`;
  if (proof && origin === undefined && fetchSite === undefined) return 'a request with no Origin';
  return undefined;
}

/**
 * The guard for one server. `port` is read on each request, so a server that picks a free port can create its guard
 * before it listens.
 *
 * @example
 * const guard = createRequestGuard({ host: 'localhost', port: () => 5173 });
 * createServer((req, res) => {
 *   if (!guard.admits(req, res)) return;
 *   // … handle the request
 * });
 */
export function createRequestGuard(options: { host: string; port: () => number }): RequestGuard {
  let allowed: { port: number; headers: Set<string> } | undefined;
  const allowedNow = () => {
    const port = options.port();
    if (allowed?.port !== port) allowed = { port, headers: allowedHostHeaders(options.host, port) };
    return allowed.headers;
  };
  return {
    admits(req, res) {
      const hosts = allowedNow();
      const host = req.headers.host?.toLowerCase();
      if (host === undefined || !hosts.has(host)) {
        return refuse(
          res,
          421,
          `Refused: this Confluence emulator server answers only at ${[...hosts].join(', ')}, and this request ` +
            `was addressed to ${host === undefined ? 'no host' : JSON.stringify(host)}. A web page whose name was ` +
            `made to resolve to this machine (DNS rebinding) may not read the emulator.`,
        );
      }
      const { pathname, kind } = routeOf(req.url);
      if (kind === 'public') return true;
      if (kind === 'post' && req.method !== 'POST') {
        return refuse(res, 405, `Refused: ${pathname} takes a POST from the emulator page.`, { allow: 'POST' });
      }
      if (kind === 'stream' && req.method !== 'GET') {
        return refuse(res, 405, `Refused: ${pathname} is an event stream (GET).`, { allow: 'GET' });
      }
      const reason = crossSiteReason(req, kind === 'post');
      if (reason !== undefined) {
        return refuse(res, 403, `Refused: ${pathname} answers only the emulator page itself, not ${reason}.`);
      }
      return true;
    },
  };
}
