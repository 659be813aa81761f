import {
  operationsQuery,
  type PermissionOperation,
  type PermissionTarget,
  type PermittedOperations,
} from '../queries/operations.js';
import { useConfluenceQuery, type ConfluenceQueryResult } from './useConfluenceQuery.js';

/**
 * What the current user may do with the target (v2 `GET …/operations`).
 *
 * @example
 * const operations = useOperations({ type: 'page', id: pageId });
 */
export function useOperations(on: PermissionTarget): ConfluenceQueryResult<PermittedOperations> {
  return useConfluenceQuery(operationsQuery(on));
}

/** `useOperations`' result plus `can(operation)`. Named, so the published types need only `@tanstack/react-query`. */
export type PermissionsResult = ConfluenceQueryResult<PermittedOperations> & {
  can: (operation: PermissionOperation) => boolean;
};

/**
 * `useOperations` plus `can(operation)`. `can` is false while loading and when the check fails
 * (a 404 means the target isn't visible, so nothing is permitted), so actions stay hidden until known.
 *
 * @example
 * const { can } = usePermissions({ type: 'page', id: pageId });
 * return can('update') ? <EditButton /> : null;
 */
export function usePermissions(on: PermissionTarget): PermissionsResult {
  const query = useOperations(on);
  const can = (operation: PermissionOperation): boolean => {
    const permitted = query.data?.operations ?? [];
    return permitted.some((entry) => entry.operation === operation);
  };
  return { ...query, can };
}
