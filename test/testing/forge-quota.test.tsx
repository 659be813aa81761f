import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { RequestState, confluenceQueries } from '../../src/react/index';
import { PAGES, createFakeForgeBridge, createWorld, renderWithConfluence } from '../../src/testing/index';

function PageTitle({ id }: { id: string }) {
  const page = useQuery({ ...confluenceQueries.page(id), retry: false });
  return <RequestState query={page}>{(p) => <h1>{p.title}</h1>}</RequestState>;
}

/** Opens one page, then another on a click: the second read comes while the quota is spent. */
function TwoPages() {
  const [second, setSecond] = useState(false);
  return (
    <>
      <PageTitle id={PAGES.gettingStarted} />
      <button onClick={() => setSecond(true)}>Open the home page</button>
      {second && <PageTitle id={PAGES.home} />}
    </>
  );
}

describe('a spent quota on Forge (fake bridge through renderWithConfluence)', () => {
  test("the bridge's Response keeps the rate-limit headers by default, as requestConfluence's does", async () => {
    const world = createWorld();
    world.quota.exhaust();
    const refused = await createFakeForgeBridge(world).requestConfluence('/wiki/api/v2/spaces');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit-reason')).toBe('confluence-quota-tenant-based');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
  });

  test('shows the quota state, and the client pauses: no further host call until the reset', async () => {
    const world = createWorld();
    world.quota.exhaust();
    renderWithConfluence(<TwoPages />, { world, host: 'forge' });
    const quota = await screen.findByText(/This app has used its Confluence quota for this hour\. It resumes at/);
    expect(quota.closest('[data-kind]')?.getAttribute('data-kind')).toBe('quota');
    const hostCalls = world.requests.length;
    expect(world.requests.at(-1)?.status).toBe(429);

    await userEvent.click(screen.getByRole('button', { name: 'Open the home page' }));
    await vi.waitFor(() => expect(document.querySelectorAll('[data-kind=quota]')).toHaveLength(2));
    // The second read was refused by the paused client itself: the host saw nothing more.
    expect(world.requests.length).toBe(hostCalls);
  });
});
