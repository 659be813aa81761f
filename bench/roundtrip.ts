// Round trips to the host: 50 simulated consumers (think: 50 macros/components on one Confluence page) each asking for
// 5 pages out of a shared pool of 40, so requests overlap. Counts transport calls (= AP.request / bridge round trips) for:
//   naive       one transport call per consumer per page (what apps hand-rolling AP.request do)
//   coalesced   client.request(GET /pages/{id}): identical in-flight GETs share a call
//   batched     client.getPage(id): coalescing + same-tick batching into GET /pages?id=…
// A last scenario spends the app's points quota first (one 429 with RateLimit-Reason confluence-quota-*) and counts
// the host calls made while the pause is in force: every one of them would be refused and cost the user a wait.
// The host holds its answers until the scenario releases them, so the counts are deterministic (no timing involved).
// Run: npx tsx bench/roundtrip.ts [--write]
import { createConfluenceClient, type Transport, type TransportRequest, type TransportResponse } from '../src/client';
import { writeSection } from './write-section.mjs';

const CONSUMERS = 50;
const PAGES_EACH = 5;
const POOL = 40;
const WAVES = 5;
const MODES = ['naive', 'coalesced', 'batched'] as const;
type Mode = (typeof MODES)[number];

/** Deterministic PRNG (mulberry32) so every run asks for the same pages. */
function rng(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    return (((state ^ (state >>> 15)) * (1 | state)) >>> 0) / 2 ** 32;
  };
}

interface SimulatedHost extends Transport {
  calls: number;
  /** Answers every held call. */
  release(): void;
  /** From now on, refuse every call as Confluence does once the app's points quota is spent. */
  spendQuota(): void;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const QUOTA_REFUSAL: TransportResponse = {
  status: 429,
  statusText: 'Too Many Requests',
  headers: { 'ratelimit-reason': 'confluence-quota-tenant-based' },
  body: '',
};

/** Serves single and bulk v2 page reads; answers wait for release(). */
function simulatedHost(): SimulatedHost {
  const page = (id: string) => ({ id, title: `Page ${id}`, status: 'current', version: { number: 1 } });
  const held: (() => void)[] = [];
  let quotaSpent = false;

  function answerFor(request: TransportRequest): TransportResponse {
    if (quotaSpent) return QUOTA_REFUSAL;
    const url = new URL(request.path, 'https://example.atlassian.net');
    const single = /\/pages\/([^/]+)$/.exec(url.pathname);
    const body = single ? page(single[1]!) : { results: url.searchParams.getAll('id').map(page), _links: {} };
    return { status: 200, statusText: 'OK', headers: JSON_HEADERS, body: JSON.stringify(body) };
  }

  const host: SimulatedHost = {
    kind: 'connect',
    calls: 0,
    release: () => held.splice(0).forEach((answer) => answer()),
    spendQuota: () => {
      quotaSpent = true;
    },
    send(request) {
      host.calls++;
      return new Promise<TransportResponse>((resolve) => held.push(() => resolve(answerFor(request))));
    },
  };
  return host;
}

const random = rng(42);
const wants = Array.from({ length: CONSUMERS }, () =>
  Array.from({ length: PAGES_EACH }, () => String(1 + Math.floor(random() * POOL))),
);
const asks = wants.flat().length;
const unique = new Set(wants.flat()).size;
const nextTick = () => new Promise((resolve) => setImmediate(resolve));

function readPage(mode: Mode, host: SimulatedHost, client: ReturnType<typeof createConfluenceClient>, id: string) {
  if (mode === 'naive') return host.send({ method: 'GET', path: `/wiki/api/v2/pages/${id}`, headers: {} });
  if (mode === 'coalesced') return client.request({ path: `/wiki/api/v2/pages/${id}` });
  return client.getPage(id);
}

function row(name: string, mode: Mode, calls: number) {
  const readsPerCall = calls === 0 ? '–' : (asks / calls).toFixed(1);
  return `| ${name} | ${mode} | ${asks} | ${unique} | **${calls}** | ${readsPerCall} |`;
}

/** waves = 1: everyone mounts in one tick. overlap: later waves mount before earlier answers arrive; else after. */
async function scenario(name: string, waves: number, overlap: boolean) {
  const rows: string[] = [];
  for (const mode of MODES) {
    const host = simulatedHost();
    const client = createConfluenceClient({ transport: host, retry: false });
    const perWave = Math.ceil(CONSUMERS / waves);
    const all: Promise<unknown>[] = [];
    for (let wave = 0; wave < waves; wave++) {
      const reads = wants
        .slice(wave * perWave, (wave + 1) * perWave)
        .flatMap((pages) => pages.map((id) => readPage(mode, host, client, id)));
      all.push(...reads);
      await nextTick();
      if (!overlap) {
        host.release();
        await Promise.all(reads);
      }
    }
    host.release();
    await nextTick();
    host.release(); // cursor follow-ups, if any
    await Promise.all(all);
    if (mode !== 'naive' && client.stats.transportCalls !== host.calls)
      throw new Error('stats.transportCalls disagrees with the host');
    rows.push(row(name, mode, host.calls));
  }
  return rows;
}

/** The app's quota is spent (one refused read starts the pause); then everyone mounts. Counts calls after that. */
async function quotaScenario(name: string) {
  const rows: string[] = [];
  for (const mode of MODES) {
    const host = simulatedHost();
    const client = createConfluenceClient({ transport: host, retry: false });
    host.spendQuota();
    const refused = client.request({ path: '/wiki/api/v2/pages/1' }).catch(() => undefined);
    host.release();
    await refused;
    if (!client.rateLimit.paused) throw new Error('the quota refusal did not pause the client');
    const callsBefore = host.calls;

    const all = wants.flatMap((pages) => pages.map((id) => readPage(mode, host, client, id).catch(() => undefined)));
    await nextTick();
    host.release();
    await Promise.all(all);
    rows.push(row(name, mode, host.calls - callsBefore));
  }
  return rows;
}

const rows = [
  ...(await scenario('all 50 mount in one tick', 1, false)),
  ...(await scenario(`${WAVES} waves, each before earlier answers arrive`, WAVES, true)),
  ...(await scenario(`${WAVES} waves, each after earlier answers arrived`, WAVES, false)),
  ...(await quotaScenario('all 50 mount while a quota pause is in force (goal 0)')),
];
const table = [
  '| scenario | mode | page reads asked | distinct pages | transport calls | reads per call |',
  '|---|---|---:|---:|---:|---:|',
  ...rows,
].join('\n');
console.log(table);
if (process.argv.includes('--write'))
  writeSection(
    'roundtrip',
    `## Round trips (coalescing + batching, quota pause)\n\n\`npx tsx bench/roundtrip.ts --write\`: ${CONSUMERS} simulated consumers each read ${PAGES_EACH} pages drawn (seeded PRNG) from a pool of ${POOL}. "transport calls" is what crosses the bridge (AP.request / requestConfluence / fetch): counted by the simulated host and checked equal to \`client.stats.transportCalls\`. The host holds answers until released, so counts do not depend on timing. No caching beyond in-flight sharing: after answers arrive, a new wave asks again (caching is TanStack Query's job in \`./react\`). The last scenario spends the app's points quota first (one 429 with \`RateLimit-Reason: confluence-quota-tenant-based\`) and counts the host calls made while the client's pause is in force.\n\n${table}\n`,
  );
