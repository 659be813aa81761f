import type { VerificationError } from '../errors.js';

/** What is known about the last fetches of one scope (one kid on a per-kid key server, or a whole JWKS). */
export interface ScopeAttempts {
  /** when the last fetch settled, successful or not, ms */
  lastAttemptAt: number;
  /** when a fetch last got an answer from the source (keys, or "no such kid"), ms */
  answeredAt: number | undefined;
  /** the last fetch's failure (timeout, 5xx, garbage), until a fetch gets an answer again */
  failure: { at: number; error: VerificationError } | undefined;
}

/**
 * Attempts per scope, at most `maxScopes` (oldest forgotten first). Forgetting one only costs a fetch when its
 * scope is asked for again; it never touches the key cache.
 */
export class FetchAttempts {
  private readonly scopes = new Map<string, ScopeAttempts>();

  constructor(private readonly maxScopes: number) {}

  get(scope: string): ScopeAttempts | undefined {
    return this.scopes.get(scope);
  }

  answered(scope: string, at: number): void {
    this.set(scope, { lastAttemptAt: at, answeredAt: at, failure: undefined });
  }

  failed(scope: string, at: number, error: VerificationError): void {
    const previous = this.scopes.get(scope);
    this.set(scope, { lastAttemptAt: at, answeredAt: previous?.answeredAt, failure: { at, error } });
  }

  private set(scope: string, attempts: ScopeAttempts): void {
    this.scopes.delete(scope);
    while (this.scopes.size >= this.maxScopes) this.scopes.delete(this.scopes.keys().next().value as string);
    this.scopes.set(scope, attempts);
  }
}
