import type { ReactNode } from 'react';
import { usePermissions, type PermissionTarget } from '../hooks/usePermissions.js';

export interface PermissionGateProps {
  /** A v2 operation name, e.g. "update", "delete", "create". */
  operation: string;
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
 */
export function PermissionGate({ operation, on, fallback = null, pending = null, children }: PermissionGateProps) {
  const { isPending, can } = usePermissions(on);
  if (isPending) return pending;
  const allowed = can(operation);
  return typeof children == 'function' ? children(allowed) : allowed ? children : fallback;
}
