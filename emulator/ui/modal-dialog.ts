import { createElement } from './dom';

export interface ModalDialog {
  element: HTMLDialogElement;
  /**
   * Shows the dialog and answers the element the module iframe goes into. `onClosed` runs once, however it
   * closes (its close button, Escape on the host page, `close()`, or another `open()` replacing it).
   */
  open(opts: {
    title: string;
    width: string;
    height: string;
    /** false: no header bar (title and ×), as Confluence draws a chromeless dialog; the title still names it. */
    chrome?: boolean;
    /** false: Escape on the host page leaves it open; only the app (or ×, with chrome) closes it. */
    closeOnEscape?: boolean;
    onClosed?: () => void;
  }): HTMLElement;
  close(): void;
  readonly isOpen: boolean;
}

/**
 * The dialog Confluence opens around an app iframe: a macro's custom editor, or a `dialogs` module the app opened
 * with `AP.dialog.create`. A native modal `<dialog>`: the page behind it is inert, and Escape (while focus is on the
 * host page) closes it. Focus inside the cross-origin iframe never reaches this document, so Escape there is the
 * app's or connect-host's business. Every way of closing ends in the `close` event, so the iframe is removed
 * (connect-host then destroys the extension) and focus returns to whatever opened the dialog exactly once.
 */
export function createModalDialog({ id, testId }: { id: string; testId: string }): ModalDialog {
  const titleId = `${id}-title`;
  const heading = createElement('h2', { id: titleId, class: 'emu-dialog-title' });
  const closeButton = createElement(
    'button',
    { type: 'button', class: 'emu-dialog-close', 'aria-label': 'Close' },
    '×',
  );
  const body = createElement('div', { class: 'emu-dialog-body' });
  const header = createElement('header', { class: 'emu-dialog-header' }, heading, closeButton);
  const element = createElement(
    'dialog',
    {
      id,
      class: 'emu-dialog',
      'aria-modal': 'true',
      'aria-labelledby': titleId,
      'data-testid': testId,
      tabindex: '-1',
    },
    header,
    body,
  );
  let escapeCloses = true;
  let returnFocus: Element | null = null;
  let active = false;
  let onClosed: (() => void) | undefined;

  function finish() {
    if (!active) return;
    active = false;
    body.replaceChildren();
    if (returnFocus instanceof HTMLElement && returnFocus.isConnected) returnFocus.focus();
    returnFocus = null;
    const closed = onClosed;
    onClosed = undefined;
    closed?.();
  }

  closeButton.addEventListener('click', () => element.close());
  // The browser turns Escape into `cancel` and then closes; a dialog opened with closeOnEscape: false stays.
  element.addEventListener('cancel', (event) => {
    if (!escapeCloses) event.preventDefault();
  });
  // The `close` event is queued: after a close() and an immediate reopen it arrives while the new one is showing.
  element.addEventListener('close', () => {
    if (!element.open) finish();
  });

  return {
    element,
    open({ title, width, height, chrome = true, closeOnEscape = true, onClosed: closed }) {
      // One dialog at a time: a dialog still showing is finished first (its onClosed runs, its iframe goes), so
      // whoever opened it hears that it closed instead of waiting forever.
      finish();
      returnFocus = document.activeElement;
      active = true;
      onClosed = closed;
      escapeCloses = closeOnEscape;
      header.hidden = !chrome;
      heading.textContent = title;
      body.replaceChildren();
      body.style.width = width;
      body.style.height = height;
      if (!element.open) element.showModal();
      // Where the browser puts initial focus in a dialog without autofocus has changed between versions.
      if (chrome) closeButton.focus();
      else element.focus();
      return body;
    },
    close() {
      if (element.open) element.close();
      finish();
    },
    get isOpen() {
      return element.open;
    },
  };
}
