import type { EmulatedPage, EmulatedSpace, EmulatedUser } from './model.js';

/**
 * The default seed: seven users that cover every product/permission case (guest, anonymous and unlicensed too), a realistic
 * "Engineering Handbook" space (a few dozen pages in a tree), and a "People Ops" space
 * the app is blocked from by an app access rule. Ids look like Cloud ids (numeric page
 * and space ids, opaque accountIds) so code that parses them meets realistic input.
 */
export const USERS = {
  admin: {
    accountId: '557058:3f1c9a52-7a43-4c61-9d0b-admin000001',
    displayName: 'Alana Admin',
    email: 'alana@example.com',
    confluenceAccess: true,
    siteAdmin: true,
    timeZone: 'Europe/Berlin',
  },
  editor: {
    accountId: '5f8e2b7c9d1a4e0069f3edit',
    displayName: 'Eddie Editor',
    email: 'eddie@example.com',
    confluenceAccess: true,
    siteAdmin: false,
    timeZone: 'America/New_York',
  },
  viewer: {
    accountId: '6012c4d8a3b5f70070viewer',
    displayName: 'Vera Viewer',
    email: 'vera@example.com',
    confluenceAccess: true,
    siteAdmin: false,
    timeZone: 'Australia/Sydney',
  },
  noAccess: {
    accountId: '62a9e1f4b7c3d80068noacc',
    displayName: 'Nico No-Access',
    email: 'nico@example.com',
    confluenceAccess: false,
    siteAdmin: false,
    timeZone: 'UTC',
  },
  /** A single-space guest: views ENG only; CQL search is 403, everything outside ENG the usual 404 / 403. */
  guest: {
    accountId: '63b1d2e3f4a5b60071guest',
    displayName: 'Gita Guest',
    email: 'gita@partner.example.org',
    confluenceAccess: true,
    siteAdmin: false,
    timeZone: 'Asia/Kolkata',
    guest: true,
  },
  /** An anonymous viewer: ENG is a public space; no accountId anywhere, every write refused. */
  anonymous: {
    accountId: 'anonymous',
    displayName: 'Anonymous',
    email: '',
    confluenceAccess: true,
    siteAdmin: false,
    timeZone: 'UTC',
    anonymous: true,
  },
  /** A Confluence user the app's licence is inactive for: Confluence answers as for the editor. */
  unlicensed: {
    accountId: '64c2e3f4a5b6c70072unlic',
    displayName: 'Uma Unlicensed',
    email: 'uma@example.com',
    confluenceAccess: true,
    siteAdmin: false,
    timeZone: 'Europe/London',
    appLicensed: false,
  },
} as const satisfies Record<string, EmulatedUser>;

export type SeedUserName = keyof typeof USERS;

export const SPACES = {
  engineering: { id: '98305', key: 'ENG', name: 'Engineering Handbook' },
  people: { id: '131073', key: 'PEOPLE', name: 'People Ops' },
} as const;

/** Well-known page ids of the default seed, for tests that need a specific case. */
export const PAGES = {
  /** Home page of ENG; everyone with space access may view, editors may edit. */
  home: '65537',
  /** A normal page (child of "Onboarding"). */
  gettingStarted: '65601',
  /** View-restricted to admin and editor: the viewer gets 404 (v2) / 403 (v1). */
  securityIncidents: '66001',
  /** A child of the view-restricted page: inherits the view restriction. */
  incidentPostmortem: '66002',
  /** Edit-restricted to the admin: the editor can view but not update. */
  releasePolicy: '66101',
  /** A page in the PEOPLE space, which the app is blocked from. */
  peopleHome: '131201',
} as const;

/*
 * Labels of the default seed (set per page in the trees below), for CQL search (`label = …`):
 * `onboarding` (3 pages), `adr` (3), `decision` (2), `runbook` (2), `how-to` (2), `release-notes` (2),
 * `security` (3, two of them in the view-restricted subtree, so the viewer finds one), `postmortem` (1,
 * restricted), `policy` (2: "Release policy" in ENG and "Leave policy" in the blocked PEOPLE space).
 */

const BASE_TIME = Date.UTC(2026, 0, 5, 9, 0, 0);
const ONE_DAY_MS = 24 * 60 * 60 * 1000;
const ONE_MINUTE_MS = 60 * 1000;
/** An ISO timestamp `dayOffset` days (and `minutes` minutes) after the seed's base time. */
const iso = (dayOffset: number, minutes = 0) =>
  new Date(BASE_TIME + dayOffset * ONE_DAY_MS + minutes * ONE_MINUTE_MS).toISOString();

export function seedUsers(): EmulatedUser[] {
  return Object.values(USERS).map((user) => ({ ...user }));
}

export function seedSpaces(): EmulatedSpace[] {
  const { admin, editor, viewer, noAccess, guest, anonymous, unlicensed } = USERS;
  return [
    {
      ...SPACES.engineering,
      type: 'global',
      status: 'current',
      homepageId: PAGES.home,
      authorId: admin.accountId,
      createdAt: iso(0),
      description: 'How the engineering team builds, ships and runs things.',
      // A public space (anonymous access), the guest's one space.
      roles: {
        [admin.accountId]: 'admin',
        [editor.accountId]: 'edit',
        [viewer.accountId]: 'view',
        [noAccess.accountId]: 'view',
        [guest.accountId]: 'view',
        [anonymous.accountId]: 'view',
        [unlicensed.accountId]: 'edit',
      },
    },
    {
      ...SPACES.people,
      type: 'global',
      status: 'current',
      homepageId: PAGES.peopleHome,
      authorId: admin.accountId,
      createdAt: iso(1),
      description: 'Policies, benefits and hiring.',
      roles: {
        [admin.accountId]: 'admin',
        [editor.accountId]: 'edit',
        [viewer.accountId]: 'view',
        [noAccess.accountId]: 'view',
        [unlicensed.accountId]: 'edit',
      },
    },
  ];
}

