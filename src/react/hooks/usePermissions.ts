import { confluencePath } from '../deps.js';
import { get } from '../queries/confluence-queries.js';
import { useConfluenceQuery, type ConfluenceQueryOptions } from './useConfluenceQuery.js';

/** Anything with a v2 `/{type}s/{id}/operations` endpoint. Space ids are numeric, not keys. */
export interface PermissionTarget {
  type:
    'page' | 'blogpost' | 'space' | 'attachment' | 'whiteboard' | 'database' | 'folder' | 'embed' | 'custom-content';
  id: string;
}

export interface PermittedOperations {
  operations: { operation: string; targetType: string }[];
}

export const operationsQuery = ({ type, id }: PermissionTarget): ConfluenceQueryOptions<PermittedOperations> => ({
  queryKey: ['confluence', 'operations', type, id],
  queryFn: get(`/wiki/api/v2/${type === 'custom-content' ? type : type + 's'}` + confluencePath`/${id}/operations`),
});

/** What the current user may do with the target (v2 `GET …/operations`). */
export const useOperations = (on: PermissionTarget) => useConfluenceQuery(operationsQuery(on));

/**
 * `useOperations` plus `can(operation)`. `can` is false while loading and when the check fails
 * (a 404 means the target isn't visible, so nothing is permitted), so actions stay hidden until known.
 */
export function usePermissions(on: PermissionTarget) {
  const query = useOperations(on);
  const can = (operation: string) => !!query.data?.operations.some((o) => o.operation === operation);
  return { ...query, can };
}
