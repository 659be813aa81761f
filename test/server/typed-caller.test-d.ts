import { describe, expectTypeOf, it } from 'vitest';
import type { JWTPayload } from 'jose';
import {
  createConnectApp,
  defineRoute,
  jsonResponse,
  type CallerContent,
  type CallerSpace,
  type RouteCaller,
  type TenantStore,
} from '../../src/server/index.js';

declare const tenants: TenantStore;
const base = { appKey: 'com.example.app', baseUrl: 'https://app.example.com', tenants };

describe('the typed caller', () => {
  it('is never undefined on a route with auth, and undefined on an open route', () => {
    createConnectApp({
      ...base,
      routes: [
        {
          method: 'GET',
          path: '/api/me',
          auth: 'context',
          handle: ({ caller }) => {
            expectTypeOf(caller).toEqualTypeOf<RouteCaller>();
            return jsonResponse(200, { accountId: caller.accountId ?? null });
          },
        },
        {
          method: 'GET',
          path: '/health',
          auth: 'none',
          handle: ({ caller }) => {
            expectTypeOf(caller).toEqualTypeOf<undefined>();
            return jsonResponse(200, {});
          },
        },
      ],
    });
  });

  it('gives the same fields from a Connect token and from a FIT, with the raw claims kept', () => {
    const caller = {} as RouteCaller;
    expectTypeOf(caller.accountId).toEqualTypeOf<string | undefined>();
    expectTypeOf(caller.content).toEqualTypeOf<CallerContent | undefined>();
    expectTypeOf(caller.space).toEqualTypeOf<CallerSpace | undefined>();
    expectTypeOf(caller.host).toEqualTypeOf<'connect' | 'forge'>();
    expectTypeOf(caller.claims).toEqualTypeOf<JWTPayload>();
    expectTypeOf<CallerContent>().toEqualTypeOf<{ id: string; type: string | undefined }>();
    expectTypeOf<CallerSpace>().toEqualTypeOf<{ key: string | undefined; id: string | undefined }>();
    if (caller.host === 'forge') expectTypeOf(caller.installationId).toEqualTypeOf<string>();
  });

  it('types params from the path literal, inline and through defineRoute', () => {
    createConnectApp({
      ...base,
      routes: [
        {
          method: 'GET',
          path: '/api/spaces/:spaceKey/items/:id',
          auth: 'context',
          handle: ({ params }) => {
            expectTypeOf(params).toEqualTypeOf<{ spaceKey: string; id: string }>();
            // @ts-expect-error no such parameter in the path
            void params.other;
            return jsonResponse(200, params);
          },
        },
        defineRoute({
          method: 'GET',
          path: '/api/items/:id',
          auth: ['context', 'forge'],
          handle: ({ params, caller }) => {
            expectTypeOf(params.id).toEqualTypeOf<string>();
            expectTypeOf(caller).toEqualTypeOf<RouteCaller>();
            return jsonResponse(200, { id: params.id });
          },
        }),
      ],
    });
  });
});
