import { PAGES, SPACES, USERS, createWorld, type ConfluenceWorld } from '../../src/testing/index';
import { CONNECT, call } from './helpers';

const ENG = SPACES.engineering.key;

function search(
  world: ConfluenceWorld,
  cql: string,
  init: { limit?: number; headers?: Record<string, string>; extra?: string } = {},
) {
  const limit = init.limit === undefined ? '' : `&limit=${init.limit}`;
  return call(world, 'GET', `/wiki/rest/api/search?cql=${encodeURIComponent(cql)}${limit}${init.extra ?? ''}`, {
    headers: init.headers,
  });
}

type Result = { content: { id: string; title: string }; title: string; excerpt: string; lastModified: string };
const ids = (res: { json: { results: Result[] } }) => res.json.results.map((r) => r.content.id).sort();
const titles = (res: { json: { results: Result[] } }) => res.json.results.map((r) => r.content.title);

/** Every result of a query, following `_links.next` (context-relative: `/wiki` goes in front). */
async function all(world: ConfluenceWorld, cql: string, limit: number) {
  const pages: { json: any; status: number }[] = [];
  let res = await search(world, cql, { limit });
  for (;;) {
    expect(res.status).toBe(200);
    pages.push(res);
    const next: string | undefined = res.json._links.next;
    if (!next) break;
    res = await call(world, 'GET', `/wiki${next}`);
  }
  return pages;
}

describe('GET /wiki/rest/api/search: the v1 answer', () => {
  test('the result and envelope shape of Cloud search, with the plain title under content', async () => {
    const world = createWorld({ actingUser: 'editor' });
    const res = await search(world, `type = page AND space = ${ENG} AND label = runbook`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      start: 0,
      limit: 25,
      size: 2,
      totalSize: 2,
      cqlQuery: `type = page AND space = ${ENG} AND label = runbook`,
      _links: { base: `${world.siteUrl}/wiki`, context: '/wiki' },
    });
    expect(typeof res.json.searchDuration).toBe('number');
    expect(res.json._links.next).toBeUndefined();
    const result = res.json.results.find((r: Result) => r.content.id === '65902');
    expect(result).toMatchObject({
      content: {
        id: '65902',
        type: 'page',
        status: 'current',
        title: 'Runbook: database failover',
        _links: {
          webui: `/spaces/${ENG}/pages/65902/Runbook%3A+database+failover`,
          self: `${world.siteUrl}/wiki/rest/api/content/65902`,
        },
      },
      url: `/spaces/${ENG}/pages/65902/Runbook%3A+database+failover`,
      resultGlobalContainer: { title: SPACES.engineering.name, displayUrl: `/spaces/${ENG}` },
      entityType: 'content',
      lastModified: world.pages.get('65902')!.version.createdAt,
    });
    expect(result.excerpt).toContain('runbook: database failover');
  });

  test('search terms are highlighted in the escaped result title and excerpt, never in content.title', async () => {
    const world = createWorld();
    world.addPage({ id: '990001', title: 'He said "hi" <b>', body: '<p>Failover drill notes</p>' });
    const res = await search(world, 'text ~ failover');
    const page = res.json.results.find((r: Result) => r.content.id === '65902');
    expect(page.title).toBe('Runbook: database @@@hl@@@failover@@@endhl@@@');
    expect(page.content.title).toBe('Runbook: database failover');
    const quoted = res.json.results.find((r: Result) => r.content.id === '990001');
    expect(quoted.title).toBe('He said &quot;hi&quot; &lt;b&gt;');
    expect(quoted.excerpt).toBe('@@@hl@@@Failover@@@endhl@@@ drill notes');
  });

  test('content.space only with expand=content.space', async () => {
    const world = createWorld();
    const plain = await search(world, `id = ${PAGES.home}`);
    expect(plain.json.results[0].content.space).toBeUndefined();
    const expanded = await search(world, `id = ${PAGES.home}`, { extra: '&expand=content.space' });
    expect(expanded.json.results[0].content.space).toMatchObject({ key: ENG, name: SPACES.engineering.name });
  });
});

