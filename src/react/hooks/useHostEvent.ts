import { useEffect, useMemo, useRef } from 'react';
import { notSupported } from '../internal/host-calls.js';
import { useKit } from '../internal/kit-context.js';

export interface HostEventOptions {
  /** Public events reach other apps' iframes too (`onPublic`/`emitPublic` on both hosts). */
  public?: boolean;
}

/**
 * Listens to a host event for as long as the component is mounted: `AP.events` on Connect, `events` on
 * Forge. The handler gets the event's payload (Connect's first argument) and may change between renders
 * without resubscribing. Standalone pages have no host events, so nothing arrives there.
 *
 * @example
 * useHostEvent('review.done', (payload) => setReviewed(payload as { pageId: string }));
 */
export function useHostEvent(name: string, handler: (payload: unknown) => void, options: HostEventOptions = {}): void {
  const { ap, bridge } = useKit();
  const latestHandlerRef = useRef(handler);
  useEffect(() => {
    latestHandlerRef.current = handler;
  });
  const isPublic = !!options.public;
  useEffect(() => {
    const listener = (payload?: unknown) => latestHandlerRef.current(payload);
    const connect = ap?.events;
    if (connect) {
      const [on, off] = isPublic ? [connect.onPublic, connect.offPublic] : [connect.on, connect.off];
      on?.call(connect, name, listener);
      return () => off?.call(connect, name, listener);
    }
    const forge = bridge?.events;
    const subscribe = isPublic ? forge?.onPublic : forge?.on;
    if (!subscribe) return;
    // Forge subscribes asynchronously: an unmount before it settles must still unsubscribe once it does.
    let unmounted = false;
    const subscription = subscribe.call(forge, name, listener).then(
      (subscribed) => {
        if (!unmounted) return subscribed;
        subscribed.unsubscribe();
        return undefined;
      },
      () => undefined,
    );
    return () => {
      unmounted = true;
      subscription.then((subscribed) => subscribed?.unsubscribe());
    };
  }, [ap, bridge, name, isPublic]);
}

/**
 * Emits a host event (`AP.events.emit`/`emitPublic` on Connect, `events.emit`/`emitPublic` on Forge).
 *
 * @example
 * const emit = useEmitHostEvent();
 * await emit('review.done', { pageId });
 */
export function useEmitHostEvent(): (name: string, payload?: unknown, options?: HostEventOptions) => Promise<void> {
  const { ap, bridge } = useKit();
  return useMemo(
    () =>
      (name, payload, options = {}) => {
        const connect = ap?.events;
        const forge = bridge?.events;
        if (connect) {
          const emit = options.public ? connect.emitPublic : connect.emit;
          return emit ? Promise.resolve(emit.call(connect, name, payload)) : notSupported('Public events');
        }
        const emit = options.public ? forge?.emitPublic : forge?.emit;
        return emit ? emit.call(forge, name, payload) : notSupported('Host events');
      },
    [ap, bridge],
  );
}
