import { VerificationError } from '../errors.js';

/**
 * A tenant record the store holds but cannot use: its shared secret does not decrypt (the key that wrote it left
 * TENANT_SECRET_KEY, or the ciphertext was moved to another tenant or copied back from an older write), or its
 * generation is older than one this process has already seen (a rollback). To the store's callers it is a
 * STORE_UNAVAILABLE (503) like any store failure. A request verifying a token answers it exactly as it answers an
 * issuer with no record (401 SIGNATURE_INVALID, this error as the cause): a different answer would tell anyone
 * which clientKeys have records, and the message describes the operator's key configuration, which belongs in the
 * server's log, not in a response.
 */
export class UnreadableTenantRecordError extends VerificationError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_UNAVAILABLE', message, options);
  }
}

/** The unreadable-record error a refusal stands for: the error itself, or its cause. */
export function unreadableRecordIn(error: unknown): UnreadableTenantRecordError | undefined {
  if (error instanceof UnreadableTenantRecordError) return error;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause instanceof UnreadableTenantRecordError ? cause : undefined;
}
