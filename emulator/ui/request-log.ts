import type { RequestLogEntry } from '../host/define-modules';
import { createElement } from './dom';

/**
 * A row of the log: from the app's iframe (AP.request, the Forge bridge's requestConfluence) or from the app's
 * backend (its REST calls to the emulated site over HTTP, which the Node half reports on /__emulator/events).
 */
export type LogEntry = Omit<RequestLogEntry, 'host'> & { host?: RequestLogEntry['host'] | 'backend' };

/** Row labels for who sent a call; iframe calls to Confluence carry none (they are most of the log). */
const SENDER_LABELS: Partial<Record<NonNullable<LogEntry['host']>, string>> = {
  backend: 'app backend',
  remote: 'remote',
};

/** The label before a row's path: who sent it, and for requestRemote which remote it went to. */
function senderLabel(entry: LogEntry): string | undefined {
  const label = entry.host ? SENDER_LABELS[entry.host] : undefined;
  if (label && entry.remoteKey) return `${label} ${entry.remoteKey}`;
  return label;
}

/**
 * The "Requests" panel: one row per AP.request, Forge requestConfluence, Forge remote call or backend REST call,
 * updated in place when its answer arrives.
 */
export function createRequestLog(): { element: HTMLElement; record(entry: LogEntry): void } {
  const list = createElement('ol', { class: 'emu-log', 'aria-label': 'Request log', 'data-testid': 'request-log' });
  const rows = new Map<string, HTMLElement>();
  const element = createElement(
    'section',
    { class: 'emu-panel' },
    createElement('h3', {}, 'Product request log'),
    list,
  );

  function statusClass(status: LogEntry['status']): string {
    if (status === 'pending') return 'pending';
    if (status === 'failed') return 'error';
    return status >= 200 && status < 300 ? 'ok' : status === 429 || status === 409 ? 'warn' : 'error';
  }

  return {
    element,
    record(entry) {
      const sender = senderLabel(entry);
      const row = createElement(
        'li',
        {
          'data-status': String(entry.status),
          'data-host': entry.host ?? 'connect',
          class: `emu-log-row ${statusClass(entry.status)}`,
        },
        createElement('span', { class: 'emu-log-status' }, entry.status === 'failed' ? 'ERR' : String(entry.status)),
        createElement('span', { class: 'emu-log-method' }, entry.method),
        // The context path is the same on every row; the rest wraps so cursors and ids stay readable. A backend
        // call says so before its path (the row keeps its four columns).
        createElement(
          'span',
          { class: 'emu-log-path', title: entry.path },
          ...(sender
            ? [createElement('span', { class: 'emu-log-sender', 'data-testid': 'log-sender' }, sender), ' ']
            : []),
          entry.host === 'remote' ? entry.path : entry.path.replace(/^\/wiki(?=\/)/, ''),
        ),
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
