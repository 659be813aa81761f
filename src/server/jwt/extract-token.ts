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

export interface ExtractTokenOptions {
  /**
   * Whether `?jwt=` is read. Only iframe routes need it (Atlassian puts the iframe token into the module URL);
   * context and lifecycle tokens belong in the Authorization header, out of URLs, referrers and access logs.
   */
  allowQuery: boolean;
}

/**
 * Reads the token from `Authorization: JWT <token>`, or from `?jwt=` where `allowQuery` says so. Both present and
 * different, or `jwt` repeated, is refused: a proxy or a link could otherwise choose which of two tokens gets
 * verified. A `?jwt=` where the query is not allowed is refused too (TOKEN_IN_QUERY), never silently ignored.
 */
export function extractToken(
  request: RequestLike,
  maxTokenLength: number,
  options: ExtractTokenOptions = { allowQuery: true },
): { token: string; source: TokenSource } {
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
  if (queryToken !== undefined && !options.allowQuery) {
    throw new VerificationError(
      'TOKEN_IN_QUERY',
      'This route takes its token from the Authorization header only (`Authorization: JWT <token>`), not ?jwt=.',
    );
  }

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
      options.allowQuery
        ? 'No JWT found: send it as `Authorization: JWT <token>` or `?jwt=<token>`.'
        : 'No JWT found: send it as `Authorization: JWT <token>`.',
    );
  }
  if (token.length > maxTokenLength) {
    throw new VerificationError('TOKEN_TOO_LARGE', `The JWT is longer than ${maxTokenLength} characters.`);
  }
  if (!COMPACT_JWS.test(token))
    throw new VerificationError('TOKEN_MALFORMED', 'The JWT is not three base64url segments.');
  return { token, source: headerToken !== undefined ? 'header' : 'query' };
}
