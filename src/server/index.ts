// confluence-iframe-kit/server: framework-neutral Connect JWT verification, lifecycle and tenant storage.
// Plumbing (canonicalisation steps, body readers, refusal writers) lives in ./internal and is not exported here.
export { VerificationError, isVerificationError, STATUS_BY_CODE } from './errors.js';
export type { VerificationErrorCode } from './errors.js';

export { createQueryStringHash, CONTEXT_QSH } from './jwt/qsh.js';
export type { TokenSource } from './jwt/extract-token.js';
export type { TokenPolicy } from './jwt/options.js';

export { verifyRequest } from './verify-request.js';
export type {
  VerifiedContext,
  VerifiedLifecycleContext,
  VerifyRequestOptions,
  VerifySymmetricOptions,
  VerifyLifecycleModeOptions,
  SymmetricRouteMode,
} from './verify-request.js';

export { createInstallKeyFetcher, DEFAULT_INSTALL_KEYS_URL } from './lifecycle/install-keys.js';
export type { InstallKeyProvider, InstallKeyFetcherOptions } from './lifecycle/install-keys.js';
export { PRODUCTION_HOSTS, DEVELOPMENT_HOSTS } from './lifecycle/host-allowlist.js';
export type { HostAllowlist } from './lifecycle/host-allowlist.js';
export type { LifecyclePayload } from './lifecycle/payload.js';

export type {
  Tenant,
  TenantState,
  TenantStore,
  TenantChange,
  LifecycleChange,
  LifecycleResult,
  LifecycleEventType,
} from './tenants/types.js';
export { createSecretBox, secretKeyId } from './tenants/secret-box.js';
export type { SecretBox } from './tenants/secret-box.js';
export { loadSecretKey, parseSecretKey, parseSecretKeys } from './tenants/secret-key.js';
export { openTenantStore, DEFAULT_DATABASE_URL } from './tenants/open-tenant-store.js';
export { TenantDirectory } from './tenants/tenant-directory.js';
export type { ResolvedTenant, TenantDirectoryOptions } from './tenants/tenant-directory.js';

export { createConnectApp, defineRoute } from './app/connect-app.js';
export type {
  ConnectApp,
  ConnectAppConfig,
  ConnectRoute,
  AuthenticatedRoute,
  OpenRoute,
  RouteAuth,
  RouteAuthMethod,
  RouteCaller,
  ConnectCaller,
  ForgeCaller,
  RouteContext,
  LifecycleNotice,
} from './app/connect-app.js';
export type { CallerContent, CallerSpace } from './app/caller-context.js';
export type { BackendConfluenceOptions, CallerConfluence, TenantConfluence } from './confluence/backend-confluence.js';
export { BackendCallError, isBackendCallError } from './confluence/errors.js';
export type { BackendCallErrorCode } from './confluence/errors.js';
export { DEFAULT_AUTHORIZATION_SERVER_URL } from './confluence/user-token-grant.js';
export type { LoggedRequest } from './app/logged-request.js';
export type { RouteParams } from './app/route-path.js';
export type { AppResponse } from './http/response.js';
export { jsonResponse } from './http/response.js';
export type { RequestLike } from './http/request.js';
export type { IncomingRequest } from './http/incoming.js';

export { createFetchHandler } from './adapters/fetch.js';
export type { FetchHandler } from './adapters/fetch.js';
export { createNodeHandler } from './adapters/node.js';
export type { NodeHandler } from './adapters/node.js';
export { expressMiddleware, requireConnectJwt } from './adapters/express.js';
export type { ExpressMiddleware } from './adapters/express.js';
// Forge Remote: the same backend accepts Forge Invocation Tokens from apps moved to Forge.
export { verifyForgeInvocation, createForgeInvocationVerifier } from './forge/verify-forge-invocation.js';
export type { VerifyForgeInvocationOptions, ForgeInvocationVerifier } from './forge/verify-forge-invocation.js';
export type { ForgeInvocation } from './forge/invocation.js';
export { createForgeKeySet } from './forge/key-set.js';
export type { ForgeKeySet, ForgeKeySetOptions } from './forge/key-set.js';
export { DEFAULT_FORGE_JWKS_URL, FORGE_INVOCATION_ISSUER, FORGE_JWKS_URLS } from './forge/constants.js';
export type { ForgeKeyPlatform } from './forge/constants.js';
export { createForgeRemoteHandler } from './forge/handler.js';
export type { ForgeRemoteRoute } from './forge/handler.js';
export { requireForgeInvocation } from './adapters/forge-middleware.js';
export type { ForgeRemoteMiddleware } from './adapters/forge-middleware.js';
