/** Methods whose requests carry no body: `fetch` and `new Request` throw a TypeError when given one. */
const BODYLESS_METHODS = new Set(['GET', 'HEAD']);

/**
 * The body a Forge remote invocation sends for `invokeRemote({ method, body })`: the JSON of `body`, or nothing for
 * GET / HEAD, which the platform would not send a body with. Passing one on to `fetch` would throw, and that would be
 * reported as "Failed to fetch", a network fault the backend never saw. Sets `content-type: application/json` on
 * `headers` when a body is sent and the app named no type.
 */
export function remoteInvocationBody(method: string, body: unknown, headers: Headers): string | undefined {
  if (body === undefined || BODYLESS_METHODS.has(method.toUpperCase())) return undefined;
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  return JSON.stringify(body);
}

/**
 * What `invokeRemote` resolves with for the remote's HTTP answer: status, headers, and the body parsed as JSON when it
 * is JSON (the platform hands JSON back as an object), else as text; no `body` for an empty answer.
 */
export async function remoteInvocationResult(
  response: Response,
): Promise<{ status: number; headers: Record<string, string>; body?: unknown }> {
  const text = await response.text();
  const result: { status: number; headers: Record<string, string>; body?: unknown } = {
    status: response.status,
    headers: Object.fromEntries(response.headers),
  };
  if (text === '') return result;
  try {
    result.body = JSON.parse(text);
  } catch {
    result.body = text;
  }
  return result;
}
