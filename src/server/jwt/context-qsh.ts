/**
 * The literal qsh claim of context JWTs (`AP.context.getToken()`); compared as a string, never hashed. Its own
 * dependency-free module, so the browser-safe testing kit mints with the very constant the verifier checks.
 */
export const CONTEXT_QSH = 'context-qsh';
