import { fault, toError } from './errors/classify';
import { ConfluenceError } from './errors/confluence-error';
import { guard } from './guard';
import { createPageBatcher } from './page-batcher';
import { buildPath } from './paths';
import { defaultRetryPolicy, retryDelay } from './retry/policy';
import { missingScope } from './scopes';
import type {
  ConfluenceClient, ConfluenceClientOptions, ConfluenceRequest, ConfluenceResponse, RetryEvent, RetryPolicy, TransportRequest, TransportResponse,
} from './types';

type Listener = (e: RetryEvent) => void;
/** One round trip shared by coalesced callers: `n` callers that can still abort, `l` their per-request onRetry. */
interface Trip { p: Promise<ConfluenceResponse<any>>; n: number; c: AbortController; l: Set<Listener | undefined> }

function sleep(ms: number, signal: AbortSignal) {
  let id: ReturnType<typeof setTimeout>;
  return guard(new Promise<void>((r) => (id = setTimeout(r, ms))), signal, () => clearTimeout(id));
}

/** Plain objects and arrays become JSON (or form fields with `multipart`); strings, FormData, Blob, ArrayBuffer pass as is. */
function serialise({ body: b, multipart }: ConfluenceRequest): Pick<TransportRequest, 'body' | 'contentType'> {
  if (b === undefined || (typeof b == 'object' && b && b.constructor != Object && !Array.isArray(b)) || typeof b == 'string') return { body: b as string };
  if (!multipart) return { body: JSON.stringify(b), contentType: 'application/json' };
  const f = new FormData();
  for (const [k, v] of Object.entries(b as object)) f.append(k, v instanceof Blob ? v : String(v));
  return { body: f };
}

function parse(r: TransportResponse, t: TransportRequest): ConfluenceResponse<unknown> {
  let data: unknown = r.body || null;
  const ct = r.headers['content-type'];
  if (typeof data == 'string' && (ct ? /json/i.test(ct) : /^\s*[[{]/.test(data)))
    try {
      data = JSON.parse(data);
    } catch (cause) {
      // Without a content type we only guessed; with a JSON one, the answer is broken.
      if (ct) throw fault('server', t, `${r.status} says ${ct} but the body is not JSON`, { code: 'CONFLUENCE_BAD_RESPONSE', status: r.status, body: data, headers: r.headers, cause });
    }
  return { status: r.status, headers: r.headers, data };
}

export function createConfluenceClient(o: ConfluenceClientOptions): ConfluenceClient {
  const { transport, scopes } = o;
  const listeners = new Set<Listener | undefined>([o.onRetry]);
  const trips = new Map<string, Trip>();
  const warned = new Set<string>();
  const stats = { transportCalls: 0 };
  const mode = scopes ? o.scopeCheck ?? 'warn' : 'off';

  /** One attempt. AP.request and the Forge bridge can neither abort nor time out, so the client does and drops a late answer. */
  function attempt(t: TransportRequest, ms: number, signal: AbortSignal): Promise<TransportResponse> {
    stats.transportCalls++;
    const c = new AbortController();
    const stop = () => c.abort(signal.reason);
    const id = setTimeout(() => c.abort(fault('timeout', t, `no answer within ${ms} ms`)), ms);
    signal.addEventListener('abort', stop);
    return guard(new Promise<TransportResponse>((r) => r(transport.send({ ...t, signal: c.signal }))), c.signal)
      .finally(() => (clearTimeout(id), signal.removeEventListener('abort', stop)));
  }

  async function run(t: TransportRequest, p: RetryPolicy | undefined, ms: number, trip: Trip): Promise<ConfluenceResponse<any>> {
    const signal = trip.c.signal;
    for (let n = 0; ; n++) {
      let e: ConfluenceError;
      try {
        const r = await attempt(t, ms, signal);
        if (r.status > 199 && r.status < 300) return parse(r, t);
        e = toError(r, t.method, t.path, (p ?? defaultRetryPolicy).now());
      } catch (x: any) {
        if (signal.aborted) throw signal.reason;
        e = x instanceof ConfluenceError ? x : fault('network', t, String(x), { cause: x });
      }
      const delayMs = p && retryDelay(e, t.method, n, p);
      if (delayMs == null) throw e;
      for (const l of [...listeners, ...trip.l]) l?.({ attempt: n + 1, delayMs, error: e, request: { method: t.method, path: t.path } });
      await sleep(delayMs, signal);
    }
  }

  function request<T>(req: ConfluenceRequest): Promise<ConfluenceResponse<T>> {
    const method = req.method ?? 'GET';
    const path = buildPath(req.path, req.query);
    const signal = req.signal;
    const need = mode != 'off' && missingScope(scopes!, method, path);
    let t = { method, path } as TransportRequest;
    if (signal?.aborted) return Promise.reject(signal.reason);
    try {
      if (need) {
        const e = fault('forbidden', t, `needs scope ${need}, missing from the app descriptor`, { reason: 'app-scope', code: 'CONFLUENCE_SCOPE_MISSING' });
        if (mode == 'error') throw e;
        if (!warned.has(e.message)) warned.add(e.message), console.warn(e.message);
      }
      const b = serialise(req);
      t = {
        method, path, binary: req.binary, experimental: req.experimental, ...b,
        // X-Atlassian-Token: multipart is "form-like", so Confluence's XSRF check would refuse it without this.
        headers: { Accept: req.binary ? '*/*' : 'application/json', ...(b.body instanceof FormData && { 'X-Atlassian-Token': 'no-check' }), ...req.headers },
      };
    } catch (x) {
      return Promise.reject(x instanceof ConfluenceError ? x : fault('bad-request', t, 'body cannot be serialised: ' + x, { code: 'CONFLUENCE_BAD_BODY', cause: x }));
    }
    // Identical GETs share one round trip; each caller keeps its own abort, and the trip is cancelled once every caller left.
    const key = method == 'GET' && !t.body ? JSON.stringify(t) : '';
    let trip = trips.get(key);
    if (!trip) {
      const r = req.retry ?? o.retry;
      const nt: Trip = (trip = { n: 0, c: new AbortController(), l: new Set(), p: null! });
      nt.p = run(t, r === false || req.retry === false ? undefined : { ...defaultRetryPolicy, ...o.retry, ...r }, req.timeoutMs ?? o.timeoutMs ?? 15e3, nt)
        .finally(() => trips.get(key) == nt && trips.delete(key));
      if (key) trips.set(key, nt);
    }
    const tr = trip;
    tr.n++;
    tr.l.add(req.onRetry);
    return guard(tr.p, signal, () => --tr.n || tr.c.abort(signal!.reason));
  }

  return {
    transport, stats, request,
    getPage: createPageBatcher(request) as ConfluenceClient['getPage'],
    onRetry: (l) => (listeners.add(l), () => void listeners.delete(l)),
  };
}
