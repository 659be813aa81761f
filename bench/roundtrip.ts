// Round trips to the host: 50 simulated consumers (think: 50 macros/components on one Confluence page) each asking for
// 5 pages out of a shared pool of 40, so requests overlap. Counts transport calls (= AP.request / bridge round trips) for:
//   naive       one transport call per consumer per page (what apps hand-rolling AP.request do)
//   coalesced   client.request(GET /pages/{id}): identical in-flight GETs share a call
//   batched     client.getPage(id): coalescing + same-tick batching into GET /pages?id=…
// The host holds its answers until the scenario releases them, so the counts are deterministic (no timing involved).
// Run: npx tsx bench/roundtrip.ts [--write]
import { createConfluenceClient, type Transport, type TransportRequest, type TransportResponse } from '../src/client';
import { writeSection } from './write-section.mjs';

const CONSUMERS = 50,
  PAGES_EACH = 5,
  POOL = 40,
  WAVES = 5;

/** Deterministic PRNG (mulberry32) so every run asks for the same pages. */
function rng(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    return (((state ^ (state >>> 15)) * (1 | state)) >>> 0) / 2 ** 32;
  };
}

/** Serves single and bulk v2 page reads; answers wait for release(). */
function simulatedHost() {
  const page = (id: string) => ({ id, title: `Page ${id}`, status: 'current', version: { number: 1 } });
  const held: (() => void)[] = [];
  const host: Transport & { calls: number; release(): void } = {
    kind: 'connect',
    calls: 0,
    release: () => held.splice(0).forEach((f) => f()),
    send(r: TransportRequest) {
      host.calls++;
      const url = new URL(r.path, 'https://x');
      const single = /\/pages\/([^/]+)$/.exec(url.pathname);
      const body = single ? page(single[1]!) : { results: url.searchParams.getAll('id').map(page), _links: {} };
      return new Promise<TransportResponse>((res) =>
        held.push(() =>
          res({
            status: 200,
            statusText: 'OK',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
        ),
      );
    },
  };
  return host;
}

const random = rng(42);
const wants = Array.from({ length: CONSUMERS }, () =>
  Array.from({ length: PAGES_EACH }, () => String(1 + Math.floor(random() * POOL))),
);
const asks = wants.flat().length,
  unique = new Set(wants.flat()).size;
const nextTick = () => new Promise((res) => setImmediate(res));

/** waves = 1: everyone mounts in one tick. overlap: later waves mount before earlier answers arrive; else after. */
async function scenario(name: string, waves: number, overlap: boolean) {
  const rows: string[] = [];
  for (const mode of ['naive', 'coalesced', 'batched'] as const) {
    const host = simulatedHost();
    const client = createConfluenceClient({ transport: host, retry: false });
    const per = Math.ceil(CONSUMERS / waves);
    const all: Promise<unknown>[] = [];
    for (let w = 0; w < waves; w++) {
      const wave = wants
        .slice(w * per, (w + 1) * per)
        .flatMap((pages) =>
          pages.map((id) =>
            mode == 'naive'
              ? host.send({ method: 'GET', path: `/wiki/api/v2/pages/${id}`, headers: {} })
              : mode == 'coalesced'
                ? client.request({ path: `/wiki/api/v2/pages/${id}` })
                : client.getPage(id),
          ),
        );
      all.push(...wave);
      await nextTick();
      if (!overlap) {
        host.release();
        await Promise.all(wave);
      }
    }
    host.release();
    await nextTick();
    host.release(); // cursor follow-ups, if any
    await Promise.all(all);
    if (mode != 'naive' && client.stats.transportCalls != host.calls)
      throw new Error('stats.transportCalls disagrees with the host');
    rows.push(`| ${name} | ${mode} | ${asks} | ${unique} | **${host.calls}** | ${(asks / host.calls).toFixed(1)} |`);
  }
  return rows;
}

const rows = [
  ...(await scenario('all 50 mount in one tick', 1, false)),
  ...(await scenario(`${WAVES} waves, each before earlier answers arrive`, WAVES, true)),
  ...(await scenario(`${WAVES} waves, each after earlier answers arrived`, WAVES, false)),
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
    `## Round trips (coalescing + batching)\n\n\`npx tsx bench/roundtrip.ts --write\`: ${CONSUMERS} simulated consumers each read ${PAGES_EACH} pages drawn (seeded PRNG) from a pool of ${POOL}. "transport calls" is what crosses the bridge (AP.request / requestConfluence / fetch): counted by the simulated host and checked equal to \`client.stats.transportCalls\`. The host holds answers until released, so counts do not depend on timing. No caching beyond in-flight sharing: after answers arrive, a new wave asks again (caching is TanStack Query's job in \`./react\`).\n\n${table}\n`,
  );
