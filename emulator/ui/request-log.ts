import type { RequestLogEntry } from '../host/define-modules';
import { createElement } from './dom';

/**
 * A row of the log: from the app's iframe (AP.request, the Forge bridge's requestConfluence), from the app's
 * backend (its REST calls to the emulated site over HTTP, which the Node half reports on /__emulator/events), or a
 * Forge function (`resolver`): its invocation (method INVOKE, the function key as path) and its Confluence calls.
 */
export type LogEntry = Omit<RequestLogEntry, 'host'> & {
  host?: RequestLogEntry['host'] | 'backend' | 'resolver';
  /** A Forge function's Confluence call: which invocation made it (`getUser`, `getUser as app`). */
  via?: string;
  /** Why the call failed (a function's error message), shown under the row; its stack in the row's tooltip. */
  detail?: string;
  stack?: string;
};

/** Row labels for who sent a call; iframe calls to Confluence carry none (they are most of the log). */
const SENDER_LABELS: Partial<Record<NonNullable<LogEntry['host']>, string>> = {
  backend: 'app backend',
  remote: 'remote',
  resolver: 'resolver',
};

/** The label before a row's path: who sent it, and for requestRemote which remote it went to. */
function senderLabel(entry: LogEntry): string | undefined {
  const label = entry.host ? SENDER_LABELS[entry.host] : undefined;
  if (label && entry.remoteKey) return `${label} ${entry.remoteKey}`;
  if (label && entry.via) return `${label} ${entry.via}`;
  return label;
}

/** Under a 501 row: what it means, and what the developer can do about it. */
const NOT_EMULATED = 'not emulated by the emulator: answer it with emulate --handlers';

/** When a call started and was answered, in ms since the emulator page loaded (its `performance.now()`). */
interface CallTiming {
  start: number;
  end?: number;
}

/** "12.3" for the CSS custom properties and data attributes the waterfall reads. */
const toMs = (value: number) => value.toFixed(1);

/**
 * The "Requests" panel: one row per AP.request, Forge requestConfluence, Forge remote call or backend REST call,
 * updated in place when its answer arrives. Under each row a bar on a time axis shared by all rows (from the first
 * call still listed to the last answer) shows when the call started and ended: calls that ran in parallel overlap,
 * a call that waited for another starts where that one ends. The log stamps the times itself when it is told of a
 * call and of its answer (both in this page's event loop), so every sender is on the same clock; a backend call's
 * times are when the Node half's reports arrive. "Clear" empties the log and starts a new axis.
 */
export function createRequestLog(): { element: HTMLElement; record(entry: LogEntry): void } {
  const list = createElement('ol', { class: 'emu-log', 'aria-label': 'Request log', 'data-testid': 'request-log' });
  const rows = new Map<string, HTMLElement>();
  const timings = new Map<string, CallTiming>();
  const axisLabel = createElement('span', { class: 'emu-log-axis', 'data-testid': 'request-log-axis' });
  const clearButton = createElement('button', { class: 'emu-button emu-button-subtle', type: 'button' }, 'Clear');
  clearButton.addEventListener('click', () => {
    list.replaceChildren();
    rows.clear();
    timings.clear();
    updateAxis();
  });
  const element = createElement(
    'section',
    { class: 'emu-panel' },
    createElement('h3', { class: 'emu-log-heading' }, 'Product request log', axisLabel, clearButton),
    list,
  );

  function statusClass(status: LogEntry['status']): string {
    if (status === 'pending') return 'pending';
    if (status === 'failed') return 'error';
    return status >= 200 && status < 300 ? 'ok' : status === 429 || status === 409 ? 'warn' : 'error';
  }

  /** The shared axis: the rows' bars are placed on it by CSS (styles.css, `.emu-log-bar`). */
  function updateAxis(): void {
    const now = performance.now();
    let first = Infinity;
    let last = 0;
    for (const timing of timings.values()) {
      first = Math.min(first, timing.start);
      last = Math.max(last, timing.end ?? now);
    }
    if (first === Infinity) {
      axisLabel.textContent = '';
      return;
    }
    // A span of at least 1 ms keeps an instant call's bar visible (and the division defined).
    const span = Math.max(last - first, 1);
    list.style.setProperty('--axis-start', toMs(first));
    list.style.setProperty('--axis-span', toMs(span));
    list.style.setProperty('--axis-end', toMs(first + span));
    axisLabel.textContent = `${Math.round(first)}–${Math.round(last)} ms`;
    axisLabel.title = 'The bars: each call from its start to its answer, in ms since this page loaded';
  }

  function timeBar(timing: CallTiming): HTMLElement {
    const bar = createElement('span', { class: 'emu-log-bar', 'data-testid': 'log-bar' });
    bar.style.setProperty('--start', toMs(timing.start));
    // A pending call's bar runs to the axis's end (the latest answer so far).
    if (timing.end !== undefined) bar.style.setProperty('--end', toMs(timing.end));
    return createElement('span', { class: 'emu-log-track', 'aria-hidden': 'true' }, bar);
  }

  return {
    element,
    record(entry) {
      const sender = senderLabel(entry);
      // The emulated site answers 501 only for an operation it does not emulate (src/testing/confluence/handlers.ts):
      // said in words, so nobody reads it as Confluence refusing the app.
      const detail = entry.detail ?? (entry.status === 501 ? NOT_EMULATED : undefined);
      const key = `${entry.host ?? 'connect'}:${entry.id}`;
      const now = performance.now();
      const timing = timings.get(key) ?? { start: now };
      if (entry.status !== 'pending') timing.end ??= now;
      timings.set(key, timing);
      const when =
        timing.end === undefined
          ? `started ${Math.round(timing.start)} ms after the page loaded, waiting`
          : `started ${Math.round(timing.start)} ms, answered ${Math.round(timing.end)} ms after the page loaded`;
      const row = createElement(
        'li',
        {
          'data-status': String(entry.status),
          'data-host': entry.host ?? 'connect',
          'data-start-ms': toMs(timing.start),
          'data-end-ms': timing.end === undefined ? undefined : toMs(timing.end),
          class: `emu-log-row ${statusClass(entry.status)}`,
          title: when,
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
          ...(detail
            ? [
                createElement(
                  'span',
                  { class: 'emu-log-detail', 'data-testid': 'log-detail', title: entry.stack ?? detail },
                  detail,
                ),
              ]
            : []),
        ),
        createElement('span', { class: 'emu-log-ms' }, entry.ms === undefined ? '' : `${entry.ms} ms`),
        timeBar(timing),
      );
      const existing = rows.get(key);
      if (existing) existing.replaceWith(row);
      else list.prepend(row);
      rows.set(key, row);
      while (list.children.length > 200) {
        const last = list.lastElementChild;
        if (!last) break;
        last.remove();
        for (const [oldKey, oldRow] of rows) {
          if (oldRow !== last) continue;
          rows.delete(oldKey);
          timings.delete(oldKey);
        }
      }
      updateAxis();
    },
  };
}
