import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useQuery } from '@tanstack/react-query';
import { HttpResponse, http } from 'msw';
import { useState } from 'react';
import {
  RequestState,
  confluenceQueries,
  useAppFetch,
  useConfluenceClient,
  useConfluenceContext,
  useConfluenceQuery,
  useUpdatePage,
} from '../../src/react/index';
import { PAGES, USERS, renderWithConfluence } from '../../src/testing/index';

/** Reads an endpoint the emulator does not have. */
function Likes() {
  const client = useConfluenceClient();
  const likes = useQuery({
    queryKey: ['likes'],
    queryFn: async () =>
      (await client.request<{ count: number }>({ path: '/wiki/api/v2/pages/65601/likes/count' })).data,
    retry: false,
  });
  if (likes.error) return <p>Likes failed: {likes.error.message}</p>;
  return likes.data ? <p>Likes: {likes.data.count}</p> : <p>Loading</p>;
}

/** Shows what the host says about where the macro sits and who is looking. */
function WhereAmI() {
  const context = useConfluenceContext();
  if (!context.data) return <p>Loading</p>;
  const { content, space, user } = context.data;
  return (
    <p>
      On {content?.id} in {space?.key} as {user?.accountId ?? 'nobody'}
    </p>
  );
}

function Who() {
  const me = useConfluenceQuery(confluenceQueries.currentUser());
  return <RequestState query={me}>{(u) => <p>Hello {u.displayName}</p>}</RequestState>;
}

