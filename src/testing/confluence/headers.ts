/**
 * Emulator-only request header: act as this user (accountId or seed name) for one request. An unknown user is a
 * 401. Handy with plain `fetch` against the handlers, where there is no fake host to pin a user.
 *
 * @example
 * await fetch('/wiki/rest/api/user/current', { headers: { [ACCOUNT_ID_HEADER]: 'viewer' } });
 */
export const ACCOUNT_ID_HEADER = 'X-Emulator-Account-Id';

/** Emulator-only request header set by the fake Forge bridge: scope failures then answer like the Forge gateway (401). */
export const CALLER_HEADER = 'X-Emulator-Caller';

/** Set by the Connect host on `AP.request` traffic; Connect scope checks apply only to such requests. */
export const CLIENT_KEY_HEADER = 'AP-Client-Key';
