// Plumbing of confluence-iframe-kit/server that app teams do not call: the emulator, the example's tests and the
// server tests import it by path. Not a package entry; nothing here is covered by semver.
export { createCanonicalRequest, canonicalPath, canonicalQuery } from '../jwt/canonical-request.js';
export { splitRequestTarget, appBasePathOf } from '../jwt/request-target.js';
export { encodeRfc3986 } from '../jwt/percent-encoding.js';
export { extractToken } from '../jwt/extract-token.js';
export { verifyLifecycleRequest } from '../lifecycle/verify-lifecycle.js';
export type { VerifyLifecycleOptions, VerifiedLifecycle } from '../lifecycle/verify-lifecycle.js';
export { assertKeyId } from '../lifecycle/kid.js';
export { isHostAllowed } from '../lifecycle/host-allowlist.js';
export { parseLifecyclePayload } from '../lifecycle/payload.js';
export { isActive, EVENT_RANK } from '../tenants/types.js';
export { refusalResponse, forgeRefusalResponse, toWebResponse } from '../http/response.js';
export type { IncomingRequest } from '../http/incoming.js';
export { readNodeBody, toIncoming, writeNodeResponse } from '../adapters/node.js';
export { assertForgeKid } from '../forge/key-set.js';
export { forgeAppAri } from '../forge/constants.js';
