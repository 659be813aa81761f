import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm start` runs the esbuild bundle of examples/page-list-macro/server/start.ts: build it into a temp dir and run it as a user would.
const root = resolve(__dirname, '../../..');
let dir: string;
let bundle: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cik-start-'));
  bundle = join(dir, 'start.js');
  const built = spawnSync(process.execPath, ['examples/page-list-macro/build-server.mjs', '--outfile', bundle], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(built.status, built.stderr).toBe(0);
  // the drivers stay external, resolved from node_modules next to the bundle as in an installed app
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(
  env: Record<string, string>,
): Promise<{ url?: string; code?: number | null; output: string; kill(): void }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [bundle], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env } });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolvePromise({ url: match[1], output, kill: () => child.kill() });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => resolvePromise({ code, output, kill: () => {} }));
  });
}

describe('npm start (dist/example/server/start.js)', () => {
  it('serves /healthz and the descriptor from env configuration', async () => {
    const server = await run({
      PORT: '0',
      NODE_ENV: 'production',
      BASE_URL: 'https://app.example.com',
      DATABASE_URL: `sqlite:${join(dir, 'data', 'tenants.db')}`,
      TENANT_SECRET_KEY: randomBytes(32).toString('base64'),
    });
    try {
      expect(server.url, server.output).toBeDefined();
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const descriptor = (await (await fetch(`${server.url}/atlassian-connect.json`)).json()) as { baseUrl: string };
      expect(descriptor.baseUrl).toBe('https://app.example.com');
    } finally {
      server.kill();
    }
  });

  it('refuses to start in production without TENANT_SECRET_KEY', async () => {
    const result = await run({
      PORT: '0',
      NODE_ENV: 'production',
      BASE_URL: 'https://app.example.com',
      DATABASE_URL: `sqlite:${join(dir, 'x.db')}`,
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('TENANT_SECRET_KEY is required');
  });

  it('refuses to start with a NODE_ENV that is not production, development or test', async () => {
    const result = await run({ PORT: '0', NODE_ENV: 'prod', DATABASE_URL: `sqlite:${join(dir, 'y.db')}` });
    expect(result.code).toBe(1);
    expect(result.output).toContain('NODE_ENV must be production, development or test');
  });
});
