export { VerificationError, isVerificationError, STATUS_BY_CODE } from './errors.js';
export type { VerificationErrorCode } from './errors.js';
export { createQueryStringHash, CONTEXT_QSH } from './jwt/qsh.js';
export { createCanonicalRequest, canonicalPath, canonicalQuery } from './jwt/canonical-request.js';
export { splitRequestTarget, appBasePathOf } from './jwt/request-target.js';
export { encodeRfc3986 } from './jwt/percent-encoding.js';
