import { VerificationError } from '../errors.js';

/**
 * RFC 3986 encoding as the Connect canonical request wants it: only A-Z a-z 0-9 - _ . ~ stay literal,
 * space is %20 (never +), `*` is %2A, UTF-8 with upper-case hex.
 * encodeURIComponent leaves ! ' ( ) * literal, so those are finished by hand.
 */
export function encodeRfc3986(value: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch (cause) {
    // A lone UTF-16 surrogate has no UTF-8 form; such a string can never be the decoded form of a real URL.
    throw new VerificationError('REQUEST_MALFORMED', 'The request URL contains text that is not valid Unicode.', {
      cause,
    });
  }
  return encoded.replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * Decodes one query-string component (`+` is a space, as in application/x-www-form-urlencoded).
 * Unlike `qs`/`querystring`, which silently keep malformed input raw, this refuses it: keeping `%FF` raw
 * would give `?a=%FF` and `?a=%25FF` the same canonical form, so one signed URL could be replayed as the other.
 */
export function decodeQueryComponent(raw: string): string {
  const spaced = raw.includes('+') ? raw.replace(/\+/g, ' ') : raw;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch (cause) {
    throw new VerificationError(
      'REQUEST_MALFORMED',
      'The request query string has malformed percent-encoding or is not UTF-8.',
      { cause },
    );
  }
}