function TitleEditor({ id }: { id: string }) {
  const page = useConfluenceQuery(confluenceQueries.page(id));
  const update = useUpdatePage();
  return (
    <RequestState query={page}>
      {(p) => (
        <>
          <h1>{p.title}</h1>
          <button
            onClick={() =>
              update.mutate({
                id: p.id,
                title: 'Renamed',
                body: { representation: 'storage', value: '<p>x</p>' },
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

describe.each(['connect', 'forge', 'fetch'] as const)('renderWithConfluence on %s', (host) => {
  test('rerender keeps the provider and its cache: the page is not fetched again', async () => {
    const r = renderWithConfluence(<Who />, { host, user: 'viewer' });
    await screen.findByText(/^Hello /);
    const calls = r.world.requests.length;
    r.rerender(
      <section>
        <Who />
      </section>,
    );
    expect(screen.getByText(/^Hello /)).toBeTruthy();
    expect(r.world.requests.length).toBe(calls);
  });

  test('extraHandlers answer an endpoint the emulator lacks, ahead of it, logged; gone after unmount', async () => {
    const likes = http.get('*/wiki/api/v2/pages/:id/likes/count', () => HttpResponse.json({ count: 3 }));
    const r = renderWithConfluence(<Likes />, { host, user: 'viewer', extraHandlers: [likes] });
    expect(await screen.findByText('Likes: 3')).toBeTruthy();
    expect(r.world.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/wiki/api/v2/pages/65601/likes/count',
      status: 200,
      accountId: USERS.viewer.accountId,
    });
    r.unmount();
    // Without the extra handler, the emulator says it does not emulate the endpoint. (The client retries a 5xx GET,
    // so the failed state itself comes only after its backoff: the log is the event to wait on.)
    renderWithConfluence(<Likes />, { host, user: 'viewer', world: r.world });
    await expect.poll(() => r.world.requests.at(-1)).toMatchObject({ status: 501, notEmulated: true });
  });

  test('extraHandlers take precedence over a built-in endpoint', async () => {
    const me = http.get('*/wiki/rest/api/user/current', () =>
      HttpResponse.json({ type: 'known', accountId: 'x', displayName: 'Overridden' }),
    );
    renderWithConfluence(<Who />, { host, user: 'viewer', extraHandlers: [me] });
    expect(await screen.findByText('Hello Overridden')).toBeTruthy();
  });

  test('pageId and the acting user reach useConfluenceContext', async () => {
    renderWithConfluence(<WhereAmI />, { host, user: 'viewer', pageId: PAGES.releasePolicy });
    expect(await screen.findByText(`On ${PAGES.releasePolicy} in ENG as ${USERS.viewer.accountId}`)).toBeTruthy();
  });

  test('an anonymous viewer has no accountId in the context', async () => {
    renderWithConfluence(<WhereAmI />, { host, user: 'anonymous', pageId: PAGES.gettingStarted });
    expect(await screen.findByText(`On ${PAGES.gettingStarted} in ENG as nobody`)).toBeTruthy();
  });

  test('the acting user comes from the world', async () => {
    renderWithConfluence(<Who />, { host, user: 'viewer' });
    expect(await screen.findByText('Hello Vera Viewer')).toBeTruthy();
  });

  test('product access 403 becomes the forbidden state', async () => {
    renderWithConfluence(<Who />, { host, user: 'noAccess' });
    expect((await screen.findByRole('alert')).textContent).toContain("You don't have access to Confluence.");
  });

  test('a save that loses the race shows the conflict state and the page is not overwritten', async () => {
    const { world } = renderWithConfluence(<TitleEditor id={PAGES.gettingStarted} />, { host, user: 'editor' });
    await screen.findByRole('heading', { name: 'Getting started' });
    world.setFaults({ nextSaveConflicts: true });
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Someone else saved version 8');
    expect(world.pages.get(PAGES.gettingStarted)!.title).toBe('Getting started');
  });

  test('pages given to the render replace the seed', async () => {
    renderWithConfluence(<TitleEditor id="7001" />, { host, pages: [{ id: '7001', title: 'My fixture page' }] });
    expect(await screen.findByRole('heading', { name: 'My fixture page' })).toBeTruthy();
  });
});

test('the connect host puts a fake AP on globalThis for the test and exposes it', async () => {
  const { ap } = renderWithConfluence(<Who />, { host: 'connect' });
  expect((globalThis as { AP?: unknown }).AP).toBe(ap);
  await screen.findByText(/Hello/);
});

test('…and removes it after the test', () => {
  expect('AP' in globalThis).toBe(false);
});

test('unmount removes the fake AP at once', () => {
  const { unmount } = renderWithConfluence(<Who />, { host: 'connect' });
  expect('AP' in globalThis).toBe(true);
  unmount();
  expect('AP' in globalThis).toBe(false);
});

describe('renderWithConfluence with a Forge remote', () => {
  test.each([
    ['invokeRemote', undefined],
    ['requestRemote', 'backend'],
  ] as const)(
    'useAppFetch reaches the remote through %s, and the backend verifies the FIT for the acting user',
    async (via, key) => {
      const { createForgeKeyPair, createForgeJwksServer } = await import('../../src/testing/index');
      const { createForgeRemoteHandler, createForgeKeySet } = await import('../../src/server/index');
      const keyPair = await createForgeKeyPair('forge-key-1');
      const jwks = createForgeJwksServer([keyPair]);
      const appId = 'ari:cloud:ecosystem::app/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
      const backend = createForgeRemoteHandler(
        { appId, keySet: createForgeKeySet({ url: jwks.url, fetch: jwks.fetch }) },
        async (_request, invocation) => Response.json({ hello: invocation.accountId }),
      );
      function Backend() {
        const appFetch = useAppFetch();
        const [text, setText] = useState('idle');
        return (
          <button
            onClick={() =>
              appFetch('/api/hello')
                .then((r) => r.json())
                .then((b) => setText(`hello ${b.hello}`))
            }
          >
            {text}
          </button>
        );
      }
      const r = renderWithConfluence(<Backend />, {
        host: 'forge',
        user: 'viewer',
        forgeRemote: {
          baseUrl: 'https://remote.example.com',
          appId,
          keyPair,
          fetch: (input, init) => backend(new Request(input, init)),
          // With a key, the render hands it to the provider as forgeRemoteKey, so useAppFetch uses requestRemote.
          ...(key ? { key } : {}),
        },
      });
      await userEvent.setup().click(await screen.findByRole('button', { name: 'idle' }));
      await screen.findByRole('button', { name: `hello ${r.world.user('viewer')!.accountId}` });
      expect(r.bridge!.fakeHost.remoteCalls).toEqual([
        { method: 'GET', path: '/api/hello', accountId: r.world.user('viewer')!.accountId, via },
      ]);
    },
  );
});
