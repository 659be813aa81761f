import { fault, read } from './errors/classify.js';
import { ConfluenceError } from './errors/confluence-error.js';
import { guard } from './guard.js';
import { createPageBatcher } from './page-batcher.js';
import { buildPath } from './paths.js';
import { defaultRetryPolicy, retryDelay } from './retry/policy.js';
import { scopeChecker } from './scopes.js';
import type {
  ConfluenceClient,
  ConfluenceClientOptions,
  ConfluenceRequest,
  ConfluenceResponse,
  RetryEvent,
  RetryPolicy,
  TransportRequest,
  TransportResponse,
} from './types.js';

type Listener = ((e: RetryEvent) => void) | undefined;

/** A host fault's text for the console: AP rejects with strings, Errors or plain `{ err, xhr }` objects. */
const describe = (x: any): string => String(x?.message ?? x?.err ?? (typeof x == 'object' ? JSON.stringify(x) : x));
/** One round trip shared by coalesced callers: `n` callers that can still abort, `l` their per-request onRetry. */
interface Trip {
  p: Promise<ConfluenceResponse<any>>;
  n: number;
  c: AbortController;
  l: Listener[];
}

export function createConfluenceClient(o: ConfluenceClientOptions): ConfluenceClient {
  const { transport } = o;
  const listeners = new Set<Listener>([o.onRetry]);
  const trips = new Map<string, Trip>();
  const stats = { transportCalls: 0 };
  // The descriptor scope check is a development aid (the issue asks for a dev-mode check): bundles that define
  // NODE_ENV=production drop it with the scope table. The host still refuses whatever the descriptor lacks.
  // `typeof process` first: a Connect app loaded as plain <script type=module> (no bundler) has no `process`.
  const checkScope = typeof process < 'u' && process.env.NODE_ENV != 'production' && scopeChecker(o);

  async function run(
    t: TransportRequest,
    p: RetryPolicy | undefined,
    ms: number,
    trip: Trip,
  ): Promise<ConfluenceResponse<any>> {
    const signal = trip.c.signal;
    for (let n = 0, id: any; ; n++) {
      let e: ConfluenceError;
      try {
        if (signal.aborted) throw signal.reason; // aborted during the last retry's listeners: send nothing more
        stats.transportCalls++;
        // AP.request and the Forge bridge can neither abort nor time out, so the client settles the attempt itself when
        // the trip is aborted (a late answer is dropped; fetch really cancels). Timeouts are never retried, so the
        // timeout simply aborts the whole trip with its error.
        id = setTimeout(() => trip.c.abort(fault('timeout', t, `no answer within ${ms} ms`)), ms);
        const sent = new Promise<TransportResponse>((res) => res(transport.send({ ...t, signal })));
        return read(await guard(sent, signal), t, (p ?? defaultRetryPolicy).now());
      } catch (x) {
        if (signal.aborted) throw signal.reason;
        e =
          x instanceof ConfluenceError
            ? x
            : fault('network', t, 'host or network failed: ' + describe(x), { cause: x });
      } finally {
        clearTimeout(id);
      }
      const delayMs = p && retryDelay(e, t.method, n, p);
      if (delayMs == null) throw e;
      for (const l of [...listeners, ...trip.l])
        l?.({ attempt: n + 1, delayMs, error: e, request: { method: t.method, path: t.path } });
      await guard(new Promise((r) => (id = setTimeout(r, delayMs))), signal, () => clearTimeout(id));
    }
  }

  function request<T>(req: ConfluenceRequest): Promise<ConfluenceResponse<T>> {
    const { method = 'GET', signal, body: b } = req;
    let t = { method, path: buildPath(req.path, req.query) } as TransportRequest;
    if (signal?.aborted) return Promise.reject(signal.reason);
    try {
      if (checkScope) checkScope(t);
      // Plain objects and arrays become JSON (or form fields with `multipart`); strings, FormData, Blob, ArrayBuffer pass as is.
      let body = b,
        contentType;
      if (b && (b.constructor == Object || Array.isArray(b))) {
        if (req.multipart) {
          body = new FormData();
          // append() keeps Blobs (files) and turns anything else into its string, as a form field is.
          for (const [k, v] of Object.entries(b)) (body as FormData).append(k, v as string);
        } else ((body = JSON.stringify(b)), (contentType = 'application/json'));
      }
      t = {
        ...t,
        contentType,
        body: body as TransportRequest['body'],
        binary: req.binary,
        experimental: req.experimental,
        headers: {
          Accept: req.binary ? '*/*' : 'application/json',
          ...(contentType && { 'Content-Type': contentType }),
          // Confluence's XSRF check refuses form-like posts without this header.
          ...(body instanceof FormData && { 'X-Atlassian-Token': 'no-check' }),
          ...req.headers,
        },
      };
    } catch (x) {
      return Promise.reject(
        x instanceof ConfluenceError
          ? x
          : fault('bad-request', t, 'body cannot be serialised: ' + x, { code: 'CONFLUENCE_BAD_BODY', cause: x }),
      );
    }
    // Identical GETs share one round trip; each caller keeps its own abort, and the trip is cancelled once every caller left.
    const key = method == 'GET' && !t.body ? JSON.stringify(t) : '';
    let trip = trips.get(key);
    if (!trip || trip.c.signal.aborted) {
      const r = req.retry ?? o.retry; // a request's own `retry: false` wins, as does its partial policy
      const nt = (trip = { n: 0, c: new AbortController(), l: [] } as unknown as Trip);
      nt.p = run(
        t,
        r === false ? undefined : { ...defaultRetryPolicy, ...o.retry, ...r },
        req.timeoutMs ?? o.timeoutMs ?? 15e3,
        nt,
      ).finally(() => trips.get(key) == nt && trips.delete(key));
      if (key) trips.set(key, nt);
    }
    trip.n++;
    trip.l.push(req.onRetry);
    // The last caller to leave cancels the trip; a GET asked for after that sees the aborted trip and starts a fresh one
    // (the aborted trip's own `finally` then leaves the new one in the map).
    return guard(trip.p, signal, () => --trip!.n || trip!.c.abort(signal!.reason));
  }

  return {
    transport,
    stats,
    request,
    getPage: createPageBatcher(request) as ConfluenceClient['getPage'],
    onRetry: (l) => (listeners.add(l), () => void listeners.delete(l)),
  };
}
