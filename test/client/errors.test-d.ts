import { describe, expectTypeOf, it } from 'vitest';
import {
  type ConfluenceError,
  type ConfluenceKitError,
  createConfluenceClient,
  isConfluenceError,
  isConfluenceKitError,
  type ConfluenceErrorCode,
  type HostKind,
  type RateLimitScope,
  type RateLimitState,
  type Transport,
} from '../../src/client';

describe('error family types', () => {
  it('ConfluenceError is a ConfluenceKitError with the ConfluenceErrorCode union as its code', () => {
    expectTypeOf<ConfluenceError>().toMatchTypeOf<ConfluenceKitError<ConfluenceErrorCode>>();
    expectTypeOf<ConfluenceError['code']>().toEqualTypeOf<ConfluenceErrorCode>();
    expectTypeOf<'CONFLUENCE_RATE_LIMITED'>().toMatchTypeOf<ConfluenceErrorCode>();
    expectTypeOf<'CONFLUENCE_BODY_WOULD_BE_CLEARED'>().toMatchTypeOf<ConfluenceErrorCode>();
    expectTypeOf<'RATE_LIMITED'>().not.toMatchTypeOf<ConfluenceErrorCode>();
  });

  it('the guards narrow', () => {
    const value: unknown = undefined;
    if (isConfluenceError(value)) {
      expectTypeOf(value.kind).toEqualTypeOf<ConfluenceError['kind']>();
      expectTypeOf(value.rateLimit?.scope).toEqualTypeOf<RateLimitScope | undefined>();
    }
    if (isConfluenceKitError(value)) expectTypeOf(value.code).toEqualTypeOf<string>();
  });
});

describe('client types', () => {
  it('Transport.kind is the one HostKind; the client exposes its rate-limit state', () => {
    expectTypeOf<Transport['kind']>().toEqualTypeOf<HostKind>();
    expectTypeOf<HostKind>().toEqualTypeOf<'connect' | 'forge' | 'fetch'>();
    const client = createConfluenceClient({ transport: {} as Transport });
    expectTypeOf(client.rateLimit).toEqualTypeOf<RateLimitState>();
    expectTypeOf(client.onRateLimitChange).parameter(0).toEqualTypeOf<(state: RateLimitState) => void>();
    expectTypeOf(client.onRateLimitChange).returns.toEqualTypeOf<() => void>();
  });
});
