import Resolver from '@forge/resolver';

/**
 * The app's Forge functions, called from the UI with `invoke('getViewer')` from @forge/bridge. Confluence data is
 * read in the UI through the kit (requestConfluence as the user); resolvers are for what needs the app's own
 * runtime: secrets, storage, calls as the app.
 */
const resolver = new Resolver();

resolver.define('getViewer', ({ context }) => ({ accountId: context.accountId ?? null }));

export const handler = resolver.getDefinitions();
