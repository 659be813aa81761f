// A backend calling Confluence for many users at once: 50 users each ask for a page in one tick, through
// `app.confluence(clientKey)` (what `caller.confluence` uses under a route), as the app and as each user. Counts:
//   REST calls      requests that reach the site (one per distinct authority and request: identical reads of one
//                   authority share a call, the client's coalescing)
//   token grants    JWT bearer grants made to the authorization server (one per user until the token nears expiry:
//                   a second wave of the same users makes none)
// The site and the authorization server are a recording fetch that answers a few event-loop turns later, so every
// read of a wave is asked before the first answer: the counts do not depend on timing.
// Run: npx tsx bench/backend-calls.ts [--write]
import { createConnectApp, openTenantStore, createSecretBox } from '../src/server/index';
import { writeSection } from './write-section.mjs';

const USERS = 50;
const PAGE_POOL = 5;
const AUTH_SERVER = 'https://auth.bench';

let restCalls = 0;
let grants = 0;
const answerLater = () => new Promise((resolve) => setTimeout(resolve, 5));
const recordingFetch = (async (input: RequestInfo | URL) => {
  const url = String(input);
  await answerLater();
  if (url === `${AUTH_SERVER}/oauth2/token`) {
    grants++;
    return Response.json({ access_token: `token-${grants}`, token_type: 'Bearer', expires_in: 900 });
  }
  restCalls++;
  const id = /\/pages\/(\d+)/.exec(url)?.[1] ?? '0';
  return Response.json({ id, title: `Page ${id}` });
}) as typeof fetch;

const store = await openTenantStore('sqlite::memory:', createSecretBox(Buffer.alloc(32, 7)));
await store.applyLifecycleEvent({
  clientKey: 'bench-tenant',
  baseUrl: 'https://bench.atlassian.net/wiki',
  sharedSecret: 's'.repeat(43),
  eventType: 'installed',
  iat: 1,
  oauthClientId: 'bench-client',
});
const app = createConnectApp({
  appKey: 'com.example.bench',
  baseUrl: 'https://app.bench',
  tenants: store,
  confluence: { scopes: ['READ', 'ACT_AS_USER'], authorizationServerUrl: AUTH_SERVER, fetch: recordingFetch },
});
const site = app.confluence('bench-tenant');
const users = Array.from({ length: USERS }, (_, index) => `user-${index}`);
/** user i reads page (i mod pool): 50 reads of 5 distinct pages */
const pageOf = (index: number) => String(100 + (index % PAGE_POOL));

interface Row {
  scenario: string;
  reads: number;
  distinct: number;
  rest: number;
  grants: number;
}
const rows: Row[] = [];

async function wave(scenario: string, read: (user: string, index: number) => Promise<unknown>, distinct: number) {
  const [restBefore, grantsBefore] = [restCalls, grants];
  await Promise.all(users.map((user, index) => read(user, index)));
  rows.push({ scenario, reads: users.length, distinct, rest: restCalls - restBefore, grants: grants - grantsBefore });
}

const read = (client: ReturnType<typeof site.asApp>, page: string) =>
  client.request({ path: `/wiki/api/v2/pages/${page}` });

await wave('as the app: 50 users read 5 pages', (_user, index) => read(site.asApp(), pageOf(index)), PAGE_POOL);
await wave(
  'as each user, first wave: 50 users read 5 pages',
  (user, index) => read(site.asUser(user), pageOf(index)),
  USERS,
);
await wave('as each user, second wave (tokens cached)', (user, index) => read(site.asUser(user), pageOf(index)), USERS);
// New users, five concurrent reads each: their grants are shared too (one per user, not one per read).
await wave(
  'as 10 new users, 5 concurrent reads each of one page',
  (_user, index) => read(site.asUser(`reader-${index % 10}`), '100'),
  10,
);
await store.close();

for (const row of rows) {
  if (row.rest !== row.distinct)
    throw new Error(`${row.scenario}: ${row.rest} REST calls for ${row.distinct} distinct`);
}
const table = [
  '| scenario | reads asked | distinct (authority, request) | REST calls | token grants |',
  '|---|---:|---:|---:|---:|',
  ...rows.map((row) => `| ${row.scenario} | ${row.reads} | ${row.distinct} | ${row.rest} | ${row.grants} |`),
].join('\n');
console.log(table);
if (process.argv.includes('--write'))
  writeSection(
    'backend-calls',
    `## Backend calls (caller.confluence: authorities, coalescing, cached grants)\n\n\`npx tsx bench/backend-calls.ts --write\`: ${USERS} users each read a page (${PAGE_POOL} distinct pages) in one tick through \`app.confluence(clientKey)\` (what \`caller.confluence\` uses in a route), as the app and as each user (the JWT bearer grant). A recording fetch stands in for the site and the authorization server and answers a few event-loop turns later, so every read of a wave is asked before the first answer. One REST call per distinct (authority, request) (the script fails otherwise); one grant per user, none in the second wave (tokens cached until shortly before expiry, concurrent grants for one user shared). Calls of different users never share an answer: each sees what its own permissions allow.\n\n${table}\n`,
  );
