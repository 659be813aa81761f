// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The rule every stored clientKey meets: 1–255 printable characters, well-formed Unicode. Install payloads are held
 * to it, and so are unverified token issuers before they reach the store (PostgreSQL refuses NUL in text).
 */
export function isStorableClientKey(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= 255 &&
    !CONTROL_CHARACTER.test(value) &&
    !LONE_SURROGATE.test(value)
  );
}
