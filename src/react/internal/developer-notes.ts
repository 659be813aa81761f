import { isConfluenceError } from '../../client/index.js';
import type { Messages, ViewState } from '../components/messages.js';

// Development builds only: the state views reach this module through `process.env.NODE_ENV !== 'production'`
// checks written out where they are used (a minifier drops a branch only when it sees the condition there), so
// production bundles carry none of these texts.

/** Hints for the app's developer; `defaultMessages` has them in development builds. */
export const developerHints: Pick<Messages, 'outsideHint' | 'outsideHint.forge-bridge'> = {
  outsideHint: 'Open the app from Confluence, or host it locally with `npx confluence-iframe-kit emulate`.',
  'outsideHint.forge-bridge':
    "This is Forge, but @forge/bridge could not be loaded: pass forgeBridge (import * as bridge from '@forge/bridge') to <ConfluenceProvider>.",
};

/** Errors already told to the console: a state view renders more than once (StrictMode, countdowns, rerenders). */
const told = new WeakSet<object>();

/**
 * What the developer should know about a state on screen: the outside state's hint (returned, shown under the
 * text), and, once per error in the console, Confluence's own words on a request it refused as invalid, which the
 * user's text leaves out.
 */
export function developerNote(texts: Messages, state: ViewState): string | undefined {
  const { kind, reason, error } = state;
  if (kind === 'bad-request' && isConfluenceError(error) && !told.has(error)) {
    told.add(error);
    console.error(`confluence-iframe-kit: Confluence refused a request as invalid. ${error.message}`);
  }
  if (kind !== 'outside') return undefined;
  const hints = texts as unknown as Partial<Record<string, string>>;
  return (reason && hints[`outsideHint.${reason}`]) || texts.outsideHint;
}
