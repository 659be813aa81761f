import type { PageContext } from '../host/define-modules';
import type { HostFlag } from '../ui/flags';
import { forgeContext } from './forge-context';
import { createForgeEvents } from './forge-events';
import { createForgeFlags } from './forge-flags';
import type { ForgeFrame, ForgeOp, ModalOpener } from './host-bridge';
import { createProductFetch, type ProductFetchEnvironment } from './product-fetch';
import type { FunctionInvokePayload } from './resolver-invoke';
import {
  createRemoteCallLog,
  fetchRemote,
  invokeRemote,
  type FetchRemotePayload,
  type RemoteInvokePayload,
} from './remote-invoke';

/** What `Modal.open()` sends as `openModal`: the resource key, opener data, sizing, `onClose` as a callback ref. */
export interface OpenModalRequest {
  resource: string;
  title: string;
  size: unknown;
  context: unknown;
  closeOnEscape: boolean;
  onClose?: (payload?: unknown) => void;
  /** The module that opened it (undefined for a modal the emulator's module choice opened). */
  opener?: ModalOpener;
}

/** Who opened a modal from this frame: the frame's own module, or for a modal in a modal the first opener. */
function openerOf(frame: ForgeFrame): ModalOpener | undefined {
  if (frame.kind === 'dialog') return frame.modal?.opener;
  return {
    kind: frame.kind,
    moduleKey: frame.moduleKey,
    ...(frame.moduleType ? { moduleType: frame.moduleType } : {}),
  };
}

/** The emulator page as the Forge ops see it; main.ts supplies it, next to the Connect modules' environment. */
export interface ForgeHostEnvironment extends Omit<ProductFetchEnvironment, 'accountId'> {
  context(): PageContext;
  siteUrl: string;
  /** The macro's config, typed as it was submitted. */
  macroConfig(): Record<string, unknown>;
  colorMode(): 'light' | 'dark';
  timezone(accountId: string): string;
  showFlag(flag: HostFlag): { close(): void };
  /** `router.navigate` to a Confluence place; false when the emulator cannot show it. */
  navigate(target: string, contentId: string | undefined): boolean;
  reload(): void;
  /** A config view's `view.submit({ config })`: the macro's new config, its values as the app gave them. */
  submitConfig(config: Record<string, unknown>): void;
  closeConfig(): void;
  openModal(request: OpenModalRequest): void;
  /** The Custom UI resource a frame shows: what `new Modal()` without `resource` opens, as on Forge. */
  resourceOf(frame: ForgeFrame): string;
  /** Asks the user before an app opens an external URL (Confluence's prompt); true when they go on. */
  confirmExternalLink(url: string): Promise<boolean>;
  /** Opens a URL in a new browser tab. */
  openTab(url: string): void;
  /**
   * `invoke(functionKey, payload)`: runs the calling module's Forge function (a manifest's `resolver.function`);
   * undefined when the hosted app has no manifest (its functions cannot be found).
   */
  invokeFunction?(
    request: FunctionInvokePayload,
    call: { moduleKey: string; user: string; context: Record<string, unknown> },
  ): Promise<unknown>;
  /** `view.close(payload)` in a dialog: the opener's `onClose(payload)`, then the dialog goes. */
  closeModal(frame: ForgeFrame, payload: unknown): void;
}

/** A modal's `onClose`, run at most once; right after it ran, the opener's shim may drop the function. */
function releasingOnClose(frame: ForgeFrame, ref: unknown): ((payload?: unknown) => void) | undefined {
  const run = frame.callback(ref);
  if (!run) return undefined;
  const release = frame.releaser([ref]);
  let done = false;
  return (payload) => {
    if (done) return;
    done = true;
    run(payload);
    release();
  };
}

