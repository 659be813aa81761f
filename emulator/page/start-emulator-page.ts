import { answerConfluenceRequest, createWorld, type ConnectScope } from '../../src/testing/core';
import {
  fetchEmulatorConfig,
  fetchJson,
  contextParams,
  forgeModalModule,
  type EmulatedModuleConfig,
} from '../emulator-config';
import { defineConfluenceModules } from '../host/define-modules';
import { loadConnectHost } from '../host/load-connect-host';
import { createElement } from '../ui/dom';
import { createFlagGroup } from '../ui/flags';
import { createModalDialog } from '../ui/modal-dialog';
import { answerBackendCall, serializeAnswer, type BackendCall } from '../node/site-answer';
import { createRequestLog, type LogEntry } from '../ui/request-log';
import { createAppDialogs, modalRequestFor, type AppDialogs } from './app-dialogs';
import {
  createActingUserSelect,
  createFaultControls,
  createHostSelect,
  createModuleSelect,
  createThemeSelect,
  field,
} from './controls';
import { actingUserChoices, initialState, pageContext, type StoredMacro } from './emulator-state';
import { createForgeMode, type ForgeMode } from './forge-mode';
import { createMacroEditor } from './macro-editor';
import { createModuleFrame } from './module-frame';
import { createEmulatorBrand, createPageChrome, createStatesGalleryLink } from './page-chrome';

/**
 * The Confluence emulator page: a Confluence page hosting one module of the installed app, with controls for who is
 * looking, faults and theme. Data lives in this page's memory (a testing-kit world), so a reload resets it.
 * Everything secret (install key, shared secret) stays in the Node half under /__emulator/.
 */
