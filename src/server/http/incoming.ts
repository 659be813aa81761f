import type { RequestLike } from './request.js';

/** A request as the app core sees it: headers and URL up front, the body read only by routes that need one. */
export interface IncomingRequest extends RequestLike {
  /** reads the body as text (at most `maxBytes`; more throws PAYLOAD_INVALID); '' when there is none */
  text(maxBytes: number): Promise<string>;
}
