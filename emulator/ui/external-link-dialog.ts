import { createElement } from './dom';

/**
 * The prompt Confluence shows before an app takes the user to another site (Forge's `router.open` /
 * `router.navigate` with an external URL): the address, **Cancel** and **Continue**. Answers true when the user
 * continues; Cancel, Escape and closing answer false.
 */
export function confirmExternalLink(url: string): Promise<boolean> {
  const titleId = 'emu-external-link-title';
  const cancel = createElement('button', { type: 'button', class: 'emu-button' }, 'Cancel');
  const proceed = createElement('button', { type: 'button', class: 'emu-button emu-button-primary' }, 'Continue');
  const dialog = createElement(
    'dialog',
    { class: 'emu-dialog emu-confirm', 'aria-labelledby': titleId, 'data-testid': 'external-link-dialog' },
    createElement(
      'header',
      { class: 'emu-dialog-header' },
      createElement('h2', { id: titleId, class: 'emu-dialog-title' }, 'You are leaving Confluence'),
    ),
    createElement(
      'div',
      { class: 'emu-dialog-body emu-confirm-body' },
      createElement('p', {}, 'The app wants to open this link in a new tab:'),
      createElement('p', { class: 'emu-confirm-url', 'data-testid': 'external-link-url' }, url),
      createElement('div', { class: 'emu-confirm-actions' }, cancel, proceed),
    ),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    let answer = false;
    proceed.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    cancel.addEventListener('click', () => dialog.close());
    // Escape cancels the <dialog>, which closes it too.
    dialog.addEventListener(
      'close',
      () => {
        dialog.remove();
        resolve(answer);
      },
      { once: true },
    );
    dialog.showModal();
    proceed.focus();
  });
}
