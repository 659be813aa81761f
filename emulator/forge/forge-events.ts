import { UNSUBSCRIBE_OP, type SubscriptionAnswer } from './protocol';
import type { ForgeFrame, ForgeOp } from './host-bridge';

/**
 * `events.on/emit` (the app's own events, between its frames on the page) and `onPublic/emitPublic` (a namespace
 * of their own). An emit reaches every subscribed frame, the emitting one included, as on Forge.
 */
export function createForgeEvents(): {
  ops: Record<string, ForgeOp>;
  emit(name: string, payload: unknown, isPublic: boolean): void;
  forget(frame: ForgeFrame): void;
} {
  let nextId = 1;
  const subscriptions = new Map<
    number,
    { frame: ForgeFrame; channel: string; deliver: (...args: unknown[]) => void }
  >();
  const channel = (name: string, isPublic: boolean) => `${isPublic ? 'public' : 'app'}:${name}`;

  const subscribe =
    (isPublic: boolean): ForgeOp =>
    (payload: { event?: unknown; callback?: unknown }, frame) => {
      if (typeof payload?.event !== 'string') throw new Error('events.on: the event name must be a string.');
      const deliver = frame.callback(payload.callback);
      if (!deliver) throw new Error('events.on: a callback is required.');
      const id = nextId++;
      subscriptions.set(id, { frame, channel: channel(payload.event, isPublic), deliver });
      return { subscription: id } satisfies SubscriptionAnswer;
    };

  function emit(name: string, payload: unknown, isPublic: boolean): void {
    const key = channel(name, isPublic);
    for (const subscription of subscriptions.values()) {
      if (subscription.channel === key) subscription.deliver(payload);
    }
  }

  const publish =
    (isPublic: boolean): ForgeOp =>
    (payload: { event?: unknown; payload?: unknown }) => {
      if (typeof payload?.event !== 'string') throw new Error('events.emit: the event name must be a string.');
      emit(payload.event, payload.payload, isPublic);
    };

  return {
    ops: {
      on: subscribe(false),
      onPublic: subscribe(true),
      emit: publish(false),
      emitPublic: publish(true),
      [UNSUBSCRIBE_OP]: (payload: { subscription?: unknown }, frame) => {
        const subscription = subscriptions.get(Number(payload?.subscription));
        if (subscription?.frame === frame) subscriptions.delete(Number(payload.subscription));
      },
    },
    emit,
    forget(frame) {
      for (const [id, subscription] of subscriptions) {
        if (subscription.frame === frame) subscriptions.delete(id);
      }
    },
  };
}
