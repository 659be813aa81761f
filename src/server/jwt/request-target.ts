/**
 * Splits a request target (`/path?query`, or an absolute URL) into its RAW path and query.
 * Hand-written on purpose: `new URL()` normalises dot segments and re-encodes characters, and `qs`/`querystring`
 * build objects; the canonical request must be computed from the bytes the signer saw.
 */
export interface RequestTarget {
  /** raw path, still percent-encoded, without query or fragment ('' when absent) */
  path: string;
  /** raw query string without the leading `?` ('' when absent) */
  query: string;
}

const ABSOLUTE = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;

export function splitRequestTarget(url: string): RequestTarget {
  let rest = url;
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const scheme = ABSOLUTE.exec(rest);
  if (scheme) {
    const afterScheme = rest.slice(scheme[0].length);
    const authorityEnd = afterScheme.search(/[/?]/);
    rest = authorityEnd === -1 ? '' : afterScheme.slice(authorityEnd);
  }
  const q = rest.indexOf('?');
  if (q === -1) return { path: rest, query: '' };
  return { path: rest.slice(0, q), query: rest.slice(q + 1) };
}

/** `https://app.example.com/connect/` → `/connect`; a bare path is accepted too; '' when the app sits at the root. */
export function appBasePathOf(baseUrlOrPath: string | undefined): string {
  if (!baseUrlOrPath) return '';
  const { path } = splitRequestTarget(baseUrlOrPath);
  return path.replace(/\/+$/, '');
}
