import { createElement } from './dom';

/** What connect-host's flag module hands its provider: actions arrive with their own `executeAction`. */
export interface HostFlag {
  id: string;
  title?: string;
  body?: string;
  type: string;
  close?: string;
  actions?: { actionKey: string; actionText: string; executeAction(): void }[];
  onClose: (id: string) => void;
}

/** Renders AP.flag.create flags in a Confluence-like flag group (bottom-left), since AUI's AJS.flag is not loaded. */
export function createFlagGroup(): {
  element: HTMLElement;
  show(flag: HostFlag): { close(): void };
} {
  const element = createElement('div', { class: 'emu-flags', role: 'region', 'aria-label': 'Flags' });
  return {
    element,
    show(flag) {
      let open = true;
      const close = () => {
        if (!open) return;
        open = false;
        node.remove();
        flag.onClose(flag.id);
      };
      const dismiss = createElement('button', { class: 'emu-flag-close', 'aria-label': 'Dismiss' }, '×');
      dismiss.addEventListener('click', close);
      // An action click goes back to the app as the `flag.action` event (connect-host's executeAction).
      const actions = (flag.actions ?? []).map((action) => {
        const button = createElement('button', { class: 'emu-flag-action', type: 'button' }, action.actionText);
        button.addEventListener('click', () => action.executeAction());
        return button;
      });
      const node = createElement(
        'div',
        { class: `emu-flag ${flag.type}`, role: 'alert' },
        createElement(
          'div',
          {},
          createElement('strong', {}, flag.title ?? ''),
          createElement('p', {}, flag.body ?? ''),
          ...(actions.length ? [createElement('div', { class: 'emu-flag-actions' }, ...actions)] : []),
        ),
        dismiss,
      );
      element.append(node);
      if (flag.close === 'auto') setTimeout(close, 5000);
      return { close };
    },
  };
}
