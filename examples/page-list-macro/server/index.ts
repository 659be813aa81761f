export { createReferenceServer, createReferenceHandler } from './reference-server.js';
export type { ReferenceServer, ReferenceHandler, ReferenceServerOptions, NodeMiddleware } from './reference-server.js';
export { buildDescriptor, ROUTES, PAGE_LIST_MACRO_APP_KEY } from './descriptor.js';
export { iframeHeaders, ATLASSIAN_FRAME_ANCESTORS } from './security-headers.js';
export type { AppHtml, AppHtmlContext, ModuleKind } from './app-html.js';
export { PLACEHOLDER_HTML, staticAppHtml } from './app-html.js';
