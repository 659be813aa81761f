/** Misuse of the testing kit itself (not a Confluence answer), with a stable `code`. */
export type EmulatorErrorCode = 'UNKNOWN_USER' | 'UNKNOWN_PAGE' | 'EMPTY_SEED' | 'INVALID_AP_REQUEST';

export class EmulatorError extends Error {
  override name = 'EmulatorError';
  constructor(
    readonly code: EmulatorErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const isEmulatorError = (e: unknown): e is EmulatorError => e instanceof EmulatorError;
