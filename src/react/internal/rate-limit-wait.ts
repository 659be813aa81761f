import type { ConfluenceClient } from '../../client/index.js';

const waitEnds = new WeakMap<ConfluenceClient, number>();

/**
 * When the client's latest rate-limit wait (before it retries by itself) ends, epoch ms; 0 before any. Kept from the
 * first time a view asks: a "Load more" view appears only once the page is being fetched, often after its 429
 * already arrived, so a subscription of its own would miss the wait. This listener is the client's first, so views
 * that listen too read the wait they are told of.
 */
export function rateLimitWaitEnd(client: ConfluenceClient): number {
  if (!waitEnds.has(client)) {
    waitEnds.set(client, 0);
    client.onRetry((event) => {
      if (event.error.kind === 'rate-limited') waitEnds.set(client, Date.now() + event.delayMs);
    });
  }
  return waitEnds.get(client) ?? 0;
}
