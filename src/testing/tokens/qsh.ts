import { createCanonicalRequest } from '../../server/jwt/canonical-request.js';

/**
 * The Connect qsh over the server's canonical request (one canonicaliser in the project),
 * hashed with Web Crypto instead of `node:crypto` so token minting also runs in a browser
 * (the emulator host page mints iframe and context tokens in-page).
 */
export async function queryStringHash(method: string, url: string, appBase?: string): Promise<string> {
  const canonical = createCanonicalRequest(method, url, appBase);
  const digest = await crypto.subtle.digest('SHA-256', Uint8Array.from(new TextEncoder().encode(canonical)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
