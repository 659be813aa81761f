// The public API (ARCHITECTURE.md, "Client"). Internal helpers (paths, retry schedule, scope table, classification)
// are imported from their own modules by tests; not exporting them here keeps them out of the root bundle.
export { createConfluenceClient } from './client';
export { ConfluenceError, isConfluenceError } from './errors/confluence-error';
export type { ConfluenceErrorInit, ConfluenceErrorKind, ForbiddenReason } from './errors/confluence-error';
export { confluencePath } from './paths';
export { createConnectTransport } from './transports/connect';
export type { ConnectAP, ConnectRequestOptions, ConnectXhr } from './transports/connect';
export { createForgeTransport } from './transports/forge';
export type { RequestConfluence } from './transports/forge';
export { createFetchTransport } from './transports/fetch';
export type { FetchTransportOptions } from './transports/fetch';
export type * from './types';
