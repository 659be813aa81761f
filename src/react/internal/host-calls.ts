import { ConfluenceHostError } from '../errors.js';

/** AP and the Forge bridge have no timeouts of their own: a host call that never answers rejects with HOST_TIMEOUT. */
export function bounded<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new ConfluenceHostError('HOST_TIMEOUT', `No answer from the host in ${timeoutMs} ms.`));
    }, timeoutMs);
  });
  // A host that answered leaves no timer behind.
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Promise form of a callback-style AP call, bounded; a call that throws rejects with its error. */
export function fromCallback<T>(call: (callback: (value: T) => void) => void, timeoutMs: number): Promise<T> {
  return bounded(new Promise<T>(call), timeoutMs);
}

/** Rejects with `NOT_SUPPORTED`: the host in use has no such API. */
export function notSupported(what: string): Promise<never> {
  return Promise.reject(new ConfluenceHostError('NOT_SUPPORTED', `${what}: not available on this host.`));
}
