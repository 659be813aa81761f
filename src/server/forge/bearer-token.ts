import { VerificationError } from '../errors.js';
import { getHeader, type RequestLike } from '../http/request.js';
import { COMPACT_JWS } from '../jwt/extract-token.js';

/**
 * The FIT from `Authorization: Bearer <token>` and nowhere else. Forge never puts it in the URL, so a `?jwt=` or
 * `?token=` is ignored rather than accepted: a token in a URL ends up in logs and Referer headers.
 */
export function extractBearerToken(request: RequestLike, maxTokenLength: number): string {
  const authorization = getHeader(request, 'authorization');
  if (authorization === undefined || authorization.trim() === '') {
    throw new VerificationError('TOKEN_MISSING', 'No Forge Invocation Token: expected `Authorization: Bearer <FIT>`.');
  }
  // Checked before any slicing or regex work, so a huge header costs nothing.
  if (authorization.length > maxTokenLength + 16) {
    throw new VerificationError(
      'TOKEN_TOO_LARGE',
      `The Authorization header is longer than ${maxTokenLength + 16} characters.`,
    );
  }
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  if (!match) {
    // A Connect `JWT <token>` sent to a Forge route lands here; the scheme is named, the value never.
    throw new VerificationError('TOKEN_MISSING', 'The Authorization header is not `Bearer <FIT>`.');
  }
  const token = match[1]!;
  if (token.length > maxTokenLength) {
    throw new VerificationError('TOKEN_TOO_LARGE', `The token is longer than ${maxTokenLength} characters.`);
  }
  if (!COMPACT_JWS.test(token))
    throw new VerificationError('TOKEN_MALFORMED', 'The token is not three base64url segments.');
  return token;
}
