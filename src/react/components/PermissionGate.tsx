import type { ReactNode } from 'react';
import { usePermissions } from '../hooks/usePermissions.js';
import type { PermissionOperation, PermissionTarget } from '../queries/operations.js';

export interface PermissionGateProps {
  /** A v2 operation name (`'update'`, `'delete'`, `'create'`, …); any other name through `customOperation(name)`. */
  operation: PermissionOperation;
  on: PermissionTarget;
  /** Shown when the operation is not permitted, e.g. a disabled button. Nothing by default. */
  fallback?: ReactNode;
  /** Shown while the check runs. Nothing by default. */
  pending?: ReactNode;
  children?: ReactNode | ((allowed: boolean) => ReactNode);
}

/**
 * Renders its children only when the current user may perform `operation` on the target, checked
 * up front so the user never reaches a 403. Treats a failed check (e.g. a 404) as "not permitted".
 *
 * @example
 * <PermissionGate operation="update" on={{ type: 'page', id }} fallback={<button disabled>Edit</button>}>
 *   <button onClick={edit}>Edit</button>
 * </PermissionGate>
 */
export function PermissionGate({ operation, on, fallback = null, pending = null, children }: PermissionGateProps) {
  const { isPending, can } = usePermissions(on);
  if (isPending) return pending;
  const allowed = can(operation);
  if (typeof children === 'function') return children(allowed);
  return allowed ? children : fallback;
}
