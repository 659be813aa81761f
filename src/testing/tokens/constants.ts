/** The fixed qsh of context JWTs (the `context-qsh` API migration). */
export const CONTEXT_QSH_VALUE = 'context-qsh';
