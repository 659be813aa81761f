/**
 * Settles like `promise` unless `signal` aborts first: then it rejects at once with the signal's reason (as fetch
 * does), calls `onAbort`, and drops whatever `promise` settles with later.
 *
 * The client uses it for every wait a caller may abandon (a host call, a backoff, a coalesced trip); the React layer
 * imports it from this path so its own host calls settle aborts the same way.
 */
export function guard<T>(promise: Promise<T>, signal?: AbortSignal, onAbort?: () => void): Promise<T> {
  if (!signal) return promise;
  // Already aborted (e.g. by the caller's own onRetry): no 'abort' event will come, so settle now.
  if (signal.aborted) {
    onAbort?.();
    return Promise.reject(signal.reason);
  }
  return new Promise((resolve, reject) => {
    const stop = () => {
      reject(signal.reason);
      onAbort?.();
    };
    signal.addEventListener('abort', stop); // abort fires at most once; the listener goes when `promise` settles
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}
