/**
 * `emulate --latency <ms>` / `--latency <min>-<max>`: how long the emulated site takes to answer each REST call (the
 * iframe's AP.request and Forge requestConfluence, the app backend's REST over HTTP). It becomes the world's
 * `latencyMs` (the testing kit delays each answer by it), so the request log shows the waterfall a team's users see.
 */

import type { Latency } from '../src/testing/core';

/** A fixed delay, or one drawn between `min` and `max` for each call (jitter): the world's `latencyMs`. */
export type { Latency };

/**
 * A realistic setting for Confluence Cloud, as the README suggests it: a REST call from a browser in the same region
 * takes about a hundred to a few hundred milliseconds there. The command's default stays 0 so tests stay fast.
 */
export const CLOUD_LIKE_LATENCY = '100-250';

/** Above this a typo (150000 for 150) would stall every call; a minute is longer than any host waits for an answer. */
export const MAX_LATENCY_MS = 60_000;

const RANGE = /^(\d+)(?:-(\d+))?$/;

/** `150` → 150, `100-250` → `{ min: 100, max: 250 }`; undefined for anything else (the caller says what is wrong). */
export function parseLatency(text: string): Latency | undefined {
  const match = RANGE.exec(text.trim());
  if (!match) return undefined;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  if (max < min || max > MAX_LATENCY_MS) return undefined;
  return min === max ? min : { min, max };
}