/** An absolute http(s) URL: another site, which Forge opens only after asking (relative URLs are the product's). */
function isExternal(url: string): boolean {
  if (!/^https?:\/\//i.test(url)) return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

const NOT_EMULATED = (what: string) => new Error(`${what} is not emulated by the Confluence emulator.`);

/**
 * The op table: every `callBridge(op, payload)` the emulator answers, by op name (docs/emulator.md has it as a
 * table). An op missing here gets a "does not support" error from host-bridge.ts.
 */
export function createForgeOps(env: ForgeHostEnvironment) {
  const events = createForgeEvents();
  const themed = new Set<ForgeFrame>();
  const fetchProduct = createProductFetch({ ...env, accountId: () => env.context().accountId });
  const remoteCallLog = createRemoteCallLog(env.onRequest);

  const contextOf = (frame: ForgeFrame) => {
    const page = env.context();
    return forgeContext(frame, {
      page,
      siteUrl: env.siteUrl,
      macroConfig: env.macroConfig(),
      colorMode: env.colorMode(),
      timezone: env.timezone(page.accountId),
    });
  };

  const ops: Record<string, ForgeOp> = {
    getContext: (_payload, frame) => contextOf(frame),
    fetchProduct: (payload) => fetchProduct(payload),
    invoke: (payload: RemoteInvokePayload & FunctionInvokePayload, frame) => {
      if (payload?.invokeType === 'ui-remote-fetch') return invokeRemote(payload, env.context(), frame, remoteCallLog);
      if (payload?.invokeType === 'ui-container-fetch') throw NOT_EMULATED('invokeService (Forge containers)');
      if (!env.invokeFunction) {
        throw NOT_EMULATED(
          `invoke("${String(payload?.functionKey)}") without a manifest (run emulate --forge manifest.yml, whose functions it runs)`,
        );
      }
      // A modal's invoke reaches the resolver of the module that opened it.
      const moduleKey = (frame.kind === 'dialog' && frame.modal?.opener?.moduleKey) || frame.moduleKey;
      return env.invokeFunction(payload, { moduleKey, user: env.context().accountId, context: contextOf(frame) });
    },
    fetchRemote: (payload: FetchRemotePayload, frame) => fetchRemote(payload, env.context(), frame, remoteCallLog),
    enableTheming: (_payload, frame) => {
      themed.add(frame);
      frame.post({ kind: 'theme', colorMode: env.colorMode() });
    },
    ...createForgeFlags((flag) => env.showFlag(flag)),
    ...events.ops,
    navigate: async (payload: { target?: unknown; contentId?: unknown; url?: unknown; type?: unknown }) => {
      if (typeof payload?.url === 'string' && isExternal(payload.url)) {
        // An external site opens in a new tab, same-tab navigate included, once the user agreed; declining rejects.
        if (!(await env.confirmExternalLink(payload.url))) throw new Error(`The user declined to open ${payload.url}.`);
        env.openTab(payload.url);
        return;
      }
      const contentId =
        typeof payload?.contentId === 'string' || typeof payload?.contentId === 'number'
          ? String(payload.contentId)
          : undefined;
      if (typeof payload?.target !== 'string' || !env.navigate(payload.target, contentId)) {
        throw NOT_EMULATED(
          `Navigating to ${typeof payload?.url === 'string' ? payload.url : JSON.stringify(payload?.target)}`,
        );
      }
    },
    reload: () => env.reload(),
    setMacroViewportHeight: (height: unknown, frame) => {
      const px = Number(height);
      if (frame.kind !== 'macro' || !Number.isFinite(px) || px <= 0) return false;
      frame.heightSetByApp = true;
      frame.iframe.style.height = `${Math.ceil(px)}px`;
      return true;
    },
    // `false` is Forge's own "not in this view": the bridge turns it into its BridgeAPIError.
    submit: (payload: { config?: unknown } | undefined, frame) => {
      if (frame.kind !== 'config') return false;
      const config =
        payload?.config && typeof payload.config === 'object' ? (payload.config as Record<string, unknown>) : {};
      // Forge keeps a config's values as the app gave them (a number stays a number).
      env.submitConfig(structuredClone(config));
      return true;
    },
    close: (payload: unknown, frame) => {
      if (frame.kind === 'config') env.closeConfig();
      else if (frame.kind === 'dialog') env.closeModal(frame, payload);
      else return false;
      return true;
    },
    openModal: (payload: Record<string, unknown>, frame) => {
      // Without a resource, Forge's Modal opens the resource of the frame that opened it.
      const resource = payload?.resource ?? env.resourceOf(frame);
      if (typeof resource !== 'string' || !resource) throw new Error('openModal: `resource` must be a resource key.');
      env.openModal({
        resource,
        title: typeof payload.title === 'string' ? payload.title : '',
        size: payload.size,
        context: payload.context,
        closeOnEscape: payload.closeOnEscape !== false,
        onClose: releasingOnClose(frame, payload.onClose),
        opener: openerOf(frame),
      });
      return true;
    },
    // Confluence export's "snapshot ready" signal; nothing to do on a live page.
    emitReadyEvent: () => undefined,
  };

  return {
    ops,
    /** The page's theme changed: frames that enabled theming follow it. */
    setColorMode(colorMode: 'light' | 'dark') {
      for (const frame of themed) frame.post({ kind: 'theme', colorMode });
    },
    /** A frame was removed: its subscriptions and theme registration go with it. */
    forget(frame: ForgeFrame) {
      themed.delete(frame);
      events.forget(frame);
    },
  };
}
