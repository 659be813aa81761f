// Atlassian's design-token themes (light/dark), from the atlassian-connect-js package, switched by
// <html data-color-mode>. connect-host broadcasts the same theme to apps that call AP.theming.initializeTheming().
import 'atlassian-connect-js/dist/themes/atlaskit-tokens_light.css';
import 'atlassian-connect-js/dist/themes/atlaskit-tokens_dark.css';
import './styles.css';
import jQuery from 'jquery';
import { answerConfluenceRequest, createWorld, PAGES, USERS, type ConnectScope } from '../src/testing/core';
import { loadConnectHost } from './host/load-connect-host';
import { defineConfluenceModules, type PageContext } from './host/define-modules';
import { fetchEmulatorConfig, fetchJson } from './emulator-config';
import { createRequestLog } from './ui/request-log';
import { createFlagGroup } from './ui/flags';
import { createModalDialog } from './ui/modal-dialog';
import { registerDialogProvider, type AppDialogRequest } from './host/dialog-provider';
import { h } from './ui/dom';
import { createForgeOps, type OpenModalRequest } from './forge/forge-ops';
import { createForgeFrames, customUiUrl } from './forge/forge-frames';
import type { ForgeCallRecord } from './forge/host-bridge';

/**
 * The Confluence emulator page. Data lives in this page's memory (a testing-kit world), so a reload resets it.
 * Everything secret (install key, shared secret) stays in the Node half under /__emulator/.
 */

const RATE_LIMIT_SECONDS = 6;
const SLOW_HOST_MS = 45_000; // well past the client's default 15 s timeout, so a test sees the host still working after the client gave up

type HostKind = 'connect' | 'forge';

/** Forge Modal `size` → the dialog's body size (unknown sizes get medium). */
type Size = { width: string; height: string };
const FORGE_MODAL_SIZES: Record<string, Size> & { medium: Size } = {
  small: { width: '400px', height: '300px' },
  medium: { width: '600px', height: '400px' },
  large: { width: '800px', height: '600px' },
  xlarge: { width: '968px', height: '700px' },
};

const USER_CHOICES: { key: string; label: string; accountId: string }[] = [
  { key: 'admin', label: `${USERS.admin.displayName} (site admin)`, accountId: USERS.admin.accountId },
  { key: 'editor', label: `${USERS.editor.displayName} (editor)`, accountId: USERS.editor.accountId },
  { key: 'viewer', label: `${USERS.viewer.displayName} (viewer)`, accountId: USERS.viewer.accountId },
  {
    key: 'noAccess',
    label: `${USERS.noAccess.displayName} (no Confluence access)`,
    accountId: USERS.noAccess.accountId,
  },
];

