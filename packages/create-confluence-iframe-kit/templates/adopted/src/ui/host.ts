/** Where this app's UI runs; the tests render it on the same host. */
export const HOST = 'connect' as const;
