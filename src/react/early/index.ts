// `confluence-iframe-kit/early`: host calls before React. React-free and TanStack-free, so the script that loads it
// before the app's bundle stays small; `<ConfluenceProvider>` (./react) adopts what it started.
export { earlyReads, startEarly } from './start-early.js';
export type { EarlyRead, StartEarlyOptions } from './start-early.js';
export type { ConfluenceContextInfo, ConfluenceViewer } from '../internal/host-context.js';
