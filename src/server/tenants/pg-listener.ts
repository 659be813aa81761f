import pg from 'pg';
import { isStorableClientKey } from './client-key.js';
import type { TenantChange } from './types.js';

export interface PgListenerOptions {
  connectionString: string;
  channel: string;
  /** connect and query timeout of the listening connection, ms */
  timeoutMs: number;
  /** first and largest delay between reconnect attempts, ms */
  minRetryMs: number;
  maxRetryMs: number;
  /**
   * How often the idle listening connection is probed, ms. A connection that died silently (no FIN, e.g. a
   * dropped NAT entry) would otherwise look alive for as long as TCP keepalive takes, and no notification arrives
   * on it meanwhile.
   */
  heartbeatMs: number;
  onChange(change: TenantChange): void;
  onError(error: unknown): void;
}

/** Shows up in pg_stat_activity, so operators (and tests) can tell the listening connection from pool clients. */
export function listenerApplicationName(channel: string): string {
  return `cik_listen ${channel}`.slice(0, 63);
}

/**
 * One dedicated connection running LISTEN (a pool client would be held forever and starve the pool). It
 * reconnects with bounded, jittered exponential backoff and announces every (re)established LISTEN with a
 * `reset`, because notifications sent while nobody listened are gone.
 */
export class PgListener {
  private client: pg.Client | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;
  private firstAttempt: Promise<void> | undefined;
  /** connections given up by lost() that are still being torn down; close() waits for them */
  private ending = new Set<Promise<void>>();

  constructor(private readonly options: PgListenerOptions) {}

  /** Resolves when the first attempt has finished, successful or not. */
  start(): Promise<void> {
    this.firstAttempt ??= this.connect();
    return this.firstAttempt;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeat);
    this.retryTimer = this.heartbeat = undefined;
    const client = this.client;
    this.client = undefined;
    // Lost connections too: a store that has closed must not leave a socket behind that keeps the process alive.
    await Promise.all([...this.ending, client && endWithin(client, this.options.timeoutMs)]);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const { connectionString, timeoutMs, channel } = this.options;
    const client = new pg.Client({
      connectionString,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      application_name: listenerApplicationName(channel),
      keepAlive: true,
    });
    this.client = client;
    // 'error' without a listener would crash the process; both it and 'end' mean the LISTEN is gone.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('The tenant change listener connection ended.')));
    client.on('notification', (message) => {
      if (client !== this.client || message.channel !== channel) return;
      // Anyone with access to the database can NOTIFY this channel: the payload is only ever used to evict a
      // cache entry (an unknown key evicts nothing), and only if it could be a clientKey at all.
      if (isStorableClientKey(message.payload)) this.options.onChange({ type: 'changed', clientKey: message.payload });
    });
    try {
      await client.connect();
      // The channel name is validated to [a-z_][a-z0-9_]* before it gets here; LISTEN takes no parameters.
      await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (client !== this.client) return; // closed, or lost while connecting
    this.failures = 0;
    this.heartbeat = setInterval(() => {
      client.query('SELECT 1').catch((error: unknown) => this.lost(client, error));
    }, this.options.heartbeatMs);
    this.heartbeat.unref();
    this.options.onChange({ type: 'reset' });
  }

  private lost(client: pg.Client, error: unknown): void {
    if (client !== this.client) return;
    this.client = undefined;
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    // Not a plain end(): a lost connection is often one whose server no longer answers, and end() would wait for
    // its FIN forever, half-closed (pg only force-closes while a query is in flight, not after one failed).
    const ending = endWithin(client, this.options.timeoutMs).finally(() => this.ending.delete(ending));
    this.ending.add(ending);
    if (this.closed) return;
    try {
      this.options.onError(error);
    } catch {
      /* a failing error reporter must not stop the reconnects */
    }
    const { minRetryMs, maxRetryMs } = this.options;
    const ceiling = Math.min(maxRetryMs, minRetryMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    // Jitter, so instances cut off by the same database restart do not all reconnect in the same instant.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
    // A server keeps running for its HTTP socket anyway; a script that is done must not wait for a retry.
    this.retryTimer.unref();
  }
}

/**
 * A graceful end waits for the server's side of the socket to close, which never comes on a connection that died
 * silently; close() must not hang on it (nor leave the socket holding the process open).
 */
async function endWithin(client: pg.Client, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([
    client.end().then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  if (!ended) (client as unknown as { connection?: { stream?: { destroy?(): void } } }).connection?.stream?.destroy?.();
}
