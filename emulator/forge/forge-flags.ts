import type { HostFlag } from '../ui/flags';
import type { ForgeFrame, ForgeOp } from './host-bridge';

/** What `showFlag` sends: `@forge/bridge` FlagOptions, with `actions[].onClick` as callback refs. */
interface ForgeFlagPayload {
  id?: unknown;
  title?: unknown;
  description?: unknown;
  type?: unknown;
  appearance?: unknown;
  isAutoDismiss?: unknown;
  actions?: { text?: unknown; onClick?: unknown }[];
}

const FLAG_TYPES = new Set(['info', 'success', 'warning', 'error']);

/** `showFlag` / `closeFlag` in the page's flag group (the same one AP.flag uses); ids are per frame, as Forge scopes them. */
export function createForgeFlags(show: (flag: HostFlag) => { close(): void }): Record<string, ForgeOp> {
  const open = new Map<string, { close(): void }>();
  const keyOf = (frame: ForgeFrame, id: unknown) => `${frame.moduleKey}:${frame.kind}:${String(id)}`;
  return {
    showFlag(payload: ForgeFlagPayload, frame) {
      if (payload?.id === undefined || payload.id === null || payload.id === '')
        throw new Error('"id" must be defined in flag options');
      const key = keyOf(frame, payload.id);
      open.get(key)?.close();
      const type = String(payload.type ?? payload.appearance ?? 'info');
      const actions = (Array.isArray(payload.actions) ? payload.actions : []).map((action, i) => {
        // Bound now, to the document that showed the flag: after a reload in its frame the click reaches nobody.
        const onClick = frame.callback(action?.onClick);
        return { actionKey: `${key}:${i}`, actionText: String(action?.text ?? ''), executeAction: () => onClick?.() };
      });
      const release = frame.releaser(
        (Array.isArray(payload.actions) ? payload.actions : []).map((action) => action?.onClick),
      );
      const handle = show({
        id: key,
        title: typeof payload.title === 'string' ? payload.title : '',
        body: typeof payload.description === 'string' ? payload.description : '',
        type: FLAG_TYPES.has(type) ? type : 'info',
        close: payload.isAutoDismiss ? 'auto' : 'manual',
        actions,
        onClose: () => {
          if (open.get(key) === handle) open.delete(key);
          // The actions' onClick functions can never run again: the shim may drop them.
          release();
        },
      });
      open.set(key, handle);
      return true;
    },
    closeFlag(payload: { id?: unknown }, frame) {
      const handle = open.get(keyOf(frame, payload?.id));
      handle?.close();
      return Boolean(handle);
    },
  };
}
