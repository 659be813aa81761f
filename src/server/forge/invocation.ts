import type { JWTPayload } from 'jose';
import { VerificationError } from '../errors.js';
import { deepFreeze } from '../jwt/claims.js';
import { appIdOf, FORGE_INVOCATION_ISSUER } from './constants.js';

/** A verified Forge Remote call. */
export interface ForgeInvocation {
  /** the bare app id (the ARI `aud` minus `ari:cloud:ecosystem::app/`) */
  appId: string;
  /** `app.installationId`: the tenant key on Forge (what `clientKey` is on Connect) */
  installationId: string;
  /** `context.cloudId`, when the invocation has a site */
  cloudId: string | undefined;
  /** `principal`: the acting user, absent for app-only invocations (events, scheduled triggers) */
  accountId: string | undefined;
  /** `app.environment` (`{ type: 'DEVELOPMENT' | 'STAGING' | 'PRODUCTION' | …, id }`) */
  environment: { type: string; id?: string; [key: string]: unknown };
  /** `app.apiBaseUrl`: where product API calls with the system/user token go */
  apiBaseUrl: string;
  /** `app.module` (`{ key, type }`), when the token names one */
  module: { key?: string; type?: string; [key: string]: unknown } | undefined;
  /** every verified claim, frozen */
  claims: JWTPayload;
  /** `x-forge-oauth-system`, passed through unverified and opaque (Atlassian's API checks it) */
  appSystemToken: string | undefined;
  /** `x-forge-oauth-user`, passed through unverified and opaque */
  appUserToken: string | undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const missing = (claim: string) => new VerificationError('CLAIM_MISSING', `The token has no ${claim} claim.`);
const invalid = (claim: string) => new VerificationError('TOKEN_MALFORMED', `The token's ${claim} claim is invalid.`);

/**
 * The Forge-specific claim checks, on a payload whose signature and clock claims are already verified.
 * `aud` must be exactly the app's ARI as a single string: Atlassian issues one audience per FIT, and accepting an
 * array would let a token minted for several apps open this one.
 */
export function checkForgeClaims(
  payload: JWTPayload,
  appAri: string,
): Omit<ForgeInvocation, 'appSystemToken' | 'appUserToken'> {
  if (payload.iss === undefined) throw missing('iss');
  if (payload.iss !== FORGE_INVOCATION_ISSUER) {
    throw new VerificationError(
      'ISSUER_MISMATCH',
      `The token was not issued by Forge (iss must be "${FORGE_INVOCATION_ISSUER}").`,
    );
  }
  if (payload.aud === undefined) throw missing('aud');
  if (payload.aud !== appAri)
    throw new VerificationError('AUDIENCE_MISMATCH', 'The token was issued for a different app (aud).');

  const app = payload.app;
  if (app === undefined) throw missing('app');
  if (!isRecord(app)) throw invalid('app');
  // app.id is signed next to aud; two different apps in one token means something upstream is wrong.
  if (app.id !== undefined && app.id !== appAri)
    throw new VerificationError('AUDIENCE_MISMATCH', 'The token app.id is not this app.');
  if (app.installationId === undefined) throw missing('app.installationId');
  if (typeof app.installationId !== 'string' || app.installationId === '') throw invalid('app.installationId');
  if (app.apiBaseUrl === undefined) throw missing('app.apiBaseUrl');
  // The app sends its system and user tokens to this URL: anything but https would leak them.
  if (typeof app.apiBaseUrl !== 'string' || !/^https:\/\/[^/?#\s]+/i.test(app.apiBaseUrl))
    throw invalid('app.apiBaseUrl');
  if (app.environment === undefined) throw missing('app.environment');
  if (!isRecord(app.environment) || typeof app.environment.type !== 'string') throw invalid('app.environment');
  if (app.module !== undefined && !isRecord(app.module)) throw invalid('app.module');

  const context = payload.context;
  if (context !== undefined && !isRecord(context)) throw invalid('context');
  const cloudId = context?.cloudId;
  if (cloudId !== undefined && typeof cloudId !== 'string') throw invalid('context.cloudId');
  const principal = payload.principal;
  if (principal !== undefined && typeof principal !== 'string') throw invalid('principal');

  deepFreeze(payload);
  return {
    appId: appIdOf(appAri),
    installationId: app.installationId,
    cloudId,
    accountId: principal === '' ? undefined : principal,
    environment: app.environment as ForgeInvocation['environment'],
    apiBaseUrl: app.apiBaseUrl,
    module: app.module as ForgeInvocation['module'],
    claims: payload,
  };
}
