/**
 * The base of every error this package throws: `ConfluenceError` (root), `ConfluenceHostError` (`./react`),
 * `VerificationError` (`./server`) and `EmulatorError` (`./testing`). Each has a stable `SCREAMING_SNAKE` `code`
 * to branch on (messages may change between versions; codes do not) and an explicit `name`, so minified class
 * names never show in logs.
 *
 * @example
 * try {
 *   await client.request({ path: '/wiki/api/v2/pages/1' });
 * } catch (error) {
 *   if (isConfluenceKitError(error)) console.warn(error.code, error.message);
 * }
 */
export class ConfluenceKitError<Code extends string = string> extends Error {
  /** Stable across versions, e.g. `CONFLUENCE_FORBIDDEN`, `TOKEN_EXPIRED`, `NO_PROVIDER`. */
  declare readonly code: Code; // assigned by the constructor

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code; // before name, as the class field was: the error's own keys keep their order
    this.name = 'ConfluenceKitError';
  }
}

/** Whether `value` is an error thrown by this package (of any layer). */
export function isConfluenceKitError(value: unknown): value is ConfluenceKitError {
  return value instanceof ConfluenceKitError;
}
