/**
 * Attack: one request stops the process. A route (or the fallback) that puts request data into a response header, a
 * download's filename, gets CR/LF or a character outside Latin-1 from the URL; node:http's writeHead throws. The
 * node:http adapter and the Express middleware must turn that into a 500 (a destroyed socket once headers went out),
 * logged without the request's token, and keep serving: never an unhandled rejection, which ends a Node process and
 * every tenant with it. Run against a real process (fixtures/header-from-request-server.ts), so an exit is seen.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SERVER = fileURLToPath(new URL('./fixtures/header-from-request-server.ts', import.meta.url));
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2VuLXBheWxvYWQ.c2lnbmF0dXJl';

let child: ChildProcess;
let ports: { node: number; express: number };
let stderr = '';

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', SERVER], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the server exited (${String(code)}) before listening: ${stderr}`);
  });
  const [line] = (await Promise.race([once(lines, 'line'), exited])) as [string];
  ports = JSON.parse(line) as typeof ports;
});

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill();
    await once(child, 'exit');
  }
});

const get = (port: number, path: string) =>
  fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5000) });

const attacks: Array<[string, 'node' | 'express', string]> = [
  ['node:http, CR/LF in a route’s header', 'node', '/download?name=a%0D%0ASet-Cookie:%20x=1'],
  ['node:http, a non-Latin-1 character in a route’s header', 'node', '/download?name=%E2%82%AC.txt'],
  ['node:http, CR/LF in the fallback’s header', 'node', '/elsewhere?name=a%0D%0Ab'],
  ['Express, CR/LF in a route’s header', 'express', '/download?name=a%0D%0ASet-Cookie:%20x=1'],
  ['Express, a non-Latin-1 character in a route’s header', 'express', '/download?name=%E2%82%AC.txt'],
];

describe('a header built from request data cannot stop the process', () => {
  it.each(attacks)('%s → 500, and the next request is served', async (_, server, path) => {
    const port = ports[server];
    const refused = await get(port, `${path}&jwt=${TOKEN}`);
    expect(refused.status).toBe(500);
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect(await refused.text()).not.toContain(TOKEN);

    const next = await get(port, '/download?name=report.txt');
    expect(next.status).toBe(200);
    expect(next.headers.get('content-disposition')).toBe('attachment; filename="report.txt"');
    expect(child.exitCode).toBeNull();
  });

  it('the failure is logged, without the request’s token', async () => {
    expect(stderr).toContain('[confluence-iframe-kit/server]');
    for (const part of TOKEN.split('.')) expect(stderr).not.toContain(part);
    expect(stderr).not.toMatch(/unhandled/i);
  });

  it('Express still reaches its own routes after the refusals', async () => {
    expect((await get(ports.express, '/express-only')).status).toBe(200);
  });
});
