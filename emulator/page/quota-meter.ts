import type { ConfluenceWorld } from '../../src/testing/core';
import { createElement } from '../ui/dom';

/** `Retry-After` of the burst toggle's refusals: long enough to read the app's countdown. */
export const BURST_RETRY_AFTER_SECONDS = 5;
/** The fast clock's "hour": the quota window lasts this many seconds, so a demo sees the reset. */
export const FAST_CLOCK_WINDOW_SECONDS = 60;
/** Confluence's quota window: the UTC hour. */
const ONE_HOUR_SECONDS = 60 * 60;
/** The "Near limit" badge shows under this share of the quota left, as `X-RateLimit-NearLimit` does. */
const NEAR_LIMIT_SHARE = 0.2;
/** "Use 85 %" spends up to this share of the quota: past the 80 % at which `Beta-RateLimit` names what is left. */
const DEMO_SPEND_SHARE = 0.85;
const ONE_SECOND_MS = 1000;
const ONE_MINUTE_SECONDS = 60;

const numberFormat = new Intl.NumberFormat('en');

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** Local wall-clock time of the reset; with seconds when the fast clock's window does not end on a minute. */
function resetTime(resetAt: number): string {
  const date = new Date(resetAt);
  const time = `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}`;
  if (date.getSeconds() === 0) return time;
  return `${time}:${twoDigits(date.getSeconds())}`;
}

/** "in 42 s", "in 17 min". */
function timeLeft(milliseconds: number): string {
  const seconds = Math.max(0, Math.ceil(milliseconds / ONE_SECOND_MS));
  if (seconds < ONE_MINUTE_SECONDS * 2) return `in ${seconds} s`;
  return `in ${Math.ceil(seconds / ONE_MINUTE_SECONDS)} min`;
}

function toggle(id: string, label: string, hint: string, onChange: (on: boolean) => void) {
  const input = createElement('input', { type: 'checkbox', id, 'data-testid': id });
  input.addEventListener('change', () => onChange(input.checked));
  const element = createElement(
    'label',
    { class: 'emu-toggle', for: id, title: hint },
    input,
    createElement('span', {}, label),
  );
  return { element, input };
}

/**
 * The "Points quota" block of the faults panel: what the app has left of the hour's points quota (`world.quota`,
 * charged by every emulated call with its cost from `DEFAULT_ENDPOINT_COSTS`), updated on each request and each
 * second (so the reset shows), plus the quota's refusals as toggles and a fast clock for demos.
 */
export function createQuotaMeter(world: ConfluenceWorld): HTMLElement {
  const quota = world.quota;
  const meter = createElement('meter', {
    class: 'emu-quota-meter',
    'data-testid': 'quota-meter',
    min: '0',
    'aria-label': 'Points left this hour',
  });
  const remainingText = createElement('span', { 'data-testid': 'quota-remaining' });
  const nearLimitBadge = createElement(
    'span',
    { class: 'emu-quota-badge', 'data-testid': 'quota-near-limit', hidden: true },
    'Near limit',
  );
  const resetText = createElement('div', { class: 'emu-muted small', 'data-testid': 'quota-reset' });
  const lastCall = createElement('div', { class: 'emu-muted small', 'data-testid': 'quota-last-call' });

  const exhaustedToggle = toggle(
    'quota-exhausted',
    'Quota exhausted (429 until the reset)',
    'Spends the whole quota: every call answers 429 with RateLimit-Reason confluence-quota-tenant-based and Retry-After to the reset',
    (on) => quota.exhaust(on),
  );
  const burstToggle = toggle(
    'quota-burst',
    `Burst limit (429, Retry-After ${BURST_RETRY_AFTER_SECONDS} s)`,
    'Every call answers 429 with the burst reason until switched off; the quota is untouched',
    (on) => {
      if (on) quota.burstLimit({ retryAfterSeconds: BURST_RETRY_AFTER_SECONDS });
      else quota.burstLimit(false);
    },
  );
  const fastClockToggle = toggle(
    'quota-fast-clock',
    `Fast clock (the hour lasts ${FAST_CLOCK_WINDOW_SECONDS} s)`,
    'For demos: the quota resets every minute instead of on the UTC hour',
    (on) => {
      // A new window length starts a fresh window; a quota switched to spent stays spent in it.
      quota.configure({ windowSeconds: on ? FAST_CLOCK_WINDOW_SECONDS : ONE_HOUR_SECONDS });
      if (exhaustedToggle.input.checked) quota.exhaust();
      render();
    },
  );
  const spendButton = createElement(
    'button',
    { class: 'emu-button', type: 'button', 'data-testid': 'quota-spend' },
    `Use ${DEMO_SPEND_SHARE * 100} % of the quota`,
  );
  spendButton.addEventListener('click', () => {
    quota.spend(Math.max(0, Math.round(quota.limit * DEMO_SPEND_SHARE) - quota.used));
    render();
  });

  function render(): void {
    const { limit, remaining, nearLimit, exhausted, resetAt } = quota;
    meter.max = limit;
    meter.value = remaining;
    // The meter turns amber under 20 % left (its "low" mark), as the badge appears.
    meter.low = limit * NEAR_LIMIT_SHARE;
    meter.high = limit;
    meter.optimum = limit;
    remainingText.textContent = `${numberFormat.format(remaining)} of ${numberFormat.format(limit)} points left`;
    remainingText.dataset.remaining = String(remaining);
    nearLimitBadge.hidden = !nearLimit;
    meter.dataset.nearLimit = String(nearLimit);
    const period = quota.windowSeconds === ONE_HOUR_SECONDS ? 'hour' : `${quota.windowSeconds} s window`;
    resetText.textContent = `This ${period} resets at ${resetTime(resetAt)} (${timeLeft(resetAt - Date.now())}).`;
    // The toggle follows the quota: spending the last point turns it on, the reset turns it off.
    exhaustedToggle.input.checked = exhausted;
  }

  world.onRequest((entry) => {
    // The context path and the query (cursors) are long and the same story: the endpoint is what costs.
    const path = (entry.path.split('?')[0] ?? '').replace(/^\/wiki(?=\/)/, '');
    lastCall.textContent = `Last call: ${entry.method} ${path} · ${entry.points ?? 0} points`;
    render();
  });
  // The reset comes with time, not with a request.
  setInterval(render, ONE_SECOND_MS);
  render();

  return createElement(
    'div',
    { class: 'emu-quota', 'data-testid': 'quota-panel' },
    createElement('h4', {}, 'Points quota'),
    meter,
    createElement('div', { class: 'emu-quota-numbers' }, remainingText, nearLimitBadge),
    resetText,
    lastCall,
    exhaustedToggle.element,
    burstToggle.element,
    fastClockToggle.element,
    spendButton,
  );
}
