import { createServer } from 'node:net';

/** Whether nothing listens on `port` yet (a quick listen-and-close; any error but "in use" counts as free). */
export function isPortFree(port: number, host = 'localhost'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'EADDRINUSE'));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/**
 * The preferred port when it is free, else 0 (the caller then lets the system pick one), with one line saying so:
 * `npm run dev` must start even when another dev server holds 3000 or 5173.
 */
export async function preferredOrFreePort(
  preferred: number,
  envName: string,
  log: (line: string) => void = console.log,
): Promise<number> {
  if (preferred === 0 || (await isPortFree(preferred))) return preferred;
  log(`Port ${preferred} is busy, so a free one is used instead (set ${envName} to choose one).`);
  return 0;
}

/** A port nothing listens on right now (the system picks it). */
export function freePort(host = 'localhost'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no free port'));
      });
    });
  });
}
