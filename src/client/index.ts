// The public API (ARCHITECTURE.md, "Client"). Plumbing lives in ./internal/ and is imported by path (tests, the
// emulator, the React layer); not exporting it here keeps it out of the root bundle and out of the public surface.
export { createConfluenceClient } from './client.js';
export { ConfluenceError, isConfluenceError } from './errors/confluence-error.js';
export type {
  ConfluenceErrorCode,
  ConfluenceErrorInit,
  ConfluenceErrorKind,
  ForbiddenReason,
} from './errors/confluence-error.js';
export { ConfluenceKitError, isConfluenceKitError } from './errors/kit-error.js';
export { confluencePath } from './paths.js';
export { createConnectTransport } from './transports/connect.js';
export type { ConnectRequestHost, ConnectRequestOptions, ConnectXhr } from './transports/connect.js';
export { createForgeTransport } from './transports/forge.js';
export type { RequestConfluence } from './transports/forge.js';
export { createFetchTransport } from './transports/fetch.js';
export type { FetchTransportOptions } from './transports/fetch.js';
export type * from './types.js';
