import { fault, toError } from './errors/classify';
import { ConfluenceError, isConfluenceError } from './errors/confluence-error';
import { createPageBatcher } from './page-batcher';
import { guard } from './guard';
import { buildPath } from './paths';
import { defaultRetryPolicy, retryDelay } from './retry/policy';
import { missingScope } from './scopes';
import type {
  ConfluenceClient, ConfluenceClientOptions, ConfluenceRequest, ConfluenceResponse, RetryEvent, RetryPolicy,
  TransportRequest, TransportResponse,
} from './types';

type Listener = (e: RetryEvent) => void;
interface Shared { p: Promise<ConfluenceResponse<any>>; n: number; c: AbortController; l: Set<Listener> }

function sleep(ms: number, signal: AbortSignal) {
  let id: ReturnType<typeof setTimeout>;
  return guard(new Promise<void>((r) => (id = setTimeout(r, ms))), signal, () => clearTimeout(id));
}

function serialise(req: ConfluenceRequest): Pick<TransportRequest, 'body' | 'contentType'> {
  const b = req.body;
  if (b === undefined || typeof b == 'string' || b instanceof ArrayBuffer || (typeof Blob != 'undefined' && b instanceof Blob)) return { body: b as string };
  if (typeof FormData != 'undefined' && (b instanceof FormData || req.multipart)) {
    if (b instanceof FormData) return { body: b };
    const f = new FormData();
    for (const [k, v] of Object.entries(b as object)) f.append(k, v instanceof Blob ? v : String(v));
    return { body: f };
  }
  return { body: JSON.stringify(b), contentType: 'application/json' };
}

function parse(r: TransportResponse, t: TransportRequest): ConfluenceResponse<unknown> {
  let data: unknown = r.body || null;
  const ct = r.headers['content-type'] ?? '';
  if (typeof data == 'string' && (/json/i.test(ct) || (!ct && /^\s*[[{]/.test(data))))
    try {
      data = JSON.parse(data);
    } catch (e) {
      // Without a content type we only guessed; with one, the host broke its promise.
      if (ct) throw new ConfluenceError({ kind: 'server', code: 'CONFLUENCE_BAD_RESPONSE', status: r.status, method: t.method, path: t.path, body: data, headers: r.headers, cause: e,
        message: `Confluence ${t.method} ${t.path}: ${r.status} answer says ${ct} but the body is not JSON` });
    }
  return { status: r.status, headers: r.headers, data };
}

export function createConfluenceClient(o: ConfluenceClientOptions): ConfluenceClient {
  const { transport, scopes } = o;
  const listeners = new Set<Listener>();
  const inflight = new Map<string, Shared>();
  const warned = new Set<string>();
  const stats = { transportCalls: 0 };
  const mode = scopes ? o.scopeCheck ?? 'warn' : 'off';
  if (o.onRetry) listeners.add(o.onRetry);

  /** One attempt: the host cannot abort or time out, so the client does and simply drops a late answer. */
  function attempt(t: TransportRequest, ms: number, signal: AbortSignal): Promise<TransportResponse> {
    stats.transportCalls++;
    const c = new AbortController();
    const id = setTimeout(() => c.abort(fault('timeout', t, `no answer within ${ms} ms (the late answer, if any, is dropped)`)), ms);
    const link = () => c.abort(signal.reason);
    signal.addEventListener('abort', link);
    return guard(new Promise<TransportResponse>((r) => r(transport.send({ ...t, signal: c.signal }))), c.signal)
      .finally(() => (clearTimeout(id), signal.removeEventListener('abort', link)));
  }

  async function run(t: TransportRequest, p: RetryPolicy | null, ms: number, s: Shared): Promise<ConfluenceResponse<any>> {
    const signal = s.c.signal;
    for (let n = 0; ; n++) {
      let e: ConfluenceError;
      try {
        const r = await attempt(t, ms, signal);
        if (r.status > 199 && r.status < 300) return parse(r, t);
        e = toError(r, t.method, t.path, (p ?? defaultRetryPolicy).now());
      } catch (x) {
        if (signal.aborted) throw signal.reason;
        e = isConfluenceError(x) ? x : fault('network', t, String(x), x);
      }
      const d = p ? retryDelay(e, t.method, n, p) : undefined;
      if (d === undefined) throw e;
      const ev: RetryEvent = { attempt: n + 1, delayMs: d, error: e, request: { method: t.method, path: t.path } };
      for (const l of [...listeners, ...s.l]) l(ev);
      await sleep(d, signal);
    }
  }

  function request<T>(req: ConfluenceRequest): Promise<ConfluenceResponse<T>> {
    const method = req.method ?? 'GET';
    const path = buildPath(req.path, req.query);
    const signal = req.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const need = mode != 'off' ? missingScope(scopes!, method, path) : undefined;
    if (need) {
      const e = new ConfluenceError({ kind: 'forbidden', reason: 'app-scope', code: 'CONFLUENCE_SCOPE_MISSING', method, path,
        message: `Confluence ${method} ${path} needs the ${need} scope, which the app descriptor does not declare; the host would refuse it` });
      if (mode == 'error') return Promise.reject(e);
      if (!warned.has(e.message)) warned.add(e.message), console.warn(e.message);
    }
    let t: TransportRequest;
    try {
      const b = serialise(req);
      t = { method, path, headers: { Accept: req.binary ? '*/*' : 'application/json', ...(req.multipart || b.body instanceof FormData ? { 'X-Atlassian-Token': 'no-check' } : {}), ...req.headers }, binary: req.binary, experimental: req.experimental, ...b };
    } catch (x) {
      return Promise.reject(new ConfluenceError({ kind: 'bad-request', code: 'CONFLUENCE_BAD_BODY', method, path, cause: x, message: `Confluence ${method} ${path}: the body cannot be serialised (${x})` }));
    }
    // Identical GETs share one round trip; each caller keeps its own abort, and the trip is cancelled when all callers left.
    const key = method == 'GET' && req.body === undefined ? JSON.stringify([path, t.headers, req.binary, req.experimental]) : '';
    let s = key ? inflight.get(key) : undefined;
    if (!s) {
      const r = req.retry ?? o.retry;
      const sh: Shared = { n: 0, c: new AbortController(), l: new Set(), p: null! };
      sh.p = run(t, req.retry === false || r === false ? null : { ...defaultRetryPolicy, ...o.retry, ...r }, req.timeoutMs ?? o.timeoutMs ?? 15_000, sh)
        .finally(() => inflight.get(key) == sh && inflight.delete(key));
      if (key) inflight.set(key, sh);
      s = sh;
    }
    const sh = s;
    sh.n++;
    if (req.onRetry) sh.l.add(req.onRetry);
    return guard(sh.p, signal, () => --sh.n || sh.c.abort(signal!.reason));
  }

  const client: ConfluenceClient = {
    transport,
    stats,
    request,
    getPage: null!,
    onRetry: (l) => (listeners.add(l), () => void listeners.delete(l)),
  };
  client.getPage = createPageBatcher(request) as ConfluenceClient['getPage'];
  return client;
}
