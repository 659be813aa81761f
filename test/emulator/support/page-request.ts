/**
 * A request as the emulator page's own `fetch` sends it to one of its `/__emulator/` routes: a JSON POST carrying the
 * page's origin, which browsers always send on a POST (emulator/node/request-guard.ts admits only that).
 */
export function pageRequest(
  emulatorUrl: string,
  route: string,
  body: unknown = {},
  headers: Record<string, string> = {},
): Promise<Response> {
  const url = new URL(`/__emulator/${route}`, emulatorUrl);
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url.origin, 'sec-fetch-site': 'same-origin', ...headers },
    body: JSON.stringify(body),
  });
}
