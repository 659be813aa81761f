import { act, render, screen } from '@testing-library/react';
import { QueryClient, useQuery } from '@tanstack/react-query';
import { http, HttpResponse } from 'msw';
import { ConfluenceError } from '../../src/client/index';
import {
  ConfluenceProvider,
  RequestState,
  confluenceQueries,
  createConfluenceQueryClient,
  isConfluenceHostError,
  useConfluenceQuery,
  useHostReady,
} from '../../src/react/index';
import { createFakeAP } from './helpers/hosts';
import { SITE, bodies, callsTo, page, pageRoutes, server } from './helpers/site';
import { emulateSite } from './helpers/setup';

// A bundled Forge app that did not pass `forgeBridge` cannot import @forge/bridge at run time (the bundler left it
// out). Whether or not the package is installed here, that import must fail in these tests.
vi.mock('@forge/bridge', () => {
  throw new Error('Cannot find module @forge/bridge (left out of the bundle)');
});

emulateSite();

const App = () => <p>app content</p>;

describe('ConfluenceProvider outside Confluence', () => {
  it('shows "connecting" during its bound, then "must be opened from Confluence" with the developer\'s hint', () => {
    vi.useFakeTimers();
    render(
      <ConfluenceProvider hostReadyTimeoutMs={2000}>
        <App />
      </ConfluenceProvider>,
    );
    expect(screen.getByRole('status').textContent).toBe('Connecting to Confluence…');
    act(() => vi.advanceTimersByTime(1999));
    expect(screen.getByRole('status')).toBeTruthy();
    act(() => vi.advanceTimersByTime(1));
    const alert = screen.getByRole('alert');
    expect(alert.getAttribute('data-kind')).toBe('outside');
    expect(alert.textContent).toContain('This app must be opened from Confluence.');
    // A development build (tests are one): the hint for the app's developer shows too.
    expect(alert.textContent).toContain('npx confluence-iframe-kit emulate');
    expect(screen.queryByText('app content')).toBeNull();
    // Nothing keeps polling after the bound: every timer runs out, and the state stays put.
    act(() => vi.advanceTimersByTime(60_000));
    expect(vi.getTimerCount()).toBe(0);
    expect(screen.getByRole('alert').getAttribute('data-kind')).toBe('outside');
  });

  it('does not take all.js loaded outside an iframe (AP without AP.request) for Connect', () => {
    vi.useFakeTimers();
    (globalThis as any).AP = { resize: () => {} };
    render(
      <ConfluenceProvider hostReadyTimeoutMs={500}>
        <App />
      </ConfluenceProvider>,
    );
    act(() => vi.advanceTimersByTime(500));
    expect(screen.getByRole('alert').getAttribute('data-kind')).toBe('outside');
  });

  it('inside Forge without forgeBridge (a bundled app), tells the developer to pass it', async () => {
    // The lazy import fails, as it does in a bundle that left @forge/bridge out (see the vi.mock at the top).
    (globalThis as any).__bridge = { callBridge: () => Promise.resolve() };
    render(
      <ConfluenceProvider hostReadyTimeoutMs={5000}>
        <App />
      </ConfluenceProvider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-kind')).toBe('outside');
    expect(alert.getAttribute('data-reason')).toBe('forge-bridge');
    expect(alert.textContent).toContain('pass forgeBridge');
    expect(alert.textContent).not.toContain('npm run dev');
    expect(screen.queryByText('app content')).toBeNull();
  });

  it('picks up AP when all.js finishes loading after React started', async () => {
    vi.useFakeTimers();
    render(
      <ConfluenceProvider hostReadyTimeoutMs={3000}>
        <App />
      </ConfluenceProvider>,
    );
    act(() => vi.advanceTimersByTime(1000));
    (globalThis as any).AP = createFakeAP();
    act(() => vi.advanceTimersByTime(50));
    expect(screen.getByText('app content')).toBeTruthy();
    // Nothing polls any more: a poll would set its next timer. The provider's read of the context (who is looking)
    // settles with the host, and TanStack's notifications run on timers of their own.
    await act(() => vi.runOnlyPendingTimersAsync());
    await act(() => vi.runOnlyPendingTimersAsync());
    expect(vi.getTimerCount()).toBe(0);
  });

  it('falls back to the fetch transport after the bound when a base URL is configured', async () => {
    server.use(...pageRoutes((id) => page(id, 'Standalone', 1)));
    function Title() {
      const q = useConfluenceQuery(confluenceQueries.page('1'));
      return <RequestState query={q}>{(p) => <h1>{p.title}</h1>}</RequestState>;
    }
    render(
      <ConfluenceProvider hostReadyTimeoutMs={10} fetchBaseUrl={SITE}>
        <Title />
      </ConfluenceProvider>,
    );
    expect(await screen.findByRole('heading', { name: 'Standalone' })).toBeTruthy();
  });

  it('reports the wait through useHostReady when rendering before ready', () => {
    vi.useFakeTimers();
    function Status() {
      const { status, host, ready } = useHostReady();
      return <p>{`${status} ${host ?? '-'} ${ready}`}</p>;
    }
    render(
      <ConfluenceProvider hostReadyTimeoutMs={100} renderBeforeReady>
        <Status />
      </ConfluenceProvider>,
    );
    expect(screen.getByText('pending - false')).toBeTruthy();
    act(() => vi.advanceTimersByTime(100));
    expect(screen.getByText('outside - false')).toBeTruthy();
  });

  it("lets TanStack's useQuery run before the host is ready: the query waits for the client, then reads", async () => {
    server.use(...pageRoutes((id) => page(id, 'Read once ready', 1)));
    function Early() {
      const query = useQuery(confluenceQueries.page('1'));
      return <p>{query.data?.title ?? query.status}</p>;
    }
    render(
      <ConfluenceProvider hostReadyTimeoutMs={200} fetchBaseUrl={SITE} renderBeforeReady>
        <Early />
      </ConfluenceProvider>,
    );
    expect(screen.getByText('pending')).toBeTruthy();
    expect(await screen.findByText('Read once ready')).toBeTruthy();
  });

  it('fails a waiting query with HOST_NOT_READY once the provider knows it is outside Confluence', async () => {
    function Early() {
      const query = useQuery({ ...confluenceQueries.page('1'), retry: false });
      // Before the host is known the query fails with the provider's own error, not a Confluence answer.
      const error: unknown = query.error;
      return <p>{isConfluenceHostError(error) ? error.code : query.status}</p>;
    }
    render(
      <ConfluenceProvider hostReadyTimeoutMs={100} renderBeforeReady>
        <Early />
      </ConfluenceProvider>,
    );
    expect(await screen.findByText('HOST_NOT_READY')).toBeTruthy();
  });

  it('reports a ready Connect host through useHostReady', () => {
    (globalThis as any).AP = createFakeAP();
    function Status() {
      const { status, host, ready } = useHostReady();
      return <p>{`${status} ${host} ${ready}`}</p>;
    }
    render(
      <ConfluenceProvider>
        <Status />
      </ConfluenceProvider>,
    );
    expect(screen.getByText('ready connect true')).toBeTruthy();
  });
});

describe('retry policy', () => {
  function Title() {
    const q = useConfluenceQuery(confluenceQueries.page('1'));
    return <RequestState query={q}>{(p) => <h1>{p.title}</h1>}</RequestState>;
  }

  it('the created QueryClient never retries a ConfluenceError', () => {
    const retry = createConfluenceQueryClient().getDefaultOptions().queries!.retry as (
      n: number,
      e: unknown,
    ) => boolean;
    for (const kind of [
      'forbidden',
      'not-found',
      'unauthorized',
      'rate-limited',
      'server',
      'network',
      'timeout',
    ] as const) {
      expect(retry(0, new ConfluenceError({ kind, method: 'GET', path: '/wiki/api/v2/pages/1', message: kind }))).toBe(
        false,
      );
    }
    // Not a Confluence answer (e.g. a throwing `select`): one retry, as TanStack would.
    expect(retry(0, new Error('select threw'))).toBe(true);
    expect(retry(1, new Error('select threw'))).toBe(false);
  });

  it('keeps a given QueryClient as is, so its own retry policy applies', async () => {
    server.use(...pageRoutes(() => HttpResponse.json(bodies.notFoundV2, { status: 404 })));
    server.use(http.get(`${SITE}/wiki/api/v2/pages`, () => HttpResponse.json(bodies.productAccess, { status: 403 })));
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, retryDelay: 0 } } });
    render(
      <ConfluenceProvider host="fetch" fetchBaseUrl={SITE} queryClient={queryClient}>
        <Title />
      </ConfluenceProvider>,
    );
    expect((await screen.findByRole('alert')).getAttribute('data-reason')).toBe('product-access');
    expect(callsTo('GET /wiki/api/v2/pages')).toHaveLength(2);
  });
});

describe('a given client', () => {
  it('is used as is, without waiting for a global AP', async () => {
    const { createConfluenceClient, createConnectTransport } = await import('../../src/index');
    server.use(...pageRoutes((id) => page(id, 'Injected AP', 4)));
    const ap = createFakeAP();
    const client = createConfluenceClient({ transport: createConnectTransport({ AP: ap }) });
    function Title() {
      const q = useConfluenceQuery(confluenceQueries.page('1'));
      return <RequestState query={q}>{(p) => <h1>{p.title}</h1>}</RequestState>;
    }
    render(
      <ConfluenceProvider client={client} hostReadyTimeoutMs={10}>
        <Title />
      </ConfluenceProvider>,
    );
    expect(await screen.findByRole('heading', { name: 'Injected AP' })).toBeTruthy();
    expect(ap.request).toHaveBeenCalledTimes(1);
    expect(client.stats.transportCalls).toBe(1);
  });
});
