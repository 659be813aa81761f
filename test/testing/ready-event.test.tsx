import { screen } from '@testing-library/react';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import {
  QueryBoundary,
  RequestState,
  confluenceQueries,
  useConfluenceSuspenseQuery,
  useHostReady,
} from '../../src/react/index';
import { PAGES, renderWithConfluence } from '../../src/testing/index';

function PageTitle({ id }: { id: string }) {
  const page = useQuery(confluenceQueries.page(id));
  return <RequestState query={page}>{(p) => <h1>{p.title}</h1>}</RequestState>;
}

function SuspenseTitle({ id }: { id: string }) {
  const { data } = useConfluenceSuspenseQuery(confluenceQueries.page(id));
  return <h1>{data.title}</h1>;
}

describe('Forge emitReadyEvent: once, when the first content is on screen', () => {
  test('RequestState sends it when its data shows, and a second state showing data does not send it again', async () => {
    const { bridge } = renderWithConfluence(
      <>
        <PageTitle id={PAGES.gettingStarted} />
        <PageTitle id={PAGES.home} />
      </>,
      { host: 'forge' },
    );
    expect(bridge!.fakeHost.readyEvents).toBe(0);
    await screen.findByRole('heading', { name: 'Getting started' });
    await screen.findByRole('heading', { name: 'Engineering Handbook' });
    expect(bridge!.fakeHost.readyEvents).toBe(1);
  });

  test('a loading or failed request is not content', async () => {
    const { bridge } = renderWithConfluence(<PageTitle id={PAGES.securityIncidents} />, {
      host: 'forge',
      user: 'viewer',
    });
    await screen.findByRole('alert');
    expect(bridge!.fakeHost.readyEvents).toBe(0);
  });

  test('QueryBoundary sends it once its children stop suspending', async () => {
    const { bridge } = renderWithConfluence(
      <QueryBoundary>
        <SuspenseTitle id={PAGES.gettingStarted} />
      </QueryBoundary>,
      { host: 'forge' },
    );
    expect(bridge!.fakeHost.readyEvents).toBe(0);
    await screen.findByRole('heading', { name: 'Getting started' });
    expect(bridge!.fakeHost.readyEvents).toBe(1);
  });

  test('content shown without them: useHostReady().markContentReady, still once', async () => {
    function Static() {
      const { markContentReady } = useHostReady();
      useEffect(() => {
        markContentReady();
        markContentReady();
      }, [markContentReady]);
      return <p>static content</p>;
    }
    const { bridge } = renderWithConfluence(<Static />, { host: 'forge' });
    await screen.findByText('static content');
    expect(bridge!.fakeHost.readyEvents).toBe(1);
  });

  test('on Connect (no such API) the same components work and nothing is sent', async () => {
    renderWithConfluence(<PageTitle id={PAGES.gettingStarted} />, { host: 'connect' });
    expect(await screen.findByRole('heading', { name: 'Getting started' })).toBeTruthy();
  });
});
