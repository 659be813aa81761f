import { VerificationError } from '../errors.js';

/** ASAP-style key id: letters, digits, `.`, `_`, `-` segments joined by single `/`; no `..`, 256 chars at most. */
const KID = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

/**
 * Validated BEFORE the kid goes into the key-server URL: `../`, `%2e`, `?`, `#`, `//` or `\` could otherwise point
 * the fetch at another path or host. Atlassian changed the kid pattern before (GitLab MR 173110), so no UUID check.
 */
export function assertKeyId(kid: unknown): string {
  if (typeof kid !== 'string' || kid === '') {
    throw new VerificationError('KID_INVALID', 'The install token has no kid header.');
  }
  if (kid.length > 256 || !KID.test(kid) || kid.includes('..') || kid.split('/').some((segment) => segment === '.')) {
    throw new VerificationError('KID_INVALID', 'The install token kid is not a valid key id.');
  }
  return kid;
}
