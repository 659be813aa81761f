/**
 * Safe CQL from user input. Interpolated values are always *values*, never CQL syntax:
 *
 *   cql`type = page AND label = ${label} AND title ~ ${query}`
 *   cql`space in (${['ENG', 'OPS']}) ORDER BY lastmodified DESC`
 *
 * A string becomes a double-quoted CQL string with `\`, `"` and `'` escaped by a backslash (the CQL
 * string syntax), so input like `x" OR space = "SECRET` stays one literal instead of widening the
 * query. Numbers must be safe integers (ids) and are written as they are; an array becomes a
 * comma-separated list of values for `in (…)`. Anything else (undefined, null, objects, NaN, 1.5)
 * throws: a missing input must not silently turn into the word "undefined". Field names, operators
 * and keywords belong in the template text.
 *
 * The template quotes values itself, so a hole inside quotes written in the template
 * (cql`title ~ '${input}'`) throws: there the value's own quotes would close the template's, which
 * turns input like `' OR label = security OR title ~ '` into CQL syntax, and turns ordinary input
 * into a search for `"runbook"` with its quotes.
 *
 * Inside `~`, `*` and `?` are still wildcards for Confluence's index: quoting does not change that.
 */
export function cql(strings: TemplateStringsArray, ...values: unknown[]): string {
  let quote: '"' | "'" | null = null; // the quote the template text has open, as CQL's tokenizer reads it
  let out = '';
  strings.forEach((text, i) => {
    // `undefined` is how a tagged template hands over text with an invalid escape such as `\u`.
    if (text === undefined) throw new TypeError('cql: the template text has an invalid escape sequence');
    if (i > 0) {
      if (quote || text.startsWith('"') || text.startsWith("'"))
        throw new TypeError('cql: the template quotes values itself; remove the quotes around ${…}');
      out += cqlValue(values[i - 1]);
    }
    for (let j = 0; j < text.length; j++) {
      const character = text[j];
      if (quote) {
        // A backslash escapes the next character inside a CQL string.
        if (character === '\\') j++;
        else if (character === quote) quote = null;
      } else if (character === '"' || character === "'") {
        quote = character;
      }
    }
    out += text;
  });
  return out;
}

/** One value as CQL: a quoted, escaped string, a safe integer, or a list of those (for `in (…)`). */
export function cqlValue(value: unknown): string {
  if (typeof value === 'string') return `"${value.replace(/[\\"']/g, '\\$&')}"`;
  // Numbers are written unquoted, so only integers: outside quotes CQL reserves `.` and `+` (1.5, 1e+21)
  // and has no NaN or Infinity, and an unsafe integer would already be a different id than the one meant.
  // Quote any other number yourself, as a string (String(n)).
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return String(value);
    throw new TypeError(
      `cql: cannot interpolate the number ${value} as a CQL value (only safe integers; pass other numbers as strings)`,
    );
  }
  if (typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) {
    if (!value.length) throw new TypeError('cql: an empty list has no CQL form (`in ()` is not valid CQL)');
    return value.map((item) => (Array.isArray(item) ? invalid(item) : cqlValue(item))).join(', ');
  }
  return invalid(value);
}

function invalid(value: unknown): never {
  throw new TypeError(
    `cql: cannot interpolate ${Array.isArray(value) ? 'a nested list' : value === null ? 'null' : typeof value} as a CQL value`,
  );
}
