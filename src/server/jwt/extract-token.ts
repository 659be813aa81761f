import { VerificationError } from '../errors.js';
import { getHeader, type RequestLike } from '../http/request.js';
import { decodeQueryComponent } from './percent-encoding.js';
import { splitRequestTarget } from './request-target.js';

export type TokenSource = 'header' | 'query';

/** Compact JWS: three base64url segments. Anything else is refused before any decoding happens. */
export const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function jwtQueryValues(rawQuery: string): string[] {
  const values: string[] = [];
  // `%6Awt` is also `jwt` once decoded (and the canonical query drops it), so encoded names are checked too.
  if (!rawQuery.includes('jwt') && !rawQuery.includes('%')) return values;
  for (const part of rawQuery.split('&')) {
    const eq = part.indexOf('=');
    const rawName = eq === -1 ? part : part.slice(0, eq);
    if (!rawName.includes('jwt') && !rawName.includes('%')) continue;
    if (decodeQueryComponent(rawName) !== 'jwt') continue;
    values.push(eq === -1 ? '' : decodeQueryComponent(part.slice(eq + 1)));
  }
  return values;
}

/**
 * Reads the token from `Authorization: JWT <token>` or `?jwt=`. Both present and different, or `jwt` repeated,
 * is refused: a proxy or a link could otherwise choose which of two tokens gets verified.
 */
export function extractToken(request: RequestLike, maxTokenLength: number): { token: string; source: TokenSource } {
  const authorization = getHeader(request, 'authorization');
  if (authorization !== undefined && authorization.length > maxTokenLength + 16) {
    throw new VerificationError(
      'TOKEN_TOO_LARGE',
      `The Authorization header is longer than ${maxTokenLength + 16} characters.`,
    );
  }
  let headerToken: string | undefined;
  if (authorization && /^JWT\s/i.test(authorization)) headerToken = authorization.slice(4).trim();

  const queryValues = jwtQueryValues(splitRequestTarget(request.url).query);
  if (queryValues.length > 1) throw new VerificationError('TOKEN_AMBIGUOUS', 'The jwt query parameter is repeated.');
  const queryToken = queryValues[0];

  if (headerToken !== undefined && queryToken !== undefined && headerToken !== queryToken) {
    throw new VerificationError(
      'TOKEN_AMBIGUOUS',
      'The Authorization header and the jwt query parameter carry different tokens.',
    );
  }
  const token = headerToken ?? queryToken;
  if (!token) {
    throw new VerificationError(
      'TOKEN_MISSING',
      'No JWT found: send it as `Authorization: JWT <token>` or `?jwt=<token>`.',
    );
  }
  if (token.length > maxTokenLength) {
    throw new VerificationError('TOKEN_TOO_LARGE', `The JWT is longer than ${maxTokenLength} characters.`);
  }
  if (!COMPACT_JWS.test(token))
    throw new VerificationError('TOKEN_MALFORMED', 'The JWT is not three base64url segments.');
  return { token, source: headerToken !== undefined ? 'header' : 'query' };
}
