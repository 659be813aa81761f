import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EmulatorBackend } from '../../emulator/node/emulator-api';
import { startPrebuiltEmulatorServer, type EmulatorServer } from '../../emulator/node/emulator-server';

/** A port free right now on loopback (the prebuilt server takes a fixed port, as `--port` gives it). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * The installed command's emulator origin: the prebuilt page served as plain files (no vite), behind the backend.
 * It answers the page's own routes as `npm run dev` does.
 */
describe('the prebuilt emulator server (the installed command)', () => {
  let pageDir: string;
  let server: EmulatorServer;
  let origin: string;

  beforeAll(async () => {
    pageDir = await mkdtemp(path.join(tmpdir(), 'cik-prebuilt-page-'));
    await writeFile(path.join(pageDir, 'index.html'), '<!doctype html><title>emulator</title>');
    await writeFile(path.join(pageDir, 'states.html'), '<!doctype html><title>state gallery</title>');
    // The backend is not under test: it passes every request on to the static files.
    const backend = { middleware: (_req, _res, next) => next() } as Pick<EmulatorBackend, 'middleware'>;
    const port = await freePort();
    server = await startPrebuiltEmulatorServer({
      backend: backend as EmulatorBackend,
      pageDir,
      host: '127.0.0.1',
      port,
    });
    origin = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await server?.close();
    if (pageDir) await rm(pageDir, { recursive: true, force: true });
  });

  it('answers /states (with a query) with the state gallery, as the dev server does', async () => {
    for (const route of ['/states', '/states?theme=dark', '/states.html']) {
      const response = await fetch(`${origin}${route}`);
      expect(response.status, route).toBe(200);
      expect(response.headers.get('content-type'), route).toMatch(/^text\/html/);
      expect(await response.text(), route).toContain('state gallery');
    }
  });

  it('still answers / with the emulator page and an unknown path with 404', async () => {
    expect(await (await fetch(`${origin}/?user=editor`)).text()).toContain('<title>emulator</title>');
    expect((await fetch(`${origin}/nothing-here`)).status).toBe(404);
    expect((await fetch(`${origin}/states/`)).status).toBe(404);
  });
});
