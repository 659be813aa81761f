import { ConfluenceError } from './errors/confluence-error.js';
import { buildPath } from './internal/build-path.js';
import { hostFaultError, readResponse, requestError, type RequestLine } from './internal/classify.js';
import { guard } from './internal/guard.js';
import { createDeprecationWarner } from './internal/deprecations.js';
import { createPageBatcher } from './internal/page-batcher.js';
import { createRateLimitTracker } from './internal/rate-limit.js';
import { defaultRetryPolicy, retryDelay } from './internal/retry-policy.js';
import { scopeChecker } from './internal/scopes.js';
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

type RetryListener = (event: RetryEvent) => void;

/** What the retry loop of one round trip shares with the callers waiting for it. */
interface TripState {
  /** Callers still waiting. The last to abort cancels the trip; callers without a signal never leave. */
  waitingCallers: number;
  /** Aborted when every caller left, or by the timeout (with the timeout error as its reason). */
  controller: AbortController;
  /** Each caller's own `onRetry`. */
  retryListeners: (RetryListener | undefined)[];
  /** Identifies the request for joining an abandoned host call (undefined for bodies that cannot be compared). */
  joinKey: string | undefined;
  /** The host call of the current attempt, while it is out. */
  inFlight?: Promise<TransportResponse>;
}

/** One round trip, shared by every caller of an identical in-flight GET. */
interface Trip extends TripState {
  response: Promise<ConfluenceResponse<unknown>>;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** Plain objects and arrays are serialised by the client; strings, FormData, Blob and ArrayBuffer pass as they are. */
function isPlainData(body: unknown): body is Record<string, unknown> {
  if (!body) return false;
  return (body as object).constructor === Object || Array.isArray(body);
}

function sleep(delayMs: number, signal: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, delayMs);
  });
  return guard(elapsed, signal, () => clearTimeout(timer));
}

/**
 * The host-neutral Confluence REST client: one `request()` over whichever transport the app runs on, with
 * timeouts, retries that honour Retry-After, sharing of identical in-flight GETs, same-tick page batching
 * (`getPage`), and one typed error (`ConfluenceError`) for every failure.
 *
 * @example
 * import { createConfluenceClient, createConnectTransport, confluencePath } from 'confluence-iframe-kit';
 *
 * const client = createConfluenceClient({ transport: createConnectTransport(), scopes: ['READ', 'WRITE'] });
 * const { data } = await client.request({ path: '/wiki/api/v2/pages', query: { 'space-id': 42, limit: 25 } });
 * const page = await client.getPage('123'); // same-tick calls share one GET /wiki/api/v2/pages?id=…
 * await client.request({
 *   method: 'PUT',
 *   path: confluencePath`/wiki/api/v2/pages/${page.id}`,
 *   body: { id: page.id, status: 'current', title: 'Renamed', version: { number: page.version!.number + 1 } },
 * });
 */
