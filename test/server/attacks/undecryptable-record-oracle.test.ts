/**
 * Attack: a record the store cannot decrypt as an oracle. When a tenant's stored secret does not decrypt (its key
 * left TENANT_SECRET_KEY, a ciphertext moved or copied back), a token naming that clientKey used to get a 503 that
 * described the key configuration and the record's generation, while an unknown clientKey got a 401: anyone could
 * tell which clientKeys have records, and read the operator's key trouble. Both must get the same answer; the
 * detail goes to the server's log (`onError`, console.error by default) and to `onRefusal` as the error's cause.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TenantDirectory,
  createConnectApp,
  createFetchHandler,
  createSecretBox,
  jsonResponse,
  openTenantStore,
  verifyRequest,
  type TenantStore,
  type VerificationError,
} from '../../../src/server/index.js';
import { APP_KEY, mintSymmetric } from '../helpers/tokens.js';

const APP = 'https://app.example.com';
const dir = mkdtempSync(join(tmpdir(), 'cik-oracle-'));
const file = join(dir, 'tenants.db');
const BROKEN = { clientKey: 'broken-tenant', sharedSecret: randomBytes(32).toString('base64url') };
const WORKING = { clientKey: 'working-tenant', sharedSecret: randomBytes(32).toString('base64url') };

let store: TenantStore;
beforeAll(async () => {
  // Installed under a key the server no longer has: its record does not decrypt any more.
  const before = await openTenantStore(`sqlite:${file}`, createSecretBox(randomBytes(32)));
  await before.applyLifecycleEvent({
    ...BROKEN,
    baseUrl: 'https://broken.atlassian.net/wiki',
    eventType: 'installed',
    iat: 1,
  });
  await before.close();
  store = await openTenantStore(`sqlite:${file}`, createSecretBox(randomBytes(32)));
  await store.applyLifecycleEvent({
    ...WORKING,
    baseUrl: 'https://working.atlassian.net/wiki',
    eventType: 'installed',
    iat: 1,
  });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const request = (token: string) => new Request(`${APP}/api/me`, { headers: { authorization: `JWT ${token}` } });

async function answerOf(response: Response) {
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: await response.text() };
}

describe('an undecryptable record tells a caller nothing', () => {
  it('a token naming that clientKey gets exactly what a token naming an unknown one gets; the detail is logged', async () => {
    const logged: unknown[] = [];
    const refusals: VerificationError[] = [];
    const handler = createFetchHandler(
      createConnectApp({
        appKey: APP_KEY,
        baseUrl: APP,
        tenants: store,
        onError: (error) => logged.push(error),
        onRefusal: (error) => refusals.push(error),
        routes: [{ method: 'GET', path: '/api/me', auth: 'context', handle: () => jsonResponse(200, { ok: true }) }],
      }),
    );
    const naming = async (clientKey: string) =>
      answerOf(
        await handler(request(await mintSymmetric({ clientKey, sharedSecret: 'z'.repeat(43), qsh: 'context' }))),
      );

    const broken = await naming(BROKEN.clientKey);
    const unknown = await naming('nobody-installed-this');
    expect(broken).toEqual(unknown);
    expect(broken.status).toBe(401);
    expect(JSON.parse(broken.body).error.code).toBe('SIGNATURE_INVALID');
    expect(broken.body).not.toMatch(/TENANT_SECRET_KEY|generation|decrypt/i);

    // The operator still learns of it: logged once per refusal, with the store's own words, and as onRefusal's cause.
    expect(logged).toHaveLength(1);
    expect(String((logged[0] as Error).message)).toContain('TENANT_SECRET_KEY');
    expect(refusals.map((refusal) => (refusal.cause as Error | undefined)?.message ?? refusal.cause)).toEqual([
      expect.stringContaining('TENANT_SECRET_KEY'),
      expect.any(String),
    ]);

    // The working tenant is unaffected.
    const working = await handler(request(await mintSymmetric({ ...WORKING, qsh: 'context' })));
    expect(working.status).toBe(200);
  });

  it('verifyRequest on its own: the same 401 for both, the store’s detail as the cause', async () => {
    const tenants = new TenantDirectory(store);
    const refusalFor = (clientKey: string) =>
      mintSymmetric({ clientKey, sharedSecret: 'z'.repeat(43), qsh: 'context' }).then((token) =>
        verifyRequest(request(token), { mode: 'context', tenants }).then(
          () => undefined,
          (error: VerificationError) => error,
        ),
      );
    const broken = await refusalFor(BROKEN.clientKey);
    const unknown = await refusalFor('nobody-installed-this-either');
    expect([broken?.code, broken?.status, broken?.message]).toEqual([unknown?.code, unknown?.status, unknown?.message]);
    expect(broken?.code).toBe('SIGNATURE_INVALID');
    expect((broken?.cause as Error).message).toContain('TENANT_SECRET_KEY');
    await tenants.close();
  });
});
