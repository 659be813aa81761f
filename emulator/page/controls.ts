import type { ConfluenceWorld, ConnectScope } from '../../src/testing/core';
import type { EmulatedModuleConfig } from '../emulator-config';
import { createElement } from '../ui/dom';
import type { ActingUserChoice, EmulatedHost, EmulatorState } from './emulator-state';
import { createQuotaMeter } from './quota-meter';

const RATE_LIMIT_SECONDS = 6;
const ONE_SECOND_MS = 1000;
/** Well past the client's default 15 s timeout, so a test sees the host still working after the client gave up. */
const SLOW_HOST_MS = 45_000;

/** The module select's note on each kind of module, by descriptor section. */
const MODULE_TYPE_LABELS: Record<EmulatedModuleConfig['moduleType'], string> = {
  dynamicContentMacros: 'macro',
  staticContentMacros: 'static macro',
  generalPages: 'general page',
  adminPages: 'admin page',
  dialogs: 'dialog',
};

const HOST_NOTES: Record<EmulatedHost, string> = {
  connect:
    'This page hosts the app below, as Confluence does: Atlassian\u2019s connect-host.js creates a cross-origin iframe, the app inside runs the real all.js.',
  forge:
    'This page hosts the app below as Forge Custom UI: a cross-origin iframe running the real @forge/bridge, answered by this page (no Atlassian site, no tunnel).',
};

/** A control with a label of exactly `label` (the select sits next to the label, so its options are not part of the name). */
export function field(id: string, label: string, control: HTMLElement, variant = ''): HTMLElement {
  return createElement(
    'div',
    { class: `emu-field ${variant}`.trim() },
    createElement('label', { for: id }, label),
    control,
  );
}

export function createActingUserSelect(
  choices: ActingUserChoice[],
  state: EmulatorState,
  onChange: (accountId: string) => void,
): HTMLSelectElement {
  const select = createElement('select', { id: 'acting-user', 'data-testid': 'acting-user' });
  for (const choice of choices) {
    select.append(
      createElement(
        'option',
        { value: choice.accountId, selected: choice.accountId === state.accountId },
        choice.label,
      ),
    );
  }
  select.addEventListener('change', () => onChange(select.value));
  return select;
}

/** Every iframe module of the descriptor; choosing a dialog opens it, anything else replaces the module on the page. */
export function createModuleSelect(
  modules: EmulatedModuleConfig[],
  state: EmulatorState,
  onChange: (module: EmulatedModuleConfig) => void,
): HTMLSelectElement {
  const select = createElement('select', { id: 'module', 'data-testid': 'module' });
  for (const module of modules) {
    select.append(
      createElement(
        'option',
        { value: module.key, selected: module.key === state.moduleKey },
        `${module.name} (${module.forge ? `Forge ${module.forge.type}` : MODULE_TYPE_LABELS[module.moduleType]})`,
      ),
    );
  }
  select.addEventListener('change', () => {
    const module = modules.find((candidate) => candidate.key === select.value);
    if (!module) return;
    onChange(module);
    // A dialog opens over the page; the select goes back to the module the page still shows.
    if (module.kind === 'dialog') select.value = state.moduleKey;
  });
  return select;
}

export function createThemeSelect(onChange: (colorMode: 'light' | 'dark') => void): HTMLSelectElement {
  const select = createElement(
    'select',
    { id: 'theme', 'data-testid': 'theme' },
    createElement('option', { value: 'light' }, 'Light'),
    createElement('option', { value: 'dark' }, 'Dark'),
  );
  select.addEventListener('change', () => {
    const colorMode = select.value === 'dark' ? 'dark' : 'light';
    document.documentElement.setAttribute('data-color-mode', colorMode);
    onChange(colorMode);
  });
  return select;
}

/**
 * Connect (connect-host + all.js) or Forge (Custom UI with the real @forge/bridge over the emulator's shim). The
 * choice goes into the page URL (`?host=forge`), so a reload keeps it. Disabled when the app has no Forge side.
 */
export function createHostSelect(
  state: EmulatorState,
  forgeAvailable: boolean,
  onChange: () => void,
): { select: HTMLSelectElement; note: HTMLElement } {
  const select = createElement(
    'select',
    { id: 'host-kind', 'data-testid': 'host-kind', disabled: !forgeAvailable },
    createElement('option', { value: 'connect', selected: state.host === 'connect' }, 'Connect'),
    createElement('option', { value: 'forge', selected: state.host === 'forge' }, 'Forge'),
  );
  const note = createElement('p', {});
  const describe = () => {
    document.body.dataset.host = state.host;
    note.textContent = HOST_NOTES[state.host];
  };
  describe();
  select.addEventListener('change', () => {
    state.host = select.value === 'forge' ? 'forge' : 'connect';
    const url = new URL(location.href);
    if (state.host === 'forge') url.searchParams.set('host', 'forge');
    else url.searchParams.delete('host');
    history.replaceState(null, '', url);
    describe();
    onChange();
  });
  return { select, note };
}

function toggle(id: string, label: string, hint: string, onChange: (on: boolean, input: HTMLInputElement) => void) {
  const input = createElement('input', { type: 'checkbox', id, 'data-testid': id });
  input.addEventListener('change', () => onChange(input.checked, input));
  return createElement('label', { class: 'emu-toggle', for: id, title: hint }, input, createElement('span', {}, label));
}

/**
 * The "Faults" panel: each toggle changes how the emulated site answers (see the testing kit's faults), then the
 * points quota: its meter and its refusals (see quota-meter.ts).
 */
export function createFaultControls(world: ConfluenceWorld, descriptorScopes: ConnectScope[]): HTMLElement[] {
  let rateLimitTimer: ReturnType<typeof setTimeout> | undefined;
  const conflictToggle = toggle('fault-conflict', 'Next save conflicts (409)', 'Someone else saves first', (on) =>
    world.setFaults({ nextSaveConflicts: on }),
  );
  const controls = [
    toggle(
      'fault-rate-limit',
      `Rate limit (429, Retry-After ${RATE_LIMIT_SECONDS} s)`,
      'Every request answers 429 for a few seconds, then recovers',
      (on, input) => {
        clearTimeout(rateLimitTimer);
        if (!on) {
          world.setFaults({ rateLimit: null });
          return;
        }
        const durationMs = RATE_LIMIT_SECONDS * ONE_SECOND_MS;
        world.rateLimit({ retryAfterSeconds: RATE_LIMIT_SECONDS, forMs: durationMs });
        rateLimitTimer = setTimeout(() => {
          input.checked = false;
        }, durationMs);
      },
    ),
    toggle('fault-slow', 'Slow host (answers after 45 s)', 'Past the client timeout', (on) =>
      world.setFaults({ slowMs: on ? SLOW_HOST_MS : 0 }),
    ),
    toggle('fault-down', 'Host down', 'Requests never reach Confluence', (on) =>
      world.setFaults({ hostDown: on ? 'network' : false }),
    ),
    conflictToggle,
    toggle('fault-read-only', 'Descriptor scopes: READ only', 'As if the descriptor declared only READ', (on) =>
      world.setScopes(on ? ['READ'] : descriptorScopes),
    ),
    createQuotaMeter(world),
  ];
  // The conflict is used up by the save it hit: the toggle follows.
  world.onRequest(() => {
    const input = conflictToggle.querySelector('input');
    if (input && input.checked && !world.faults.nextSaveConflicts) input.checked = false;
  });
  return controls;
}
