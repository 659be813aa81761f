/**
 * Example: testing a macro's 403 states with the testing kit.
 *
 * The macro below shows the space it sits in and an "Edit" button for users who may edit the page.
 * `renderWithConfluence` renders it inside `ConfluenceProvider`, talking to the same Confluence REST
 * emulator the dev emulator uses, so each 403 comes with the body Confluence really sends and the
 * UI state is whatever the toolkit makes of it. No mocks of the toolkit, no hand-written responses.
 */
import { screen } from '@testing-library/react';
import { PermissionGate, RequestState, confluenceQueries, useConfluenceQuery } from 'confluence-iframe-kit/react';
import { PAGES, SPACES, createWorld, renderWithConfluence } from 'confluence-iframe-kit/testing';

function SpaceMacro({ spaceId, pageId }: { spaceId: string; pageId: string }) {
  const space = useConfluenceQuery(confluenceQueries.space(spaceId));
  return (
    <RequestState query={space}>
      {(s) => (
        <section>
          <h2>{s.name}</h2>
          <PermissionGate operation="update" on={{ type: 'page', id: pageId }} fallback={<p>Read only</p>}>
            <button>Edit</button>
          </PermissionGate>
        </section>
      )}
    </RequestState>
  );
}

const ENG = { spaceId: SPACES.engineering.id, pageId: PAGES.gettingStarted };

test('an editor sees the space and may edit', async () => {
  renderWithConfluence(<SpaceMacro {...ENG} />, { user: 'editor' });
  expect(await screen.findByRole('heading', { name: 'Engineering Handbook' })).toBeTruthy();
  expect(await screen.findByRole('button', { name: 'Edit' })).toBeTruthy();
});

test('a viewer sees the space read-only (the gate checks operations up front, no 403 reached)', async () => {
  const { world } = renderWithConfluence(<SpaceMacro {...ENG} />, { user: 'viewer' });
  expect(await screen.findByText('Read only')).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
  expect(world.requests.every((r) => r.status === 200)).toBe(true);
});

test('403, user without Confluence access: "Current user not permitted to use Confluence"', async () => {
  renderWithConfluence(<SpaceMacro {...ENG} />, { user: 'noAccess' });
  expect((await screen.findByRole('alert')).textContent).toContain("You don't have access to Confluence.");
});

test('403, app scope: the descriptor lacks READ', async () => {
  const { world } = renderWithConfluence(<SpaceMacro {...ENG} />, { user: 'editor', scopes: [] });
  expect((await screen.findByRole('alert')).textContent).toContain(
    'This app lacks a permission. Ask an admin to update it.',
  );
  expect(world.requests[0]).toMatchObject({ path: `/wiki/api/v2/spaces/${SPACES.engineering.id}`, status: 403 });
});

test('403, app access rule: the app is blocked from the PEOPLE space', async () => {
  renderWithConfluence(<SpaceMacro spaceId={SPACES.people.id} pageId={PAGES.peopleHome} />, { user: 'editor' });
  expect((await screen.findByRole('alert')).textContent).toContain('An app access rule blocks this app here.');
});

test('404, not 403, for a space the user may not view: v2 hides what you cannot see', async () => {
  // Any world change works the same way: build the world, change it, hand it to the render.
  const world = createWorld({ actingUser: 'viewer' });
  delete world.spaces.get(SPACES.engineering.id)!.roles[world.actingAccountId];
  renderWithConfluence(<SpaceMacro {...ENG} />, { world });
  expect((await screen.findByRole('alert')).textContent).toContain("Not found, or you don't have access.");
});
