import type { Transport, TransportResponse } from '../../client/index.js';

/**
 * The host's transport, plus the answers to GETs sent before React: each is handed, in flight or done, to the first
 * identical GET the app's client sends, then forgotten, so a later refetch goes to Confluence. The client then
 * reads that answer as its own (errors, retries, rate limits), and the early reads need no client of their own.
 */
export function rememberingTransport(transport: Transport) {
  const answers = new Map<string, Promise<TransportResponse>>();
  return {
    /** Sends a GET now and keeps its answer for the client's first identical GET. */
    sendEarly(path: string): void {
      const answer = transport.send({ method: 'GET', path, headers: {} });
      // Handled here: an answer no query adopts (the app changed its mind) must not be an unhandled rejection.
      answer.catch(() => {});
      answers.set(path, answer);
    },
    transport: {
      kind: transport.kind,
      send(request) {
        const answer = request.method === 'GET' ? answers.get(request.path) : undefined;
        if (!answer) return transport.send(request);
        answers.delete(request.path);
        return answer;
      },
    } satisfies Transport,
  };
}
