// confluence-iframe-kit/react — a thin adapter over the client on TanStack Query v5.
export { ConfluenceProvider, useHostReady, type ConfluenceProviderProps } from './host/ConfluenceProvider.js';
export { createConfluenceQueryClient, confluenceRetry } from './host/queryClient.js';
export type { HostPreference } from './host/detectHost.js';
export {
  useConfluenceClient,
  ConfluenceHostError,
  type ConnectAP,
  type ForgeBridge,
  type HostKind,
} from './context.js';
export {
  useConfluenceQuery,
  useConfluenceSuspenseQuery,
  useConfluenceInfiniteQuery,
  type ConfluenceQueryFn,
  type ConfluenceQueryOptions,
  type ConfluenceInfiniteOptions,
  type CursorPage,
} from './hooks/useConfluenceQuery.js';
export { confluenceQueries, cursorQuery, type User, type Page, type Space } from './queries/confluence-queries.js';
export { type SearchResult, type SearchPage } from './queries/confluence-queries.js';
export { cql, cqlValue } from './queries/cql.js';
export {
  useConfluenceMutation,
  useUpdatePage,
  type ConfluenceMutationOptions,
  type PageUpdate,
} from './hooks/useConfluenceMutation.js';
export {
  useOperations,
  usePermissions,
  operationsQuery,
  type PermissionTarget,
  type PermittedOperations,
} from './hooks/usePermissions.js';
export { useContentProperty, type ContentProperty, type ContentPropertyNext } from './hooks/useContentProperty.js';
export { useConfluenceContext, type ConfluenceContextInfo } from './hooks/useConfluenceContext.js';
export { useMacro, type MacroApi } from './hooks/useMacro.js';
export { useContextToken, useAppFetch } from './hooks/useAppFetch.js';
export { useAutoResize } from './hooks/useAutoResize.js';
export { useTheme } from './hooks/useTheme.js';
export { useFlag, type FlagOptions, type ShownFlag } from './hooks/useFlag.js';
export { useNavigation, type NavigationLocation } from './hooks/useNavigation.js';
export {
  useDialog,
  useDialogContext,
  type DialogOptions,
  type DialogSize,
  type DialogContext,
} from './hooks/useDialog.js';
export { useHostEvent, useEmitHostEvent, type HostEventOptions } from './hooks/useHostEvent.js';
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
