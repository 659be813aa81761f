// What verifying one context JWT costs in-process, without HTTP or a load generator on the same cores: the
// reused-token path (signature remembered) against a new token on every request (decode, HS256, remember).
// Explains the "new token every request" row of bench/verify.mjs, whose ratio also carries node:http and
// autocannon sharing this machine's cores.
//   node --import tsx bench/verify-cost.ts [--requests 40000] [--write]
import { createHmac, randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import {
  createSecretBox,
  openTenantStore,
  parseSecretKey,
  TenantDirectory,
  verifyRequest,
} from '../src/server/index.js';
import { writeSection } from './write-section.mjs';

const args = process.argv.slice(2);
const requestsIndex = args.indexOf('--requests');
const requestCount = requestsIndex === -1 ? 40_000 : Number(args[requestsIndex + 1]);
const DISTINCT_TOKENS = 20_000;
const ROUNDS = 3;
const TOKEN_LIFETIME_SECONDS = 600;

const store = await openTenantStore(
  'sqlite::memory:',
  createSecretBox(parseSecretKey(randomBytes(32).toString('base64'))),
);
const sharedSecret = randomBytes(32).toString('hex');
await store.applyLifecycleEvent({
  clientKey: 'bench-client',
  sharedSecret,
  baseUrl: 'https://bench.atlassian.net',
  eventType: 'installed',
  iat: Math.floor(Date.now() / 1000),
});
const tenants = new TenantDirectory(store);

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function mintContextToken(index: number): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url({ alg: 'HS256', typ: 'JWT' });
  const payload = base64url({
    iss: 'bench-client',
    sub: 'bench-account',
    iat: now,
    exp: now + TOKEN_LIFETIME_SECONDS,
    qsh: 'context-qsh',
    context: { request: index },
  });
  const signature = createHmac('sha256', sharedSecret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
const tokens = Array.from({ length: DISTINCT_TOKENS }, (_, index) => mintContextToken(index));

async function microsecondsPerRequest(tokenFor: (index: number) => string): Promise<number> {
  const started = process.hrtime.bigint();
  for (let index = 0; index < requestCount; index++) {
    await verifyRequest(
      { method: 'GET', url: 'https://app.example/api/verify', headers: { authorization: `JWT ${tokenFor(index)}` } },
      { mode: 'context', tenants },
    );
  }
  return Number(process.hrtime.bigint() - started) / 1000 / requestCount;
}

const reused: number[] = [];
const fresh: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  reused.push(await microsecondsPerRequest(() => tokens[0]!));
  fresh.push(await microsecondsPerRequest((index) => tokens[index % DISTINCT_TOKENS]!));
}
await store.close();
const median = (values: number[]) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)]!;
const reusedMedian = median(reused);
const freshMedian = median(fresh);
console.log(`reused token: ${reusedMedian.toFixed(1)} µs per verification`);
console.log(`new token every request: ${freshMedian.toFixed(1)} µs per verification`);

if (args.includes('--write')) {
  writeSection(
    'verify-cost',
    `## What one verification costs (in-process)

\`node --import tsx bench/verify-cost.ts --write\` — \`verifyRequest\` in context mode called ${requestCount} times per
round (${ROUNDS} rounds, median shown) on one Node ${process.version} process (${cpus().length} × ${cpus()[0]?.model.trim()}),
tenant in an in-memory SQLite store, no HTTP, no load generator. Run ${new Date().toISOString().slice(0, 16)} UTC.

| token | µs per verification |
|---|---:|
| reused (signature remembered; state, exp/iat and qsh still checked) | ${reusedMedian.toFixed(1)} |
| new on every request (decode, HS256 on node:crypto, remember) | ${freshMedian.toFixed(1)} |

A CPU profile of the new-token path puts about a fifth of it in node:crypto's HMAC (\`createHmac\`, \`digest\`), the
rest in decoding the two JSON segments, the canonical-signature check, freezing the claims and the remembered-token
map. In \`bench/verify.mjs\` the same difference is measured through node:http with autocannon on the same two
cores, which is why its "new token every request" ratio moves between runs.`,
  );
}
