import { PAGES, SPACES, createWorld } from '../../src/testing/index';
import { call } from './helpers';

function nextFromLink(link: string | undefined): string | null {
  const match = link?.match(/<([^>]+)>;\s*rel="next"/);
  return match ? match[1]! : null;
}

describe('v2 cursor pagination', () => {
  test('limit defaults to 25; next is relative and identical in _links.next and the Link header', async () => {
    const world = createWorld({ actingUser: 'admin' });
    const first = await call(world, 'GET', '/wiki/api/v2/pages');
    expect(first.json.results).toHaveLength(25);
    const next = first.json._links.next as string;
    expect(next).toMatch(/^\/wiki\/api\/v2\/pages\?cursor=[A-Za-z0-9_-]+$/);
    expect(nextFromLink(first.headers.link)).toBe(next);
    expect(first.headers.link).toContain(`<${world.siteUrl}/wiki>; rel="base"`);
    expect(first.json._links.base).toBe(`${world.siteUrl}/wiki`);
  });

  test('following next visits every visible page exactly once, keeps other parameters, and ends without next', async () => {
    const world = createWorld({ actingUser: 'viewer' });
    const seen: string[] = [];
    let path: string | null = `/wiki/api/v2/spaces/${SPACES.engineering.id}/pages?limit=5`;
    let pages = 0;
    while (path) {
      const res = await call(world, 'GET', path);
      expect(res.status).toBe(200);
      expect(res.json.results.length).toBeLessThanOrEqual(5);
      seen.push(...res.json.results.map((p: { id: string }) => p.id));
      path = res.json._links.next ?? null;
      if (path) expect(path).toContain('limit=5');
      else expect(res.headers.link).toBeUndefined();
      pages += 1;
    }
    const visible = [...world.pages.values()].filter(
      (p) => p.spaceId === SPACES.engineering.id && !['66001', '66002'].includes(p.id),
    );
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(visible.map((p) => p.id).sort());
    expect(pages).toBe(Math.ceil(visible.length / 5));
  });

  test('limit above 250 is clamped; 0 or garbage is a 400; a forged cursor is a 400', async () => {
    const world = createWorld();
    for (let i = 0; i < 260; i++) world.addPage({ title: `Bulk ${i}` });
    const big = await call(world, 'GET', '/wiki/api/v2/pages?limit=1000');
    expect(big.json.results).toHaveLength(250);
    expect((await call(world, 'GET', '/wiki/api/v2/pages?limit=0')).status).toBe(400);
    expect((await call(world, 'GET', '/wiki/api/v2/pages?limit=ten')).status).toBe(400);
    const forged = await call(world, 'GET', '/wiki/api/v2/pages?cursor=not-a-cursor');
    expect(forged.status).toBe(400);
    expect(forged.json.errors[0].status).toBe(400);
  });

  test('bulk ?id= accepts comma and repeated forms, pages at limit, and refuses more than 250 ids', async () => {
    const world = createWorld();
    const comma = await call(world, 'GET', `/wiki/api/v2/pages?id=${PAGES.home},${PAGES.gettingStarted}`);
    const repeated = await call(world, 'GET', `/wiki/api/v2/pages?id=${PAGES.home}&id=${PAGES.gettingStarted}`);
    expect(comma.json.results.map((p: { id: string }) => p.id)).toEqual([PAGES.home, PAGES.gettingStarted]);
    expect(repeated.json.results).toEqual(comma.json.results);
    const paged = await call(world, 'GET', `/wiki/api/v2/pages?id=${PAGES.home},${PAGES.gettingStarted},65602&limit=2`);
    expect(paged.json.results).toHaveLength(2);
    expect(paged.json._links.next).toContain('id=');
    const ids = Array.from({ length: 251 }, (_, i) => String(70000 + i)).join(',');
    expect((await call(world, 'GET', `/wiki/api/v2/pages?id=${ids}`)).status).toBe(400);
  });

  test('body-format on lists is storage or atlas_doc_format (ADF as a JSON string)', async () => {
    const world = createWorld();
    const adf = await call(world, 'GET', `/wiki/api/v2/pages?id=${PAGES.home}&body-format=atlas_doc_format`);
    const value = adf.json.results[0].body.atlas_doc_format.value;
    expect(typeof value).toBe('string');
    expect(JSON.parse(value)).toMatchObject({ version: 1, type: 'doc' });
    expect((await call(world, 'GET', '/wiki/api/v2/pages?body-format=view')).status).toBe(400);
    const single = await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.home}?body-format=view`);
    expect(single.json.body.view.value).toContain('<h2>');
  });

  test('children and spaces paginate the same way', async () => {
    const world = createWorld();
    const children = await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.home}/children?limit=3`);
    expect(children.json.results).toHaveLength(3);
    expect(children.json.results[0]).toEqual({
      id: '65600',
      status: 'current',
      title: 'Onboarding',
      spaceId: SPACES.engineering.id,
      childPosition: 0,
    });
    const rest = await call(world, 'GET', children.json._links.next);
    expect(rest.json.results.map((p: { id: string }) => p.id)).toEqual(['65900', '66100', '66200']);
    const spaces = await call(world, 'GET', '/wiki/api/v2/spaces?keys=ENG');
    expect(spaces.json.results).toEqual([
      expect.objectContaining({ id: SPACES.engineering.id, key: 'ENG', homepageId: PAGES.home }),
    ]);
  });
});
