// confluence-iframe-kit/react — a thin adapter over the client on TanStack Query v5. Plumbing (the provider's
// context, host detection, host-call bounds, the client binding) lives in ./internal and is not exported.

// Provider and host
export { ConfluenceProvider, type ConfluenceProviderProps } from './host/ConfluenceProvider.js';
export { createConfluenceQueryClient, confluenceRetry } from './host/queryClient.js';
export type { HostKind, HostPreference } from './host/HostKind.js';
export type { ConnectAP, ConnectEvents } from './host/ConnectAP.js';
export type { ForgeBridge } from './host/ForgeBridge.js';
export { useHostReady, type HostReadiness } from './hooks/useHostReady.js';
export { useConfluenceClient } from './hooks/useConfluenceClient.js';

// Errors
export { ConfluenceHostError, isConfluenceHostError, type ConfluenceHostErrorCode } from './errors.js';

// Queries
export {
  confluenceQueryOptions,
  type ConfluenceQueryFn,
  type ConfluenceQueryOptions,
  type ConfluenceQueryOptionsInput,
  type ConfluenceInfiniteQueryOptions,
  type CursorPage,
} from './queries/query-options.js';
export {
  confluenceQueries,
  cursorQuery,
  type ContentProperty,
  type User,
  type Page,
  type Space,
  type SearchResult,
  type SearchPage,
} from './queries/confluence-queries.js';
export {
  operationsQuery,
  customOperation,
  type ConfluenceOperation,
  type CustomOperation,
  type PermissionOperation,
  type PermissionTarget,
  type PermittedOperations,
} from './queries/operations.js';
export { cql, cqlValue } from './queries/cql.js';
export {
  useConfluenceQuery,
  useConfluenceSuspenseQuery,
  useConfluenceInfiniteQuery,
  type ConfluenceQueryResult,
  type ConfluenceSuspenseQueryResult,
  type ConfluenceInfiniteQueryResult,
} from './hooks/useConfluenceQuery.js';

// Mutations and state
export {
  useConfluenceMutation,
  useUpdatePage,
  type ConfluenceMutationOptions,
  type PageUpdate,
} from './hooks/useConfluenceMutation.js';
export { useOperations, usePermissions, type PermissionsResult } from './hooks/usePermissions.js';
export {
  useContentProperty,
  type ContentPropertyChange,
  type ContentPropertyMutateOptions,
  type ContentPropertyNext,
  type ContentPropertyResult,
} from './hooks/useContentProperty.js';

// Host APIs
export { useConfluenceContext, type ConfluenceContextInfo } from './hooks/useConfluenceContext.js';
export type { ConfluenceViewer } from './internal/viewer.js';
export { useMacro, type MacroApi } from './hooks/useMacro.js';
export { useContextToken, useAppFetch } from './hooks/useAppFetch.js';
export { useAutoResize } from './hooks/useAutoResize.js';
export { useTheme } from './hooks/useTheme.js';
export { useFlag, type FlagOptions, type ShownFlag } from './hooks/useFlag.js';
export { useNavigation, type Navigation, type NavigationLocation } from './hooks/useNavigation.js';
export {
  useDialog,
  useDialogContext,
  type DialogOptions,
  type DialogSize,
  type DialogContext,
} from './hooks/useDialog.js';
export { useHostEvent, useEmitHostEvent, type HostEventOptions } from './hooks/useHostEvent.js';
export { useRateLimit, type RateLimitState } from './hooks/useRateLimit.js';

// Components
export { RequestState, type RequestStateProps, type RequestLike } from './components/RequestState.js';
export { QueryBoundary, type QueryBoundaryProps } from './components/QueryBoundary.js';
export { PermissionGate, type PermissionGateProps } from './components/PermissionGate.js';
export { StateView, type StateViewProps } from './components/StateView.js';
export { toViewState } from './components/toViewState.js';
export {
  defaultMessages,
  type Messages,
  type StateKind,
  type ViewState,
  type StateRenderProps,
  type StateRenderers,
} from './components/messages.js';
