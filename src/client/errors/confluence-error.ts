import type { HttpMethod } from '../types.js';

export type ConfluenceErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'precondition-failed'
  | 'bad-request'
  | 'gone'
  | 'rate-limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'host-unavailable';

export type ForbiddenReason =
  'user-permission' | 'app-scope' | 'app-access-rule' | 'product-access' | 'xsrf' | 'unknown';

export interface ConfluenceErrorInit {
  kind: ConfluenceErrorKind;
  message: string;
  method: HttpMethod;
  path: string;
  /** Defaults to CONFLUENCE_<KIND>, e.g. CONFLUENCE_NOT_FOUND. */
  code?: string;
  status?: number;
  reason?: ForbiddenReason;
  mayBeRestricted?: boolean;
  body?: unknown;
  headers?: Record<string, string>;
  retryAfterMs?: number;
  currentVersion?: number;
  cause?: unknown;
}

/** The one error every client call rejects with (except aborts, which reject with the signal's reason like fetch). */
export class ConfluenceError extends Error {
  declare kind: ConfluenceErrorKind;
  /** Stable, e.g. CONFLUENCE_FORBIDDEN, CONFLUENCE_TIMEOUT, CONFLUENCE_BAD_RESPONSE, CONFLUENCE_SCOPE_MISSING. */
  declare code: string;
  /** 0 when there was no HTTP answer. */
  declare status: number;
  /** forbidden (and the gateway's 401 scope failure, reason app-scope). */
  declare reason?: ForbiddenReason;
  /** not-found on content: "doesn't exist or you don't have access". */
  declare mayBeRestricted: boolean;
  /** Parsed JSON, or text. */
  declare body: unknown;
  /** Lower-cased response headers, when there was a response. */
  declare headers?: Record<string, string>;
  declare retryAfterMs?: number;
  declare currentVersion?: number;
  declare method: HttpMethod;
  declare path: string;

  /** `message` is prefixed with "Confluence METHOD path: " (credentials in the query masked). */
  constructor({ message, cause, ...init }: ConfluenceErrorInit) {
    super(
      `Confluence ${init.method} ${init.path.replace(/([?&](jwt|token|access_token)=)[^&#]*/gi, '$1***')}: ${message}`,
      { cause },
    );
    this.name = 'ConfluenceError';
    Object.assign(
      this,
      {
        status: 0,
        mayBeRestricted: false,
        body: null,
        code: 'CONFLUENCE_' + init.kind.toUpperCase().replace('-', '_'),
      },
      init,
    );
  }
}

export const isConfluenceError = (e: unknown): e is ConfluenceError => e instanceof ConfluenceError;