async function start(root: HTMLElement): Promise<void> {
  // The install check and connect-host.js are independent: fetch one while the other loads.
  const [config, host] = await Promise.all([fetchEmulatorConfig(), loadConnectHost()]);
  const world = createWorld({
    appKey: config.addonKey,
    scopes: config.scopes as ConnectScope[],
    siteUrl: location.origin,
    actingUser: 'editor',
  });
  host.setExtensionConfigurationOptions('check_init', true);

  // Modules the page shows; `dialogs` modules only open when the app asks (AP.dialog.create).
  const pageModules = config.modules.filter((m) => m.kind !== 'dialog');
  const params = new URLSearchParams(location.search);
  const state = {
    accountId: USER_CHOICES.find((u) => u.key === params.get('user'))?.accountId ?? USERS.editor.accountId,
    moduleKey:
      pageModules.find((m) => m.key === params.get('module'))?.key ??
      pageModules.find((m) => m.kind === 'macro')?.key ??
      pageModules[0]?.key ??
      '',
    pageId: params.get('pageId') ?? PAGES.gettingStarted,
    host: (params.get('host') === 'forge' ? 'forge' : 'connect') as HostKind,
  };
  world.actAs(state.accountId);

  const hostPage = () => world.pages.get(state.pageId);
  const context = (): PageContext => {
    const page = hostPage();
    const space = page ? world.spaces.get(page.spaceId) : undefined;
    return {
      accountId: state.accountId,
      pageId: state.pageId,
      pageVersion: page?.version.number ?? 1,
      spaceId: space?.id ?? '',
      spaceKey: space?.key ?? '',
      macroId: 'f3b2c1d0-macro-0001',
    };
  };

  // The macro as stored on the emulated page: its parameters go into the macro URL, as Confluence does.
  const macro = { parameters: { title: 'Pages in this space', limit: '10' } as Record<string, string>, body: '' };
  // A handle for the browser console and the browser tests: inspect or seed the emulated site and the stored macro.
  // `forgeCalls`: every Forge bridge call the page answered, as it arrived (the last 200).
  const forgeCalls: ForgeCallRecord[] = [];
  (window as unknown as { __confluenceEmulator?: unknown }).__confluenceEmulator = { world, macro, forgeCalls };
  const log = createRequestLog();
  const flags = createFlagGroup();
  const macroSlot = h('div', { class: 'emu-macro', 'data-testid': 'macro-slot' });

  // The custom macro editor. As in Confluence's editor, a save shows on the page once the editor has closed; a
  // save without an open editor (from the macro itself) re-renders right away.
  const editButton = h('button', { class: 'emu-button', type: 'button', hidden: true }, 'Edit macro');
  const macroToolbar = h('div', { class: 'emu-macro-toolbar', role: 'toolbar', 'aria-label': 'Macro' }, editButton);
  let savedInEditor = false;
  let editorGeneration = 0;
  const editorDialog = createModalDialog({ id: 'emu-macro-editor', testId: 'macro-editor-dialog' });
  const onEditorClosed = () => {
    editorGeneration++;
    if (editorSlot) forgeFrames.unmount(editorSlot);
    if (!savedInEditor) return;
    savedInEditor = false;
    void mountModule();
  };
  editButton.addEventListener('click', () => void openMacroEditor());
  // The open editor's content element: in Forge mode its iframe is a bridge frame to let go of on close.
  let editorSlot: HTMLElement | undefined;

  // The app's own dialogs (descriptor `dialogs`, opened with AP.dialog.create). connect-host takes the descriptor's
  // dialog options from `_AP.dialogModules`, where Confluence puts them.
  const appDialog = createModalDialog({ id: 'emu-app-dialog', testId: 'app-dialog' });
  let appDialogGeneration = 0;
  const w = window as unknown as { _AP?: Record<string, unknown> };
  w._AP = {
    ...w._AP,
    dialogModules: {
      [config.addonKey]: Object.fromEntries(
        config.modules.filter((m) => m.dialogOptions).map((m) => [m.key, { options: m.dialogOptions }]),
      ),
    },
  };
  registerDialogProvider(host, {
    open: (request, onClosed) => void openAppDialog(request, onClosed),
    close: () => appDialog.close(),
  });

  // Both hosts' navigation to a page: false when the emulated site has no such page.
  const navigateTo = (contentId: string | undefined): boolean => {
    if (!contentId || !world.pages.has(contentId)) return false;
    state.pageId = contentId;
    renderPage();
    void mountModule();
    return true;
  };
  // Either host's macro save (see the custom macro editor above).
  const macroSaved = () => {
    if (editorDialog.isOpen) savedInEditor = true;
    else void mountModule();
  };

  defineConfluenceModules(host, {
    appKey: config.addonKey,
    context,
    answer: (init) => answerConfluenceRequest(world, init),
    contextToken: async (c) =>
      (await fetchJson<{ token: string }>('/__emulator/context-token', contextParams(c))).token,
    onRequest: (entry) => log.record(entry),
    macro,
    onMacroSaved: macroSaved,
    closeMacroEditor: () => editorDialog.close(),
    navigate: (target, ctx) => {
      const contentId =
        typeof ctx.contentId === 'string' || typeof ctx.contentId === 'number' ? String(ctx.contentId) : undefined;
      if (target === 'contentview') navigateTo(contentId);
    },
    reload: () => void mountModule(),
    showFlag: (f) => flags.show(f),
  });

  // Forge mode: the page answers @forge/bridge calls from its own Custom UI iframes (no connect-host involved),
  // from the same world, flags, navigation and macro as the Connect modules above.
  let forgeDialogSlot: HTMLElement | undefined;
  const forge = createForgeOps({
    context,
    siteUrl: world.siteUrl,
    macroConfig: () => ({ ...macro.parameters }),
    colorMode: () => (document.documentElement.getAttribute('data-color-mode') === 'dark' ? 'dark' : 'light'),
    timezone: (accountId) => world.user(accountId)?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    answer: (init) => answerConfluenceRequest(world, init),
    onRequest: (entry) => log.record({ ...entry, host: 'forge' }),
    showFlag: (f) => flags.show(f),
    navigate: (target, contentId) =>
      ['contentview', 'contentedit'].includes(target.toLowerCase()) && navigateTo(contentId),
    reload: () => void mountModule(),
    submitConfig: (config) => {
      macro.parameters = config;
      macroSaved();
    },
    closeConfig: () => editorDialog.close(),
    openModal: (request) => openForgeModal(request),
    closeModal: (frame, payload) => {
      if (forgeDialogSlot && forgeFrames.frameIn(forgeDialogSlot) === frame) {
        frame.modal?.onClose?.(payload);
        // Closed by the app: the dismissal path below must not call onClose a second time.
        frame.modal = undefined;
        appDialog.close();
      }
    },
  });
  const forgeFrames = createForgeFrames({
    appBaseUrl: config.appBaseUrl,
    ops: forge.ops,
    onCall: (record) => {
      forgeCalls.push(record);
      if (forgeCalls.length > 200) forgeCalls.shift();
    },
    onRemoved: (frame) => forge.forget(frame),
    onReset: (frame) => forge.forget(frame),
  });

  /** A Forge `Modal`: the resource in the page's dialog, its iframe answering getContext with the opener's data. */
  function openForgeModal(request: OpenModalRequest): void {
    const module = config.modules.find((m) => m.key === request.resource);
    if (!module) throw new Error(`openModal: the app has no resource "${request.resource}".`);
    appDialogGeneration++;
    const size = typeof request.size === 'string' ? FORGE_MODAL_SIZES[request.size] : undefined;
    let frame: ReturnType<typeof forgeFrames.mount> | undefined;
    const slot = appDialog.open({
      title: request.title || module.name,
      width: size?.width ?? FORGE_MODAL_SIZES.medium.width,
      height: size?.height ?? FORGE_MODAL_SIZES.medium.height,
      closeOnEscape: request.closeOnEscape,
      onClosed: () => {
        // Dismissed (× or Escape): the opener's onClose without a payload, as Forge does.
        const onClose = frame?.modal?.onClose;
        forgeFrames.unmount(slot);
        onClose?.();
      },
    });
    forgeDialogSlot = slot;
    frame = forgeFrames.mount(slot, customUiUrl(config.appBaseUrl, module.url), {
      kind: 'dialog',
      moduleKey: module.key,
      modal: { context: request.context, onClose: request.onClose },
      height: '100%',
      title: request.title || module.name,
    });
  }

  // --- page chrome ---------------------------------------------------------------------------------------------
  const title = h('h1', { class: 'emu-page-title', 'data-testid': 'host-page-title' });
  const byline = h('div', { class: 'emu-byline' });
  const breadcrumbs = h('nav', { class: 'emu-breadcrumbs', 'aria-label': 'Breadcrumbs' });
  const tree = h('ul', { class: 'emu-tree' });
  const installBanner = h('div', { class: 'emu-banner', hidden: config.install.ok });
  installBanner.textContent = `The app refused the install (${config.install.status}): ${config.install.detail ?? ''}`;

  function renderPage() {
    const page = hostPage();
    const space = page ? world.spaces.get(page.spaceId) : undefined;
    title.textContent = page?.title ?? 'Untitled';
    byline.textContent = page
      ? `Owned by ${world.user(page.authorId)?.displayName ?? 'someone'} · v${page.version.number} · last updated ${new Date(page.version.createdAt).toLocaleDateString()}`
      : '';
    breadcrumbs.replaceChildren(
      h('span', {}, 'Spaces'),
      h('span', {}, '/'),
      h('span', {}, space?.name ?? ''),
      h('span', {}, '/'),
      h('span', {}, page?.title ?? ''),
    );
    tree.replaceChildren(
      ...[...world.pages.values()]
        .filter(
          (p) =>
            p.spaceId === page?.spaceId &&
            (p.parentId === null || p.parentId === space?.homepageId || p.id === page?.id),
        )
        .slice(0, 14)
        .map((p) => h('li', { class: p.id === page?.id ? 'current' : undefined }, p.title)),
    );
  }
  world.onRequest((entry) => {
    if (entry.method !== 'GET' && entry.status < 300) renderPage();
  });

  // --- controls ------------------------------------------------------------------------------------------------
  const userSelect = h('select', { id: 'acting-user', 'data-testid': 'acting-user' });
  for (const u of USER_CHOICES)
    userSelect.append(h('option', { value: u.accountId, selected: u.accountId === state.accountId }, u.label));
  userSelect.addEventListener('change', () => {
    state.accountId = userSelect.value;
    world.actAs(state.accountId);
    void mountModule();
  });

  const moduleSelect = h('select', { id: 'module', 'data-testid': 'module' });
  for (const m of pageModules)
    moduleSelect.append(
      h(
        'option',
        { value: m.key, selected: m.key === state.moduleKey },
        `${m.name} (${m.kind === 'macro' ? 'macro' : 'general page'})`,
      ),
    );
  moduleSelect.addEventListener('change', () => {
    state.moduleKey = moduleSelect.value;
    void mountModule();
  });

  const themeSelect = h(
    'select',
    { id: 'theme', 'data-testid': 'theme' },
    h('option', { value: 'light' }, 'Light'),
    h('option', { value: 'dark' }, 'Dark'),
  );
  themeSelect.addEventListener('change', () => {
    document.documentElement.setAttribute('data-color-mode', themeSelect.value);
    forge.setColorMode(themeSelect.value === 'dark' ? 'dark' : 'light');
  });

  // Connect: connect-host.js + all.js. Forge: Custom UI with the real @forge/bridge over the emulator's shim.
  const hostSelect = h(
    'select',
    { id: 'host-kind', 'data-testid': 'host-kind' },
    h('option', { value: 'connect', selected: state.host === 'connect' }, 'Connect'),
    h('option', { value: 'forge', selected: state.host === 'forge' }, 'Forge'),
  );
  const hostNote = h('p', {});
  const describeHost = () => {
    document.body.dataset.host = state.host;
    hostNote.textContent =
      state.host === 'forge'
        ? 'This page hosts the app below as Forge Custom UI: a cross-origin iframe running the real @forge/bridge, answered by this page (no Atlassian site, no tunnel).'
        : 'This page hosts the app below, as Confluence does: Atlassian\u2019s connect-host.js creates a cross-origin iframe, the app inside runs the real all.js.';
  };
  describeHost();
  hostSelect.addEventListener('change', () => {
    state.host = hostSelect.value === 'forge' ? 'forge' : 'connect';
    const url = new URL(location.href);
    if (state.host === 'forge') url.searchParams.set('host', 'forge');
    else url.searchParams.delete('host');
    history.replaceState(null, '', url);
    describeHost();
    void mountModule();
  });

  function toggle(id: string, label: string, hint: string, onChange: (on: boolean, input: HTMLInputElement) => void) {
    const input = h('input', { type: 'checkbox', id, 'data-testid': id });
    input.addEventListener('change', () => onChange(input.checked, input));
    return h('label', { class: 'emu-toggle', for: id, title: hint }, input, h('span', {}, label));
  }
  let rateLimitTimer: ReturnType<typeof setTimeout> | undefined;
  const faultControls = [
    toggle(
      'fault-rate-limit',
      `Rate limit (429, Retry-After ${RATE_LIMIT_SECONDS} s)`,
      'Every request answers 429 for a few seconds, then recovers',
      (on, input) => {
        clearTimeout(rateLimitTimer);
        if (!on) return world.setFaults({ rateLimit: null });
        world.rateLimit({ retryAfterSeconds: RATE_LIMIT_SECONDS, forMs: RATE_LIMIT_SECONDS * 1000 });
        rateLimitTimer = setTimeout(() => (input.checked = false), RATE_LIMIT_SECONDS * 1000);
      },
    ),
    toggle('fault-slow', 'Slow host (answers after 45 s)', 'Past the client timeout', (on) =>
      world.setFaults({ slowMs: on ? SLOW_HOST_MS : 0 }),
    ),
    toggle('fault-down', 'Host down', 'Requests never reach Confluence', (on) =>
      world.setFaults({ hostDown: on ? 'network' : false }),
    ),
    toggle('fault-conflict', 'Next save conflicts (409)', 'Someone else saves first', (on) =>
      world.setFaults({ nextSaveConflicts: on }),
    ),
    toggle('fault-read-only', 'Descriptor scopes: READ only', 'As if the descriptor declared only READ', (on) =>
      world.setScopes(on ? ['READ'] : (config.scopes as ConnectScope[])),
    ),
  ];
  world.onRequest(() => {
    const conflict = document.getElementById('fault-conflict') as HTMLInputElement | null;
    if (conflict && conflict.checked && !world.faults.nextSaveConflicts) conflict.checked = false;
  });

  const reload = h('button', { class: 'emu-button', type: 'button' }, 'Reload app');
  reload.addEventListener('click', () => void mountModule());

  // --- layout --------------------------------------------------------------------------------------------------
  root.replaceChildren(
    h(
      'header',
      { class: 'emu-topbar' },
      h('div', { class: 'emu-logo' }, h('span', { class: 'emu-logo-mark', 'aria-hidden': 'true' }), 'Confluence'),
      h('span', { class: 'emu-tag' }, 'local emulator'),
      h('div', { class: 'emu-topbar-spacer' }),
      field('host-kind', 'Host', hostSelect),
      field('acting-user', 'Acting user', userSelect),
      field('theme', 'Theme', themeSelect),
    ),
    installBanner,
    h(
      'div',
      { class: 'emu-layout' },
      h(
        'aside',
        { class: 'emu-sidebar' },
        h(
          'div',
          { class: 'emu-space' },
          h('span', { class: 'emu-space-icon' }, 'E'),
          h('strong', {}, 'Engineering Handbook'),
        ),
        h('div', { class: 'emu-sidebar-heading' }, 'Content'),
        tree,
      ),
      h(
        'main',
        { class: 'emu-content' },
        breadcrumbs,
        title,
        byline,
        hostNote,
        macroToolbar,
        macroSlot,
        h('p', { class: 'emu-muted' }, 'Everything on this page is emulated in memory and resets when you reload.'),
      ),
      h(
        'aside',
        { class: 'emu-devpanel' },
        h(
          'section',
          { class: 'emu-panel' },
          h('h3', {}, 'App'),
          field('module', 'Module', moduleSelect, 'stacked'),
          h('div', { class: 'emu-muted small' }, `${config.appName} · ${config.appBaseUrl}`),
          reload,
        ),
        h('section', { class: 'emu-panel' }, h('h3', {}, 'Faults'), ...faultControls),
        log.element,
      ),
    ),
    flags.element,
    editorDialog.element,
    appDialog.element,
  );
  renderPage();

  // --- the app iframe ------------------------------------------------------------------------------------------
  let generation = 0;
  async function mountModule(): Promise<void> {
    const mine = ++generation;
    const module = pageModules.find((m) => m.key === state.moduleKey);
    if (!module) return;
    editButton.hidden = !module.editor;
    const ctx = context();
    document.body.dataset.module = module.kind;
    if (state.host === 'forge') {
      // jQuery's empty() lets connect-host clean up an extension it created here before.
      jQuery(macroSlot).empty();
      forgeFrames.mount(macroSlot, customUiUrl(config.appBaseUrl, module.url), {
        kind: module.kind === 'macro' ? 'macro' : 'page',
        moduleKey: module.key,
        height: module.kind === 'macro' ? '120px' : '600px',
        title: module.name,
      });
      return;
    }
    const { url } = await fetchJson<{ url: string }>('/__emulator/iframe-url', {
      module: module.key,
      ...contextParams(ctx),
      ...macroParams(),
    });
    if (mine !== generation) return;
    forgeFrames.unmount(macroSlot);
    const $container = host.create({
      addon_key: config.addonKey,
      key: module.key,
      url,
      options: {
        autoresize: module.kind === 'macro',
        width: '100%',
        height: module.kind === 'macro' ? '120px' : '600px',
        moduleType: module.kind === 'macro' ? 'dynamicContentMacros' : 'generalPages',
        isFullPage: module.kind === 'page',
        productContext: { 'page.id': ctx.pageId, 'space.key': ctx.spaceKey },
      },
    });
    jQuery(macroSlot).empty().append($container);
  }

  /** Opens the descriptor's editor for the macro on the page, in its own iframe with its own signed URL. */
  async function openMacroEditor(): Promise<void> {
    const module = config.modules.find((m) => m.key === state.moduleKey);
    const editor = module?.editor;
    if (!module || !editor || editorDialog.isOpen) return;
    const mine = ++editorGeneration;
    const slot = editorDialog.open({
      title: editor.title,
      width: editor.width,
      height: editor.height,
      onClosed: onEditorClosed,
    });
    editorSlot = slot;
    if (state.host === 'forge') {
      // Forge's macro config: a Custom UI resource that saves with view.submit({ config }) and leaves with view.close().
      forgeFrames.mount(slot, customUiUrl(config.appBaseUrl, editor.url), {
        kind: 'config',
        moduleKey: module.key,
        height: editor.height,
        title: editor.title,
      });
      return;
    }
    const ctx = context();
    let url: string;
    try {
      ({ url } = await fetchJson<{ url: string }>('/__emulator/iframe-url', {
        module: module.key,
        editor: '1',
        ...contextParams(ctx),
        ...macroParams(),
      }));
    } catch (e) {
      if (mine === editorGeneration)
        slot.replaceChildren(
          h(
            'p',
            { class: 'emu-banner', role: 'alert' },
            `The editor could not open: ${e instanceof Error ? e.message : String(e)}`,
          ),
        );
      return;
    }
    // Closed (or closed and reopened) while the URL was being signed.
    if (mine !== editorGeneration) return;
    const $container = host.create({
      addon_key: config.addonKey,
      key: `${module.key}-editor`,
      url,
      options: {
        width: '100%',
        height: editor.height,
        moduleType: 'dynamicContentMacros',
        productContext: { 'page.id': ctx.pageId, 'space.key': ctx.spaceKey },
      },
    });
    jQuery(slot).append($container);
  }

  /** An app dialog: its module's own signed URL, created with the options connect-host's dialog module chose. */
  async function openAppDialog(request: AppDialogRequest, onClosed: () => void): Promise<void> {
    const module = config.modules.find((m) => m.key === request.key);
    const slot = appDialog.open({
      title: request.header || module?.name || request.key,
      width: request.width,
      height: request.height,
      chrome: request.chrome,
      closeOnEscape: request.closeOnEscape,
      onClosed: () => {
        appDialogGeneration++;
        onClosed();
      },
    });
    // Counted after open(): opening finishes a dialog still showing, and its onClosed moves the generation on.
    const mine = ++appDialogGeneration;
    const fail = (message: string) =>
      slot.replaceChildren(h('p', { class: 'emu-banner', role: 'alert' }, `The dialog could not open: ${message}`));
    if (!module) return fail(`the descriptor has no module ${request.key}`);
    let url: string;
    try {
      ({ url } = await fetchJson<{ url: string }>('/__emulator/iframe-url', {
        module: module.key,
        ...contextParams(context()),
      }));
    } catch (e) {
      if (mine === appDialogGeneration) fail(e instanceof Error ? e.message : String(e));
      return;
    }
    if (mine !== appDialogGeneration) return;
    const $container = host.create({
      addon_key: request.addonKey,
      key: request.key,
      url,
      options: { ...request.extensionOptions, width: '100%', height: '100%' },
    });
    jQuery(slot).append($container);
  }

  function macroParams(): Record<string, string> {
    return Object.fromEntries(Object.entries(macro.parameters).map(([k, v]) => [`p.${k}`, v]));
  }

  await mountModule();
}

/** A control with a label of exactly `label` (the select sits next to the label, so its options are not part of the name). */
function field(id: string, label: string, control: HTMLElement, variant = ''): HTMLElement {
  return h('div', { class: `emu-field ${variant}`.trim() }, h('label', { for: id }, label), control);
}

function contextParams(c: PageContext): Record<string, string> {
  return {
    user: c.accountId,
    pageId: c.pageId,
    pageVersion: String(c.pageVersion),
    spaceId: c.spaceId,
    spaceKey: c.spaceKey,
    macroId: c.macroId,
  };
}

const root = document.getElementById('emulator-root');
if (root) {
  start(root).catch((e: unknown) => {
    root.replaceChildren(
      h('div', { class: 'emu-banner' }, `The emulator could not start: ${e instanceof Error ? e.message : String(e)}`),
    );
  });
}
