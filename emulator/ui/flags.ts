import { h } from './dom';

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
  const element = h('div', { class: 'emu-flags', role: 'region', 'aria-label': 'Flags' });
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
      const dismiss = h('button', { class: 'emu-flag-close', 'aria-label': 'Dismiss' }, '×');
      dismiss.addEventListener('click', close);
      // An action click goes back to the app as the `flag.action` event (connect-host's executeAction).
      const actions = (flag.actions ?? []).map((a) => {
        const button = h('button', { class: 'emu-flag-action', type: 'button' }, a.actionText);
        button.addEventListener('click', () => a.executeAction());
        return button;
      });
      const node = h(
        'div',
        { class: `emu-flag ${flag.type}`, role: 'alert' },
        h(
          'div',
          {},
          h('strong', {}, flag.title ?? ''),
          h('p', {}, flag.body ?? ''),
          ...(actions.length ? [h('div', { class: 'emu-flag-actions' }, ...actions)] : []),
        ),
        dismiss,
      );
      element.append(node);
      if (flag.close === 'auto') setTimeout(close, 5000);
      return { close };
    },
  };
}
