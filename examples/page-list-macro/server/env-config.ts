import type { ReferenceServerOptions } from './reference-server.js';

/** The environment variables `npm start` reads. */
export interface ReferenceEnv {
  NODE_ENV?: string;
  PORT?: string;
  /** listening interface (default 127.0.0.1; 0.0.0.0 in a container that is reached from outside) */
  HOST?: string;
  BASE_URL?: string;
  DATABASE_URL?: string;
  CONNECT_INSTALL_KEYS_URL?: string;
  TENANT_SECRET_KEY?: string;
  STATIC_DIR?: string;
  FORGE_APP_ID?: string;
  DEV_FRAME_ANCESTORS?: string;
}

const RUN_MODES = ['production', 'development', 'test'] as const;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A configuration the server must not start with; the message says what to set. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

function parseUrl(name: string, value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new ConfigurationError(`${name} is not a URL: ${JSON.stringify(value)}.`);
  }
}

/**
 * Fails closed: an unknown NODE_ENV (a typo such as `prod`, or none at all) never falls back to development
 * behaviour. Production requires an https BASE_URL (the public URL: the server itself may listen on plain http behind
 * a TLS proxy), a TENANT_SECRET_KEY, and an https CONNECT_INSTALL_KEYS_URL (plain http only for a loopback host).
 */
export function referenceOptionsFromEnv(env: ReferenceEnv): ReferenceServerOptions {
  const mode = env.NODE_ENV;
  if (!RUN_MODES.includes(mode as (typeof RUN_MODES)[number])) {
    throw new ConfigurationError(
      `NODE_ENV must be production, development or test (got ${mode === undefined ? 'nothing' : JSON.stringify(mode)}).`,
    );
  }
  const production = mode === 'production';
  if (production) {
    if (!env.BASE_URL || parseUrl('BASE_URL', env.BASE_URL).protocol !== 'https:') {
      throw new ConfigurationError(
        'BASE_URL must be the https URL Atlassian reaches the app at when NODE_ENV=production.',
      );
    }
    if (!env.TENANT_SECRET_KEY) {
      throw new ConfigurationError(
        'TENANT_SECRET_KEY is required when NODE_ENV=production (generate one with: openssl rand -hex 32).',
      );
    }
    if (env.CONNECT_INSTALL_KEYS_URL) {
      const keysUrl = parseUrl('CONNECT_INSTALL_KEYS_URL', env.CONNECT_INSTALL_KEYS_URL);
      const loopback = keysUrl.protocol === 'http:' && LOOPBACK_HOSTS.has(keysUrl.hostname);
      if (keysUrl.protocol !== 'https:' && !loopback) {
        throw new ConfigurationError('CONNECT_INSTALL_KEYS_URL must be https (plain http only for a loopback host).');
      }
    }
  }
  const options: ReferenceServerOptions = {
    port: Number(env.PORT ?? 3000),
    // Loopback unless HOST says otherwise: a server reachable from the network is a decision, not a default.
    host: env.HOST || '127.0.0.1',
    production,
    devFrameAncestors: (env.DEV_FRAME_ANCESTORS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  };
  if (env.BASE_URL) options.baseUrl = env.BASE_URL;
  if (env.DATABASE_URL) options.databaseUrl = env.DATABASE_URL;
  if (env.CONNECT_INSTALL_KEYS_URL) options.installKeysUrl = env.CONNECT_INSTALL_KEYS_URL;
  if (env.TENANT_SECRET_KEY) options.secretKey = env.TENANT_SECRET_KEY;
  if (env.STATIC_DIR) options.staticDir = env.STATIC_DIR;
  if (env.FORGE_APP_ID) options.forgeRemote = { appId: env.FORGE_APP_ID };
  return options;
}
