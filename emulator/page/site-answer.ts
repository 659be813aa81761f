import {
  answerConfluenceRequest,
  type ConfluenceAnswer,
  type ConfluenceRequestInit,
  type ConfluenceWorld,
} from '../../src/testing/core';
import type { SerializedAnswer } from '../node/site-answer';

/**
 * How the page answers its app's REST calls (Connect AP.request, Forge requestConfluence, the backend's calls it is
 * sent): from its site, after the developer's `emulate --handlers` when there are any. Those run in the Node half
 * (they are the developer's Node module), so each call asks there first; one with a body that is not text (a file
 * upload) goes straight to the site.
 */
export function createSiteAnswer(
  world: ConfluenceWorld,
  extraHandlers: boolean,
): (init: ConfluenceRequestInit) => Promise<ConfluenceAnswer> {
  if (!extraHandlers) return (init) => answerConfluenceRequest(world, init);
  return async (init) => {
    const body = init.body instanceof URLSearchParams ? init.body.toString() : init.body;
    if (body === undefined || body === null || typeof body === 'string') {
      const answer = await askExtraHandlers({
        method: init.method ?? 'GET',
        path: init.path,
        headers: init.headers ?? {},
        ...(typeof body === 'string' ? { body } : {}),
      });
      if (answer) return answer;
    }
    return answerConfluenceRequest(world, init);
  };
}

async function askExtraHandlers(request: {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}): Promise<ConfluenceAnswer | undefined> {
  const response = await fetch('/__emulator/extra-handler', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const { answer } = (await response.json()) as { answer?: SerializedAnswer | null };
  if (!response.ok || !answer) return undefined;
  const body = answer.base64 ? Uint8Array.from(atob(answer.body), (char) => char.charCodeAt(0)).buffer : answer.body;
  return { status: answer.status, statusText: answer.statusText, headers: answer.headers, body };
}