export async function startEmulatorPage(root: HTMLElement): Promise<void> {
  // The install check and connect-host.js are independent: fetch one while the other loads.
  const [config, host] = await Promise.all([fetchEmulatorConfig(), loadConnectHost()]);
  const scopes = config.scopes as ConnectScope[];
  const world = createWorld({ ...config.site, appKey: config.addonKey, scopes, siteUrl: location.origin });
  host.setExtensionConfigurationOptions('check_init', true);

  const state = initialState(config, world, location.search);
  // With a Forge manifest each module has its own host: Forge modules the bridge, an adopted app's Connect modules
  // connect-host (the host switch only follows along).
  const hostOf = (module: EmulatedModuleConfig | undefined) => (module?.forge ? 'forge' : 'connect');
  if (config.forge?.manifest) state.host = hostOf(config.modules.find((module) => module.key === state.moduleKey));
  world.actAs(state.accountId);
  const context = () => pageContext(world, state);
  const currentModule = () => config.modules.find((module) => module.key === state.moduleKey);
  const macro: StoredMacro = { parameters: { ...currentModule()?.defaultParameters }, body: '' };
  // The page holds one macro: choosing another macro module puts that one on the page, with its own defaults.
  let macroKey = currentModule()?.kind === 'macro' ? state.moduleKey : undefined;

  const log = createRequestLog();
  const flags = createFlagGroup();
  const editorDialog = createModalDialog({ id: 'emu-macro-editor', testId: 'macro-editor-dialog' });
  const appDialog = createModalDialog({ id: 'emu-app-dialog', testId: 'app-dialog' });
  const chrome = createPageChrome(world, () => state.pageId);

  // The pieces refer to each other (a Forge modal lives in the app dialog, a save re-renders the module): each one
  // reaches the others through these functions, which run only after everything below exists.
  const emulatedHost = () => state.host;
  const forgeFrames = () => forge.frames;
  const remount = () => void moduleFrame.mount(currentModule());
  const navigateTo = (contentId: string | undefined): boolean => {
    if (!contentId || !world.pages.has(contentId)) return false;
    state.pageId = contentId;
    chrome.render();
    remount();
    return true;
  };

  const moduleFrame = createModuleFrame({
    host,
    config,
    slot: createElement('div', { class: 'emu-macro', 'data-testid': 'macro-slot' }),
    forgeFrames,
    macro,
    context,
    emulatedHost,
  });
  const editor = createMacroEditor({
    host,
    config,
    dialog: editorDialog,
    forgeFrames,
    macro,
    currentModule,
    context,
    emulatedHost,
    rerender: remount,
  });
  const dialogs: AppDialogs = createAppDialogs({
    host,
    config,
    dialog: appDialog,
    editorDialog,
    macroEditor: () => editor,
    forgeFrames,
    context,
    emulatedHost,
  });
  const forge: ForgeMode = createForgeMode({
    world,
    appBaseUrl: config.forge?.customUiBaseUrl ?? config.appBaseUrl,
    context,
    macro,
    onRequest: (entry) => log.record(entry),
    showFlag: (flag) => flags.show(flag),
    navigateTo,
    reload: remount,
    macroSaved: () => editor.saved(),
    closeMacroEditor: () => editor.close(),
    openModal: (request) => {
      // `new Modal({ resource })` may open any resource of the manifest, also one a module shows: the dialog
      // finds it as a module keyed by the resource.
      const resource = request.resource;
      if (config.forge?.resources?.includes(resource) && !config.modules.some((module) => module.key === resource)) {
        config.modules.push(forgeModalModule(resource));
      }
      dialogs.openForgeModal(request);
    },
    closeModal: (frame, payload) => dialogs.closeForgeModal(frame, payload),
  });

  defineConfluenceModules(host, {
    appKey: config.addonKey,
    context,
    answer: (init) => answerConfluenceRequest(world, init),
    contextToken: async (pageAt) =>
      (await fetchJson<{ token: string }>('/__emulator/context-token', contextParams(pageAt))).token,
    onRequest: (entry) => log.record(entry),
    macro,
    onMacroSaved: () => editor.saved(),
    timeZone: () => world.user(state.accountId)?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    closeMacroEditor: () => editor.close(),
    navigate: (target, targetContext) => {
      const contentId = targetContext.contentId;
      if (target !== 'contentview') return;
      if (typeof contentId === 'string' || typeof contentId === 'number') navigateTo(String(contentId));
    },
    reload: remount,
    showFlag: (flag) => flags.show(flag),
  });

  // The app backend's REST calls to the emulated site: this page answers them from its own site data (the Node half
  // passes them on), so the backend and the app's iframes see one site; the log marks them as backend calls.
  const backendCalls = new EventSource('/__emulator/events');
  backendCalls.addEventListener('backend-call', (event) => {
    // A call this page cannot answer is answered by the Node half's copy of the site once it stops waiting.
    answerForBackend((event as MessageEvent<string>).data).catch(() => {});
  });
  async function answerForBackend(data: string): Promise<void> {
    const { id, call } = JSON.parse(data) as { id: string; call: BackendCall };
    const answer = await answerBackendCall(world, call, {
      appKey: config.addonKey,
      siteBaseUrl: config.productBaseUrl,
    });
    await fetch('/__emulator/backend-answer', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id, answer: serializeAnswer(answer) }),
    });
  }
  backendCalls.addEventListener('backend-request', (event) => {
    try {
      log.record({ ...(JSON.parse((event as MessageEvent<string>).data) as LogEntry), host: 'backend' });
    } catch {
      // Not a call record: nothing to show.
    }
  });

  // A handle for the browser console and the browser tests: inspect or seed the emulated site and the stored macro.
  (window as unknown as { __confluenceEmulator?: unknown }).__confluenceEmulator = {
    world,
    macro,
    forgeCalls: forge.calls,
  };

  const showModule = (module: EmulatedModuleConfig) => {
    if (module.kind === 'dialog' && module.forge) {
      // A manifest's Modal resource, opened as `new Modal({ resource })` would.
      dialogs.openForgeModal(modalRequestFor(module));
      return;
    }
    if (module.kind === 'dialog') {
      dialogs.openModule(module);
      return;
    }
    state.moduleKey = module.key;
    if (module.kind === 'macro' && module.key !== macroKey) {
      macroKey = module.key;
      macro.parameters = { ...module.defaultParameters };
      macro.body = '';
    }
    editor.showFor(module);
    if (config.forge?.manifest && state.host !== hostOf(module)) {
      // The host switch shows (and puts in the URL) the module's host; its change handler remounts.
      hostSelect.select.value = hostOf(module);
      hostSelect.select.dispatchEvent(new Event('change'));
      return;
    }
    remount();
  };
  const userSelect = createActingUserSelect(actingUserChoices(world), state, (accountId) => {
    state.accountId = accountId;
    world.actAs(accountId);
    remount();
  });
  // A manifest decides each module's host: the switch is shown, not used.
  const hostSelect = createHostSelect(state, Boolean(config.forge) && !config.forge?.manifest, remount);
  const reloadButton = createElement('button', { class: 'emu-button', type: 'button' }, 'Reload app');
  reloadButton.addEventListener('click', remount);
  const installBanner = createElement('div', { class: 'emu-banner', hidden: config.install.ok });
  installBanner.textContent = `The app refused the install (${config.install.status}): ${config.install.detail ?? ''}`;

  root.replaceChildren(
    createElement(
      'header',
      { class: 'emu-topbar' },
      ...createEmulatorBrand(),
      createStatesGalleryLink(),
      createElement('div', { class: 'emu-topbar-spacer' }),
      field('host-kind', 'Host', hostSelect.select),
      field('acting-user', 'Acting user', userSelect),
      field(
        'theme',
        'Theme',
        createThemeSelect((colorMode) => forge.setColorMode(colorMode)),
      ),
    ),
    installBanner,
    createElement(
      'div',
      { class: 'emu-layout' },
      chrome.sidebar,
      createElement(
        'main',
        { class: 'emu-content' },
        chrome.breadcrumbs,
        chrome.title,
        chrome.byline,
        hostSelect.note,
        editor.toolbar,
        moduleFrame.slot,
        createElement(
          'p',
          { class: 'emu-muted' },
          'Everything on this page is emulated in memory and resets when you reload.',
        ),
      ),
      createElement(
        'aside',
        { class: 'emu-devpanel' },
        createElement(
          'section',
          { class: 'emu-panel' },
          createElement('h3', {}, 'App'),
          field('module', 'Module', createModuleSelect(config.modules, state, showModule), 'stacked'),
          createElement('div', { class: 'emu-muted small' }, `${config.appName} · ${config.appBaseUrl}`),
          reloadButton,
        ),
        createElement(
          'section',
          { class: 'emu-panel' },
          createElement('h3', {}, 'Faults'),
          ...createFaultControls(world, scopes),
        ),
        log.element,
      ),
    ),
    flags.element,
    editorDialog.element,
    appDialog.element,
  );
  chrome.render();
  editor.showFor(currentModule());
  await moduleFrame.mount(currentModule());
}
