import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Page } from '../../src/client/index';
import {
  RequestState,
  confluenceQueries,
  useConfluenceQuery,
  useUpdatePage,
  type PageUpdate,
} from '../../src/react/index';
import { PAGES, renderWithConfluence } from '../../src/testing/index';

/** Reads the page without a body format (so `p.body` is empty), then saves the update `change` builds from it. */
function Rename({ change }: { change: (page: Page) => PageUpdate }) {
  const query = useConfluenceQuery(confluenceQueries.page(PAGES.gettingStarted));
  const update = useUpdatePage();
  return (
    <RequestState query={query}>
      {(page) => (
        <>
          <h1>{page.title}</h1>
          <button onClick={() => update.mutate(change(page))}>Save</button>
          {update.error && (
            <p role="alert" data-code={update.error.code}>
              {update.error.message}
            </p>
          )}
          {update.isSuccess && <p>Saved</p>}
        </>
      )}
    </RequestState>
  );
}

const reviewed = (page: Page) => `${page.title} (reviewed)`;

describe.each(['connect', 'forge', 'fetch'] as const)('useUpdatePage never loses the page body (%s)', (host) => {
  async function save(change: (page: Page) => PageUpdate) {
    const rendered = renderWithConfluence(<Rename change={change} />, { host, user: 'editor' });
    const stored = rendered.world.pages.get(PAGES.gettingStarted)!;
    const bodyBefore = stored.body;
    const versionBefore = stored.version.number;
    await screen.findByRole('heading', { name: 'Getting started' });
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    return { world: rendered.world, stored, bodyBefore, versionBefore };
  }

  test('the old README way (body from a page read without body-format) is refused before anything is sent', async () => {
    const { world, stored, bodyBefore } = await save((page) => ({
      id: page.id,
      title: reviewed(page),
      version: page.version!.number,
      body: { representation: 'storage', value: (page.body as any)?.storage?.value ?? '' },
    }));
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-code')).toBe('CONFLUENCE_BODY_WOULD_BE_CLEARED');
    expect(bodyBefore.length).toBeGreaterThan(0);
    expect(stored.body).toBe(bodyBefore);
    expect(stored.title).toBe('Getting started');
    expect(world.requests.filter((request) => request.method === 'PUT')).toHaveLength(0);
  });

  test('a title-only update (no body) keeps the stored body and bumps the version', async () => {
    const { stored, bodyBefore, versionBefore } = await save((page) => ({
      id: page.id,
      title: reviewed(page),
      version: page.version!.number,
    }));
    await screen.findByText('Saved');
    expect(stored.title).toBe('Getting started (reviewed)');
    expect(stored.body).toBe(bodyBefore);
    expect(stored.version.number).toBe(versionBefore + 1);
  });

  test('an empty body with clearBody: true clears it, as asked', async () => {
    const { stored } = await save((page) => ({
      id: page.id,
      title: page.title,
      version: page.version!.number,
      body: { representation: 'storage', value: '' },
      clearBody: true,
    }));
    await screen.findByText('Saved');
    expect(stored.body).toBe('');
  });

  test('a title-only update over a newer version is a conflict, and nothing is written', async () => {
    const { world, stored, bodyBefore } = await save((page) => ({
      id: page.id,
      title: reviewed(page),
      version: page.version!.number - 1,
    }));
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-code')).toBe('CONFLUENCE_CONFLICT');
    expect(stored.body).toBe(bodyBefore);
    expect(stored.title).toBe('Getting started');
    expect(world.requests.filter((request) => request.method === 'PUT')).toHaveLength(0);
  });
});
