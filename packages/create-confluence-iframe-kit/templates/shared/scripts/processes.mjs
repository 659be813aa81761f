/**
 * What `npm run dev` needs: run the tools of node_modules/.bin side by side, stop them all when one stops or on
 * Ctrl-C, and wait for a URL to answer before starting what depends on it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const children = new Set();

function binary(name) {
  return join('node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
}

function stopAll(code) {
  for (const child of children) child.kill('SIGTERM');
  process.exitCode = code;
}
process.once('SIGINT', () => stopAll(130));
process.once('SIGTERM', () => stopAll(143));

/** Runs a tool to the end (e.g. the first build); exits when it fails. */
export function runOnce(name, args, env = {}) {
  const result = spawnSync(binary(name), args, {
    stdio: 'inherit',
    env: { ...process.env, ...env },
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Starts a tool that keeps running; when it exits, everything stops. */
export function start(name, args, env = {}) {
  const child = spawn(binary(name), args, {
    stdio: 'inherit',
    env: { ...process.env, ...env },
    shell: process.platform === 'win32',
  });
  children.add(child);
  child.once('exit', (code) => {
    children.delete(child);
    stopAll(code ?? 1);
  });
  return child;
}

/** Resolves once `url` answers (any status), polling every 200 ms; rejects after `timeoutMs`. */
export async function waitFor(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