describe('the CQL subset', () => {
  const world = createWorld({ actingUser: 'editor' });
  const q = async (cql: string) => {
    const res = await search(world, cql, { limit: 250 });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    return ids(res);
  };
  const engIds = [...world.pages.values()]
    .filter((p) => p.spaceId === SPACES.engineering.id)
    .map((p) => p.id)
    .sort();
  const peopleIds = [...world.pages.values()]
    .filter((p) => p.spaceId === SPACES.people.id)
    .map((p) => p.id)
    .sort();

  test('type: the world holds pages only', async () => {
    expect(await q('type = page')).toEqual([...engIds, ...peopleIds].sort());
    expect(await q('type = blogpost')).toEqual([]);
    expect(await q('type in (blogpost, "page")')).toHaveLength(engIds.length + peopleIds.length);
    expect(await q('type != page')).toEqual([]);
  });

  test('space = KEY / space in (…) / space.key, case-insensitive keys', async () => {
    expect(await q(`space = ${ENG}`)).toEqual(engIds);
    expect(await q('space = "eng"')).toEqual(engIds);
    expect(await q('space.key = PEOPLE')).toEqual(peopleIds);
    expect(await q(`space in (${ENG}, PEOPLE)`)).toEqual([...engIds, ...peopleIds].sort());
    expect(await q(`space not in (${ENG})`)).toEqual(peopleIds);
    expect(await q('space = NOPE')).toEqual([]);
  });

  test('label = x / label in (…) / label != x', async () => {
    expect(await q('label = adr')).toEqual(['65704', '65705', '65706']);
    expect(await q('label = "ADR"')).toEqual(['65704', '65705', '65706']);
    expect(await q('label in (runbook, postmortem)')).toEqual(['65902', '65903', PAGES.incidentPostmortem]);
    expect(await q('label = adr AND label != decision')).toEqual(['65706']);
    expect(await q('label = nothing-has-this')).toEqual([]);
  });

  test('title ~ (every word, any order, case-insensitive) and title = (whole title)', async () => {
    expect(await q('title ~ runbook')).toEqual(['65902', '65903']);
    expect(await q('title ~ "FAILOVER runbook"')).toEqual(['65902']);
    expect(await q('title = "Glossary"')).toEqual(['65605']);
    expect(await q('title = "Glos"')).toEqual([]);
    // "Releases" matches too: a substring stands in for the index's stemming.
    expect(await q('title ~ "release" AND title !~ notes')).toEqual(['66100', PAGES.releasePolicy]);
  });

  test('text ~ searches title, body and labels', async () => {
    world.addPage({
      id: '990100',
      title: 'Quarterly planning',
      body: '<p>We discussed the <strong>kubernetes</strong> migration.</p>',
    });
    expect(await q('text ~ kubernetes')).toEqual(['990100']);
    expect(await q('title ~ kubernetes')).toEqual([]);
    expect(await q('text ~ "postmortem" AND space = ENG')).toEqual([PAGES.incidentPostmortem]); // a label and the title
    expect(await q('siteSearch ~ kubernetes')).toEqual(['990100']);
    world.pages.delete('990100');
  });

  test('ancestor = id (every descendant, not the page itself), parent = id (children only)', async () => {
    expect(await q('ancestor = 65900')).toEqual([
      '65901',
      '65902',
      '65903',
      '65904',
      '65905',
      PAGES.securityIncidents,
      PAGES.incidentPostmortem,
    ]);
    expect(await q('parent = 65900')).toEqual(['65901', '65902', '65903', '65904', '65905', PAGES.securityIncidents]);
    expect(await q(`ancestor in (65600, ${PAGES.securityIncidents})`)).toEqual([
      '65601',
      '65602',
      '65603',
      '65604',
      '65605',
      PAGES.incidentPostmortem,
    ]);
  });

  test('id = n / id in (…) / content = n', async () => {
    expect(await q(`id = ${PAGES.home}`)).toEqual([PAGES.home]);
    expect(await q(`id in (${PAGES.home}, ${PAGES.gettingStarted}, 424242)`)).toEqual(
      [PAGES.home, PAGES.gettingStarted].sort(),
    );
    expect(await q(`content = ${PAGES.releasePolicy}`)).toEqual([PAGES.releasePolicy]);
  });

  test('creator = accountId and currentUser()', async () => {
    const byEditor = [...world.pages.values()]
      .filter((p) => p.authorId === USERS.editor.accountId)
      .map((p) => p.id)
      .sort();
    expect(byEditor.length).toBeGreaterThan(0);
    expect(await q(`creator = "${USERS.editor.accountId}"`)).toEqual(byEditor);
    expect(await q('creator = currentUser()')).toEqual(byEditor);
    expect(await q(`creator != "${USERS.editor.accountId}" AND creator != currentUser()`)).toHaveLength(
      engIds.length + peopleIds.length - byEditor.length,
    );
  });

  test('AND binds tighter than OR; parentheses and NOT', async () => {
    // runbooks OR (adr AND postgresql) — not (runbooks OR adr) AND postgresql
    expect(await q('label = runbook OR label = adr AND title ~ postgresql')).toEqual(['65704', '65902', '65903']);
    expect(await q('(label = runbook OR label = adr) AND title ~ postgresql')).toEqual(['65704']);
    expect(await q('label = adr and not label = decision')).toEqual(['65706']);
    expect(await q('label = adr AND NOT (title ~ postgresql OR title ~ notifications)')).toEqual(['65706']);
    expect(await q('NOT space = ENG')).toEqual(peopleIds);
  });

  test('drafts are not found', async () => {
    world.addPage({ id: '990200', title: 'Zebra draft', status: 'draft' });
    expect(await q('title ~ zebra')).toEqual([]);
    world.pages.delete('990200');
  });
});

