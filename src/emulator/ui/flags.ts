import { h } from './dom';

/** Renders AP.flag.create flags in a Confluence-like flag group (bottom-left), since AUI's AJS.flag is not loaded. */
export function createFlagGroup(): {
  element: HTMLElement;
  show(flag: { id: string; title?: string; body?: string; type: string; close?: string; onClose: (id: string) => void }): { close(): void };
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
      const node = h(
        'div',
        { class: `emu-flag ${flag.type}`, role: 'alert' },
        h('div', {}, h('strong', {}, flag.title ?? ''), h('p', {}, flag.body ?? '')),
        dismiss,
      );
      element.append(node);
      if (flag.close === 'auto') setTimeout(close, 5000);
      return { close };
    },
  };
}
