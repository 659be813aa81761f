import { cleanup, render, screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  ConfluenceProvider,
  PermissionGate,
  confluenceQueries,
  useConfluenceInfiniteQuery,
  useConfluenceQuery,
} from '../../src/react/index';
import { SITE, bodies, callsTo, page, resetLog, server } from './helpers/site';

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  resetLog();
});
afterAll(() => server.close());

const Site = ({ children }: { children: React.ReactNode }) => (
  <ConfluenceProvider host="fetch" fetchBaseUrl={SITE}>
    {children}
  </ConfluenceProvider>
);

describe('query-option factories', () => {
  it('reads the current user from v1 user/current', async () => {
    server.use(
      http.get(`${SITE}/wiki/rest/api/user/current`, () =>
        HttpResponse.json({ type: 'known', accountId: 'u-1', displayName: 'Ada' }),
      ),
    );
    function Me() {
      const { data } = useConfluenceQuery(confluenceQueries.currentUser());
      return <p>{data?.displayName ?? '…'}</p>;
    }
    render(
      <Site>
        <Me />
      </Site>,
    );
    expect(await screen.findByText('Ada')).toBeTruthy();
  });

  it('reads a space by id, with the id encoded as one path segment', async () => {
    server.use(
      http.get(`${SITE}/wiki/api/v2/spaces/:id`, ({ params }) =>
        HttpResponse.json({ id: params.id, key: 'DEV', name: `Space ${params.id}` }),
      ),
    );
    function SpaceName({ id }: { id: string }) {
      const { data } = useConfluenceQuery(confluenceQueries.space(id));
      return <p>{data?.name ?? '…'}</p>;
    }
    render(
      <Site>
        <SpaceName id="42" />
        <SpaceName id="1/../../admin" />
      </Site>,
    );
    expect(await screen.findByText('Space 42')).toBeTruthy();
    expect(await screen.findByText('Space 1/../../admin')).toBeTruthy();
    expect(callsTo('/spaces/')).toContain('GET /wiki/api/v2/spaces/1%2F..%2F..%2Fadmin');
  });

  it('lists children with the cursor pagination', async () => {
    server.use(
      http.get(`${SITE}/wiki/api/v2/pages/:id/children`, () =>
        HttpResponse.json({ results: [page('7', 'Child', 1)], _links: {} }),
      ),
    );
    function Children() {
      const q = useConfluenceInfiniteQuery(confluenceQueries.children('1'));
      return (
        <p>
          {q.data
            ? q.data.pages.flatMap((p) => p.results.map((c) => c.title)).join(',') + (q.hasNextPage ? '+' : '.')
            : '…'}
        </p>
      );
    }
    render(
      <Site>
        <Children />
      </Site>,
    );
    expect(await screen.findByText('Child.')).toBeTruthy();
    expect(callsTo('/children')).toEqual(['GET /wiki/api/v2/pages/1/children?limit=25']);
  });

  it('checks space operations on the numeric space id', async () => {
    server.use(
      http.get(`${SITE}/wiki/api/v2/spaces/:id/operations`, () =>
        HttpResponse.json({
          operations: [
            { operation: 'create', targetType: 'page' },
            { operation: 'read', targetType: 'space' },
          ],
        }),
      ),
    );
    render(
      <Site>
        <PermissionGate operation="create" on={{ type: 'space', id: '42' }}>
          <button>New page</button>
        </PermissionGate>
        <PermissionGate operation="administer" on={{ type: 'space', id: '42' }} fallback={<p>Not an admin</p>}>
          <button>Space settings</button>
        </PermissionGate>
      </Site>,
    );
    expect(await screen.findByRole('button', { name: 'New page' })).toBeTruthy();
    expect(await screen.findByText('Not an admin')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Space settings' })).toBeNull();
    expect(callsTo('/operations')).toEqual(['GET /wiki/api/v2/spaces/42/operations']);
  });

  it('treats a failed check as not permitted, without retrying it', async () => {
    server.use(
      http.get(`${SITE}/wiki/api/v2/pages/:id/operations`, () => HttpResponse.json(bodies.notFoundV2, { status: 404 })),
    );
    render(
      <Site>
        <PermissionGate operation="update" on={{ type: 'page', id: '9' }}>
          {(allowed) => <button disabled={!allowed}>{allowed ? 'Edit' : 'Edit (no access)'}</button>}
        </PermissionGate>
      </Site>,
    );
    expect(((await screen.findByRole('button', { name: 'Edit (no access)' })) as HTMLButtonElement).disabled).toBe(
      true,
    );
    expect(callsTo('/operations')).toHaveLength(1);
  });
});
