import { createWorld } from '../../src/testing/index';
import { call } from './helpers';

/** Monday 7 December 2026, 09:00 UTC. */
const NOW = Date.UTC(2026, 11, 7, 9, 0, 0);
const DAY_MS = 24 * 60 * 60 * 1000;
const iso = (at: number) => new Date(at).toISOString();

/** A world with four pages in their own space, modified at known times. */
function datedWorld() {
  const world = createWorld({ now: () => NOW });
  const page = (id: string, title: string, created: number, modified: number) =>
    world.addPage({
      id,
      title,
      labels: ['dated'],
      createdAt: iso(created),
      version: { number: 2, createdAt: iso(modified) },
    });
  page('990001', 'Ancient', Date.UTC(2025, 5, 1), Date.UTC(2025, 11, 31, 23, 59));
  page('990002', 'New year', Date.UTC(2025, 11, 1), Date.UTC(2026, 0, 1, 10, 30));
  page('990003', 'Last week', Date.UTC(2026, 10, 1), NOW - 6 * DAY_MS);
  page('990004', 'This morning', NOW - 2 * DAY_MS, NOW - 60 * 60 * 1000);
  return world;
}

async function found(world: ReturnType<typeof createWorld>, cql: string): Promise<string[]> {
  const answer = await call(
    world,
    'GET',
    `/wiki/rest/api/search?cql=${encodeURIComponent(`label = dated AND ${cql}`)}&limit=50`,
  );
  expect(answer.status, answer.text).toBe(200);
  return answer.json.results.map((result: { content: { title: string } }) => result.content.title).sort();
}

describe('CQL dates on created and lastmodified', () => {
  test('a stale-pages query: lastmodified < now("-30d")', async () => {
    const world = datedWorld();
    expect(await found(world, 'lastmodified < now("-30d")')).toEqual(['Ancient', 'New year']);
    expect(await found(world, 'lastmodified >= now("-30d")')).toEqual(['Last week', 'This morning']);
    expect(await found(world, 'created > now("-1w")')).toEqual(['This morning']);
  });

  test('date literals, with / or -, a day or a minute', async () => {
    const world = datedWorld();
    expect(await found(world, 'lastmodified < "2026/01/01"')).toEqual(['Ancient']);
    expect(await found(world, 'lastmodified <= "2026/01/01"')).toEqual(['Ancient', 'New year']);
    expect(await found(world, 'lastmodified = "2026-01-01"')).toEqual(['New year']);
    expect(await found(world, 'lastmodified > "2026/01/01 10:30"')).toEqual(['Last week', 'This morning']);
    expect(await found(world, 'lastmodified != "2026/01/01"')).toEqual(['Ancient', 'Last week', 'This morning']);
  });

  test('startOfDay(), startOfWeek(), startOfMonth(), startOfYear() and their increments', async () => {
    const world = datedWorld();
    expect(await found(world, 'lastmodified >= startOfDay()')).toEqual(['This morning']);
    expect(await found(world, 'lastmodified >= startOfDay("-7d") and lastmodified < startOfDay()')).toEqual([
      'Last week',
    ]);
    expect(await found(world, 'created >= startOfWeek("-1w")')).toEqual(['This morning']);
    expect(await found(world, 'created >= startOfMonth("-1M")')).toEqual(['Last week', 'This morning']);
    expect(await found(world, 'lastmodified < startOfYear()')).toEqual(['Ancient']);
    expect(await found(world, 'lastmodified <= endOfDay("-1d")')).toEqual(['Ancient', 'Last week', 'New year']);
  });

  test('bad dates, increments and misplaced functions are 400s', async () => {
    const world = datedWorld();
    for (const cql of [
      'lastmodified < "yesterday"',
      'lastmodified < "2026/02/31"',
      'lastmodified < now("-30x")',
      'lastmodified < now("-1d", "2")',
      'lastmodified < currentUser()',
      'creator = now()',
      'lastmodified ~ "2026/01/01"',
    ]) {
      const answer = await call(world, 'GET', `/wiki/rest/api/search?cql=${encodeURIComponent(cql)}`);
      expect(answer.status, cql).toBe(400);
      expect(answer.json.message, cql).toBe(`Could not parse cql : ${cql}`);
    }
  });
});
