/** Settles with `p` unless `signal` aborts first (then with its reason, like fetch); `gone` runs on that abort. */
export function guard<T>(p: Promise<T>, signal?: AbortSignal, gone?: () => void): Promise<T> {
  if (!signal) return p;
  // Already aborted (e.g. by the caller's own onRetry): no 'abort' event will come, so settle now.
  if (signal.aborted) return (gone?.(), Promise.reject(signal.reason));
  return new Promise((res, rej) => {
    const stop = () => (rej(signal.reason), gone?.());
    signal.addEventListener('abort', stop); // removed once `p` settles; abort fires at most once
    p.then(res, rej).finally(() => signal.removeEventListener('abort', stop));
  });
}
