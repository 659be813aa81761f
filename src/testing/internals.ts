// Plumbing of confluence-iframe-kit/testing that app teams do not call: the dev emulator (`emulator/`) and this
// repository's tests import it from here, by path, instead of reaching into the kit's files. Not a package entry;
// nothing here is covered by semver.

// Request headers the hosts set: `AP-Client-Key` marks Connect app traffic, `X-Emulator-Caller: forge` the Forge
// bridge's (the app's scopes and access rules bind only such traffic).
export { CALLER_HEADER, CLIENT_KEY_HEADER } from './confluence/headers.js';
// Who the hosts say is looking: no accountId for an anonymous viewer, the licence flag of an unlicensed user.
export { appLicenceActive, visibleAccountId } from './confluence/permissions.js';
// The v1 space body, for answers the emulator builds outside the handlers.
export { v1Space } from './confluence/representations.js';
// Answer a request from a world's handlers in-process (no worker or interceptor), and add handlers for a while.
export { addWorldHandlers, handlersFor, respond } from './confluence/respond.js';
// The `AP.request` translation (options → request → xhr-like answer) the fake AP and the emulator's host page share.
export {
  apRequestToConfluence,
  normaliseApRequestArgs,
  settleApRequest,
  toXhr,
  type ApRequestOptions,
  type ApRequestRejection,
  type ApRequestResolution,
  type ApXhr,
} from './hosts/ap-request.js';
// Forge remote invocation bodies (`invokeRemote`), for every host of invocations.
export { remoteInvocationBody, remoteInvocationResult } from './internal/remote-body.js';
// Texts of refusals whose wording Atlassian does not publish, for tests that match them.
export { APP_ACCESS_RULE_MESSAGE } from './internal/responses.js';
export { GUEST_SEARCH_MESSAGE } from './confluence/api/search.js';
