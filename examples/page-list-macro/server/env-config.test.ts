import { describe, expect, it } from 'vitest';
import { referenceOptionsFromEnv } from './env-config.js';

const PRODUCTION = {
  NODE_ENV: 'production',
  BASE_URL: 'https://app.example.com',
  TENANT_SECRET_KEY: 'a'.repeat(64),
};

describe('npm start configuration fails closed', () => {
  it.each([undefined, '', 'prod', 'Production', 'staging'])('NODE_ENV=%s refuses to start', (mode) => {
    expect(() => referenceOptionsFromEnv({ ...PRODUCTION, NODE_ENV: mode })).toThrow(
      /NODE_ENV must be production, development or test/,
    );
  });

  it('production requires an https BASE_URL', () => {
    expect(() => referenceOptionsFromEnv({ ...PRODUCTION, BASE_URL: undefined })).toThrow(/BASE_URL must be/);
    expect(() => referenceOptionsFromEnv({ ...PRODUCTION, BASE_URL: 'http://app.example.com' })).toThrow(
      /BASE_URL must be/,
    );
  });

  it('production requires TENANT_SECRET_KEY', () => {
    expect(() => referenceOptionsFromEnv({ ...PRODUCTION, TENANT_SECRET_KEY: undefined })).toThrow(
      /TENANT_SECRET_KEY is required/,
    );
  });

  it('production install-keys URL: https, or plain http on a loopback host only', () => {
    expect(() =>
      referenceOptionsFromEnv({ ...PRODUCTION, CONNECT_INSTALL_KEYS_URL: 'http://keys.example.com' }),
    ).toThrow(/CONNECT_INSTALL_KEYS_URL must be https/);
    expect(referenceOptionsFromEnv({ ...PRODUCTION, CONNECT_INSTALL_KEYS_URL: 'http://127.0.0.1:8080' })).toMatchObject(
      { installKeysUrl: 'http://127.0.0.1:8080', production: true },
    );
  });

  it('HOST chooses the listening interface; without it the server listens on 127.0.0.1 only', () => {
    expect(referenceOptionsFromEnv({ ...PRODUCTION, HOST: '0.0.0.0' })).toMatchObject({ host: '0.0.0.0' });
    expect(referenceOptionsFromEnv(PRODUCTION).host).toBe('127.0.0.1');
  });

  it('development and test start without a key or an https URL', () => {
    expect(referenceOptionsFromEnv({ NODE_ENV: 'development' })).toMatchObject({ production: false });
    expect(referenceOptionsFromEnv({ NODE_ENV: 'test', BASE_URL: 'http://localhost:3000' })).toMatchObject({
      production: false,
      baseUrl: 'http://localhost:3000',
    });
  });
});
