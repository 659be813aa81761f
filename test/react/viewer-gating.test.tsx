import { act, render, screen } from '@testing-library/react';
import { ConfluenceError } from '../../src/client/index';
import { ConfluenceProvider, RequestState } from '../../src/react/index';
import { createFakeAP } from './helpers/hosts';
import { emulateSite } from './helpers/setup';

emulateSite();

const refusedWrite = new ConfluenceError({
  kind: 'not-found',
  message: '404',
  method: 'PUT',
  path: '/wiki/api/v2/pages/1',
  mayBeRestricted: true,
});

/** A Connect host whose context answers when the test says so; `AP.user` then names the account, or none. */
function slowContextHost(accountId: string | undefined) {
  const ap = createFakeAP();
  let answer: () => void = () => {};
  ap.context.getContext.mockImplementation(
    () => new Promise((resolve) => (answer = () => resolve({ confluence: {} }))),
  );
  ap.user.getCurrentUser.mockImplementation((callback) => callback({ atlassianAccountId: accountId as string }));
  (globalThis as any).AP = ap;
  return { answer: () => act(async () => answer()) };
}

describe('RequestState while the host has not said who is looking', () => {
  it('an error waits for the viewer instead of showing a text that may be wrong', async () => {
    const host = slowContextHost(undefined);
    render(
      <ConfluenceProvider>
        <RequestState error={refusedWrite} />
      </ConfluenceProvider>,
    );
    expect((await screen.findByRole('status')).dataset.kind).toBe('loading');
    expect(screen.queryByRole('alert')).toBeNull();
    await host.answer();
    expect((await screen.findByRole('alert')).textContent).toBe('Sign in to edit.');
  });

  it('a state with nothing to show yet (no error, no query) stays empty, as before', async () => {
    slowContextHost('u-1');
    render(
      <ConfluenceProvider>
        <p>form</p>
        <RequestState error={null} />
      </ConfluenceProvider>,
    );
    await screen.findByText('form');
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
