/**
 * Route paths with named parameters: `/api/items/:id` matches `/api/items/42` and hands the handler
 * `params.id === '42'`.
 *
 * The rules, the same for every adapter:
 * - A path is split on `/` into segments. A segment `:name` matches exactly one non-empty segment; any other segment
 *   matches only itself, compared as written (case-sensitive, still percent-encoded).
 * - One trailing slash is ignored on both sides: `/api/items/42/` matches `/api/items/:id` (as it always did for
 *   literal paths). `/api/items/` does not match (an empty segment is no id).
 * - A parameter's value is percent-decoded once (`decodeURIComponent`) AFTER the split, so `%2F` in a value stays
 *   inside that value (`/api/items/a%2Fb` gives `id === 'a/b'`) and never moves the route to another pattern. A
 *   segment whose percent-encoding is malformed (`%E0%A4%A`) matches nothing: the request gets the 404 of an
 *   unknown route rather than a handler seeing undecodable text.
 */

/** `{ id: string }` for `'/api/items/:id'`; `{}` for a path without parameters. */
export type RouteParams<Path extends string> = string extends Path
  ? Record<string, string>
  : { [Name in ParamNames<Path>]: string };

type ParamNames<Path extends string> = Path extends `${infer Head}/${infer Rest}`
  ? SegmentName<Head> | ParamNames<Rest>
  : SegmentName<Path>;

type SegmentName<Segment extends string> = Segment extends `:${infer Name}` ? Name : never;

/** A route path, split once at startup. */
export interface PathPattern {
  /** the path as configured, one trailing slash removed */
  readonly path: string;
  /** whether it has `:name` segments */
  readonly hasParams: boolean;
  /** the parameters of `requestPath` (relative, without query), or undefined when it does not match */
  match(requestPath: string): Record<string, string> | undefined;
}

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path || '/';
}

/** Compiles a route path; a malformed or repeated parameter name is a TypeError at startup, never a dead route. */
export function compilePathPattern(routePath: string): PathPattern {
  const path = withoutTrailingSlash(routePath);
  const segments = path.split('/');
  const names = new Set<string>();
  for (const segment of segments) {
    if (!segment.startsWith(':')) continue;
    const name = segment.slice(1);
    if (!PARAM_NAME.test(name))
      throw new TypeError(`Route ${routePath}: ${JSON.stringify(segment)} is no parameter name.`);
    if (names.has(name)) throw new TypeError(`Route ${routePath}: the parameter :${name} is repeated.`);
    names.add(name);
  }
  const hasParams = names.size > 0;
  return {
    path,
    hasParams,
    match(requestPath) {
      const candidate = withoutTrailingSlash(requestPath);
      if (!hasParams) return candidate === path ? {} : undefined;
      const parts = candidate.split('/');
      if (parts.length !== segments.length) return undefined;
      const params: Record<string, string> = Object.create(null) as Record<string, string>;
      for (let index = 0; index < segments.length; index++) {
        const segment = segments[index]!;
        const part = parts[index]!;
        if (!segment.startsWith(':')) {
          if (segment !== part) return undefined;
          continue;
        }
        if (part === '') return undefined;
        try {
          params[segment.slice(1)] = decodeURIComponent(part);
        } catch {
          return undefined;
        }
      }
      return params;
    },
  };
}
