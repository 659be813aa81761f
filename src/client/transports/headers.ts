/** Lower-cases a header bag given as a plain object, a raw `getAllResponseHeaders()` block, or a fetch Headers. */
export function lowerHeaders(src: unknown): Record<string, string> {
  const h: Record<string, string> = {};
  if (typeof src == 'string')
    for (const l of src.split(/\r?\n/)) {
      const i = l.indexOf(':');
      if (i > 0) h[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
    }
  else if (src && typeof (src as Headers).forEach == 'function' && typeof (src as Headers).get == 'function')
    (src as Headers).forEach((v, k) => (h[k.toLowerCase()] = v));
  else if (src && typeof src == 'object') for (const [k, v] of Object.entries(src)) if (v != null) h[k.toLowerCase()] = String(v);
  return h;
}
