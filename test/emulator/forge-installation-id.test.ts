import { pageRequest } from './support/page-request';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { readForgeManifest } from '../../emulator/node/forge-manifest';
import { startEmulator, type RunningEmulator } from '../../emulator/node/start-emulator';
import { isForgeInstallationId } from '../../src/server/tenants/installation-link';
import { USERS } from '../../src/testing/core';

/**
 * A Connect app adopted onto Forge under the emulator: the install payload names the Forge installation, and every
 * Forge Invocation Token names the same one (`app.installationId`), in the shape the server links by (an
 * installation ARI with a UUID), so the link-by-installation path runs in the emulator as on Atlassian's.
 */
describe('emulate --app --forge: one Forge installation for the install and the invocation tokens', () => {
  let folder: string;
  let app: Server;
  let emulator: RunningEmulator;
  const installs: Record<string, unknown>[] = [];
  const tokens: string[] = [];

  beforeAll(async () => {
    app = createServer((req, res) => {
      void (async () => {
        let body = '';
        for await (const chunk of req) body += String(chunk);
        const base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
        if (req.url === '/atlassian-connect.json') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ key: 'adopted-app', baseUrl: base, lifecycle: { installed: '/installed' } }));
        } else if (req.url === '/installed') {
          installs.push(JSON.parse(body) as Record<string, unknown>);
          res.writeHead(204).end();
        } else {
          tokens.push((req.headers.authorization ?? '').replace(/^Bearer /, ''));
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{}');
        }
      })();
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    folder = await mkdtemp(path.join(tmpdir(), 'cik-forge-installation-'));
    await mkdir(path.join(folder, 'static'), { recursive: true });
    const manifestFile = path.join(folder, 'manifest.yml');
    await writeFile(
      manifestFile,
      `modules:
  macro:
    - key: adopted-macro
      resource: main
      title: Adopted
      resolver:
        endpoint: backend-endpoint
  endpoint:
    - key: backend-endpoint
      remote: backend
resources:
  - key: main
    path: static
remotes:
  - key: backend
    baseUrl: ${base}/forge-remote
`,
    );
    emulator = await startEmulator({
      descriptorUrl: `${base}/atlassian-connect.json`,
      forgeManifest: await readForgeManifest(manifestFile),
      port: 0,
    });
  });
  afterAll(async () => {
    await emulator?.close();
    await new Promise<void>((resolve) => app?.close(() => resolve()));
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('names the same installation ARI, with a UUID, in the install payload and in every FIT', async () => {
    expect(installs).toHaveLength(1);
    const installationId = installs[0]!.installationId;
    expect(isForgeInstallationId(installationId)).toBe(true);

    const invoked = await pageRequest(emulator.emulatorUrl, 'forge/invoke-remote', {
      user: USERS.editor.accountId,
      moduleKey: 'adopted-macro',
      moduleKind: 'macro',
      context: {},
      path: '/whoami',
      method: 'GET',
      headers: {},
    });
    expect(invoked.status).toBe(200);
    expect(tokens).toHaveLength(1);
    expect((decodeJwt(tokens[0]!).app as { installationId?: unknown }).installationId).toBe(installationId);
  });

  it('answers invoke() from a module whose resolver is a remote endpoint: it has no function, and says so', async () => {
    const response = await pageRequest(emulator.emulatorUrl, 'forge/invoke', {
      functionKey: 'any',
      moduleKey: 'adopted-macro',
      user: USERS.editor.accountId,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/module "adopted-macro" has no resolver function/) },
    });
  });
});