describe('ORDER BY', () => {
  const world = createWorld({ actingUser: 'admin' });
  const ordered = async (cql: string) => {
    const res = await search(world, cql, { limit: 250 });
    expect(res.status).toBe(200);
    return res.json.results as Result[];
  };

  test('title ASC / DESC', async () => {
    const asc = titles({ json: { results: await ordered('space = ENG ORDER BY title') } });
    expect(asc).toEqual([...asc].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
    expect(asc[0]).toBe('Accounts and access requests');
    const desc = titles({ json: { results: await ordered('space = ENG order by TITLE desc') } });
    expect(desc).toEqual([...asc].reverse());
  });

  test('lastmodified DESC and created ASC; without ORDER BY, most recently modified first', async () => {
    const recent = (await ordered('space = ENG ORDER BY lastmodified DESC')).map((r) => r.lastModified);
    expect(recent).toEqual([...recent].sort().reverse());
    expect(new Set(recent).size).toBeGreaterThan(1);
    const created = (await ordered('space = ENG ORDER BY created ASC')).map(
      (r) => world.pages.get(r.content.id)!.createdAt,
    );
    expect(created).toEqual([...created].sort());
    const byDefault = (await ordered('space = ENG')).map((r) => r.content.id);
    expect(byDefault).toEqual((await ordered('space = ENG ORDER BY lastmodified DESC')).map((r) => r.content.id));
  });

  test('several keys: the second breaks ties of the first', async () => {
    world.addPage({
      id: '990300',
      title: 'Same title',
      spaceId: SPACES.engineering.id,
      createdAt: '2026-02-01T00:00:00.000Z',
    });
    world.addPage({
      id: '990301',
      title: 'Same title',
      spaceId: SPACES.engineering.id,
      createdAt: '2026-03-01T00:00:00.000Z',
    });
    const res = await ordered('title = "Same title" ORDER BY title ASC, created DESC');
    expect(res.map((r) => r.content.id)).toEqual(['990301', '990300']);
  });
});

describe('cursor paging', () => {
  test('_links.next is context-relative with next=true and a cursor; following it visits every result once, in order', async () => {
    const world = createWorld({ actingUser: 'viewer' });
    const pages = await all(world, 'space = ENG ORDER BY title', 5);
    const first = pages[0]!.json;
    expect(first._links.next).toMatch(
      /^\/rest\/api\/search\?next=true&cursor=[A-Za-z0-9_-]+&limit=5&start=5&cql=space\+%3D\+ENG\+ORDER\+BY\+title$/,
    );
    expect(pages.map((p) => p.json.start)).toEqual(pages.map((_, i) => i * 5));
    const seen = pages.flatMap((p) => titles(p));
    const visible = [...world.pages.values()].filter(
      (p) =>
        p.spaceId === SPACES.engineering.id && p.id !== PAGES.securityIncidents && p.id !== PAGES.incidentPostmortem,
    );
    expect(seen).toHaveLength(visible.length);
    expect(seen).toEqual([...seen].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
    expect(pages).toHaveLength(Math.ceil(visible.length / 5));
    expect(pages.at(-1)!.json._links.next).toBeUndefined();
    expect(pages.every((p) => p.json.totalSize === visible.length)).toBe(true);
  });

  test('the cursor is a position in the order: a page added to an earlier position does not repeat results', async () => {
    const world = createWorld();
    const first = await search(world, 'space = ENG ORDER BY title', { limit: 5 });
    world.addPage({ id: '990400', title: 'AAA first by title', spaceId: SPACES.engineering.id });
    const second = await call(world, 'GET', `/wiki${first.json._links.next}`);
    expect(titles(second)).not.toContain('AAA first by title');
    expect(titles(second).some((t) => titles(first).includes(t))).toBe(false);
  });

  test('a forged cursor, or one from another ORDER BY, is a 400; limit 0 is a 400', async () => {
    const world = createWorld();
    const forged = await search(world, 'space = ENG', { extra: '&cursor=not-a-cursor' });
    expect(forged.status).toBe(400);
    expect(forged.json).toMatchObject({ statusCode: 400, message: 'Invalid cursor' });
    const byTitle = await search(world, 'space = ENG ORDER BY title, created', { limit: 5 });
    const cursor = new URLSearchParams(byTitle.json._links.next.split('?')[1]).get('cursor');
    expect((await search(world, 'space = ENG ORDER BY title', { extra: `&cursor=${cursor}` })).status).toBe(400);
    expect((await search(world, 'space = ENG', { limit: 0 })).status).toBe(400);
  });
});

describe('permissions', () => {
  test('view-restricted pages are silently absent for the users who may not view them (200, not 403/404)', async () => {
    const world = createWorld();
    const as = async (user: string) => {
      const res = await search(world, 'label = security', { headers: { 'X-Emulator-Account-Id': user } });
      expect(res.status).toBe(200);
      return ids(res);
    };
    expect(await as('admin')).toEqual(['65903', PAGES.securityIncidents, PAGES.incidentPostmortem]);
    expect(await as('editor')).toEqual(['65903', PAGES.securityIncidents, PAGES.incidentPostmortem]);
    expect(await as('viewer')).toEqual(['65903']);
    world.restrictPage('65903', { read: [USERS.admin.accountId] });
    expect(await as('editor')).toEqual([PAGES.securityIncidents, PAGES.incidentPostmortem]);
    expect(await as('viewer')).toEqual([]);
  });

  test('a user without product access gets the usual 403', async () => {
    const world = createWorld({ actingUser: 'noAccess' });
    const res = await search(world, 'type = page');
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ message: 'Current user not permitted to use Confluence', statusCode: 403 });
  });

  test('search needs READ only: a READ-only app searches; an app without READ gets the scope 403', async () => {
    const world = createWorld({ scopes: ['READ'] });
    expect((await search(world, 'label = adr', { headers: CONNECT(world) })).status).toBe(200);
    world.setScopes([]);
    const denied = await search(world, 'label = adr', { headers: CONNECT(world) });
    expect(denied.status).toBe(403);
    expect(denied.text).toBe('Request not in an authorized API scope');
  });

  test('an app access rule drops the blocked space from app traffic (Connect and Forge), not from a user session', async () => {
    const world = createWorld();
    expect(ids(await search(world, 'label = policy', { headers: CONNECT(world) }))).toEqual([PAGES.releasePolicy]);
    expect(ids(await search(world, 'label = policy', { headers: { 'X-Emulator-Caller': 'forge' } }))).toEqual([
      PAGES.releasePolicy,
    ]);
    expect(ids(await search(world, 'label = policy'))).toEqual(['131202', PAGES.releasePolicy]);
    world.setAppAccess(SPACES.people.id, true);
    expect(ids(await search(world, 'label = policy', { headers: CONNECT(world) }))).toEqual([
      '131202',
      PAGES.releasePolicy,
    ]);
  });
});

