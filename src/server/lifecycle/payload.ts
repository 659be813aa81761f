import { VerificationError } from '../errors.js';
import { isStorableClientKey } from '../tenants/client-key.js';
import { CLOUD_ID } from '../tenants/cloud-id.js';
import { isForgeInstallationId } from '../tenants/installation-link.js';
import { OAUTH_CLIENT_ID } from '../tenants/oauth-client-id.js';
import type { LifecycleEventType } from '../tenants/types.js';

export interface LifecyclePayload {
  key?: string;
  clientKey: string;
  sharedSecret?: string;
  baseUrl: string;
  eventType: LifecycleEventType;
  productType?: string;
  description?: string;
  /** the site's id, when the payload carries a well-formed one (see tenants/cloud-id.ts) */
  cloudId?: string;
  /**
   * the Forge installation ARI (`installationId`, sent for Connect apps on Forge), when well-formed (see
   * tenants/installation-link.ts)
   */
  installationId?: string;
  /** the OAuth client id acting as a user signs as (`oauthClientId`), when well-formed (tenants/oauth-client-id.ts) */
  oauthClientId?: string;
}

export const LIFECYCLE_EVENTS: readonly LifecycleEventType[] = ['installed', 'enabled', 'disabled', 'uninstalled'];

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Letters, digits and inner hyphens in dot-separated labels of at most 63 characters, 253 in all. */
export function isDnsHostName(host: string): boolean {
  return host.length > 0 && host.length <= 253 && host.split('.').every((label) => DNS_LABEL.test(label));
}

function invalid(message: string): VerificationError {
  return new VerificationError('PAYLOAD_INVALID', message);
}

function optionalString(value: unknown, name: string, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > max)
    throw invalid(`${name} must be a string of at most ${max} characters.`);
  return value;
}

/**
 * Parses and checks the lifecycle body: JSON object, `clientKey`, `baseUrl` (http/https URL) and `eventType`
 * present and sane; `sharedSecret` required for `installed`. Nothing here is trusted until the token verifies.
 */
export function parseLifecyclePayload(body: string): LifecyclePayload {
  if (body.length === 0) throw invalid('The lifecycle request has no body.');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw invalid('The lifecycle body is not JSON.');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw invalid('The lifecycle body is not a JSON object.');
  const raw = json as Record<string, unknown>;

  const clientKey = raw.clientKey;
  if (!isStorableClientKey(clientKey)) {
    throw invalid('clientKey must be a non-empty string of at most 255 printable characters.');
  }
  const eventType = raw.eventType;
  if (typeof eventType !== 'string' || !(LIFECYCLE_EVENTS as readonly string[]).includes(eventType)) {
    throw invalid('eventType must be one of installed, enabled, disabled, uninstalled.');
  }
  const baseUrl = raw.baseUrl;
  let parsed: URL | undefined;
  try {
    parsed = typeof baseUrl === 'string' && baseUrl.length <= 2048 ? new URL(baseUrl) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.username || parsed.password) {
    throw invalid('baseUrl must be an http(s) URL without credentials.');
  }
  // The host ends up in headers (frame-ancestors) and URLs: `*;x.atlassian.net` would end a CSP directive early.
  if (!isDnsHostName(parsed.hostname)) throw invalid('baseUrl must name a valid DNS host.');
  const sharedSecret = optionalString(raw.sharedSecret, 'sharedSecret', 1024);
  if (eventType === 'installed' && (!sharedSecret || sharedSecret.length < 16)) {
    throw invalid('sharedSecret must be present (at least 16 characters) on installed.');
  }
  const payload: LifecyclePayload = {
    clientKey,
    baseUrl: (baseUrl as string).replace(/\/+$/, ''),
    eventType: eventType as LifecycleEventType,
  };
  if (sharedSecret) payload.sharedSecret = sharedSecret;
  const key = optionalString(raw.key, 'key', 255);
  if (key !== undefined) payload.key = key;
  const productType = optionalString(raw.productType, 'productType', 64);
  if (productType !== undefined) payload.productType = productType;
  const description = optionalString(raw.description, 'description', 1024);
  if (description !== undefined) payload.description = description;
  // Not a reason to refuse an install: a site id we cannot use is left out, and FITs for that site find no tenant.
  if (typeof raw.cloudId === 'string' && CLOUD_ID.test(raw.cloudId)) payload.cloudId = raw.cloudId;
  // Likewise: an installation id of another shape is not stored, and FITs then find the tenant by its site.
  if (isForgeInstallationId(raw.installationId)) payload.installationId = raw.installationId;
  // Likewise: without a usable client id the app cannot act as a user here (asUser() says so), but installs.
  if (typeof raw.oauthClientId === 'string' && OAUTH_CLIENT_ID.test(raw.oauthClientId)) {
    payload.oauthClientId = raw.oauthClientId;
  }
  return payload;
}
