import { describe, expectTypeOf, it } from 'vitest';
import type {
  ConnectCaller,
  ConnectRoute,
  ForgeCaller,
  RouteAuth,
  RouteCaller,
  VerifiedContext,
} from '../../src/server/index.js';
import type { ForgeInvocation } from '../../src/server/forge/invocation.js';

describe('RouteCaller', () => {
  it('narrows on `via`: installationId and the FIT exist only for Forge callers', () => {
    const caller = {} as RouteCaller;
    expectTypeOf(caller.clientKey).toEqualTypeOf<string>();
    expectTypeOf(caller.baseUrl).toEqualTypeOf<string>();
    expectTypeOf(caller.accountId).toEqualTypeOf<string | undefined>();
    if (caller.via === 'forge') {
      expectTypeOf(caller).toEqualTypeOf<ForgeCaller>();
      expectTypeOf(caller.installationId).toEqualTypeOf<string>();
      expectTypeOf(caller.cloudId).toEqualTypeOf<string>();
      expectTypeOf(caller.forge).toEqualTypeOf<ForgeInvocation>();
    } else {
      expectTypeOf(caller).toEqualTypeOf<ConnectCaller>();
      expectTypeOf(caller.cloudId).toEqualTypeOf<string | undefined>();
      expectTypeOf(caller.connect).toEqualTypeOf<VerifiedContext>();
      // @ts-expect-error a Connect caller has no Forge installation
      void caller.installationId;
    }
  });

  it('auth takes one method, a list of methods or none; a typo is a type error', () => {
    expectTypeOf<['context', 'forge']>().toMatchTypeOf<RouteAuth>();
    expectTypeOf<'iframe'>().toMatchTypeOf<RouteAuth>();
    expectTypeOf<'none'>().toMatchTypeOf<RouteAuth>();
    expectTypeOf<['jwt']>().not.toMatchTypeOf<RouteAuth>();
    expectTypeOf<ConnectRoute['authorizeCaller']>().toEqualTypeOf<
      ((caller: RouteCaller) => boolean | Promise<boolean>) | undefined
    >();
  });
});
