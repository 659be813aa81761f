import type { DialogButton } from '../host/dialog-provider';
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
    /** The footer's buttons (Confluence's Submit/Cancel, the app's own); drawn only with chrome. */
    buttons?: DialogButton[];
    onClosed?: () => void;
  }): HTMLElement;
  /** Draws the footer's buttons again as they now are (enabled, hidden, added). */
  setButtons(buttons: DialogButton[]): void;
  close(): void;
  readonly isOpen: boolean;
}

/** How long the frame of a closed dialog stays (hidden) for the messages it sent with its close. */
const CLOSED_FRAME_GRACE_MS = 1000;

/**
 * The dialog Confluence opens around an app iframe: a macro's custom editor, or a `dialogs` module the app opened
 * with `AP.dialog.create`. A native modal `<dialog>`: the page behind it is inert, and Escape (while focus is on the
 * host page) closes it. Focus inside the cross-origin iframe never reaches this document, so Escape there is the
 * app's or connect-host's business. Every way of closing ends in the `close` event, so the iframe is removed
 * (a moment later, see CLOSED_FRAME_GRACE_MS) and focus returns to whatever opened the dialog exactly once. With
 * buttons (Confluence's Submit/Cancel, a macro editor's Save/Close) the footer holds them and the header no ×.
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
  const footer = createElement('footer', { class: 'emu-dialog-footer', hidden: true });
  const footerButtons = new Map<string, HTMLButtonElement>();
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
    footer,
  );
  let escapeCloses = true;
  let returnFocus: Element | null = null;
  let active = false;
  let onClosed: (() => void) | undefined;

  /** Updates the buttons in place (focus stays on the one that has it); a new set of buttons is drawn anew. */
  function showButtons(buttons: DialogButton[]) {
    const sameSet =
      buttons.length === footerButtons.size && buttons.every((button) => footerButtons.has(button.identifier));
    if (!sameSet) {
      footerButtons.clear();
      footer.replaceChildren(
        ...buttons.map((button) => {
          const element = createElement(
            'button',
            {
              type: 'button',
              class: button.primary ? 'emu-button emu-button-primary' : 'emu-button emu-button-subtle',
              'data-button': button.identifier,
            },
            button.text,
          );
          element.addEventListener('click', () => button.onClick());
          footerButtons.set(button.identifier, element);
          return element;
        }),
      );
    }
    for (const button of buttons) {
      const element = footerButtons.get(button.identifier)!;
      element.disabled = button.disabled;
      element.hidden = button.hidden;
    }
  }

  function finish() {
    if (!active) return;
    active = false;
    // all.js closes a dialog on Save (AP.dialog.close()) before the app's own dialog.submit listener has sent its
    // AP.confluence.saveMacro: the closed dialog's frame stays a moment (hidden, as AUI's dialog does while it fades)
    // so the messages it sent with its close still arrive. Opening the dialog again clears it at once.
    const leaving = [...body.childNodes];
    setTimeout(() => leaving.forEach((node) => node.remove()), CLOSED_FRAME_GRACE_MS);
    showButtons([]);
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
    open({ title, width, height, chrome = true, closeOnEscape = true, buttons = [], onClosed: closed }) {
      // One dialog at a time: a dialog still showing is finished first (its onClosed runs, its iframe goes), so
      // whoever opened it hears that it closed instead of waiting forever.
      finish();
      returnFocus = document.activeElement;
      active = true;
      onClosed = closed;
      escapeCloses = closeOnEscape;
      header.hidden = !chrome;
      showButtons(buttons);
      footer.hidden = !chrome || buttons.every((button) => button.hidden);
      closeButton.hidden = !footer.hidden;
      heading.textContent = title;
      body.replaceChildren();
      body.style.width = width;
      body.style.height = height;
      if (!element.open) element.showModal();
      // Where the browser puts initial focus in a dialog without autofocus has changed between versions.
      if (!closeButton.hidden && chrome) closeButton.focus();
      else element.focus();
      return body;
    },
    setButtons(buttons) {
      // The app's click handlers run while the dialog is open; a late change after it closed has nothing to draw.
      if (!active) return;
      showButtons(buttons);
      footer.hidden = header.hidden || buttons.every((button) => button.hidden);
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
