import { confluencePath } from '../../client/index.js';
import { get } from './confluence-queries.js';
import { taggedKey, withConfluenceClient, type ConfluenceQueryOptions } from './query-options.js';

/** Anything with a v2 `/{type}s/{id}/operations` endpoint. Space ids are numeric, not keys. */
export interface PermissionTarget {
  type:
    'page' | 'blogpost' | 'space' | 'attachment' | 'whiteboard' | 'database' | 'folder' | 'embed' | 'custom-content';
  id: string;
}

/**
 * The operations Confluence reports in `GET …/operations` (its `OperationCheckResult` values). Checking a name
 * outside this list needs `customOperation(name)`, so a typo (`'edit'` for `'update'`) is a type error instead of a
 * button hidden from every editor.
 */
export type ConfluenceOperation =
  | 'administer'
  | 'archive'
  | 'clear_permissions'
  | 'copy'
  | 'create'
  | 'create_space'
  | 'delete'
  | 'export'
  | 'move'
  | 'purge'
  | 'purge_version'
  | 'read'
  | 'restore'
  | 'restrict_content'
  | 'update'
  | 'use';

declare const customOperationBrand: unique symbol;

/** An operation name outside `ConfluenceOperation`, made on purpose with `customOperation(name)`. */
export type CustomOperation = string & { readonly [customOperationBrand]: true };

/** An operation `usePermissions().can` and `<PermissionGate operation>` check. */
export type PermissionOperation = ConfluenceOperation | CustomOperation;

/**
 * Marks an operation name that `ConfluenceOperation` does not list (e.g. one Confluence added later) as meant.
 *
 * @example
 * <PermissionGate operation={customOperation('comment')} on={{ type: 'page', id }}>…</PermissionGate>
 */
export function customOperation(name: string): CustomOperation {
  return name as CustomOperation;
}

export interface PermittedOperations {
  operations: { operation: string; targetType: string }[];
}

/**
 * Query options for what the current user may do with the target (v2 `GET …/operations`).
 *
 * @example
 * const { data } = useQuery(operationsQuery({ type: 'space', id: spaceId }));
 */
export function operationsQuery({ type, id }: PermissionTarget): ConfluenceQueryOptions<PermittedOperations> {
  const collection = type === 'custom-content' ? type : `${type}s`;
  return {
    queryKey: taggedKey<PermittedOperations>(['confluence', 'operations', type, id]),
    queryFn: withConfluenceClient(get(`/wiki/api/v2/${collection}` + confluencePath`/${id}/operations`)),
  };
}