describe('invalid CQL: 400 in the v1 error family, naming what could not be parsed', () => {
  const world = createWorld();
  const bad = async (cql: string | null) => {
    const res = cql === null ? await call(world, 'GET', '/wiki/rest/api/search') : await search(world, cql);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ statusCode: 400, reason: 'Bad Request', data: { successful: false } });
    return { message: res.json.message as string, detail: res.json.data.errors[0].message.translation as string };
  };

  test('syntax errors: "Could not parse cql : <cql>", with the token in data.errors', async () => {
    expect(await bad('space = ')).toEqual({
      message: 'Could not parse cql : space = ',
      detail: 'Expected a value but found the end of the query',
    });
    expect((await bad('label = a b')).detail).toBe(
      "Expected 'and', 'or', 'order by' or the end of the query but found 'b' at position 10",
    );
    expect((await bad('(label = a')).detail).toBe("Expected ')' but found the end of the query");
    expect((await bad('title ~ "unterminated')).detail).toBe('Unterminated string starting at position 8');
    expect((await bad('label in (a, b')).detail).toBe("Expected ',' or ')' but found the end of the query");
    expect((await bad('ORDER BY title')).detail).toBe(
      "Expected a clause before ORDER BY but found 'ORDER' at position 0",
    );
    expect((await bad('label = AND')).detail).toBe("Expected a value but found 'AND' at position 8");
    expect((await bad(null)).detail).toBe('The cql parameter is required.');
  });

  test('an unknown field: the BadRequestException message Confluence sends', async () => {
    const { message } = await bad('Grill = x');
    expect(message).toBe(
      "com.atlassian.confluence.api.service.exceptions.BadRequestException: No field exists with the name: 'Grill'",
    );
  });

  test('real CQL outside the subset is refused by name, not answered wrong', async () => {
    expect((await bad('contributor = currentUser()')).detail).toMatch(/does not support the CQL field 'contributor'/);
    expect((await bad('space = ENG AND mention = abc')).detail).toMatch(/does not support the CQL field 'mention'/);
    expect((await bad('label > a')).detail).toBe(
      "The operator '>' is not supported by the field 'label' (it supports =, !=, in, not in)",
    );
    expect((await bad('text = foo')).detail).toBe(
      "The operator '=' is not supported by the field 'text' (it supports ~, !~)",
    );
    expect((await bad('creator = recentlyViewedContent()')).detail).toMatch(/function recentlyViewedContent\(\)/);
    expect((await bad('space = ENG ORDER BY score')).detail).toMatch(/cannot order by 'score'/);
  });
});

