import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { delay, http, HttpResponse } from 'msw';
import type { ReactNode } from 'react';
import {
  ConfluenceProvider,
  PermissionGate,
  RequestState,
  confluenceQueries,
  useConfluenceContext,
  useConfluenceInfiniteQuery,
  useConfluenceQuery,
  useUpdatePage,
  type ConfluenceProviderProps,
} from '../../src/react/index';
import { hosts } from './helpers/hosts';
import { SITE, bodies, callsTo, page, pageRoutes, puts, server } from './helpers/site';
import { emulateSite } from './helpers/setup';

emulateSite();

const pageUrl = `${SITE}/wiki/api/v2/pages/:id`;

function PageTitle({ id = '1' }: { id?: string }) {
  const query = useConfluenceQuery(confluenceQueries.page(id));
  return <RequestState query={query}>{(p) => <h1>{p.title}</h1>}</RequestState>;
}

function Editor() {
  const query = useConfluenceQuery(confluenceQueries.page('1'));
  const update = useUpdatePage();
  return (
    <RequestState query={query}>
      {(p) => (
        <>
          <h1>
            {p.title} (v{p.version?.number})
          </h1>
          <button
            onClick={() =>
              update.mutate({
                id: p.id,
                title: p.title,
                body: { representation: 'storage', value: '<p>mine</p>' },
                version: p.version!.number,
              })
            }
          >
            Save
          </button>
          <RequestState error={update.error} onReload={update.reloadLatest} />
          {update.isSuccess && <p>Saved</p>}
        </>
      )}
    </RequestState>
  );
}

