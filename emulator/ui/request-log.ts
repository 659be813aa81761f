import type { RequestLogEntry } from '../host/define-modules';
import { createElement } from './dom';

/** The "Requests" panel: one row per AP.request or Forge requestConfluence, updated in place when its answer arrives. */
export function createRequestLog(): { element: HTMLElement; record(entry: RequestLogEntry): void } {
  const list = createElement('ol', { class: 'emu-log', 'aria-label': 'Request log', 'data-testid': 'request-log' });
  const rows = new Map<string, HTMLElement>();
  const element = createElement(
    'section',
    { class: 'emu-panel' },
    createElement('h3', {}, 'Product request log'),
    list,
  );

  function statusClass(status: RequestLogEntry['status']): string {
    if (status === 'pending') return 'pending';
    if (status === 'failed') return 'error';
    return status >= 200 && status < 300 ? 'ok' : status === 429 || status === 409 ? 'warn' : 'error';
  }

  return {
    element,
    record(entry) {
      const row = createElement(
        'li',
        {
          'data-status': String(entry.status),
          'data-host': entry.host ?? 'connect',
          class: `emu-log-row ${statusClass(entry.status)}`,
        },
        createElement('span', { class: 'emu-log-status' }, entry.status === 'failed' ? 'ERR' : String(entry.status)),
        createElement('span', { class: 'emu-log-method' }, entry.method),
        // The context path is the same on every row; the rest wraps so cursors and ids stay readable.
        createElement('span', { class: 'emu-log-path', title: entry.path }, entry.path.replace(/^\/wiki(?=\/)/, '')),
        createElement('span', { class: 'emu-log-ms' }, entry.ms === undefined ? '' : `${entry.ms} ms`),
      );
      const key = `${entry.host ?? 'connect'}:${entry.id}`;
      const existing = rows.get(key);
      if (existing) existing.replaceWith(row);
      else list.prepend(row);
      rows.set(key, row);
      while (list.children.length > 200) {
        const last = list.lastElementChild;
        if (!last) break;
        last.remove();
      }
    },
  };
}
