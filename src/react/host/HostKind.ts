/**
 * The host an app runs in: Connect (`AP.request`), Forge Custom UI (`@forge/bridge`) or a plain `fetch` to the site.
 * The same members as the client transport's `kind`.
 */
export type HostKind = 'connect' | 'forge' | 'fetch';

/** Which host `<ConfluenceProvider host>` uses; `auto` detects it. */
export type HostPreference = HostKind | 'auto';
