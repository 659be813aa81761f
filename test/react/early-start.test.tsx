import { render, screen } from '@testing-library/react';
import { useQuery } from '@tanstack/react-query';
import { http, HttpResponse } from 'msw';
import { earlyReads, startEarly } from '../../src/react/early/index';
import { ConfluenceProvider, RequestState, confluenceQueries, useConfluenceContext } from '../../src/react/index';
import { createFakeAP, createFakeForgeBridge } from './helpers/hosts';
import { emulateSite } from './helpers/setup';
import { SITE, callsTo, server } from './helpers/site';

emulateSite();

/** Each host answer takes this long, as a round trip to Confluence does (shortened): what overlaps shows. */
const ROUND_TRIP_MS = 15;

interface HostCall {
  name: string;
  start: number;
  end?: number;
}

/**
 * A Connect host whose every call (AP.context, AP.user, AP.request) takes a round trip and is recorded with its start
 * and end, so a test can count how many round trips ran one after another before the first data.
 */
function recordingConnectHost() {
  const ap = createFakeAP();
  const log: HostCall[] = [];
  const roundTrip = <T,>(name: string, answer: () => Promise<T> | T): Promise<T> => {
    const call: HostCall = { name, start: performance.now() };
    log.push(call);
    return new Promise<void>((resolve) => setTimeout(resolve, ROUND_TRIP_MS))
      .then(answer)
      .finally(() => (call.end = performance.now()));
  };
  const getContext = ap.context.getContext.getMockImplementation()!;
  ap.context.getContext.mockImplementation(() => roundTrip('getContext', getContext));
  ap.user.getCurrentUser.mockImplementation((callback) => {
    void roundTrip('getCurrentUser', () => callback({ atlassianAccountId: 'u-1' }));
  });
  const request = ap.request.getMockImplementation()!;
  ap.request.mockImplementation((url, options) =>
    roundTrip(`request ${typeof url === 'string' ? url : url.url}`, () => request(url, options)),
  );
  (globalThis as any).AP = ap;
  return { ap, log };
}

/** How many round trips ran one after another up to and including `call`: 1 + the deepest call that ended before it began. */
function serialDepth(log: HostCall[], call: HostCall): number {
  const before = log.filter((other) => other.end !== undefined && other.end <= call.start);
  return 1 + Math.max(0, ...before.map((other) => serialDepth(log, other)));
}

function servePage() {
  server.use(
    http.get(`${SITE}/wiki/api/v2/pages`, () =>
      HttpResponse.json({ results: [{ id: '123', title: 'Release notes', version: { number: 5 } }] }),
    ),
  );
}

function PageTitle() {
  const context = useConfluenceContext();
  const pageId = context.data?.content?.id;
  const page = useQuery({ ...confluenceQueries.page(pageId ?? ''), enabled: pageId !== undefined });
  return <RequestState query={page}>{(loaded) => <h2>{loaded.title}</h2>}</RequestState>;
}

describe('first data: no serial round trip the kit adds', () => {
  it('asks AP.user alongside the context, so the page read is the second round trip, as in a raw AP.request macro', async () => {
    servePage();
    const { log } = recordingConnectHost();
    render(
      <ConfluenceProvider>
        <PageTitle />
      </ConfluenceProvider>,
    );
    await screen.findByRole('heading', { name: 'Release notes' });
    const pageRead = log.find((call) => call.name.startsWith('request /api/v2/pages'))!;
    expect(log.map((call) => call.name)).toEqual(expect.arrayContaining(['getContext', 'getCurrentUser']));
    expect(serialDepth(log, pageRead)).toBe(2);
  });
});

describe('startEarly (confluence-iframe-kit/early)', () => {
  it('starts the context and the declared page read before React, and the provider adopts them: one call each', async () => {
    servePage();
    const { log } = recordingConnectHost();
    startEarly({ reads: (context) => (context.content ? [earlyReads.page(context.content.id)] : []) });
    // Before anything renders, the host is already asked for the context and who is looking.
    expect(log.map((call) => call.name)).toEqual(['getContext', 'getCurrentUser']);
    await vi.waitFor(() => expect(callsTo('/api/v2/pages')).toHaveLength(1));

    render(
      <ConfluenceProvider>
        <PageTitle />
      </ConfluenceProvider>,
    );
    await screen.findByRole('heading', { name: 'Release notes' });
    expect(log.filter((call) => call.name === 'getContext')).toHaveLength(1);
    expect(callsTo('/api/v2/pages')).toHaveLength(1);
    const pageRead = log.find((call) => call.name.startsWith('request /api/v2/pages'))!;
    expect(serialDepth(log, pageRead)).toBe(2);
  });

  it('adopts a read still in flight when the app asks for it', async () => {
    let answerPage: () => void = () => {};
    const pageAnswered = new Promise<void>((resolve) => (answerPage = resolve));
    server.use(
      http.get(`${SITE}/wiki/api/v2/pages`, async () => {
        await pageAnswered;
        return HttpResponse.json({ results: [{ id: '123', title: 'Late page', version: { number: 1 } }] });
      }),
    );
    (globalThis as any).AP = createFakeAP();
    startEarly({ reads: (context) => [earlyReads.page(context.content!.id)] });
    render(
      <ConfluenceProvider>
        <PageTitle />
      </ConfluenceProvider>,
    );
    expect((await screen.findByRole('status')).dataset.kind).toBe('loading');
    answerPage();
    await screen.findByRole('heading', { name: 'Late page' });
    expect(callsTo('/api/v2/pages')).toHaveLength(1);
  });

  it('hands a refused early read to the query as its error state', async () => {
    server.use(
      http.get(`${SITE}/wiki/api/v2/pages`, () =>
        HttpResponse.json(
          { message: 'Current user not permitted to use Confluence', statusCode: 403 },
          { status: 403 },
        ),
      ),
    );
    (globalThis as any).AP = createFakeAP();
    startEarly({ reads: (context) => [earlyReads.page(context.content!.id)] });
    render(
      <ConfluenceProvider>
        <PageTitle />
      </ConfluenceProvider>,
    );
    expect((await screen.findByRole('alert')).dataset.kind).toBe('forbidden');
    expect(callsTo('/api/v2/pages')).toHaveLength(1);
  });

  it('works on Forge: view.getContext and requestConfluence start before React', async () => {
    servePage();
    const bridge = createFakeForgeBridge();
    startEarly({ forgeBridge: bridge, reads: (context) => [earlyReads.page(context.content!.id)] });
    expect(bridge.view.getContext).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(bridge.requestConfluence).toHaveBeenCalledTimes(1));
    render(
      <ConfluenceProvider forgeBridge={bridge}>
        <PageTitle />
      </ConfluenceProvider>,
    );
    await screen.findByRole('heading', { name: 'Release notes' });
    expect(bridge.view.getContext).toHaveBeenCalledTimes(1);
    expect(bridge.requestConfluence).toHaveBeenCalledTimes(1);
  });

  it('outside Confluence it does nothing, and the provider says so as without it', async () => {
    startEarly({ reads: () => [earlyReads.page('123')] });
    render(
      <ConfluenceProvider hostReadyTimeoutMs={50}>
        <PageTitle />
      </ConfluenceProvider>,
    );
    expect((await screen.findByRole('alert')).dataset.kind).toBe('outside');
    expect(callsTo('/api/v2/pages')).toHaveLength(0);
  });
});
