import { http, HttpResponse, type HttpHandler } from 'msw';
import type { ForgeKeyPair } from './forge.js';

export type ForgeJwksFault = 'none' | 'down' | 'garbage';

export interface ForgeJwksServer {
  /** The JWKS URL to give `verifyForgeInvocation({ jwksUrl })`. */
  readonly url: string;
  /** A `fetch` answering GET `url` like Forge's CDN: 200 `{ keys: [...] }`. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** The same as msw handlers, for `setupServer`/`setupWorker`. */
  handlers: HttpHandler[];
  add(pair: Pick<ForgeKeyPair, 'publicJwk'>): void;
  remove(kid: string): void;
  /** `down`: 503; `garbage`: 200 with a body that is not a key set. For testing a backend's 503 path. */
  fault: ForgeJwksFault;
  /** GETs answered so far (to assert caching) */
  readonly requests: number;
}

/** A stand-in for forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json serving the public halves of the given pairs. */
export function createForgeJwksServer(
  pairs: Pick<ForgeKeyPair, 'publicJwk'>[] = [],
  url = 'https://forge-jwks.emulated.test/.well-known/jwks.json',
): ForgeJwksServer {
  const keys = new Map(pairs.map((p) => [p.publicJwk.kid!, p.publicJwk]));
  let requests = 0;
  const server: ForgeJwksServer = {
    url,
    fault: 'none',
    get requests() {
      return requests;
    },
    handlers: [],
    async fetch(input, init) {
      const request = new Request(input, init);
      if (request.method !== 'GET' || request.url !== url) return new Response('Not Found', { status: 404 });
      return answer();
    },
    add(pair) {
      keys.set(pair.publicJwk.kid!, pair.publicJwk);
    },
    remove(kid) {
      keys.delete(kid);
    },
  };
  function answer(): Response {
    requests++;
    if (server.fault === 'down') return new HttpResponse('upstream unavailable', { status: 503 });
    if (server.fault === 'garbage')
      return new HttpResponse('<Error><Code>AccessDenied</Code></Error>', {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      });
    return HttpResponse.json({ keys: [...keys.values()] }, { headers: { 'Cache-Control': 'max-age=300' } });
  }
  server.handlers.push(http.get(url, () => answer()));
  return server;
}
