#!/usr/bin/env node
// First data: how long one macro takes, from its iframe's navigationStart to its page title in the DOM, in Chromium
// under the emulator with every REST answer delayed as Confluence Cloud's are (issue 21). Four builds of one macro:
//   A        raw Connect: all.js, AP.context.getContext, AP.request for the page, the title into the DOM
//   B        the README's "A macro in five minutes" on the kit (React, TanStack Query)
//   B+early  B with src/early.ts as README "Fast first paint" shows it
//   D        what a team writes without the kit: React + TanStack Query on raw AP.request
// B and B+early are copied from README.md's marked examples, so the bench measures what the README says. Each is a
// production build (vite) served as a static Connect app (a descriptor, authentication none, no lifecycle) and
// loaded in a fresh tab of one Chromium, interleaved (A, B, B+early, D, B, B+early, D, A, …), so drift on a shared
// machine hits every variant alike. Each variant marks `performance.mark('first-data')` when its title is in the DOM
// (bench/first-data/first-data-mark.html); the mark's time is read from the iframe.
//   node bench/first-data.mjs [--runs 25] [--latency 150 | 100-250] [--write]
// Needs Chromium (CHROMIUM_PATH, default /usr/bin/chromium). Results go to the <!-- bench:first-data --> section.
/* global document, performance -- in the functions Playwright runs in the browser */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { writeSection } from './write-section.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = join(root, 'bench', 'first-data');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : args[index + 1];
};
const runs = Number(option('runs', '25'));
const latency = option('latency', '150');
const write = args.includes('--write');
if (!Number.isInteger(runs) || runs < 1 || runs > 500) throw new Error('--runs: a whole number from 1 to 500');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`);

/** The variants, in the order of the table; `module` is the macro key in the descriptor. */
const VARIANTS = [
  { id: 'raw', label: 'A raw (all.js + AP.request)', module: 'first-data-raw' },
  { id: 'kit', label: 'B kit (README macro)', module: 'first-data-kit' },
  { id: 'kit-early', label: 'B + early start', module: 'first-data-kit-early' },
  { id: 'hand-written', label: 'D React + TanStack on raw AP.request', module: 'first-data-hand-written' },
];

/** The README's code block marked `<!-- example: FILE -->` (the same marking test/package checks compiles). */
function readmeExample(file) {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const match = new RegExp(
    `<!-- example: ${file.replace('.', '\\.')} -->\\s*\`\`\`(?:tsx|ts)\\n([\\s\\S]*?)\`\`\``,
  ).exec(readme);
  if (!match) throw new Error(`README.md has no example marked ${file}`);
  return match[1];
}

// The package names resolve to this repository's sources, as in vite.config.ts.
const alias = [
  { find: /^confluence-iframe-kit\/react$/, replacement: join(root, 'src/react/index.ts') },
  { find: /^confluence-iframe-kit\/early$/, replacement: join(root, 'src/react/early/index.ts') },
];

