// The one place the React layer imports runtime values from react, TanStack Query and the client.
// esbuild does not merge imports of an external module across bundled files, so a single import site
// keeps ./react smaller (budget: 4 kB min+gz). Types are imported where they are used.
export { Component, Suspense, createContext, useContext, useEffect, useMemo, useRef, useState } from 'react';
export {
  QueryClient,
  QueryClientProvider,
  QueryErrorResetBoundary,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  useSuspenseQuery,
} from '@tanstack/react-query';
export {
  confluencePath,
  createConfluenceClient,
  createConnectTransport,
  createFetchTransport,
  createForgeTransport,
  isConfluenceError,
} from '../client/index.js';
// Internal, not public API: the abort race the client uses, shared so useAppFetch settles aborts the same way.
export { guard } from '../client/internal/guard.js';
