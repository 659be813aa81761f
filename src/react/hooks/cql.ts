/**
 * Safe CQL from user input. Interpolated values are always *values*, never CQL syntax:
 *
 *   cql`type = page AND label = ${label} AND title ~ ${query}`
 *   cql`space in (${['ENG', 'OPS']}) ORDER BY lastmodified DESC`
 *
 * A string becomes a double-quoted CQL string with `\` and `"` escaped by a backslash (the CQL
 * string syntax), so input like `x" OR space = "SECRET` stays one literal instead of widening the
 * query. Numbers are written as they are; an array becomes a comma-separated list of values for
 * `in (…)`. Anything else (undefined, null, objects, NaN) throws: a missing input must not silently
 * turn into the word "undefined". Field names, operators and keywords belong in the template text.
 *
 * Inside `~`, `*` and `?` are still wildcards for Confluence's index: quoting does not change that.
 */
export function cql(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, text, i) => out + cqlValue(values[i - 1]) + text);
}

/** One value as CQL: a quoted, escaped string, a number, or a list of those (for `in (…)`). */
export function cqlValue(value: unknown): string {
  if (typeof value === 'string') return `"${value.replace(/[\\"]/g, '\\$&')}"`;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) {
    if (!value.length) throw new TypeError('cql: an empty list has no CQL form (`in ()` is not valid CQL)');
    return value.map((v) => (Array.isArray(v) ? invalid(v) : cqlValue(v))).join(', ');
  }
  return invalid(value);
}

function invalid(value: unknown): never {
  throw new TypeError(`cql: cannot interpolate ${Array.isArray(value) ? 'a nested list' : value === null ? 'null' : typeof value} as a CQL value`);
}
