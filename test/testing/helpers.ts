import { answerConfluenceRequest, type ConfluenceWorld } from '../../src/testing/index';

/** One request against the world, with the body parsed when it is JSON. */
export async function call(
  world: ConfluenceWorld,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: unknown } = {},
) {
  const body =
    init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const headers = {
    ...(body !== undefined && typeof init.body !== 'string' ? { 'Content-Type': 'application/json' } : {}),
    ...init.headers,
  };
  const answer = await answerConfluenceRequest(world, { method, path, headers, body });
  const text = typeof answer.body === 'string' ? answer.body : '';
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { ...answer, text, json };
}

export const CONNECT = (world: ConfluenceWorld) => ({ 'AP-Client-Key': world.app.key });
