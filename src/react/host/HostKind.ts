import type { HostKind } from '../../client/types.js';

// One definition, the client's: the host an app runs in is the transport it talks through.
export type { HostKind };

/** Which host `<ConfluenceProvider host>` uses; `auto` detects it. */
export type HostPreference = HostKind | 'auto';
