import type { ReactNode } from 'react';
import { developerHints } from '../internal/developer-notes.js';

/** Every string the state views show. Pass a partial object to translate or reword. */
export interface Messages {
  loading: string;
  connecting: string;
  retry: string;
  reload: string;
  forbidden: string;
  'forbidden.app-scope': string;
  'forbidden.app-access-rule': string;
  'forbidden.product-access': string;
  'forbidden.xsrf': string;
  'not-found': string;
  unauthorized: string;
  'rate-limited': (secondsLeft?: number) => string;
  /** A spent quota: nothing succeeds until `resetAt` (a Date in local time; undefined when unknown). */
  quota: (resetAt?: Date) => string;
  /** A version conflict: `otherVersion` is the version saved meanwhile, undefined when the answer did not name it. */
  conflict: (otherVersion?: number) => string;
  unavailable: string;
  error: string;
  /** Not inside Confluence: no host was found, or a request found no host (`AP.request` missing). No retry. */
  outside: string;
  /** A refused write by an anonymous viewer (no account). */
  anonymous: string;
  /** A single-space guest refused outside their space (CQL search is refused to guests). */
  guest: string;
  /** The app's licence is inactive for this viewer. */
  unlicensed: string;
  /**
   * Confluence refused the request as invalid (a 400, or another 4xx without a state of its own): the app's fault,
   * so nothing to retry. Confluence's words are in `error.detail` (and the console, in development builds).
   */
  'bad-request': string;
  /** Confluence has removed the API the app called (410, `error.reason` `removed-endpoint`): only an update helps. */
  gone: string;
  /**
   * Under the outside state, for the app's developer: shown in development builds only (`NODE_ENV` not
   * `production`), where `defaultMessages` has a default for it.
   */
  outsideHint?: string;
  /** `outsideHint` when the host is Forge but `@forge/bridge` could not be loaded (development builds only). */
  'outsideHint.forge-bridge'?: string;
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** `14:00`: the local wall-clock time. */
function localTime(date: Date): string {
  return `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}`;
}

export const defaultMessages: Messages = {
  loading: 'Loading…',
  connecting: 'Connecting to Confluence…',
  retry: 'Try again',
  reload: 'Reload latest',
  forbidden: "You don't have permission to do this.",
  'forbidden.app-scope': 'This app lacks a permission. Ask an admin to update it.',
  'forbidden.app-access-rule': 'An app access rule blocks this app here.',
  'forbidden.product-access': "You don't have access to Confluence.",
  'forbidden.xsrf': 'Confluence refused this change for security reasons. Reload the page and try again.',
  'not-found': "Not found, or you don't have access.",
  unauthorized: 'Your session expired. Reload the page.',
  'rate-limited': (seconds) => `Confluence is busy.${seconds ? ` Retrying in ${seconds} s.` : ''}`,
  quota: (resetAt) =>
    `This app has used its Confluence quota for this hour.${resetAt ? ` It resumes at ${localTime(resetAt)}.` : ''}`,
  // A 409 names the other version only sometimes (v2's title does, a v1 body or a proxy may not).
  conflict: (version) =>
    `Someone else saved ${version === undefined ? 'a newer version' : `version ${version}`}. Reload it before saving again.`,
  unavailable: 'Confluence did not answer.',
  error: 'Something went wrong.',
  outside: 'This app must be opened from Confluence.',
  anonymous: 'Sign in to edit.',
  guest: 'Your access is limited to one space.',
  unlicensed: "Your site's licence for this app is inactive.",
  'bad-request': "Confluence could not accept the app's request.",
  gone: 'This app uses a Confluence API that has been removed. Update the app.',
  // The developer's hints: development builds only. Written out here, so production bundles drop them.
  ...(typeof process !== 'undefined' && process.env.NODE_ENV !== 'production' ? developerHints : undefined),
};

/** One state per way a request can end up on screen. */
export type StateKind =
  | 'loading'
  | 'connecting'
  | 'outside'
  | 'forbidden'
  | 'not-found'
  | 'unauthorized'
  | 'rate-limited'
  | 'quota'
  | 'conflict'
  | 'unavailable'
  | 'bad-request'
  | 'gone'
  | 'anonymous'
  | 'guest'
  | 'unlicensed'
  | 'error';

export interface ViewState {
  kind: StateKind;
  reason?: string;
  error?: unknown;
  retryAfterMs?: number;
  currentVersion?: number;
  /** `quota`: epoch ms when the app's quota resets. */
  resetAt?: number;
}

/** What a custom renderer gets: the state, the default text, and the actions that apply. */
export interface StateRenderProps extends ViewState {
  message: string;
  secondsLeft?: number;
  retry?: () => void;
  reload?: () => void;
}

export type StateRenderers = { [K in StateKind]?: (props: StateRenderProps) => ReactNode };
