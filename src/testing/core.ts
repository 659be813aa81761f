// The React-free part of confluence-iframe-kit/testing: the Confluence REST emulator (msw handlers +
// permission model), fake Connect / Forge hosts, and token minting. Safe to import in a browser page
// (the emulator host page) or a Node script; `renderWithConfluence` (React) is added by ./index.ts.
// Only what app teams call is exported here; the plumbing the emulator dev tool and this repository's
// tests share lives in ./internal/ and is imported from there by path.
export type {
  ConnectScope,
  EmulatedApp,
  EmulatedContentProperty,
  EmulatedPage,
  EmulatedSpace,
  EmulatedUser,
  Faults,
  PageRestrictions,
  PageVersion,
  RateLimitFault,
  SpaceRole,
} from './confluence/model.js';
export {
  createWorld,
  DEFAULT_APP_KEY,
  DEFAULT_SITE_URL,
  type ConfluenceWorld,
  type ContentPropertySeed,
  type ContentPropertyWrite,
  type Latency,
  type PageSeed,
  type RequestLogEntry,
  type WorldSeed,
} from './confluence/world.js';
export {
  BURST_LIMIT_REASON,
  DEFAULT_ENDPOINT_COSTS,
  DEFAULT_QUOTA_LIMIT,
  QUOTA_EXHAUSTED_REASON,
  type EndpointCost,
  type QuotaOptions,
  type WorldQuota,
} from './confluence/quota.js';
export { USERS, SPACES, PAGES, type SeedUserName } from './confluence/seed.js';
export { V1_REMOVALS, type V1Removal, type V1RemovalMode } from './confluence/v1-removals.js';
export { createConfluenceHandlers, type ConfluenceHandlerOptions } from './confluence/handlers.js';
export { answerConfluenceRequest, type ConfluenceAnswer, type ConfluenceRequestInit } from './confluence/answer.js';
export { ACCOUNT_ID_HEADER } from './confluence/headers.js';
export { EmulatorError, isEmulatorError, type EmulatorErrorCode } from './errors.js';
export {
  createFakeAP,
  installFakeAP,
  EMULATED_TENANT,
  type ConnectConfluenceContext,
  type FakeAP,
  type FakeAPOptions,
  type FakeConnectDialog,
  type FakeConnectFlag,
  type FakeConnectHost,
} from './hosts/fake-ap.js';
export { startAllJsHost, type AllJsHost, type AllJsHostOptions } from './hosts/alljs-host.js';
export {
  createFakeForgeBridge,
  type FakeForgeBridge,
  type FakeForgeHost,
  type FakeForgeFlagOptions,
  type FakeForgeModal,
  type FakeForgeModalOptions,
  type FakeForgeModalRecord,
  type FakeForgeRemote,
  type FakeInvokeRemoteInput,
  type FakeRemoteInvokeResponse,
  type FakeForgeOptions,
  type ForgeRequestInit,
} from './hosts/fake-forge.js';
export { queryStringHash } from './tokens/qsh.js';
export { mintIframeToken, mintContextToken, type IframeTokenOptions } from './tokens/symmetric.js';
export {
  mintInstallToken,
  createInstallKeyPair,
  type InstallKeyPair,
  type InstallTokenOptions,
} from './tokens/install.js';
export { createInstallKeyServer, type InstallKeyServer } from './tokens/key-server.js';
export {
  mintForgeInvocationToken,
  createForgeKeyPair,
  type ForgeKeyPair,
  type ForgeInvocationClaims,
} from './tokens/forge.js';
export { createForgeJwksServer, type ForgeJwksServer, type ForgeJwksFault } from './tokens/forge-jwks-server.js';
