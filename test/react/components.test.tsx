import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse } from 'msw';
import {
  ConfluenceProvider,
  QueryBoundary,
  RequestState,
  confluenceQueries,
  useConfluenceQuery,
  useConfluenceSuspenseQuery,
} from '../../src/react/index';
import { SITE, bodies, callsTo, page, pageRoutes, server } from './helpers/site';
import { emulateSite } from './helpers/setup';

emulateSite();

function SuspenseTitle() {
  const { data } = useConfluenceSuspenseQuery(confluenceQueries.page('1'));
  return <h1>{data.title}</h1>;
}

function Title() {
  const q = useConfluenceQuery(confluenceQueries.page('1'));
  return <RequestState query={q}>{(p) => <h1>{p.title}</h1>}</RequestState>;
}

const renderBoundary = () =>
  render(
    <ConfluenceProvider host="fetch" fetchBaseUrl={SITE} clientOptions={{ retry: false }}>
      <QueryBoundary>
        <SuspenseTitle />
      </QueryBoundary>
    </ConfluenceProvider>,
  );

describe('QueryBoundary', () => {
  it('shows loading while suspended, the state of a thrown error, and recovers on "Try again"', async () => {
    let fail = true;
    server.use(...pageRoutes(() => (fail ? new HttpResponse('oops', { status: 500 }) : page('1', 'Recovered', 2))));
    vi.spyOn(console, 'error').mockImplementation(() => {}); // React logs caught boundary errors
    const user = userEvent.setup();
    renderBoundary();
    expect(screen.getByRole('status').getAttribute('data-state')).toBe('loading');
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-kind')).toBe('error');
    expect(callsTo('GET /wiki/api/v2/pages')).toHaveLength(1);
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Recovered' })).toBeTruthy();
  });

  it('catches a 403 with its reason', async () => {
    server.use(...pageRoutes(() => HttpResponse.json(bodies.productAccess, { status: 403 })));
    vi.spyOn(console, 'error').mockImplementation(() => {});
    renderBoundary();
    expect((await screen.findByRole('alert')).getAttribute('data-reason')).toBe('product-access');
    expect(callsTo('GET /wiki/api/v2/pages')).toHaveLength(1);
  });
});

describe('overriding text and markup', () => {
  it('takes translated messages from the provider', async () => {
    server.use(...pageRoutes(() => HttpResponse.json(bodies.productAccess, { status: 403 })));
    render(
      <ConfluenceProvider
        host="fetch"
        fetchBaseUrl={SITE}
        messages={{ 'forbidden.product-access': 'Kein Zugriff auf Confluence.', loading: 'Lädt…' }}
      >
        <Title />
      </ConfluenceProvider>,
    );
    expect(screen.getByRole('status').textContent).toBe('Lädt…');
    expect((await screen.findByRole('alert')).textContent).toBe('Kein Zugriff auf Confluence.');
  });

  it('follows a language switch after mount', async () => {
    server.use(...pageRoutes(() => HttpResponse.json(bodies.notFoundV2, { status: 404 })));
    const en = {};
    const fr = { 'not-found': 'Introuvable, ou accès refusé.' };
    const ui = (messages: object) => (
      <ConfluenceProvider host="fetch" fetchBaseUrl={SITE} messages={messages}>
        <Title />
      </ConfluenceProvider>
    );
    const { rerender } = render(ui(en));
    expect((await screen.findByRole('alert')).textContent).toContain('Not found');
    rerender(ui(fr));
    expect(screen.getByRole('alert').textContent).toBe('Introuvable, ou accès refusé.');
    expect(callsTo('GET /wiki/api/v2/pages')).toHaveLength(1);
  });

  it('renders custom markup per state, keeping the container and its data attributes', async () => {
    server.use(...pageRoutes(() => new HttpResponse(null, { status: 429, headers: { 'Retry-After': '90' } })));
    render(
      <ConfluenceProvider
        host="fetch"
        fetchBaseUrl={SITE}
        renderState={{ 'rate-limited': ({ message, secondsLeft }) => <em>{`custom: ${message} (${secondsLeft})`}</em> }}
      >
        <Title />
      </ConfluenceProvider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-kind')).toBe('rate-limited');
    expect(within(alert).getByText('custom: Confluence is busy. Retrying in 90 s. (90)')).toBeTruthy();
  });

  it('lets a single RequestState override the provider', async () => {
    server.use(...pageRoutes(() => HttpResponse.json(bodies.notFoundV2, { status: 404 })));
    function Local() {
      const q = useConfluenceQuery(confluenceQueries.page('1'));
      return <RequestState query={q} render={{ 'not-found': ({ message }) => <b>local {message}</b> }} />;
    }
    render(
      <ConfluenceProvider host="fetch" fetchBaseUrl={SITE} renderState={{ 'not-found': () => 'global' }}>
        <Local />
      </ConfluenceProvider>,
    );
    expect((await screen.findByRole('alert')).textContent).toContain('local Not found');
  });

  it('styles states with design tokens only, and never by colour alone', async () => {
    server.use(...pageRoutes(() => HttpResponse.json(bodies.productAccess, { status: 403 })));
    render(
      <ConfluenceProvider host="fetch" fetchBaseUrl={SITE}>
        <Title />
      </ConfluenceProvider>,
    );
    const alert = await screen.findByRole('alert');
    const style = alert.getAttribute('style')!;
    const colours = style.match(/#[0-9a-f]{3,8}/gi) ?? [];
    // Every literal colour is only the fallback of a var(--ds-…) token.
    expect(colours.length).toBeGreaterThan(0);
    for (const c of colours) expect(style).toMatch(new RegExp(`var\\(--ds-[a-z0-9-]+, ?${c}\\)`, 'i'));
    expect(alert.textContent!.length).toBeGreaterThan(10);
  });
});
