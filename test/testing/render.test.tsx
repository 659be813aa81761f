import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { RequestState, confluenceQueries, useAppFetch, useConfluenceQuery, useUpdatePage } from '../../src/react/index';
import { PAGES, renderWithConfluence } from '../../src/testing/index';

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
  test('useAppFetch reaches the remote through invokeRemote, and the backend verifies the FIT for the acting user', async () => {
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
      },
    });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'idle' }));
    await screen.findByRole('button', { name: `hello ${r.world.user('viewer')!.accountId}` });
    expect(r.bridge!.fakeHost.remoteCalls).toEqual([
      { method: 'GET', path: '/api/hello', accountId: r.world.user('viewer')!.accountId },
    ]);
  });
});
