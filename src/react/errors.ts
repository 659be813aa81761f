import { ConfluenceKitError } from '../client/errors/kit-error.js';

/**
 * Why the React layer itself (not Confluence) refused:
 * - `NO_PROVIDER`: a hook or query ran outside `<ConfluenceProvider>`.
 * - `HOST_NOT_READY`: the client was asked for before the host was detected (e.g. with `renderBeforeReady`).
 * - `NOT_SUPPORTED`: the host has no such API (a flag on a standalone page, a non-JSON body through Forge).
 * - `HOST_TIMEOUT`: a host call (AP or the Forge bridge) never answered within the provider's bound.
 */
export type ConfluenceHostErrorCode = 'NO_PROVIDER' | 'HOST_NOT_READY' | 'NOT_SUPPORTED' | 'HOST_TIMEOUT';

/**
 * An error raised by the React layer itself, not by Confluence; branch on its stable `code`.
 *
 * @example
 * flag({ title: 'Saved' }).catch((error) => {
 *   if (isConfluenceHostError(error) && error.code === 'NOT_SUPPORTED') console.info('no host flags here');
 * });
 */
export class ConfluenceHostError extends ConfluenceKitError<ConfluenceHostErrorCode> {
  constructor(code: ConfluenceHostErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'ConfluenceHostError';
  }
}

/** Whether `value` is a `ConfluenceHostError`. */
export function isConfluenceHostError(value: unknown): value is ConfluenceHostError {
  return value instanceof ConfluenceHostError;
}
