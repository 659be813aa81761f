import { describe, expectTypeOf, it } from 'vitest';
import {
  type TenantDirectory,
  createInstallKeyFetcher,
  verifyRequest,
  type LifecyclePayload,
  type VerifiedContext,
  type VerifiedLifecycleContext,
  type VerifyRequestOptions,
} from '../../src/server/index.js';

declare const tenants: TenantDirectory;
declare const request: Request;

describe('verifyRequest: the result depends on the mode', () => {
  it('iframe and context modes resolve with a VerifiedContext', () => {
    expectTypeOf(verifyRequest(request, { mode: 'context', tenants })).toEqualTypeOf<Promise<VerifiedContext>>();
    expectTypeOf(verifyRequest(request, { mode: 'iframe', tenants })).toEqualTypeOf<Promise<VerifiedContext>>();
  });

  it('lifecycle mode always carries the verified install payload', async () => {
    const verified = await verifyRequest(request, {
      mode: 'lifecycle',
      event: 'installed',
      appKey: 'com.example.app',
      appBaseUrl: 'https://app.example.com',
      installKeys: createInstallKeyFetcher(),
    });
    expectTypeOf(verified).toEqualTypeOf<VerifiedLifecycleContext>();
    expectTypeOf(verified.lifecycle).toEqualTypeOf<LifecyclePayload>();
    expectTypeOf(verified.kind).toEqualTypeOf<'lifecycle'>();
  });

  it('options of a union type resolve with the common VerifiedContext', () => {
    const options = {} as VerifyRequestOptions;
    expectTypeOf(verifyRequest(request, options)).toEqualTypeOf<Promise<VerifiedContext>>();
  });

  it('a symmetric mode needs the tenant directory', () => {
    // @ts-expect-error tenants is required for iframe and context modes
    void verifyRequest(request, { mode: 'context' });
  });
});
