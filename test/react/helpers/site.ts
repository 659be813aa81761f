import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

/** The fake Confluence site every transport in these tests ends up talking to (through msw). */
export const SITE = 'https://test.atlassian.net';

export const server = setupServer();

/** Every request that reached the network layer: "METHOD /path?query". */
export const calls: string[] = [];
/** Bodies of PUT requests, parsed. */
export const puts: any[] = [];

server.events.on('request:start', async ({ request }) => {
  const url = new URL(request.url);
  calls.push(`${request.method} ${url.pathname}${url.search}`);
  if (request.method === 'PUT') puts.push(await request.clone().json());
});

export const callsTo = (fragment: string) => calls.filter((c) => c.includes(fragment));

export function resetLog() {
  calls.length = 0;
  puts.length = 0;
}

/** Error bodies as Confluence sends them (the same bodies the testing kit answers with: src/testing/internal/responses.ts). */
export const bodies = {
  productAccess: { message: 'Current user not permitted to use Confluence', statusCode: 403 },
  connectScope: 'Request not in an authorized API scope',
  userPermission: {
    statusCode: 403,
    data: { authorized: false, valid: true, allowedInReadOnlyMode: true, errors: [], successful: false },
    message: 'Could not update Content of type : class com.atlassian.confluence.pages.Page with id 1',
    reason: 'Forbidden',
  },
  notFoundV2: { errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }] },
  gatewayScope: { code: 401, message: 'Unauthorized; scope does not match' },
  conflictV2: (current: number, provided: number) => ({
    errors: [
      {
        status: 409,
        code: 'CONFLICT',
        title: `Version must be incremented when updating a page. Current Version: [${current}]. Provided version: [${provided}]`,
        detail: null,
      },
    ],
  }),
  optimisticLock: {
    statusCode: 409,
    data: { authorized: false, valid: true, errors: [], successful: false },
    message:
      'com.atlassian.confluence.api.service.exceptions.ConflictException: javax.persistence.OptimisticLockException: Batch update returned unexpected row count from update [0]; actual row count: 0; expected: 1',
  },
  missingVersion: {
    statusCode: 400,
    data: { authorized: false, valid: true, allowedInReadOnlyMode: true, errors: [], successful: false },
    message: 'Must supply an incremented version when updating Content. No version supplied.',
    reason: 'Bad Request',
  },
};

export const page = (id: string, title: string, version: number) => ({
  id,
  status: 'current',
  title,
  spaceId: '42',
  version: { number: version, authorId: 'u-2', createdAt: '2026-11-28T00:00:00.000Z' },
  _links: { webui: `/spaces/DEV/pages/${id}` },
});

type PageAnswer = object | Response;

/**
 * GET routes for pages, as the API reads: `/pages/{id}` and the bulk `/pages?id=…` the client batches
 * into. `answer(id)` returns the page JSON or an error Response. Like Confluence, the bulk endpoint
 * silently drops pages that are not visible (404s), and fails as a whole for other refusals.
 */
export function pageRoutes(answer: (id: string) => PageAnswer | Promise<PageAnswer>) {
  const toResponse = (a: PageAnswer) => (a instanceof Response ? a : HttpResponse.json(a));
  return [
    http.get(`${SITE}/wiki/api/v2/pages/:id`, async ({ params }) => toResponse(await answer(String(params.id)))),
    http.get(`${SITE}/wiki/api/v2/pages`, async ({ request }) => {
      const url = new URL(request.url);
      const ids = url.searchParams.getAll('id').flatMap((v) => v.split(','));
      const results: object[] = [];
      for (const id of ids) {
        const a = await answer(id);
        if (!(a instanceof Response)) results.push(a);
        else if (a.status !== 404) return a;
      }
      return HttpResponse.json({ results, _links: {} });
    }),
  ];
}
