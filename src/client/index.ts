// The public API (ARCHITECTURE.md, "Client"). Internal helpers (paths, retry schedule, scope table, classification)
// are imported from their own modules by tests; not exporting them here keeps them out of the root bundle.
export { createConfluenceClient } from './client.js';
export { ConfluenceError, isConfluenceError } from './errors/confluence-error.js';
export type { ConfluenceErrorInit, ConfluenceErrorKind, ForbiddenReason } from './errors/confluence-error.js';
export { confluencePath } from './paths.js';
export { createConnectTransport } from './transports/connect.js';
export type { ConnectAP, ConnectRequestOptions, ConnectXhr } from './transports/connect.js';
export { createForgeTransport } from './transports/forge.js';
export type { RequestConfluence } from './transports/forge.js';
export { createFetchTransport } from './transports/fetch.js';
export type { FetchTransportOptions } from './transports/fetch.js';
export type * from './types.js';
