import { h } from './dom';

export interface MacroEditorDialog {
  element: HTMLDialogElement;
  /** Shows the dialog and answers the element the editor iframe goes into. */
  open(opts: { title: string; width: string; height: string }): HTMLElement;
  close(): void;
  readonly isOpen: boolean;
}

/**
 * The dialog Confluence opens around a macro's custom editor. A native modal `<dialog>`: the page behind it is
 * inert, and Escape (while focus is on the host page) closes it. Focus inside the cross-origin editor never
 * reaches this document, so an editor that wants Escape there calls `AP.confluence.closeMacroEditor()` itself.
 * Every way of closing ends in the `close` event, so the iframe is removed (connect-host then destroys the
 * extension) and focus returns to whatever opened the dialog exactly once.
 */
export function createMacroEditorDialog(onClosed: () => void): MacroEditorDialog {
  const titleId = 'emu-macro-editor-title';
  const heading = h('h2', { id: titleId, class: 'emu-dialog-title' });
  const closeButton = h('button', { type: 'button', class: 'emu-dialog-close', 'aria-label': 'Close' }, '×');
  const body = h('div', { class: 'emu-dialog-body' });
  const element = h(
    'dialog',
    { class: 'emu-dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, 'data-testid': 'macro-editor-dialog' },
    h('header', { class: 'emu-dialog-header' }, heading, closeButton),
    body,
  );
  let returnFocus: Element | null = null;

  closeButton.addEventListener('click', () => element.close());
  element.addEventListener('close', () => {
    body.replaceChildren();
    if (returnFocus instanceof HTMLElement && returnFocus.isConnected) returnFocus.focus();
    returnFocus = null;
    onClosed();
  });

  return {
    element,
    open({ title, width, height }) {
      returnFocus = document.activeElement;
      heading.textContent = title;
      body.replaceChildren();
      body.style.width = width;
      body.style.height = height;
      element.showModal();
      // Where the browser puts initial focus in a dialog without autofocus has changed between versions.
      closeButton.focus();
      return body;
    },
    close() {
      if (element.open) element.close();
    },
    get isOpen() {
      return element.open;
    },
  };
}