/** Builds every variant into `work/<id>/dist`; answers each one's JavaScript size (gzip is not needed here). */
async function buildVariants(work) {
  const mark = readFileSync(join(sources, 'first-data-mark.html'), 'utf8');
  for (const variant of VARIANTS) {
    const folder = join(work, variant.id);
    cpSync(join(sources, variant.id), folder, { recursive: true });
    const html = join(folder, 'index.html');
    writeFileSync(html, readFileSync(html, 'utf8').replace('<!-- first-data-mark -->', mark));
    if (variant.id.startsWith('kit')) writeFileSync(join(folder, 'main.tsx'), readmeExample('main.tsx'));
    if (variant.id === 'kit-early') writeFileSync(join(folder, 'early.ts'), readmeExample('early.ts'));
    await build({
      configFile: false,
      root: folder,
      base: './',
      logLevel: 'error',
      plugins: [react()],
      resolve: { alias },
      build: { outDir: join(folder, 'dist'), emptyOutDir: true },
    });
  }
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

/**
 * The static Connect app: its descriptor (one macro per variant) and the builds, all.js from the emulator (as
 * `{xdm_e}{cp}/atlassian-connect/all.js` would be). `no-store`, so every load fetches its bundle as a first visit.
 */
async function serveApp(work) {
  let baseUrl = '';
  let allJs = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', baseUrl);
    if (url.pathname === '/atlassian-connect.json') {
      const macro = (variant) => ({
        key: variant.module,
        name: { value: variant.label },
        url: `/${variant.id}/index.html`,
        outputType: 'block',
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          key: 'com.example.first-data-bench',
          name: 'First data bench',
          baseUrl,
          authentication: { type: 'none' },
          scopes: ['read'],
          modules: { dynamicContentMacros: VARIANTS.map(macro) },
        }),
      );
      return;
    }
    const [, id, ...rest] = url.pathname.split('/');
    const file = normalize(join(work, id ?? '', 'dist', ...rest));
    if (!VARIANTS.some((variant) => variant.id === id) || !file.startsWith(join(work, id)) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    let body = readFileSync(file);
    if (extname(file) === '.html') body = body.toString('utf8').replace('__ALL_JS__', allJs);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}`;
  return {
    descriptorUrl: `${baseUrl}/atlassian-connect.json`,
    baseUrl,
    useAllJs: (url) => (allJs = url),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * `confluence-iframe-kit emulate --app … --latency …` as the package ships it (dist/emulator, built first: the
 * prebuilt page, not vite serving the sources); answers its URL and a way to stop it.
 */
async function startEmulatorCommand(descriptorUrl) {
  const built = spawnSync(process.execPath, ['emulator/build.mjs'], { cwd: root, stdio: 'ignore' });
  if (built.status !== 0) throw new Error('npm run build:emulator failed');
  const child = spawn(
    process.execPath,
    ['dist/emulator/cli.js', 'emulate', '--app', descriptorUrl, '--port', '0', '--latency', latency],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const read = (chunk) => {
      output += chunk;
      const match = /^Emulator: (\S+)$/m.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}): ${output}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

/**
 * One load in a fresh tab: the emulator page with the variant's macro; answers the iframe's first-data mark (ms
 * after its navigationStart) and the page's request log as calls on the iframe's clock.
 */
async function loadOnce(context, emulatorUrl, appBaseUrl, variant) {
  const page = await context.newPage();
  try {
    await page.goto(`${emulatorUrl}?module=${variant.module}`);
    const frameUrl = `${appBaseUrl}/${variant.id}/`;
    const frame = await (async () => {
      for (;;) {
        const found = page.frames().find((candidate) => candidate.url().startsWith(frameUrl));
        if (found) return found;
        await page.waitForEvent('framenavigated', { timeout: 30_000 });
      }
    })();
    await frame.waitForFunction(() => performance.getEntriesByName('first-data').length > 0, undefined, {
      timeout: 30_000,
      polling: 50,
    });
    const measured = await frame.evaluate(() => {
      const scripts = performance.getEntriesByType('resource').filter((entry) => /\.js(\?|$)/.test(entry.name));
      const allJs = scripts.find((entry) => entry.name.includes('/atlassian-connect/all.js'));
      return {
        firstData: performance.getEntriesByName('first-data')[0].startTime,
        title: document.querySelector('h2')?.textContent ?? '',
        timeOrigin: performance.timeOrigin,
        allJsLoaded: allJs?.responseEnd ?? NaN,
      };
    });
    // The request log's times are on the emulator page's clock: moved onto the iframe's.
    const pageOrigin = await page.evaluate(() => performance.timeOrigin);
    const shift = pageOrigin - measured.timeOrigin;
    const calls = await page.$$eval('[data-testid="request-log"] > li', (rows) =>
      rows.map((row) => ({
        path: row.querySelector('.emu-log-path')?.textContent ?? '',
        start: Number(row.dataset.startMs),
        end: Number(row.dataset.endMs),
      })),
    );
    const onFrameClock = calls.reverse().map((call) => ({ ...call, start: call.start + shift, end: call.end + shift }));
    return {
      firstData: measured.firstData,
      title: measured.title,
      allJsLoaded: measured.allJsLoaded,
      pageReadStart: onFrameClock[0]?.start ?? NaN,
      calls: onFrameClock,
    };
  } finally {
    await page.close();
  }
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};

// A temporary folder under node_modules, so the builds resolve react and TanStack Query from this repository.
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const work = mkdtempSync(join(root, 'node_modules', '.cache', 'cik-bench-first-data-'));
let app;
let emulator;
let browser;
try {
  console.log('building the four variants (vite, production)…');
  await buildVariants(work);
  app = await serveApp(work);
  emulator = await startEmulatorCommand(app.descriptorUrl);
  app.useAllJs(new URL('/atlassian-connect/all.js', emulator.url).toString());
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // One warm-up load each, not counted: the first loads of a fresh browser are slower for everyone.
  for (const variant of VARIANTS) await loadOnce(context, emulator.url, app.baseUrl, variant);
  const results = new Map(
    VARIANTS.map((variant) => [variant.id, { times: [], allJs: [], readStarts: [], calls: [], title: '' }]),
  );
  const loadBefore = loadavg()[0];
  for (let run = 0; run < runs; run++) {
    // Interleaved, the order rotating each run.
    for (let step = 0; step < VARIANTS.length; step++) {
      const variant = VARIANTS[(run + step) % VARIANTS.length];
      const load = await loadOnce(context, emulator.url, app.baseUrl, variant);
      const result = results.get(variant.id);
      result.times.push(load.firstData);
      result.allJs.push(load.allJsLoaded);
      result.readStarts.push(load.pageReadStart);
      result.calls = load.calls;
      result.title = load.title;
    }
    process.stdout.write(`run ${run + 1}/${runs}\r`);
  }
  await context.close();

  const summary = VARIANTS.map((variant) => {
    const result = results.get(variant.id);
    return {
      ...variant,
      ...result,
      median: quantile(result.times, 0.5),
      p90: quantile(result.times, 0.9),
      allJsMedian: quantile(result.allJs, 0.5),
      readStartMedian: quantile(result.readStarts, 0.5),
    };
  });
  const raw = summary[0];
  const ms = (value) => `${Math.round(value)} ms`;
  const ratio = (value, base) => `${(value / base).toFixed(2)}×`;
  const waterfall = (calls) =>
    calls.map((call) => `${call.path.trim()} ${Math.round(call.start)}→${Math.round(call.end)} ms`).join('; ') || '–';
  const rows = summary.map(
    (variant) =>
      `| ${variant.label} | ${ms(variant.median)} | ${ms(variant.p90)} | ${ratio(variant.median, raw.median)} | ${ratio(variant.p90, raw.p90)} | ${ms(variant.allJsMedian)} | ${ms(variant.readStartMedian)} | ${waterfall(variant.calls)} |`,
  );
  const kitEarly = summary.find((variant) => variant.id === 'kit-early');
  const handWritten = summary.find((variant) => variant.id === 'hand-written');
  const body = `## First data (Chromium, emulator with latency)

\`node bench/first-data.mjs --runs ${runs} --latency ${latency} --write\`: one macro (show the title of the page it sits on) built four ways, each a production build (vite) served as a static Connect app and loaded ${runs} times in a fresh tab, interleaved, under \`confluence-iframe-kit emulate --latency ${latency}\` (every REST answer ${latency} ms late, as a call to Confluence Cloud is; the host's own calls, getContext and getCurrentUser, answer at once as in the emulator). Time from the iframe's navigationStart to the title in the DOM (\`performance.mark('first-data')\`). B and B + early are the README's examples as written there. "all.js loaded" and "page read starts" are medians on the same clock; the last column is the last run's REST calls (start→answer). Load average (1 min) ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after, on ${cpus().length} cores: on a busy machine every number is higher, the ratios less so.

| variant | median | p90 | median / A | p90 / A | all.js loaded (median) | page read starts (median) | REST calls (last run) |
|---|---:|---:|---:|---:|---:|---:|---|
${rows.join('\n')}

Goals (issue 21): B + early within 1.05× of A: **${ratio(kitEarly.median, raw.median)}**; B + early faster than D: **${kitEarly.median < handWritten.median ? 'yes' : 'no'}** (${ms(kitEarly.median)} vs ${ms(handWritten.median)}). Where the time goes: A's page read starts once all.js has loaded and shaken hands with the host; B's waits, in addition, for its bundle to evaluate and React to render, and D's also for TanStack's first render; the early start moves B's page read back to A's ("page read starts"). What remains between the page's answer and the title is the app's bundle finishing evaluation and React's first render where that outlasts the latency: it grows with CPU load, so on a busy machine B + early falls behind A by that much (the p90 column).`;
  console.log(`\n${body}\n`);
  for (const variant of summary) {
    if (!variant.title) throw new Error(`${variant.label}: no title in the DOM`);
  }
  if (write) writeSection('first-data', body);
} finally {
  await browser?.close();
  await emulator?.stop();
  await app?.close();
  rmSync(work, { recursive: true, force: true });
}
