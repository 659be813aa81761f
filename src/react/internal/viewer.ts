import { createContext } from 'react';
import { useQuery } from '@tanstack/react-query';
import { confluenceQueries } from '../queries/confluence-queries.js';
import type { ConfluenceViewer } from './host-context.js';

export { HOST_CONTEXT_KEY, readHostContext } from './host-context.js';
export type { ConfluenceViewer, HostContextRead } from './host-context.js';

/** What `<ConfluenceProvider>` knows about the viewer; `known: false` while the host context is being read. */
export interface ViewerState {
  viewer?: ConfluenceViewer;
  known: boolean;
}

// Outside a provider there is no host to ask: nothing to wait for, nothing known.
export const ViewerContext = createContext<ViewerState>({ known: true });

/**
 * Whether the current user's body says guest (`isGuest`, or the older `isExternalCollaborator`): no host context
 * does. Read from the cache only, never fetched here (it costs a request): known once the app reads the current user.
 */
export function useIsGuest(): boolean {
  const currentUser = useQuery({ ...confluenceQueries.currentUser(), enabled: false }).data as
    { isGuest?: boolean; isExternalCollaborator?: boolean } | undefined;
  return currentUser?.isGuest === true || currentUser?.isExternalCollaborator === true;
}

/** A `'user'` known to be a guest is a `'guest'`; every other viewer stays as the host said. */
export function withGuest(viewer: ConfluenceViewer, isGuest: boolean): ConfluenceViewer {
  return viewer === 'user' && isGuest ? 'guest' : viewer;
}
