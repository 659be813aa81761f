import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { createConfluenceClient, createConnectTransport, isConfluenceError } from '../../src/client/index';
import {
  ConfluenceProvider,
  RequestState,
  confluenceQueries,
  useConfluenceInfiniteQuery,
  useConfluenceMutation,
  useConfluenceQuery,
} from '../../src/react/index';
import { SITE, bodies, callsTo, page, pageRoutes, server } from './helpers/site';
import { emulateSite } from './helpers/setup';

emulateSite();

const propertiesUrl = `${SITE}/wiki/rest/api/content/1/property`;

/** An app's own write (a POST through the client), its error shown by RequestState with the props the test gives. */
function SaveButton(props: { withReload?: () => void }) {
  const save = useConfluenceMutation({
    mutationFn: (client) =>
      client.request({ method: 'POST', path: '/wiki/rest/api/content/1/property', body: { key: 'k', value: 1 } }),
  });
  return (
    <>
      <button onClick={() => save.mutate(undefined)}>Save</button>
      <RequestState error={save.error} onRetry={() => save.mutate(undefined)} onReload={props.withReload} />
    </>
  );
}

const renderApp = (ui: React.ReactNode) =>
  render(
    <ConfluenceProvider host="fetch" fetchBaseUrl={SITE}>
      {ui}
    </ConfluenceProvider>,
  );

describe('a version conflict', () => {
  it('that names no version says so without a number', async () => {
    // A v1 409 whose body names no current version (a proxy's, or a key created meanwhile).
    server.use(
      http.post(propertiesUrl, () =>
        HttpResponse.json({ statusCode: 409, message: 'Cannot add a property with an existing key' }, { status: 409 }),
      ),
    );
    const user = userEvent.setup();
    renderApp(<SaveButton />);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-kind')).toBe('conflict');
    expect(alert.textContent).toBe('Someone else saved a newer version. Reload it before saving again.');
    expect(alert.textContent).not.toContain('undefined');
  });

  it('offers no "Reload latest" when nothing can reload: the retry would re-send the write', async () => {
    server.use(
      http.post(propertiesUrl, () => HttpResponse.json({ statusCode: 409, message: 'Conflict' }, { status: 409 })),
    );
    const user = userEvent.setup();
    renderApp(<SaveButton />);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-kind')).toBe('conflict');
    expect(within(alert).queryByRole('button')).toBeNull();
    expect(callsTo('POST')).toHaveLength(1);
  });

  it('"Reload latest" runs onReload (a read), never the write again', async () => {
    server.use(
      http.post(propertiesUrl, () => HttpResponse.json({ statusCode: 409, message: 'Conflict' }, { status: 409 })),
    );
    const reload = vi.fn();
    const user = userEvent.setup();
    renderApp(<SaveButton withReload={reload} />);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    await user.click(within(alert).getByRole('button', { name: 'Reload latest' }));
    expect(reload).toHaveBeenCalledTimes(1);
    expect(callsTo('POST')).toHaveLength(1);
  });
});

/** A page read, with Confluence's words (`error.detail`) shown beside its state. */
function PageTitle() {
  const query = useConfluenceQuery(confluenceQueries.page('1'));
  return (
    <>
      <RequestState query={query}>{(page) => <h1>{page.title}</h1>}</RequestState>
      {isConfluenceError(query.error) && <p data-testid="detail">{query.error.detail}</p>}
    </>
  );
}
describe('a request Confluence refuses as invalid (400)', () => {
  it("is a state of its own, with no retry, and Confluence's words reach the developer", async () => {
    server.use(...pageRoutes(() => HttpResponse.json(bodies.missingVersion, { status: 400 })));
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    renderApp(<PageTitle />);
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-kind')).toBe('bad-request');
    expect(alert.textContent).toBe("Confluence could not accept the app's request.");
    // Sending it again cannot help: the same request is invalid again.
    expect(within(alert).queryByRole('button')).toBeNull();
    expect(document.activeElement).toBe(alert);
    expect(callsTo('GET /wiki/api/v2/pages')).toHaveLength(1);
    // For the developer: error.detail, and the console of a development build (once, however often it renders).
    const said = bodies.missingVersion.message;
    expect(screen.getByTestId('detail').textContent).toBe(said);
    expect(consoleError).toHaveBeenCalledTimes(1);
    expect(consoleError.mock.calls[0]![0]).toContain(said);
    consoleError.mockRestore();
  });
});

describe('outside Confluence', () => {
  afterEach(() => vi.unstubAllEnvs());

  function renderOutside() {
    vi.useFakeTimers();
    render(
      <ConfluenceProvider hostReadyTimeoutMs={500}>
        <p>app content</p>
      </ConfluenceProvider>,
    );
    act(() => vi.advanceTimersByTime(500));
    return screen.getByRole('alert');
  }

  it('tells end users the app must be opened from Confluence, with no developer hint in a production build', () => {
    vi.stubEnv('NODE_ENV', 'production');
    const alert = renderOutside();
    expect(alert.getAttribute('data-kind')).toBe('outside');
    expect(alert.textContent).toBe('This app must be opened from Confluence.');
    expect(within(alert).queryByRole('button')).toBeNull();
  });

  it('adds the developer hint in a development build', () => {
    vi.stubEnv('NODE_ENV', 'development');
    const alert = renderOutside();
    expect(alert.textContent).toContain('This app must be opened from Confluence.');
    expect(alert.textContent).toContain('npx confluence-iframe-kit emulate');
  });

  it('a request that finds no host (AP.request missing) says so too, without a retry', async () => {
    // The app built its own Connect client; the page was opened outside Confluence, so there is no AP.
    const client = createConfluenceClient({ transport: createConnectTransport(), retry: false });
    const error = await client.request({ path: '/wiki/api/v2/pages/1' }).catch((thrown: unknown) => thrown);
    vi.stubEnv('NODE_ENV', 'production');
    render(<RequestState error={error} onRetry={() => {}} />);
    const alert = screen.getByRole('alert');
    expect(alert.getAttribute('data-kind')).toBe('outside');
    expect(alert.textContent).toBe('This app must be opened from Confluence.');
    expect(alert.textContent).not.toContain('did not answer');
    expect(within(alert).queryByRole('button')).toBeNull();
  });
});

