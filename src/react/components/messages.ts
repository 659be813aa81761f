import type { ReactNode } from 'react';

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
  conflict: (otherVersion?: number) => string;
  unavailable: string;
  error: string;
  outside: string;
  outsideHint: string;
}

export const defaultMessages: Messages = {
  loading: 'Loading…',
  connecting: 'Connecting to Confluence…',
  retry: 'Try again',
  reload: 'Reload latest',
  forbidden: "You don't have permission to do this.",
  'forbidden.app-scope': "This app isn't allowed to do this. An administrator needs to update the app.",
  'forbidden.app-access-rule': 'An app access rule blocks this app here. Ask an administrator.',
  'forbidden.product-access': "You don't have access to Confluence.",
  'forbidden.xsrf': 'Confluence blocked this request (XSRF check).',
  'not-found': "This content doesn't exist, or you don't have permission to see it.",
  unauthorized: 'Your session has expired. Reload the page to sign in again.',
  'rate-limited': (s) => (s ? `Confluence is busy. Trying again in ${s} s.` : 'Confluence is busy.'),
  conflict: (v) =>
    `Someone else saved ${v ? `version ${v}` : 'a newer version'}. Reload the latest version before saving again.`,
  unavailable: 'Confluence did not answer in time.',
  error: 'Something went wrong.',
  outside: 'Not running inside Confluence.',
  outsideHint: 'Open this app from a Confluence page, or run `npm run dev` to start the local emulator.',
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
  | 'conflict'
  | 'unavailable'
  | 'error';

export interface ViewState {
  kind: StateKind;
  reason?: string;
  error?: unknown;
  retryAfterMs?: number;
  currentVersion?: number;
}

/** What a custom renderer gets: the state, the default text, and the actions that apply. */
export interface StateRenderProps extends ViewState {
  message: string;
  secondsLeft?: number;
  retry?: () => void;
  reload?: () => void;
}

export type StateRenderers = { [K in StateKind]?: (props: StateRenderProps) => ReactNode };
