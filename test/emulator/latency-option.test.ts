import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as atlassianJwt from 'atlassian-jwt';
import { parseCliArguments, runCli } from '../../emulator/cli';
import { parseLatency } from '../../emulator/latency';
import { startEmulator, type RunningEmulator } from '../../emulator/node/start-emulator';
import { FAKE_APP_KEY, startFakeConnectApp, type FakeConnectApp } from './support/fake-connect-app';
import { pageRequest } from './support/page-request';

/**
 * `emulate --latency <ms>` / `--latency <min>-<max>` (issue 21): the emulated site answers each REST call after that
 * long, so the request log shows the waterfall an app's users see against Confluence Cloud.
 */

const DESCRIPTOR = 'http://127.0.0.1:9/atlassian-connect.json';

describe('emulate --latency: the option', () => {
  it('takes a delay in ms or a min-max range', async () => {
    expect(await parseCliArguments(['--app', DESCRIPTOR, '--latency', '150'])).toMatchObject({ latencyMs: 150 });
    expect(await parseCliArguments(['--app', DESCRIPTOR, '--latency', '100-250'])).toMatchObject({
      latencyMs: { min: 100, max: 250 },
    });
    expect(await parseCliArguments(['--app', DESCRIPTOR, '--latency', '0'])).toMatchObject({ latencyMs: 0 });
    expect(parseLatency('120-120')).toBe(120);
    const withoutLatency = await parseCliArguments(['--app', DESCRIPTOR]);
    expect(withoutLatency).not.toHaveProperty('latencyMs');
  });

  it.each(['fast', '-5', '1.5', '250-100', '100-', '70000', '10-70000', ''])(
    'refuses --latency %j with one line naming the option and exit code 1',
    async (value) => {
      const errors: string[] = [];
      const output = { log: () => {}, error: (line: string) => errors.push(line) };
      const result = await runCli(['emulate', '--app', DESCRIPTOR, '--port', '0', '--latency', value], output);
      expect(result.exitCode).toBe(1);
      expect(result.close).toBeUndefined();
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/--latency/);
      expect(errors[0]).not.toContain('\n');
    },
  );

  it('lists --latency in --help with the Confluence Cloud-like setting', async () => {
    const lines: string[] = [];
    await runCli(['emulate', '--help'], { log: (line) => lines.push(line), error: () => {} });
    expect(lines.join('\n')).toMatch(/--latency <ms>[\s\S]*<min>-<max>[\s\S]*100-250/);
  });
});

describe('emulate --latency: the site it reaches', () => {
  const LATENCY_MS = 120;
  let app: FakeConnectApp;
  let emulator: RunningEmulator;
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'cik-latency-'));
    // A prebuilt page that is only a placeholder: the page's site is read from its config, not run here.
    const pageDir = path.join(folder, 'page');
    await mkdir(pageDir);
    await writeFile(path.join(pageDir, 'index.html'), '<!doctype html><title>emulator</title>');
    app = await startFakeConnectApp();
    emulator = await startEmulator({
      descriptorUrl: app.descriptorUrl,
      host: 'localhost',
      port: 0,
      pageDir,
      site: { actingUser: 'viewer' },
      latencyMs: LATENCY_MS,
    });
  });

  afterAll(async () => {
    await emulator?.close();
    await app?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it("hands the page's site the latency, beside the site's own seed", async () => {
    const config = (await (await pageRequest(emulator.emulatorUrl, 'config')).json()) as {
      site?: { latencyMs?: unknown; actingUser?: string };
    };
    expect(config.site).toEqual({ actingUser: 'viewer', latencyMs: LATENCY_MS });
  });

  it("answers the backend's REST call over HTTP no sooner than the latency (no page open: the Node half's site)", async () => {
    const tenant = app.tenant()!;
    const restPath = '/rest/api/user/current';
    const signedGet = () => {
      const now = Math.floor(Date.now() / 1000);
      const qsh = atlassianJwt.createQueryStringHash(
        atlassianJwt.fromMethodAndUrl('GET', restPath),
        false,
        tenant.baseUrl,
      );
      const jwt = atlassianJwt.encodeSymmetric(
        { iss: FAKE_APP_KEY, iat: now, exp: now + 60, qsh },
        tenant.sharedSecret,
      );
      return fetch(tenant.baseUrl + restPath, { headers: { authorization: `JWT ${jwt}` } });
    };
    // The first call also loads what the site's answers need; the second one is the site's latency alone.
    expect((await signedGet()).status).toBe(200);
    const started = performance.now();
    const answer = await signedGet();
    const elapsed = performance.now() - started;
    expect(answer.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(LATENCY_MS);
  });
});
