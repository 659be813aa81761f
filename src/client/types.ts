import type { ConfluenceError } from './errors/confluence-error.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';
export type QueryValue = string | number | boolean;
export type Query = Record<string, QueryValue | QueryValue[] | undefined | null>;

/** What a transport is asked to send. `path` always starts with `/wiki`; each transport adapts it to its host. */
export interface TransportRequest {
  method: HttpMethod;
  /** Product-relative, always starting with /wiki (e.g. /wiki/api/v2/pages/1?x=y); query already encoded. */
  path: string;
  headers: Record<string, string>;
  /** Already serialised. */
  body?: string | FormData | ArrayBuffer | Blob;
  contentType?: string;
  /** Response wanted as ArrayBuffer. */
  binary?: boolean;
  experimental?: boolean;
  /** Aborted on caller abort or client timeout. Only transports that can cancel (fetch) use it. */
  signal?: AbortSignal;
}

export interface TransportResponse {
  /** 0 = never reached the product. */
  status: number;
  statusText: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string | ArrayBuffer | null;
}

/**
 * Where the app runs, which decides how requests reach Confluence: Connect (`AP.request`), Forge Custom UI
 * (`@forge/bridge`), or plain `fetch` (standalone pages, development, tests).
 */
export type HostKind = 'connect' | 'forge' | 'fetch';

export interface Transport {
  readonly kind: HostKind;
  /** Resolves for every HTTP status; rejects only for host/network faults (with a ConfluenceError). */
  send(request: TransportRequest): Promise<TransportResponse>;
}

export type ConnectScope =
  | 'NONE'
  | 'READ'
  | 'WRITE'
  | 'DELETE'
  | 'SPACE_ADMIN'
  | 'ADMIN'
  | 'ACT_AS_USER'
  | 'ACCESS_EMAIL_ADDRESSES'
  | Lowercase<
      'NONE' | 'READ' | 'WRITE' | 'DELETE' | 'SPACE_ADMIN' | 'ADMIN' | 'ACT_AS_USER' | 'ACCESS_EMAIL_ADDRESSES'
    >;

export interface RetryPolicy {
  /** Retries after the first attempt. Default 4. */
  retries: number;
  /** First backoff step when the answer names no wait. Default 1000. */
  baseDelayMs: number;
  /** Backoff cap; a Retry-After longer than this is not waited for (the error surfaces with retryAfterMs). Default 30000. */
  maxDelayMs: number;
  /** Methods whose 5xx / network failures are retried. Default GET, HEAD, PUT, DELETE (RFC 9110 idempotent). */
  idempotent: HttpMethod[];
  /** Injectable for tests: [0,1). */
  random: () => number;
  /** Injectable clock (ms since epoch), used for HTTP-date Retry-After and X-RateLimit-Reset. */
  now: () => number;
}

export interface RetryEvent {
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  error: ConfluenceError;
  request: { method: HttpMethod; path: string };
}

export interface ConfluenceRequest {
  method?: HttpMethod;
  /** `/wiki/...`, `/rest/api/...` or `/api/v2/...`; the `/wiki` prefix is added when missing. */
  path: string;
  query?: Query;
  /** Objects are sent as JSON (or as form fields with `multipart`); strings, FormData, Blob and ArrayBuffer as is. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  binary?: boolean;
  multipart?: boolean;
  experimental?: boolean;
  retry?: Partial<RetryPolicy> | false;
  onRetry?: (event: RetryEvent) => void;
}

export interface ConfluenceResponse<T> {
  status: number;
  headers: Record<string, string>;
  data: T;
}

/** A v2 page as returned by GET /wiki/api/v2/pages(/{id}); only the commonly used fields are typed. */
export interface Page {
  id: string;
  status?: string;
  title: string;
  spaceId?: string;
  parentId?: string | null;
  authorId?: string;
  createdAt?: string;
  version?: { number: number; createdAt?: string; authorId?: string; message?: string };
  body?: {
    storage?: { value: string; representation: string };
    atlas_doc_format?: { value: string; representation: string };
  };
  _links?: { webui?: string; editui?: string; tinyui?: string; base?: string };
  [key: string]: unknown;
}

export interface ConfluenceClientOptions {
  transport: Transport;
  /** Per attempt. Default 15000. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy> | false;
  /** Descriptor scopes; enables the scope check. */
  scopes?: ConnectScope[];
  /** Default 'warn' when `scopes` is given. */
  scopeCheck?: 'warn' | 'error' | 'off';
  onRetry?: (event: RetryEvent) => void;
}

/**
 * Which limit refused a request: `quota` (the app's hourly points quota is spent: nothing succeeds until the reset,
 * so the client pauses), `burst` (a per-endpoint burst limit: this request waits, others go on) or `bridge` (the
 * Forge bridge's own call limiter, before anything left the iframe).
 */
export type RateLimitScope = 'quota' | 'burst' | 'bridge';

/** On a `rate-limited` ConfluenceError: which limit, and until when. */
export interface RateLimitInfo {
  scope: RateLimitScope;
  /** Epoch ms from which requests are expected to succeed again; always set for `quota` and `bridge`. */
  resetAt?: number;
  /** The `RateLimit-Reason` header as sent, e.g. `confluence-quota-tenant-based`. */
  reason?: string;
}

/** What the client knows about its rate limits, from the last answers (`client.rateLimit`). */
export interface RateLimitState {
  /** The points quota is spent: until `resetAt`, every request rejects at once without reaching the host. */
  paused: boolean;
  /** The limit that refused the last refused request, while its wait lasts (cleared by a success or the reset). */
  scope?: RateLimitScope;
  /** Epoch ms when the pause (or the last refusal's wait) ends. */
  resetAt?: number;
  /** Points left this hour (`X-RateLimit-Remaining`, else `Beta-RateLimit`'s `r=`), when the host passes it on. */
  remaining?: number;
  /** The hourly quota (`X-RateLimit-Limit`), when the host passes it on. */
  limit?: number;
  /** Under about 20 % of the quota left (`X-RateLimit-NearLimit`, `Beta-RateLimit`): defer background work. */
  nearLimit: boolean;
}

export interface ConfluenceClient {
  request<T = unknown>(req: ConfluenceRequest): Promise<ConfluenceResponse<T>>;
  /** Same-tick calls are batched into GET /wiki/api/v2/pages?id=…; a missing id rejects with not-found (mayBeRestricted). */
  getPage<T = Page>(id: string, opts?: { signal?: AbortSignal; bodyFormat?: string }): Promise<T>;
  readonly stats: { transportCalls: number };
  onRetry(listener: (event: RetryEvent) => void): () => void;
  /** The rate-limit state, a new object on every change (so it can back `useSyncExternalStore`). */
  readonly rateLimit: RateLimitState;
  /** Calls `listener` with the new state whenever `rateLimit` changes (including when a quota pause ends). */
  onRateLimitChange(listener: (state: RateLimitState) => void): () => void;
  readonly transport: Transport;
}