export function createConfluenceClient(options: ConfluenceClientOptions): ConfluenceClient {
  const { transport } = options;
  const retryListeners = new Set<RetryListener | undefined>([options.onRetry]);
  /** In-flight trips of coalescable GETs, by request key. */
  const trips = new Map<string, Trip>();
  const stats = { transportCalls: 0 };
  /** The clock for HTTP-date waits and rate-limit resets (injectable through `retry.now`). */
  const now = (options.retry ? options.retry.now : undefined) ?? defaultRetryPolicy.now;
  const rateLimits = createRateLimitTracker(now);
  /**
   * Host calls whose callers all left while AP.request or the bridge was still out (they cannot be cancelled, so
   * the call still costs points). An identical request joins one instead of sending again: React StrictMode's
   * mount, abort, mount again would otherwise send every first request twice. fetch really cancels, so its calls
   * are never kept.
   */
  const abandonedCalls = new Map<string, Promise<TransportResponse>>();
  const hostCanCancel = transport.kind === 'fetch';
  // The descriptor scope check is a development aid: bundles that define NODE_ENV=production drop it with the
  // scope table. The host still refuses whatever the descriptor lacks. `process` is checked first: a Connect app
  // loaded as a plain <script type=module> (no bundler) has none. One expression, so minifiers see the dead code.
  const checkScope =
    typeof process !== 'undefined' && process.env.NODE_ENV !== 'production' ? scopeChecker(options) : undefined;
  // Development only too, the same way: a warning per deprecated (or removed) v1 operation the app called.
  const warnDeprecated =
    typeof process !== 'undefined' && process.env.NODE_ENV !== 'production' ? createDeprecationWarner() : undefined;

  /** Reads an answer into a response or a typed error, and keeps the rate-limit state up to date. */
  function readAnswer(answer: TransportResponse, request: RequestLine, clock = now): ConfluenceResponse<unknown> {
    rateLimits.observeAnswer(answer.status, answer.headers);
    warnDeprecated?.(request, answer);
    try {
      return readResponse(answer, request, clock());
    } catch (error) {
      if (error instanceof ConfluenceError && error.rateLimit) rateLimits.observeRefusal(error.rateLimit);
      throw error;
    }
  }

  function abandon(key: string, call: Promise<TransportResponse>, request: RequestLine) {
    abandonedCalls.set(key, call);
    const settled = (answer?: TransportResponse) => {
      if (abandonedCalls.get(key) !== call) return; // taken by an identical request, which reads the answer
      abandonedCalls.delete(key);
      if (!answer) return;
      try {
        readAnswer(answer, request); // nobody waits for it, but its rate-limit headers still count
      } catch {
        // the refusal is noted in the rate-limit state; nobody is left to tell
      }
    };
    call.then(settled, () => settled());
  }

  /** The host call for one attempt: an abandoned identical call if one is still out, else a new one. */
  function hostCall(request: TransportRequest, trip: TripState): Promise<TransportResponse> {
    const abandoned = trip.joinKey === undefined ? undefined : abandonedCalls.get(trip.joinKey);
    if (abandoned && trip.joinKey !== undefined) {
      abandonedCalls.delete(trip.joinKey);
      return abandoned;
    }
    stats.transportCalls++;
    // A transport that throws synchronously is a host fault like any rejection.
    const signal = trip.controller.signal;
    return new Promise<TransportResponse>((resolve) => resolve(transport.send({ ...request, signal })));
  }

  async function runTrip(
    request: TransportRequest,
    policy: RetryPolicy | undefined,
    timeoutMs: number,
    trip: TripState,
  ): Promise<ConfluenceResponse<unknown>> {
    const signal = trip.controller.signal;
    const clock = policy?.now ?? now;

    for (let attempt = 0; ; attempt++) {
      // A spent quota: nothing may reach the host until the reset, and retrying cannot help before then.
      const paused = rateLimits.pauseError(request);
      if (paused) throw paused;

      let error: ConfluenceError;
      let timeout: ReturnType<typeof setTimeout> | undefined;
      try {
        if (signal.aborted) throw signal.reason; // aborted during the last retry's listeners: send nothing more
        // AP.request and the Forge bridge can neither abort nor time out, so the client settles the attempt itself
        // when the trip is aborted (a late answer is dropped; fetch really cancels). Timeouts are never retried, so
        // the timeout simply aborts the whole trip with its error.
        timeout = setTimeout(() => {
          trip.controller.abort(requestError('timeout', request, `no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        trip.inFlight = hostCall(request, trip);
        const answer = await guard(trip.inFlight, signal);
        return readAnswer(answer, request, clock);
      } catch (thrown) {
        if (signal.aborted) throw signal.reason;
        error = thrown instanceof ConfluenceError ? thrown : hostFaultError(thrown, request, clock());
        if (error.rateLimit) rateLimits.observeRefusal(error.rateLimit);
      } finally {
        trip.inFlight = undefined;
        clearTimeout(timeout);
      }

      const delayMs = policy ? retryDelay(error, request.method, attempt, policy) : undefined;
      if (delayMs === undefined) throw error;
      const event: RetryEvent = {
        attempt: attempt + 1,
        delayMs,
        error,
        request: { method: request.method, path: request.path },
      };
      for (const listener of [...retryListeners, ...trip.retryListeners]) listener?.(event);
      await sleep(delayMs, signal);
    }
  }

  /** The request as a transport sends it: path with /wiki and query, body serialised, headers complete. */
  function toTransportRequest(input: ConfluenceRequest, method: TransportRequest['method'], path: string) {
    let body = input.body;
    let contentType: string | undefined;
    if (isPlainData(body)) {
      if (input.multipart) {
        const form = new FormData();
        // append() keeps Blobs (files) and turns anything else into its string, as a form field is.
        for (const [name, value] of Object.entries(body)) form.append(name, value as string);
        body = form;
      } else {
        body = JSON.stringify(body);
        contentType = 'application/json';
      }
    }
    const headers: Record<string, string> = { Accept: input.binary ? '*/*' : 'application/json' };
    if (contentType) headers['Content-Type'] = contentType;
    // Confluence's XSRF check refuses form-like posts without this header.
    if (body instanceof FormData) headers['X-Atlassian-Token'] = 'no-check';
    const transportRequest: TransportRequest = {
      method,
      path,
      contentType,
      body: body as TransportRequest['body'],
      binary: input.binary,
      experimental: input.experimental,
      headers: { ...headers, ...input.headers },
    };
    return transportRequest;
  }

  function startTrip(
    input: ConfluenceRequest,
    transportRequest: TransportRequest,
    key: string | undefined,
    joinKey: string | undefined,
  ): Trip {
    const retry = input.retry ?? options.retry; // a request's own `retry: false` wins, as does its partial policy
    const policy = retry === false ? undefined : { ...defaultRetryPolicy, ...options.retry, ...retry };
    const timeoutMs = input.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const state: TripState = { waitingCallers: 0, controller: new AbortController(), retryListeners: [], joinKey };
    const response = runTrip(transportRequest, policy, timeoutMs, state).finally(() => {
      if (key !== undefined && trips.get(key) === trip) trips.delete(key);
    });
    const trip: Trip = Object.assign(state, { response });
    if (key !== undefined) trips.set(key, trip);
    return trip;
  }

  function request<T>(input: ConfluenceRequest): Promise<ConfluenceResponse<T>> {
    const { method = 'GET', signal } = input;
    const path = buildPath(input.path, input.query);
    if (signal?.aborted) return Promise.reject(signal.reason);

    let transportRequest: TransportRequest;
    try {
      checkScope?.({ method, path });
      transportRequest = toTransportRequest(input, method, path);
    } catch (thrown) {
      if (thrown instanceof ConfluenceError) return Promise.reject(thrown);
      const error = requestError('bad-request', { method, path }, 'body cannot be serialised: ' + thrown, {
        code: 'CONFLUENCE_BAD_BODY',
        cause: thrown,
      });
      return Promise.reject(error);
    }

    // Same method, path, headers, flags and (text) body: the same request.
    const body = transportRequest.body;
    const joinKey = body === undefined || typeof body === 'string' ? JSON.stringify(transportRequest) : undefined;
    // Identical GETs share one round trip; each caller keeps its own abort, and the trip is cancelled once every
    // caller left.
    const key = method === 'GET' && !body ? joinKey : undefined;
    let trip = key === undefined ? undefined : trips.get(key);
    // An aborted trip takes no new callers; a GET asked for after that starts a fresh one (the aborted trip's own
    // `finally` then leaves the new one in the map), which joins the aborted trip's host call if it is still out.
    if (!trip || trip.controller.signal.aborted) trip = startTrip(input, transportRequest, key, joinKey);
    const joined = trip;
    joined.waitingCallers++;
    joined.retryListeners.push(input.onRetry);

    const response = guard(joined.response, signal, () => {
      joined.waitingCallers--;
      if (joined.waitingCallers > 0) return;
      if (joined.inFlight && joined.joinKey !== undefined && !hostCanCancel) {
        abandon(joined.joinKey, joined.inFlight, transportRequest);
      }
      joined.controller.abort(signal?.reason);
    });
    return response as Promise<ConfluenceResponse<T>>;
  }

  return {
    transport,
    stats,
    get rateLimit() {
      return rateLimits.current();
    },
    onRateLimitChange: rateLimits.subscribe,
    request,
    getPage: createPageBatcher(request) as ConfluenceClient['getPage'],
    onRetry(listener) {
      retryListeners.add(listener);
      return () => {
        retryListeners.delete(listener);
      };
    },
  };
}