type PageSpec = [id: string, parentId: string | null, title: string, versions?: number, extra?: Partial<EmulatedPage>];

const ENG_TREE: PageSpec[] = [
  [PAGES.home, null, 'Engineering Handbook', 12],
  ['65600', PAGES.home, 'Onboarding', 4],
  [PAGES.gettingStarted, '65600', 'Getting started', 7, { labels: ['onboarding'] }],
  ['65602', '65600', 'Your first week', 3, { labels: ['onboarding'] }],
  ['65603', '65600', 'Development environment setup', 9, { labels: ['onboarding', 'how-to'] }],
  ['65604', '65600', 'Accounts and access requests', 2],
  ['65605', '65600', 'Glossary', 5],
  ['65700', PAGES.home, 'Architecture', 6],
  ['65701', '65700', 'System overview', 8],
  ['65702', '65700', 'Service catalogue', 15],
  ['65703', '65700', 'Data model', 4],
  ['65704', '65700', 'ADR-001: Use PostgreSQL for tenant data', 1, { labels: ['adr', 'decision'] }],
  ['65705', '65700', 'ADR-002: Event-driven notifications', 2, { labels: ['adr', 'decision'] }],
  ['65706', '65700', 'ADR-003: Retire the legacy search index', 3, { labels: ['adr'] }],
  ['65800', PAGES.home, 'How we work', 3],
  ['65801', '65800', 'Code review guidelines', 6],
  ['65802', '65800', 'Branching and versioning', 4],
  ['65803', '65800', 'Definition of done', 2],
  ['65804', '65800', 'Pairing and mob programming', 1],
  ['65805', '65800', 'Writing good tickets', 3],
  ['65900', PAGES.home, 'Operations', 5],
  ['65901', '65900', 'On-call rotation', 11],
  ['65902', '65900', 'Runbook: database failover', 7, { labels: ['runbook', 'how-to'] }],
  ['65903', '65900', 'Runbook: rotating secrets', 4, { labels: ['runbook', 'security'] }],
  ['65904', '65900', 'Monitoring and alerting', 6],
  ['65905', '65900', 'Capacity planning 2026', 2],
  [
    PAGES.securityIncidents,
    '65900',
    'Security incidents',
    5,
    { restrictions: { read: [USERS.admin.accountId, USERS.editor.accountId] }, labels: ['security'] },
  ],
  [
    PAGES.incidentPostmortem,
    PAGES.securityIncidents,
    'Postmortem: leaked CI token (2025-11)',
    3,
    { labels: ['security', 'postmortem'] },
  ],
  ['66100', PAGES.home, 'Releases', 2],
  [
    PAGES.releasePolicy,
    '66100',
    'Release policy',
    9,
    { restrictions: { update: [USERS.admin.accountId] }, labels: ['policy'] },
  ],
  ['66102', '66100', 'Release notes 2026.1', 2, { labels: ['release-notes'] }],
  ['66103', '66100', 'Release notes 2025.4', 1, { labels: ['release-notes'] }],
  ['66104', '66100', 'Hotfix checklist', 4],
  ['66200', PAGES.home, 'Team directory', 3],
  ['66201', '66200', 'Platform team', 2],
  ['66202', '66200', 'Payments team', 2],
  ['66203', '66200', 'Mobile team', 1],
];

const PEOPLE_TREE: PageSpec[] = [
  [PAGES.peopleHome, null, 'People Ops', 4],
  ['131202', PAGES.peopleHome, 'Leave policy', 6, { labels: ['policy'] }],
  ['131203', PAGES.peopleHome, 'Hiring process', 3],
  ['131204', PAGES.peopleHome, 'Benefits overview', 2],
];

function storageBody(title: string): string {
  return (
    `<h2>${title}</h2>` +
    `<p>This page describes <strong>${title.toLowerCase()}</strong> for the team.</p>` +
    `<ac:structured-macro ac:name="info"><ac:rich-text-body><p>Last reviewed by the page owner.</p></ac:rich-text-body></ac:structured-macro>` +
    `<ul><li>Owner: see page history</li><li>Questions: ask in #eng-handbook</li></ul>`
  );
}

function buildPages(spaceId: string, tree: PageSpec[], dayBase: number): EmulatedPage[] {
  const authors = [USERS.admin.accountId, USERS.editor.accountId];
  const positionByParent = new Map<string | null, number>();
  return tree.map(([id, parentId, title, versions = 1, extra = {}], index) => {
    const position = positionByParent.get(parentId) ?? 0;
    positionByParent.set(parentId, position + 1);
    return {
      id,
      spaceId,
      parentId,
      title,
      status: 'current',
      body: storageBody(title),
      authorId: authors[index % 2]!,
      createdAt: iso(dayBase + index),
      position,
      version: {
        number: versions,
        message: versions > 1 ? 'Updated' : '',
        minorEdit: false,
        authorId: authors[(index + versions) % 2]!,
        createdAt: iso(dayBase + index + versions, index),
      },
      restrictions: {},
      labels: [],
      ...extra,
    };
  });
}

export function seedPages(): EmulatedPage[] {
  return [...buildPages(SPACES.engineering.id, ENG_TREE, 2), ...buildPages(SPACES.people.id, PEOPLE_TREE, 3)];
}
