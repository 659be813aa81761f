import { isVerificationError } from '../errors.js';
import { forgeRefusalResponse, toWebResponse } from '../http/response.js';
import type { ForgeInvocation } from './invocation.js';
import { createForgeInvocationVerifier, type VerifyForgeInvocationOptions } from './verify-forge-invocation.js';

export type ForgeRemoteRoute = (request: Request, invocation: ForgeInvocation) => Response | Promise<Response>;

/**
 * `(Request) => Promise<Response>` that verifies the FIT before calling `route`; a refusal never reaches it.
 * Errors thrown by `route` itself propagate: they are the app's, not a verdict on the token.
 */
export function createForgeRemoteHandler(
  options: VerifyForgeInvocationOptions,
  route: ForgeRemoteRoute,
): (request: Request) => Promise<Response> {
  const verify = createForgeInvocationVerifier(options);
  return async (request) => {
    let invocation: ForgeInvocation;
    try {
      invocation = await verify(request);
    } catch (error) {
      if (isVerificationError(error)) return toWebResponse(forgeRefusalResponse(error));
      throw error;
    }
    return route(request, invocation);
  };
}
