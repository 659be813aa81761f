import { ConfluenceKitError } from '../client/errors/kit-error.js';

/**
 * Why the testing kit refused to do what a test asked (a misuse of the kit, never a Confluence answer: those are
 * HTTP responses). Stable across versions.
 */
export type EmulatorErrorCode =
  /** `actAs`, `createFakeAP({ user })`, `setContentProperty(..., { as })`… named no user of the world. */
  | 'UNKNOWN_USER'
  /** `restrictPage`, `setContentProperty`… named no page of the world. */
  | 'UNKNOWN_PAGE'
  /** `createWorld({ users: [] })`: a world needs someone to act as. */
  | 'EMPTY_SEED'
  /** `AP.request` was called without a url, or with multipart `data` that is no object. */
  | 'INVALID_AP_REQUEST'
  /** `world.quota.configure(...)` got a limit, cost or window that is not a finite number ≥ 0. */
  | 'INVALID_QUOTA'
  /** A world option out of its range: `v1Removals` not `'enforce'`/`'warn'`, a negative or NaN `latencyMs`. */
  | 'INVALID_OPTION';

/**
 * A misuse of the testing kit, with a stable `code`.
 *
 * @example
 * try {
 *   world.actAs('nobody');
 * } catch (error) {
 *   if (isEmulatorError(error) && error.code === 'UNKNOWN_USER') console.warn(error.message);
 * }
 */
export class EmulatorError extends ConfluenceKitError<EmulatorErrorCode> {
  constructor(code: EmulatorErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'EmulatorError';
  }
}

/** Whether `value` is an {@link EmulatorError}. */
export function isEmulatorError(value: unknown): value is EmulatorError {
  return value instanceof EmulatorError;
}

// ---------------------------------------------------------------------------------------------------------------
// Internal: signals the emulator's handlers throw and catch themselves; they never leave the kit, so the public
// entries do not export them.

/** A request parameter or body the emulated endpoint refuses with a 400 in its own error family. */
export class EmulatorBadRequestError extends ConfluenceKitError<'INVALID_REQUEST_PARAMETER'> {
  constructor(message: string) {
    super('INVALID_REQUEST_PARAMETER', message);
    this.name = 'EmulatorBadRequestError';
  }
}

export type CqlErrorKind =
  /** Not CQL at all: a token where another was expected. Confluence: "Could not parse cql : …" (observed). */
  | 'syntax'
  /** A field name CQL does not have. Confluence: "No field exists with the name: '…'" (observed). */
  | 'unknown-field'
  /** Valid CQL the emulator does not evaluate (a field, operator or function outside its subset). [Inf] */
  | 'unsupported';

export type CqlErrorCode = 'CQL_SYNTAX' | 'CQL_UNKNOWN_FIELD' | 'CQL_UNSUPPORTED';

const CQL_CODE_BY_KIND: Record<CqlErrorKind, CqlErrorCode> = {
  syntax: 'CQL_SYNTAX',
  'unknown-field': 'CQL_UNKNOWN_FIELD',
  unsupported: 'CQL_UNSUPPORTED',
};

/** A CQL query the emulator's parser refuses; the search endpoint turns it into Confluence's 400. */
export class CqlError extends ConfluenceKitError<CqlErrorCode> {
  constructor(
    readonly kind: CqlErrorKind,
    /** What exactly could not be parsed, for the error body's `data.errors` and for people reading a test failure. */
    readonly detail: string,
    /** The offending name, for `unknown-field`. */
    readonly subject?: string,
  ) {
    super(CQL_CODE_BY_KIND[kind], detail);
    this.name = 'CqlError';
  }
}
