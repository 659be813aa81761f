import { CqlError } from '../errors.js';

/**
 * Dates in CQL (`created`, `lastmodified`): literals such as `"2026/01/01"`, `"2026-01-01 14:30"`, and the date
 * functions `now()`, `startOfDay()`, `endOfDay()`, `startOfWeek()`, `endOfWeek()`, `startOfMonth()`, `endOfMonth()`,
 * `startOfYear()`, `endOfYear()`, each with an optional increment (`now("-30d")`, `startOfDay("-1d")`; units y, M, w,
 * d, h, m), as Atlassian's CQL function reference gives them.
 *
 * [Inf] Confluence reads dates in the searching user's time zone; the emulator reads them in UTC. Weeks start on
 * Monday. A literal without a time is the whole day: `created = "2026/01/01"` is any time that day,
 * `created < "2026/01/01"` before it starts, `created <= "2026/01/01"` before it ends.
 */

export const DATE_FUNCTIONS = new Set([
  'now',
  'startofday',
  'endofday',
  'startofweek',
  'endofweek',
  'startofmonth',
  'endofmonth',
  'startofyear',
  'endofyear',
]);

const LITERAL = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const INCREMENT = /^([+-]?)(\d{1,6})([yMwdhm])$/;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** A span of time a date value stands for: `[start, end)` in epoch ms. An instant is one millisecond long. */
export interface DateSpan {
  start: number;
  end: number;
}

/** Throws the CqlError a malformed date literal is (a 400 "Could not parse cql"). */
export function checkDateLiteral(text: string): void {
  if (parseDateLiteral(text) === null) {
    throw new CqlError('syntax', `'${text}' is not a date: use "yyyy/MM/dd" or "yyyy/MM/dd HH:mm"`);
  }
}

/** Throws the CqlError a bad date function call is. */
export function checkDateFunction(name: string, args: string[]): void {
  if (!DATE_FUNCTIONS.has(name.toLowerCase())) {
    throw new CqlError('unsupported', `The Confluence emulator does not support the CQL function ${name}() on dates`);
  }
  if (args.length > 1) throw new CqlError('syntax', `${name}() takes at most one increment, like "-30d"`);
  if (args.length === 1 && !INCREMENT.test(args[0]!)) {
    throw new CqlError('syntax', `'${args[0]}' is not an increment for ${name}(): use e.g. "-30d", "+1w", "-2M"`);
  }
}

function parseDateLiteral(text: string): DateSpan | null {
  const match = LITERAL.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  const start = Date.UTC(year!, month! - 1, day!, hour, minute);
  const check = new Date(start);
  // Refuse 2026/02/31 and 25:00 rather than rolling them over.
  if (check.getUTCMonth() !== month! - 1 || check.getUTCDate() !== day! || hour! > 23 || minute! > 59) return null;
  return { start, end: start + (match[4] === undefined ? DAY_MS : MINUTE_MS) };
}

function addIncrement(at: number, increment: string | undefined): number {
  if (increment === undefined) return at;
  const [, sign, amount, unit] = INCREMENT.exec(increment)!;
  const count = Number(amount) * (sign === '-' ? -1 : 1);
  const date = new Date(at);
  if (unit === 'y') date.setUTCFullYear(date.getUTCFullYear() + count);
  else if (unit === 'M') date.setUTCMonth(date.getUTCMonth() + count);
  else date.setTime(at + count * { w: 7 * DAY_MS, d: DAY_MS, h: 60 * MINUTE_MS, m: MINUTE_MS }[unit as 'w']);
  return date.getTime();
}

function startOf(unit: 'day' | 'week' | 'month' | 'year', at: number): number {
  const date = new Date(at);
  if (unit === 'year') return Date.UTC(date.getUTCFullYear(), 0, 1);
  if (unit === 'month') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (unit === 'day') return day;
  return day - ((date.getUTCDay() + 6) % 7) * DAY_MS; // back to Monday
}

function nextOf(unit: 'day' | 'week' | 'month' | 'year', start: number): number {
  const date = new Date(start);
  if (unit === 'year') return Date.UTC(date.getUTCFullYear() + 1, 0, 1);
  if (unit === 'month') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  return start + (unit === 'day' ? DAY_MS : 7 * DAY_MS);
}

/** The instant a date function stands for at `now`: start-of functions the first, end-of the last millisecond. */
function functionInstant(name: string, increment: string | undefined, now: number): number {
  const lower = name.toLowerCase();
  if (lower === 'now') return addIncrement(now, increment);
  const unit = lower.replace(/^(start|end)of/, '') as 'day' | 'week' | 'month' | 'year';
  const start = addIncrement(startOf(unit, now), increment);
  return lower.startsWith('start') ? start : nextOf(unit, startOf(unit, start)) - 1;
}

/** What a checked date value stands for at `now`. */
export function dateSpan(
  value: { kind: 'literal'; value: string } | { kind: 'function'; name: string; args: string[] },
  now: number,
): DateSpan {
  if (value.kind === 'literal') return parseDateLiteral(value.value)!;
  const instant = functionInstant(value.name, value.args[0], now);
  return { start: instant, end: instant + 1 };
}

/** Whether a page's date (epoch ms) meets `operator` against the span. */
export function compareDate(at: number, operator: string, span: DateSpan): boolean {
  switch (operator) {
    case '<':
      return at < span.start;
    case '<=':
      return at < span.end;
    case '>':
      return at >= span.end;
    case '>=':
      return at >= span.start;
    case '!=':
      return at < span.start || at >= span.end;
    default:
      return at >= span.start && at < span.end;
  }
}
