// confluence-iframe-kit/react — a thin adapter over the client on TanStack Query v5.
export { ConfluenceProvider, useHostReady, type ConfluenceProviderProps } from './host/ConfluenceProvider';
export { createConfluenceQueryClient, confluenceRetry } from './host/queryClient';
export type { HostPreference } from './host/detectHost';
export {
  useConfluenceClient,
  ConfluenceHostError,
  type ConnectAP,
  type ForgeBridge,
  type HostKind,
} from './context';
export {
  useConfluenceQuery,
  useConfluenceSuspenseQuery,
  useConfluenceInfiniteQuery,
  type ConfluenceQueryFn,
  type ConfluenceQueryOptions,
  type ConfluenceInfiniteOptions,
  type CursorPage,
} from './hooks/useConfluenceQuery';
export { confluenceQueries, cursorQuery, type User, type Page, type Space } from './hooks/queries';
export { type SearchResult, type SearchPage } from './hooks/queries';
export { cql, cqlValue } from './hooks/cql';
export {
  useConfluenceMutation,
  useUpdatePage,
  type ConfluenceMutationOptions,
  type PageUpdate,
} from './hooks/useConfluenceMutation';
export {
  useOperations,
  usePermissions,
  operationsQuery,
  type PermissionTarget,
  type PermittedOperations,
} from './hooks/usePermissions';
export { useContentProperty, type ContentProperty, type ContentPropertyNext } from './hooks/useContentProperty';
export { useConfluenceContext, type ConfluenceContextInfo } from './hooks/useConfluenceContext';
export { useMacro, type MacroApi } from './hooks/useMacro';
export { useContextToken, useAppFetch } from './hooks/useAppFetch';
export { useAutoResize } from './hooks/useAutoResize';
export { useTheme } from './hooks/useTheme';
export { useFlag, type FlagOptions, type ShownFlag } from './hooks/useFlag';
export { useNavigation, type NavigationLocation } from './hooks/useNavigation';
export { useDialog, useDialogContext, type DialogOptions, type DialogSize, type DialogContext } from './hooks/useDialog';
export { useHostEvent, useEmitHostEvent, type HostEventOptions } from './hooks/useHostEvent';
export { RequestState, type RequestStateProps, type RequestLike } from './components/RequestState';
export { QueryBoundary, type QueryBoundaryProps } from './components/QueryBoundary';
export { PermissionGate, type PermissionGateProps } from './components/PermissionGate';
export { StateView, type StateViewProps } from './components/StateView';
export { toViewState } from './components/toViewState';
export {
  defaultMessages,
  type Messages,
  type StateKind,
  type ViewState,
  type StateRenderProps,
  type StateRenderers,
} from './components/messages';