describe('quoting', () => {
  test('backslash escapes " and \\ inside a quoted value, in double or single quotes', async () => {
    const world = createWorld();
    world.addPage({ id: '990500', title: 'Path C:\\temp and "quotes"' });
    expect(ids(await search(world, 'title = "Path C:\\\\temp and \\"quotes\\""'))).toEqual(['990500']);
    expect(ids(await search(world, 'title = \'Path C:\\\\temp and "quotes"\''))).toEqual(['990500']);
    // An injection attempt quoted properly is one literal value: nothing matches it.
    expect(ids(await search(world, 'title ~ "x\\" OR label = \\"security"'))).toEqual([]);
  });
});

describe('query size and nesting: garbage is a 400, never a 500', () => {
  const world = createWorld();
  const refused = async (cql: string) => {
    const res = await search(world, cql);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      statusCode: 400,
      reason: 'Bad Request',
      message: `Could not parse cql : ${cql}`,
      data: { successful: false },
    });
    return res.json.data.errors[0].message.translation as string;
  };

  test('thousands of nested parentheses, NOTs or AND-ed clauses are refused, not a stack overflow', async () => {
    expect(await refused(`${'('.repeat(5000)}type = page${')'.repeat(5000)}`)).toMatch(/at most 8192/);
    expect(await refused(`${'not '.repeat(8000)}type = page`)).toMatch(/at most 8192/);
    expect(await refused(`${'type=page and '.repeat(20000)}type = page`)).toMatch(/at most 8192/);
    expect(world.requests.every((r) => r.status === 400)).toBe(true);
  });

  test('nesting is capped at 100 levels of parentheses and NOT together, however short the query', async () => {
    const deep = (levels: number) => `${'not ('.repeat(levels / 2)}id = ${PAGES.home}${')'.repeat(levels / 2)}`;
    expect((await search(world, deep(100))).status).toBe(200);
    expect(await refused(deep(102))).toBe('Parentheses and NOT are nested more than 100 deep at position 250');
    expect(await refused(`${'('.repeat(101)}type = page${')'.repeat(101)}`)).toMatch(/nested more than 100 deep/);
    expect(await refused(`${'not '.repeat(101)}type = page`)).toMatch(/nested more than 100 deep/);
  });

  test('a long flat query is fine: an OR of 500 ids, an AND of 500 clauses', async () => {
    const own = createWorld();
    for (const id of ['900000', '900250', '900499']) own.addPage({ id, title: `Page ${id}` });
    const manyIds = Array.from({ length: 500 }, (_, i) => `id = ${900000 + i}`).join(' OR ');
    expect(manyIds.length).toBeGreaterThan(7000);
    expect(ids(await search(own, manyIds))).toEqual(['900000', '900250', '900499']);
    expect(ids(await search(own, `(${manyIds}) AND NOT (${'title !~ zzz AND '.repeat(20)}id = 900250)`))).toEqual([
      '900000',
      '900499',
    ]);
    const manyClauses = `${'type = page AND '.repeat(499)}id = 900250`;
    expect(ids(await search(own, manyClauses))).toEqual(['900250']);
  });

  test('highlighting walks the flat tree: every un-negated ~ term of an OR is marked', async () => {
    const res = await search(
      world,
      `id = ${PAGES.home} OR title ~ failover OR text ~ database AND NOT title ~ runbook`,
    );
    expect(res.status).toBe(200);
    const failover = res.json.results.find((r: Result) => r.content.id === '65902');
    expect(failover.title).toBe('Runbook: @@@hl@@@database@@@endhl@@@ @@@hl@@@failover@@@endhl@@@');
  });
});
