/**
 * Tagged template that percent-encodes every interpolated value as one path segment, so an id like
 * `1/../../admin` cannot steer a request to another endpoint.
 *
 * @example
 * const path = confluencePath`/wiki/api/v2/pages/${pageId}/children`;
 * await client.request({ path });
 */
export function confluencePath(strings: TemplateStringsArray, ...values: unknown[]): string {
  let path = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) path += encodeURIComponent(String(values[i])) + strings[i + 1];
  return path;
}
