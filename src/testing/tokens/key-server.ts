import { http, HttpResponse, type HttpHandler } from 'msw';
import type { InstallKeyPair } from './install.js';

export interface InstallKeyServer {
  /** Base URL to configure as the install-keys URL (`CONNECT_INSTALL_KEYS_URL`). */
  readonly url: string;
  /** A `fetch` that answers `${url}/<kid>` like connect-install-keys.atlassian.com: 200 PEM, or 404. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** The same as msw handlers, for `setupServer`/`setupWorker`. */
  handlers: HttpHandler[];
  add(pair: Pick<InstallKeyPair, 'kid' | 'publicKeyPem'>): void;
}

/** A stand-in for Atlassian's install key CDN, serving the public halves of the given key pairs. */
export function createInstallKeyServer(
  pairs: Pick<InstallKeyPair, 'kid' | 'publicKeyPem'>[],
  url = 'https://connect-install-keys.emulated.test',
): InstallKeyServer {
  const keys = new Map(pairs.map((p) => [p.kid, p.publicKeyPem]));
  const base = url.replace(/\/+$/, '');
  const answer = (kid: string) => {
    const pem = keys.get(kid);
    return pem
      ? new HttpResponse(pem, { status: 200, headers: { 'Content-Type': 'application/x-pem-file' } })
      : new HttpResponse('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code></Error>', {
          status: 404,
          headers: { 'Content-Type': 'application/xml' },
        });
  };
  // ASAP-style kids may hold '/' (e.g. connect-install/key-1), so the kid is the whole rest of the path.
  const kidOf = (href: string) => decodeURIComponent(new URL(href).pathname.slice(new URL(base + '/').pathname.length));
  const handlers = [http.get(`${base}/*`, ({ request }) => answer(kidOf(request.url)))];
  return {
    url: base,
    handlers,
    async fetch(input, init) {
      const request = new Request(input, init);
      const rest = request.url.startsWith(base + '/') ? request.url.slice(base.length + 1) : '';
      if (request.method !== 'GET' || !rest || rest.includes('?')) return new Response('Not Found', { status: 404 });
      return answer(kidOf(request.url));
    },
    add(pair) {
      keys.set(pair.kid, pair.publicKeyPem);
    },
  };
}
