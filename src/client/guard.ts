/** Settles with `p` unless `signal` aborts first (then with its reason, like fetch); `gone` runs on that abort. */
export function guard<T>(p: Promise<T>, signal?: AbortSignal, gone?: () => void): Promise<T> {
  if (!signal) return p;
  return new Promise((res, rej) => {
    const stop = () => (rej(signal.reason), gone?.());
    signal.addEventListener('abort', stop); // removed once `p` settles; abort fires at most once
    p.then(res, rej).finally(() => signal.removeEventListener('abort', stop));
  });
}
