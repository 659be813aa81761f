/** A lifecycle body is looked at only after the token proved it comes from Atlassian. */
import { it } from 'vitest';
import { createConnectApp, createFetchHandler } from '../../src/server/index.js';
import { expectRefusal } from './helpers/expect.js';
import { memoryStore } from './helpers/tenant-fixture.js';
import { APP_KEY } from './helpers/tokens.js';

it('an unsigned lifecycle request with a junk body is a 401 (the body is read only after the signature)', async () => {
  const { generateKeyPair, SignJWT } = await import('jose');
  const attacker = await generateKeyPair('RS256');
  const realKey = await generateKeyPair('RS256');
  const store = await memoryStore();
  const app = createConnectApp({
    appKey: APP_KEY,
    baseUrl: 'https://app.example.com',
    tenants: store,
    installKeys: { getKey: async () => realKey.publicKey },
  });
  const forged = await new SignJWT({ iss: 'x', aud: 'https://app.example.com', qsh: 'q' })
    .setProtectedHeader({ alg: 'RS256', kid: 'k' })
    .setIssuedAt()
    .setExpirationTime('1m')
    .sign(attacker.privateKey);
  for (const body of ['{}', 'not json', JSON.stringify({ eventType: 'uninstalled' })]) {
    const response = await createFetchHandler(app)(
      new Request('https://app.example.com/installed', {
        method: 'POST',
        body,
        headers: { authorization: `JWT ${forged}`, 'content-type': 'application/json' },
      }),
    );
    await expectRefusal(response, 401, 'SIGNATURE_INVALID', { token: forged });
  }
});
