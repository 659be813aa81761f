import { CALLER_HEADER } from '../../src/testing/internals';
import {
  ACCOUNT_ID_HEADER,
  PAGES,
  USERS,
  answerConfluenceRequest,
  createWorld,
  type ConfluenceRequestInit,
} from '../../src/testing/core';
import { createProductFetch } from '../../emulator/forge/product-fetch';

/** The Forge op handlers that need no browser: what the emulator page does with a bridge call's payload. */
describe('Forge mode ops (no browser)', () => {
  describe('fetchProduct', () => {
    const setup = () => {
      const world = createWorld({ actingUser: 'editor' });
      const seen: ConfluenceRequestInit[] = [];
      const fetchProduct = createProductFetch({
        accountId: () => USERS.editor.accountId,
        answer: (init) => {
          seen.push(init);
          return answerConfluenceRequest(world, init);
        },
        onRequest: () => {},
      });
      const get = (path: string, headers: [string, string][]) =>
        fetchProduct({
          product: 'confluence',
          restPath: path,
          fetchRequestInit: { method: 'GET', headers },
          isMultipartFormData: false,
        });
      return { seen, get };
    };

    it("drops the app's own x-emulator-* headers in any case: the caller stays a Forge app and the user the acting user", async () => {
      const { seen, get } = setup();
      const answer = await get(`/wiki/api/v2/pages/${PAGES.peopleHome}`, [
        ['x-emulator-caller', 'user'],
        ['X-EMULATOR-ACCOUNT-ID', USERS.admin.accountId],
        ['x-emulator-anything', '1'],
        ['accept', 'application/json'],
      ]);
      const headers = new Headers(seen[0]!.headers);
      expect(headers.get(CALLER_HEADER)).toBe('forge');
      expect(headers.get(ACCOUNT_ID_HEADER)).toBe(USERS.editor.accountId);
      expect(headers.has('x-emulator-anything')).toBe(false);
      expect(headers.get('accept')).toBe('application/json');
      // The app access rule still applies: a user-session caller would have read the blocked space.
      expect(answer.status).toBe(403);
      expect(answer.body).toContain('app access rule');
    });
  });
});
