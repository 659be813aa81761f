import { VerificationError } from '../errors.js';

/** The largest request body the core reads unless configured otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
/** How long a body may take to arrive, ms, unless configured otherwise. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

export function bodyTooLarge(maxBytes: number): VerificationError {
  return new VerificationError('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`);
}

export function bodyTimedOut(): VerificationError {
  return new VerificationError('PAYLOAD_TIMEOUT', 'The request body did not arrive in time.');
}

/** A declared Content-Length over the cap is refused before a byte is read. */
export function assertDeclaredLength(contentLength: string | null | undefined, maxBytes: number): void {
  if (contentLength === null || contentLength === undefined || contentLength === '') return;
  const declared = Number(contentLength);
  if (Number.isFinite(declared) && declared > maxBytes) throw bodyTooLarge(maxBytes);
}

/**
 * Reads a Web body stream as UTF-8 text, chunk by chunk: past `maxBytes` the stream is cancelled and the read
 * refused (413), and a body that has not ended after `timeoutMs` is refused (408). Never buffers more than the cap,
 * so no body size can exhaust memory or hit the engine's string limit.
 */
export async function readBodyStream(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  timeoutMs: number,
): Promise<string> {
  if (stream === null) return '';
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(bodyTimedOut()), timeoutMs);
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), timeout]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw bodyTooLarge(maxBytes);
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    if (error instanceof VerificationError) throw error;
    throw new VerificationError('PAYLOAD_INVALID', 'The request body could not be read.', { cause: error });
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
