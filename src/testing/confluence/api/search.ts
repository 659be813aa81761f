import { CqlError, EmulatorBadRequestError } from '../../errors.js';
import { parseCql, type CqlNode, type CqlQuery, type CqlValue } from '../cql.js';
import { compareDate, dateSpan } from '../cql-dates.js';
import type { EmulatedPage } from '../model.js';
import { compareNumericIds, decodeCursor, paginate, parseLimit } from '../pagination.js';
import { ancestorsOf, appCanAccessSpace, canViewPage } from '../permissions.js';
import { appCaller, type Ctx, type Endpoint } from '../pipeline.js';
import { pageTinyui, pageWebui, v1Space } from '../representations.js';
import { json, STATUS_TEXT, v1Error } from '../../internal/responses.js';
import type { ApiModule } from '../routes.js';

/** [Inf] wording: Atlassian documents the 403 for guests, not its text. */
export const GUEST_SEARCH_MESSAGE =
  'com.atlassian.confluence.api.service.exceptions.PermissionException: Guest users are not permitted to search.';

/**
 * v1 CQL search, `GET /wiki/rest/api/search?cql=…&limit=…&cursor=…`: how apps list "pages with
 * label X" or "recently updated in space Y" (v2 has no search).
 *
 * Shape, from a captured Cloud response (a public debug dump of `/wiki/rest/api/search`) and the
 * v1 docs: `{results:[{content:{id,type,status,title,…,_links}, title, excerpt, url,
 * resultGlobalContainer:{title,displayUrl}, breadcrumbs, entityType, iconCssClass, lastModified,
 * friendlyLastModified, score}], start, limit, size, totalSize, cqlQuery, searchDuration,
 * _links:{base, context, next?, self}}`. The result's own `title` and `excerpt` are HTML-escaped and
 * carry `@@@hl@@@…@@@endhl@@@` highlight markers (observed); `content.title` is the plain title.
 *
 * Paging: a cursor, announced in `_links.next` as a URL relative to the `/wiki` context path
 * (`/rest/api/search?next=true&cursor=…&limit=…&start=…&cql=…`, observed), not site-relative like v2.
 * Clients must follow it rather than build it (Atlassian change notice "modernize search REST APIs").
 *
 * Permissions: results silently leave out what the user may not view (search never answers 403/404
 * for a restricted page); product access and scopes are checked before (pipeline.ts). App access rules
 * drop blocked spaces' content for app traffic only (Connect `AP-Client-Key`, Forge bridge): a user's
 * own session is not bound by the app's rules, as with scopes.
 *
 * Not emulated [gap]: with `AP-Client-Key` Confluence also required the *app user* to see a page
 * (community field report, 2020); the world has no app user, so only the acting user's view counts.
 */

/** Where the observed Cloud answer cuts an excerpt; long enough for a result list. [Inf] the exact length */
const EXCERPT_LENGTH = 300;
const HL_START = '@@@hl@@@';
const HL_END = '@@@endhl@@@';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Storage XHTML as the text a search index sees: one line per block, macros' text kept. */
function plainText(storage: string): string {
  return storage
    .replace(/<\/(p|h\d|li|tr|div|ac:rich-text-body)>/g, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n+/g, '\n')
    .trim();
}

/** A `~` value as the words it matches: CQL's `~` is a word search, so every word must occur (in any order). */
const words = (value: string) => value.toLowerCase().split(/\s+/).filter(Boolean);

/** The plain `title` / `text` words a query searches for, to highlight in results (never those under NOT). */
function highlightTerms(node: CqlNode, negated = false, into: Set<string> = new Set()): Set<string> {
  if (node.kind === 'not') return highlightTerms(node.operand, !negated, into);
  if (node.kind !== 'clause') {
    for (const operand of node.operands) highlightTerms(operand, negated, into);
    return into;
  }
  if (!negated && node.operator === '~')
    for (const v of node.values) if (v.kind === 'literal') words(v.value).forEach((w) => into.add(w));
  return into;
}

/** HTML-escapes `raw` and wraps each occurrence of a term in Confluence's highlight markers. */
function highlight(raw: string, terms: Set<string>): string {
  if (!terms.size) return escapeHtml(raw);
  const pattern = new RegExp(
    `(${[...terms]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|')})`,
    'gi',
  );
  return raw
    .split(pattern)
    .map((part, i) => (i % 2 ? HL_START + escapeHtml(part) + HL_END : escapeHtml(part)))
    .join('');
}

