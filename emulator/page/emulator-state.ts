import { PAGES, USERS, type ConfluenceWorld, type EmulatedUser } from '../../src/testing/core';
import type { EmulatorConfig } from '../emulator-config';
import type { PageContext } from '../host/define-modules';
import { appLicenceActive, visibleAccountId } from '../../src/testing/internals';

/** Which of Confluence's two iframe hosts the page plays: Connect (connect-host + all.js) or Forge Custom UI. */
export type EmulatedHost = 'connect' | 'forge';

/** What the controls change: who looks at which page, through which host, at which of the app's modules. */
export interface EmulatorState {
  accountId: string;
  moduleKey: string;
  pageId: string;
  host: EmulatedHost;
}

/** The macro as stored on the emulated page: its parameters go into the macro URL, as Confluence does. */
export interface StoredMacro {
  parameters: Record<string, string>;
  body: string;
}

export interface ActingUserChoice {
  accountId: string;
  label: string;
}

/** The id Confluence gives the one macro on the emulated page. */
const MACRO_ID = 'f3b2c1d0-macro-0001';

/** A default user's seed name (`editor`), or undefined for a user from a site seed. */
function seedNameOf(user: EmulatedUser): string | undefined {
  return Object.entries(USERS).find(([, seedUser]) => seedUser.accountId === user.accountId)?.[0];
}

/** One entry per user of the site, labelled with what sets it apart (admin, no access, or its seed name). */
export function actingUserChoices(world: ConfluenceWorld): ActingUserChoice[] {
  return [...world.users.values()].map((user) => {
    let note = seedNameOf(user);
    if (user.siteAdmin) note = 'site admin';
    if (!user.confluenceAccess) note = 'no Confluence access';
    return { accountId: user.accountId, label: note ? `${user.displayName} (${note})` : user.displayName };
  });
}

/** The starting state from the page URL (`?user=viewer&module=…&pageId=…&host=forge`), then the command's defaults. */
export function initialState(config: EmulatorConfig, world: ConfluenceWorld, search: string): EmulatorState {
  const params = new URLSearchParams(search);
  const named = (user: string | null | undefined) => (user ? world.user(user)?.accountId : undefined);
  const firstUser = world.users.values().next().value?.accountId ?? '';
  const inlineModules = config.modules.filter((module) => module.kind !== 'dialog');
  const requestedPage = params.get('pageId');
  return {
    accountId: named(params.get('user')) ?? named(config.actingUser) ?? named('editor') ?? firstUser,
    moduleKey:
      inlineModules.find((module) => module.key === params.get('module'))?.key ??
      inlineModules.find((module) => module.kind === 'macro')?.key ??
      inlineModules[0]?.key ??
      '',
    pageId: requestedPage && world.pages.has(requestedPage) ? requestedPage : startPageId(world),
    host: params.get('host') === 'forge' && config.forge ? 'forge' : 'connect',
  };
}

/** The default world's "Getting started" page; with a site seed, the first space's home page. */
function startPageId(world: ConfluenceWorld): string {
  if (world.pages.has(PAGES.gettingStarted)) return PAGES.gettingStarted;
  for (const space of world.spaces.values()) {
    if (space.homepageId && world.pages.has(space.homepageId)) return space.homepageId;
  }
  return world.pages.keys().next().value ?? '';
}

/** What the emulated Confluence page knows right now, for module URLs, tokens and the host modules. */
export function pageContext(world: ConfluenceWorld, state: EmulatorState): PageContext {
  const page = world.pages.get(state.pageId);
  const space = page ? world.spaces.get(page.spaceId) : undefined;
  return {
    accountId: state.accountId,
    pageId: state.pageId,
    pageVersion: page?.version.number ?? 1,
    spaceId: space?.id ?? '',
    spaceKey: space?.key ?? '',
    macroId: MACRO_ID,
    viewer: {
      accountId: visibleAccountId(world.user(state.accountId)),
      licenceActive: appLicenceActive(world.user(state.accountId)),
    },
  };
}