describe.each(hosts)('on the $name transport', (host) => {
  const renderApp = (ui: ReactNode, props: Partial<ConfluenceProviderProps> = {}) =>
    render(
      <ConfluenceProvider {...host.install()} {...props}>
        {ui}
      </ConfluenceProvider>,
    );

  it('shows progress as role=status, then the page', async () => {
    server.use(...pageRoutes((id) => page(id, 'Release notes', 3)));
    renderApp(<PageTitle />);
    expect((await screen.findByRole('status')).getAttribute('data-state')).toBe('loading');
    expect(await screen.findByRole('heading', { name: 'Release notes' })).toBeTruthy();
  });

  it('shows a 403 after exactly one transport call, with the product-access text', async () => {
    server.use(...pageRoutes(() => HttpResponse.json(bodies.productAccess, { status: 403 })));
    renderApp(<PageTitle />);
    const alert = await screen.findByRole('alert');
    expect(alert!.getAttribute('data-kind')).toBe('forbidden');
    expect(alert!.getAttribute('data-reason')).toBe('product-access');
    expect(alert!.textContent).toContain("You don't have access to Confluence.");
    expect(callsTo('GET /wiki/api/v2/pages')).toHaveLength(1);
    // A refusal has nothing to retry, so focus lands on the alert itself.
    expect(document.activeElement).toBe(alert);
  });

  // Each refusal body from the reference, and what the screen must say for it.
  it.each([
    [
      'a Connect scope 403',
      new HttpResponse(bodies.connectScope, { status: 403, headers: { 'Content-Type': 'text/plain' } }),
      'forbidden',
      'app-scope',
      'Ask an admin to update it.',
    ],
    [
      'a v1 user-permission 403',
      HttpResponse.json(bodies.userPermission, { status: 403 }),
      'forbidden',
      'user-permission',
      "You don't have permission to do this.",
    ],
    [
      'a plain-text 401',
      new HttpResponse('Basic authentication with passwords is deprecated.', {
        status: 401,
        headers: { 'Content-Type': 'text/plain' },
      }),
      'unauthorized',
      null,
      'Your session expired.',
    ],
    [
      'the gateway scope 401',
      HttpResponse.json(bodies.gatewayScope, {
        status: 401,
        headers: { 'X-Failure-Category': 'FAILURE_CLIENT_SCOPE_CHECK' },
      }),
      'unauthorized',
      'app-scope',
      'Ask an admin to update it.',
    ],
  ])('tells %s apart', async (_, response, kind, reason, text) => {
    server.use(...pageRoutes(() => response.clone()));
    renderApp(<PageTitle />);
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-kind')).toBe(kind);
    expect(alert.getAttribute('data-reason')).toBe(reason);
    expect(alert.textContent).toContain(text);
    expect(callsTo('GET /wiki/api/v2/pages')).toHaveLength(1);
  });

  it('counts a long Retry-After down second by second, then retries at zero', async () => {
    // Only the countdown's interval is faked: msw, the client and TanStack keep real timers.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let limited = true;
    server.use(
      ...pageRoutes(() =>
        limited
          ? new HttpResponse(null, { status: 429, headers: { 'Retry-After': '40', 'X-RateLimit-NearLimit': 'true' } })
          : page('1', 'After the wait', 1),
      ),
    );
    renderApp(<PageTitle />);
    const alert = await screen.findByRole('alert');
    expect(alert!.getAttribute('data-kind')).toBe('rate-limited');
    expect(alert!.textContent).toContain('Retrying in 40 s.');
    // The seconds tick inside a timer (aria-live off) so screen readers hear the alert once.
    expect(within(alert).getByRole('timer').textContent).toContain('40 s');
    act(() => vi.advanceTimersByTime(1000));
    expect(alert!.textContent).toContain('Retrying in 39 s.');
    act(() => vi.advanceTimersByTime(37_000));
    expect(alert!.textContent).toContain('Retrying in 2 s.');
    expect(callsTo('GET /wiki/api/v2/pages')).toHaveLength(1);
    limited = false;
    act(() => vi.advanceTimersByTime(2000));
    // Generous timeout: RTL's own polling interval is faked here, so it waits on DOM mutations only.
    expect(await screen.findByRole('heading', { name: 'After the wait' }, { timeout: 15_000 })).toBeTruthy();
    expect(callsTo('GET /wiki/api/v2/pages')).toHaveLength(2);
  }, 30_000);

  it('while the client waits out a short Retry-After by itself, loading says so with the seconds left', async () => {
    // A wait under the client's 30 s cap is retried inside the client; the UI hears of it through onRetry.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let limited = true;
    server.use(
      ...pageRoutes(() => {
        if (!limited) return page('1', 'After the wait', 1);
        limited = false;
        return new HttpResponse(null, { status: 429, headers: { 'Retry-After': '2' } });
      }),
    );
    renderApp(<PageTitle />);
    const status = await screen.findByRole('status');
    await vi.waitFor(() => expect(status.textContent).toContain('Retrying in 2 s.'));
    act(() => vi.advanceTimersByTime(1000));
    expect(status.textContent).toContain('Retrying in 1 s.');
    expect(await screen.findByRole('heading', { name: 'After the wait' }, { timeout: 15_000 })).toBeTruthy();
    expect(callsTo('GET /wiki/api/v2/pages')).toHaveLength(2);
    expect(screen.queryByRole('alert')).toBeNull();
  }, 30_000);

  it('a plain 5xx retry of this request keeps the loading text (only rate limits say "busy")', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let failures = 1;
    server.use(
      ...pageRoutes(() => (failures-- > 0 ? new HttpResponse('oops', { status: 500 }) : page('1', 'Back again', 1))),
    );
    renderApp(<PageTitle />);
    const status = await screen.findByRole('status');
    expect(await screen.findByRole('heading', { name: 'Back again' }, { timeout: 15_000 })).toBeTruthy();
    expect(status.textContent).not.toContain('busy');
    expect(callsTo('GET /wiki/api/v2/pages')).toHaveLength(2);
  }, 30_000);

  it('on a 409 shows the conflict with the other version and never re-sends the PUT by itself', async () => {
    let current = 5;
    server.use(
      ...pageRoutes(() => page('1', 'Plan', current)),
      http.put(pageUrl, async ({ request }) => {
        const sent = ((await request.json()) as any).version.number;
        if (sent !== current + 1) return HttpResponse.json(bodies.conflictV2(current, sent), { status: 409 });
        current = sent;
        return HttpResponse.json(page('1', 'Plan', current));
      }),
    );
    const user = userEvent.setup();
    renderApp(<Editor />);
    await screen.findByRole('heading', { name: 'Plan (v5)' });
    current = 7; // someone else saved twice meanwhile
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert!.getAttribute('data-kind')).toBe('conflict');
    expect(alert!.textContent).toContain('Someone else saved version 7.');
    const reload = within(alert).getByRole('button', { name: 'Reload latest' });
    expect(document.activeElement).toBe(reload);
    expect(puts.map((p) => p.version.number)).toEqual([6]);
    expect(current).toBe(7);

    await user.click(reload);
    await screen.findByRole('heading', { name: 'Plan (v7)' });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(puts).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved');
    expect(puts.map((p) => p.version.number)).toEqual([6, 8]);
    expect(puts[1]).toMatchObject({
      id: '1',
      status: 'current',
      title: 'Plan',
      body: { representation: 'storage', value: '<p>mine</p>' },
    });
  });

  it('retries a transient OptimisticLockException 409 once, with the same version', async () => {
    let first = true;
    server.use(
      ...pageRoutes(() => page('1', 'Plan', 5)),
      http.put(pageUrl, () => {
        if (first) {
          first = false;
          return HttpResponse.json(bodies.optimisticLock, { status: 409 });
        }
        return HttpResponse.json(page('1', 'Plan', 6));
      }),
    );
    const user = userEvent.setup();
    renderApp(<Editor />);
    await user.click(await screen.findByRole('button', { name: 'Save' }));
    await screen.findByText('Saved');
    expect(puts.map((p) => p.version.number)).toEqual([6, 6]);
  });

  it('gives up after one transient retry and shows the conflict', async () => {
    server.use(
      ...pageRoutes(() => page('1', 'Plan', 5)),
      http.put(pageUrl, () => HttpResponse.json(bodies.optimisticLock, { status: 409 })),
    );
    const user = userEvent.setup();
    renderApp(<Editor />);
    await user.click(await screen.findByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).getAttribute('data-kind')).toBe('conflict');
    expect(puts).toHaveLength(2);
  });

  it('shows a generic error with a retry that works', async () => {
    let fail = true;
    server.use(...pageRoutes(() => (fail ? new HttpResponse('oops', { status: 500 }) : page('1', 'Second try', 1))));
    const user = userEvent.setup();
    renderApp(<PageTitle />, { clientOptions: { retry: false } });
    const alert = await screen.findByRole('alert');
    expect(alert!.getAttribute('data-kind')).toBe('error');
    const retry = within(alert).getByRole('button', { name: 'Try again' });
    expect(document.activeElement).toBe(retry);
    fail = false;
    await user.click(retry);
    expect(await screen.findByRole('heading', { name: 'Second try' })).toBeTruthy();
  });

  it('shows a timeout as "did not answer" instead of spinning', async () => {
    server.use(
      ...pageRoutes(async () => {
        await delay(1000);
        return page('1', 'Too late', 1);
      }),
    );
    renderApp(<PageTitle />, { clientOptions: { timeoutMs: 50, retry: false } });
    const alert = await screen.findByRole('alert');
    expect(alert!.getAttribute('data-kind')).toBe('unavailable');
    expect(alert!.textContent).toContain('Confluence did not answer.');
  });

  it('gates actions on the v2 operations of the page', async () => {
    server.use(
      http.get(`${SITE}/wiki/api/v2/pages/:id/operations`, ({ params }) =>
        params.id === '404'
          ? HttpResponse.json(bodies.notFoundV2, { status: 404 })
          : HttpResponse.json({
              operations: [
                { operation: 'read', targetType: 'page' },
                ...(params.id === '1' ? [{ operation: 'update', targetType: 'page' }] : []),
              ],
            }),
      ),
    );
    const gate = (id: string) => (
      <PermissionGate
        operation="update"
        on={{ type: 'page', id }}
        fallback={<button disabled>Edit {id} (read only)</button>}
      >
        <button>Edit {id}</button>
      </PermissionGate>
    );
    renderApp(
      <>
        {gate('1')}
        {gate('2')}
        <PermissionGate operation="delete" on={{ type: 'page', id: '1' }}>
          <button>Delete 1</button>
        </PermissionGate>
        {gate('404')}
      </>,
    );
    expect(((await screen.findByRole('button', { name: 'Edit 1' })) as HTMLButtonElement).disabled).toBe(false);
    expect(((await screen.findByRole('button', { name: 'Edit 2 (read only)' })) as HTMLButtonElement).disabled).toBe(
      true,
    );
    expect(((await screen.findByRole('button', { name: 'Edit 404 (read only)' })) as HTMLButtonElement).disabled).toBe(
      true,
    );
    expect(screen.queryByRole('button', { name: 'Delete 1' })).toBeNull();
    // Identical checks share one request.
    expect(callsTo('/pages/1/operations')).toHaveLength(1);
  });

  it('pages through a space with the v2 cursor', async () => {
    server.use(
      http.get(`${SITE}/wiki/api/v2/spaces/42/pages`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        return cursor === 'c2'
          ? HttpResponse.json({ results: [page('3', 'Three', 1)], _links: {} })
          : HttpResponse.json({
              results: [page('1', 'One', 1), page('2', 'Two', 1)],
              _links: { next: '/wiki/api/v2/spaces/42/pages?limit=2&cursor=c2' },
            });
      }),
    );
    function Pages() {
      const q = useConfluenceInfiniteQuery(confluenceQueries.pagesInSpace('42', 2));
      return (
        <RequestState query={q}>
          <ul>
            {q.data?.pages
              .flatMap((p) => p.results)
              .map((p) => (
                <li key={p.id}>{p.title}</li>
              ))}
          </ul>
          {q.hasNextPage && <button onClick={() => q.fetchNextPage()}>More</button>}
        </RequestState>
      );
    }
    const user = userEvent.setup();
    renderApp(<Pages />);
    await screen.findByText('Two');
    await user.click(screen.getByRole('button', { name: 'More' }));
    await screen.findByText('Three');
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['One', 'Two', 'Three']);
    expect(screen.queryByRole('button', { name: 'More' })).toBeNull();
    expect(callsTo('/spaces/42/pages')).toEqual([
      'GET /wiki/api/v2/spaces/42/pages?limit=2',
      'GET /wiki/api/v2/spaces/42/pages?limit=2&cursor=c2',
    ]);
  });

  it('reads the typed content context', async () => {
    function Where() {
      const { data } = useConfluenceContext();
      return <p>{data ? `${data.host}: content ${data.content?.id}` : 'reading'}</p>;
    }
    renderApp(<Where />);
    expect(await screen.findByText(`${host.name}: content 123`)).toBeTruthy();
  });
});