describe('the XSRF refusal', () => {
  it('says in plain words that Confluence refused the change for security reasons, and what to do', async () => {
    server.use(
      http.post(
        propertiesUrl,
        () => new HttpResponse('XSRF check failed', { status: 403, headers: { 'Content-Type': 'text/plain' } }),
      ),
    );
    const user = userEvent.setup();
    renderApp(<SaveButton />);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-reason')).toBe('xsrf');
    expect(alert.textContent).toBe(
      'Confluence refused this change for security reasons. Reload the page and try again.',
    );
    expect(alert.textContent).not.toMatch(/XSRF/i);
  });
});

describe('"Load more" during a burst rate limit', () => {
  function Pages() {
    const pages = useConfluenceInfiniteQuery(confluenceQueries.pagesInSpace('42', 2));
    return (
      <RequestState query={pages}>
        <ul>
          {pages.data?.pages
            .flatMap((one) => one.results)
            .map((one) => (
              <li key={one.id}>{one.title}</li>
            ))}
        </ul>
        {pages.hasNextPage && <button onClick={() => void pages.fetchNextPage()}>More</button>}
      </RequestState>
    );
  }

  it('shows the wait the client sits out inline, beside the list, then the next page', async () => {
    // Only the countdown's interval is faked: msw, the client and TanStack keep real timers.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let refusals = 1;
    server.use(
      http.get(`${SITE}/wiki/api/v2/spaces/42/pages`, ({ request }) => {
        if (new URL(request.url).searchParams.get('cursor') !== 'c2') {
          return HttpResponse.json({
            results: [page('1', 'One', 1), page('2', 'Two', 1)],
            _links: { next: '/wiki/api/v2/spaces/42/pages?limit=2&cursor=c2' },
          });
        }
        if (refusals-- > 0) return new HttpResponse(null, { status: 429, headers: { 'Retry-After': '2' } });
        return HttpResponse.json({ results: [page('3', 'Three', 1)], _links: {} });
      }),
    );
    renderApp(<Pages />);
    await screen.findByText('Two');
    // Nothing beside the list while nothing is being waited out: the app's own "More" says it is loading.
    expect(screen.queryByRole('status')).toBeNull();
    act(() => screen.getByRole('button', { name: 'More' }).click());
    const wait = await screen.findByRole('status');
    await vi.waitFor(() => expect(wait.textContent).toBe('Confluence is busy. Retrying in 2 s.'));
    expect(wait.getAttribute('data-inline')).toBe('true');
    expect(screen.getAllByRole('listitem').map((item) => item.textContent)).toEqual(['One', 'Two']);
    act(() => vi.advanceTimersByTime(1000));
    expect(wait.textContent).toBe('Confluence is busy. Retrying in 1 s.');
    expect(await screen.findByText('Three', undefined, { timeout: 15_000 })).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
    expect(callsTo('cursor=c2')).toHaveLength(2);
  }, 30_000);
});

describe('a Confluence API that has been removed (410)', () => {
  it('is the gone state: update the app, no retry, one request', async () => {
    server.use(
      ...pageRoutes(() =>
        HttpResponse.json({ statusCode: 410, message: 'This API has been removed' }, { status: 410 }),
      ),
    );
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    renderApp(<PageTitle />);
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-kind')).toBe('gone');
    expect(alert.getAttribute('data-reason')).toBe('removed-endpoint');
    expect(alert.textContent).toBe('This app uses a Confluence API that has been removed. Update the app.');
    expect(within(alert).queryByRole('button')).toBeNull();
    expect(callsTo('GET /wiki/api/v2/pages')).toHaveLength(1);
    vi.restoreAllMocks();
  });
});

describe('a Retry-After no limit could name (~9.2 × 10¹⁸ s)', () => {
  it('is the quota state with its reset unknown: no time, no countdown, and "Try again" works', async () => {
    let refuse = true;
    server.use(
      ...pageRoutes(() =>
        refuse
          ? new HttpResponse(null, { status: 429, headers: { 'Retry-After': '9223372036854775807' } })
          : page('1', 'Back', 1),
      ),
    );
    const user = userEvent.setup();
    renderApp(<PageTitle />);
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-kind')).toBe('quota');
    expect(within(alert).getByText('This app has used its Confluence quota for this hour.')).toBeTruthy();
    expect(alert.textContent).not.toMatch(/resumes|Retrying|\d/);
    refuse = false;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Back' })).toBeTruthy();
    expect(callsTo('GET /wiki/api/v2/pages')).toHaveLength(2);
  });
});
