import { appBasePathOf, splitRequestTarget } from './request-target.js';
import { decodeQueryComponent, encodeRfc3986 } from './percent-encoding.js';

/**
 * Canonical URI: the raw path minus the app's base path, `&` escaped, always starting with `/`,
 * ending with `/` only when that is the only character.
 *
 * The base path is stripped on a SEGMENT boundary (`/wikifoo` is not under `/wiki`). atlassian-jwt strips a plain
 * string prefix, which would let `/wikifoo/bar` share a qsh with `/foo/bar`; that divergence is intentional.
 */
export function canonicalPath(rawPath: string, appBasePath = ''): string {
  let path = rawPath;
  if (appBasePath && (path === appBasePath || path.startsWith(appBasePath + '/'))) {
    path = path.slice(appBasePath.length);
  }
  // Unescaped, `/p&a=b?x=y` and `/p?a=b&x=y` would share a canonical request.
  path = path.replace(/&/g, '%26');
  if (path === '') return '/';
  if (path[0] !== '/') path = '/' + path;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Canonical query: parameters decoded from the raw query string, `jwt` dropped, names sorted by their RFC 3986
 * ENCODED form (code point order, as Atlassian's Java canonicaliser does), repeated values sorted by their RAW
 * decoded form (UTF-16 order — what both the Java canonicaliser and atlassian-jwt do), then encoded and joined
 * with `,`; pairs joined with `&`.
 *
 * Every other parameter is kept verbatim, including `__proto__`, bracketed names (`a[b]`) and empty names,
 * because each one is covered by the signature only if it is part of the hash.
 */
export function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const params = new Map<string, string[]>();
  for (const part of rawQuery.split('&')) {
    if (part === '') continue; // `a=1&&b=2`, a trailing `&`: no parameter there
    const eq = part.indexOf('=');
    const name = decodeQueryComponent(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decodeQueryComponent(part.slice(eq + 1));
    if (name === 'jwt') continue;
    const encodedName = encodeRfc3986(name);
    const values = params.get(encodedName);
    if (values) values.push(value);
    else params.set(encodedName, [value]);
  }
  const names = [...params.keys()].sort(byCodePoint);
  return names.map((name) => name + '=' + params.get(name)!.sort(byCodePoint).map(encodeRfc3986).join(',')).join('&');
}

/**
 * `METHOD&URI&QUERY` for a request. `url` is the request target as received (`/path?query`) or an absolute URL;
 * `appBase` is the app's descriptor baseUrl (or just its path) whose path is removed from the request path.
 */
export function createCanonicalRequest(method: string, url: string, appBase?: string): string {
  const { path, query } = splitRequestTarget(url);
  return method.toUpperCase() + '&' + canonicalPath(path, appBasePathOf(appBase)) + '&' + canonicalQuery(query);
}