/** [Inf] Confluence localises this ("yesterday at 8:56 AM"); a fixed, locale-free date keeps tests stable. */
function friendly(iso: string): string {
  const d = new Date(iso);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, '0')}, ${d.getUTCFullYear()}`;
}

function v1SearchError(message: string, detail: string) {
  // The v1 error family; `message` as observed for unparseable CQL, the specifics in the documented
  // `data.errors[].message.translation` slot [Inf: observed bodies had an empty `errors`].
  return json(400, {
    statusCode: 400,
    data: {
      authorized: true,
      valid: true,
      allowedInReadOnlyMode: true,
      errors: [{ message: { translation: detail, args: [] } }],
      successful: false,
    },
    message,
    reason: STATUS_TEXT[400],
  });
}

export const searchApi: ApiModule = ({ world, get }) => {
  function evaluate(node: CqlNode, page: EmulatedPage, ctx: Ctx): boolean {
    switch (node.kind) {
      // Recursion follows the nesting of parentheses and NOT only, which parseCql bounds (MAX_CQL_NESTING).
      case 'and':
        return node.operands.every((operand) => evaluate(operand, page, ctx));
      case 'or':
        return node.operands.some((operand) => evaluate(operand, page, ctx));
      case 'not':
        return !evaluate(node.operand, page, ctx);
    }
    if (node.field === 'created' || node.field === 'lastmodified') {
      const at = Date.parse(node.field === 'created' ? page.createdAt : page.version.createdAt);
      const now = world.now();
      return node.values.some((value) => compareDate(at, node.operator, dateSpan(value, now)));
    }
    // currentUser() is the one function outside dates (parseCql checks which field takes what).
    const literal = (v: CqlValue) => (v.kind === 'function' ? ctx.user.accountId : v.value);
    let test: (value: string) => boolean;
    switch (node.field) {
      case 'type':
        // The world holds pages only: `type = blogpost` (or attachment, …) is valid CQL that finds nothing here.
        test = (v) => v.toLowerCase() === 'page';
        break;
      case 'space':
      case 'space.key': {
        const key = world.spaces.get(page.spaceId)?.key.toLowerCase();
        test = (v) => v.toLowerCase() === key; // [Inf] case-insensitive, like the keys in site URLs
        break;
      }
      case 'label':
        test = (v) => (page.labels ?? []).includes(v.toLowerCase());
        break;
      case 'title':
        test =
          node.operator === '~' || node.operator === '!~'
            ? (v) => words(v).every((w) => page.title.toLowerCase().includes(w))
            : (v) => v.toLowerCase() === page.title.toLowerCase();
        break;
      case 'text':
      case 'sitesearch': {
        // `text` covers title, body and labels (CQL field reference); substring matching stands in for the index's stemming.
        const haystack = `${page.title}\n${plainText(page.body)}\n${(page.labels ?? []).join(' ')}`.toLowerCase();
        test = (v) => words(v).every((w) => haystack.includes(w));
        break;
      }
      case 'ancestor': {
        const ancestors = ancestorsOf(world, page).map((p) => p.id);
        test = (v) => ancestors.includes(v);
        break;
      }
      case 'parent':
        test = (v) => page.parentId === v;
        break;
      case 'id':
      case 'content':
        test = (v) => page.id === v;
        break;
      case 'creator':
        test = (v) => page.authorId === v;
        break;
    }
    const hit = node.values.some((v) => test(literal(v)));
    return node.operator === '!=' || node.operator === '!~' || node.operator === 'not in' ? !hit : hit;
  }

  /** The sort key of a page as a JSON array (it is also what the cursor carries): ORDER BY values, then the id. */
  function sortKey(query: CqlQuery, page: EmulatedPage): string {
    const values = order(query).map(({ field }) =>
      field === 'title' ? page.title.toLowerCase() : field === 'created' ? page.createdAt : page.version.createdAt,
    );
    return JSON.stringify([...values, page.id]);
  }

  /** [Inf] Without ORDER BY Confluence ranks by relevance; the emulator has none, so most recently modified first. */
  const order = (query: CqlQuery) =>
    query.orderBy.length ? query.orderBy : [{ field: 'lastmodified' as const, direction: 'desc' as const }];

  function comparator(query: CqlQuery) {
    const fields = order(query);
    const parseKey = (key: string): unknown[] => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(key);
      } catch {
        throw new EmulatorBadRequestError('Invalid cursor');
      }
      // A cursor from another query (different ORDER BY) has another shape: refuse it like a forged one.
      if (!Array.isArray(parsed) || parsed.length !== fields.length + 1) {
        throw new EmulatorBadRequestError('Invalid cursor');
      }
      return parsed as unknown[];
    };
    return (leftKey: string, rightKey: string) => {
      const left = parseKey(leftKey);
      const right = parseKey(rightKey);
      for (let i = 0; i < fields.length; i++) {
        const leftValue = String(left[i]);
        const rightValue = String(right[i]);
        if (leftValue === rightValue) continue;
        const ascending = leftValue < rightValue ? -1 : 1;
        return fields[i]!.direction === 'desc' ? -ascending : ascending;
      }
      return compareNumericIds(String(left[fields.length]), String(right[fields.length]));
    };
  }

  function result(page: EmulatedPage, ctx: Ctx, terms: Set<string>, expand: Set<string>) {
    const space = world.spaces.get(page.spaceId)!;
    const webui = pageWebui(page, space.key);
    const text = plainText(page.body);
    return {
      content: {
        id: page.id,
        type: 'page',
        status: page.status,
        title: page.title,
        ...(expand.has('content.space') ? { space: v1Space(space, ctx.base) } : {}),
        childTypes: {},
        macroRenderedOutput: {},
        restrictions: {},
        _expandable: {
          container: '',
          metadata: '',
          extensions: '',
          operations: '',
          children: '',
          history: `/rest/api/content/${page.id}/history`,
          ancestors: '',
          body: '',
          version: '',
          descendants: '',
          ...(expand.has('content.space') ? {} : { space: `/rest/api/space/${space.key}` }),
        },
        _links: { webui, self: `${ctx.base}/rest/api/content/${page.id}`, tinyui: pageTinyui(page) },
      },
      title: highlight(page.title, terms),
      excerpt: highlight(text.length > EXCERPT_LENGTH ? text.slice(0, EXCERPT_LENGTH) : text, terms),
      url: webui,
      resultGlobalContainer: { title: space.name, displayUrl: `/spaces/${space.key}` },
      breadcrumbs: [],
      entityType: 'content',
      iconCssClass: 'aui-icon content-type-page',
      lastModified: page.version.createdAt,
      friendlyLastModified: friendly(page.version.createdAt),
      score: 0,
    };
  }

  /** The observed next-link form: context-relative, `next=true`, the cursor, the caller's other parameters, `start`. */
  function nextLink(url: URL, cursor: string, limit: number, start: number): string {
    const params = new URLSearchParams({ next: 'true', cursor });
    for (const [name, value] of url.searchParams)
      if (!['next', 'cursor', 'limit', 'start', 'cql'].includes(name)) params.append(name, value);
    params.set('limit', String(limit));
    params.set('start', String(start)); // carried along as Confluence does; the cursor alone decides the page
    params.set('cql', url.searchParams.get('cql') ?? '');
    return `/rest/api/search?${params}`;
  }

  const search: Endpoint = (ctx) => {
    // Single-space guests cannot search the site: CQL search answers them 403 (documented for guests; the body is
    // [Inf], in the v1 family like every search refusal).
    if (ctx.user.guest) return v1Error(403, GUEST_SEARCH_MESSAGE);
    const started = Date.now();
    const cql = ctx.url.searchParams.get('cql');
    if (cql === null || !cql.trim())
      return v1SearchError(`Could not parse cql : ${cql ?? ''}`, 'The cql parameter is required.'); // [Inf] wording
    let query: CqlQuery;
    try {
      query = parseCql(cql);
    } catch (error) {
      if (!(error instanceof CqlError)) throw error;
      return error.kind === 'unknown-field'
        ? // Observed verbatim shape (content search on Cloud): the exception class, then the field as written.
          v1SearchError(
            `com.atlassian.confluence.api.service.exceptions.BadRequestException: ${error.detail}`,
            error.detail,
          )
        : v1SearchError(`Could not parse cql : ${cql}`, error.detail);
    }
    const limit = parseLimit(ctx.url.searchParams.get('limit'));
    const after = decodeCursor(ctx.url.searchParams.get('cursor'));

    const fromApp = appCaller(ctx.request) !== null;
    const key = (page: EmulatedPage) => sortKey(query, page);
    const compare = comparator(query);
    const hits = [...world.pages.values()]
      .filter(
        (page) =>
          // [Inf] search finds current content only: drafts are private to their author, archived pages need `includeArchivedSpaces`-like opt-ins.
          page.status === 'current' &&
          canViewPage(world, page, ctx.user) &&
          (!fromApp || appCanAccessSpace(world, page.spaceId)) &&
          evaluate(query.where, page, ctx),
      )
      .sort((a, b) => compare(key(a), key(b)));

    const { items, nextCursor } = paginate(hits, key, limit, after, compare);
    const start = items.length ? hits.indexOf(items[0]!) : hits.length;
    const terms = highlightTerms(query.where);
    const expand = new Set(
      ctx.url.searchParams
        .getAll('expand')
        .flatMap((v) => v.split(','))
        .map((v) => v.trim()),
    );
    return json(200, {
      results: items.map((page) => result(page, ctx, terms, expand)),
      start,
      limit,
      size: items.length,
      // Cloud's totalSize is an estimate that can disagree with what paging yields (CONFCLOUD-83030): branch on `_links.next`.
      totalSize: hits.length,
      cqlQuery: cql,
      searchDuration: Math.max(1, Date.now() - started),
      _links: {
        base: ctx.base,
        context: '/wiki',
        ...(nextCursor ? { next: nextLink(ctx.url, nextCursor, limit, start + items.length) } : {}),
        self: `${ctx.base}/rest/api/search${ctx.url.search}`,
      },
    });
  };

  return [get('/rest/api/search', 'READ', search)];
};
