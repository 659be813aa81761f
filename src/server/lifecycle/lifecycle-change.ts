import type { JWTPayload } from 'jose';
import type { LifecycleChange, LifecycleEventType } from '../tenants/types.js';
import type { LifecyclePayload } from './payload.js';
import { lifecycleTokenRecord } from './verify-lifecycle.js';

/**
 * The store write a verified lifecycle request asks for, WITH the record of its token: a store applies it at most
 * once (the same token with another body is refused, `LIFECYCLE_TOKEN_REPLAYED`), because the install JWT signs
 * method, path and query but not the body. Events apply in the order of the token's `iat`.
 *
 * @param leewaySeconds the clock leeway the token was verified with: its record is kept until `exp` plus this
 */
export function lifecycleChangeOf(
  event: LifecycleEventType,
  payload: LifecyclePayload,
  verified: { token: string; claims: JWTPayload },
  body: string,
  leewaySeconds: number,
): LifecycleChange {
  return {
    token: lifecycleTokenRecord(verified.token, body, verified.claims, leewaySeconds),
    clientKey: payload.clientKey,
    eventType: event,
    iat: verified.claims.iat as number,
    baseUrl: payload.baseUrl,
    ...(payload.sharedSecret !== undefined ? { sharedSecret: payload.sharedSecret } : {}),
    ...(payload.productType !== undefined ? { productType: payload.productType } : {}),
    ...(payload.description !== undefined ? { description: payload.description } : {}),
    ...(payload.cloudId !== undefined ? { cloudId: payload.cloudId } : {}),
    ...(payload.installationId !== undefined ? { forgeInstallationId: payload.installationId } : {}),
    ...(payload.oauthClientId !== undefined ? { oauthClientId: payload.oauthClientId } : {}),
  };
}
