/**
 * Where the caller is in Confluence, read the same way from both tokens: a Connect context or iframe token keeps it
 * in `context.confluence.{content,space}`, a Forge Invocation Token in `context.extension.{content,space}`. Reading
 * one place for one host and forgetting the other silently skipped a page check for Forge callers (issue 18).
 */

/** The page or blog post the call came from. */
export interface CallerContent {
  id: string;
  /** `page`, `blogpost`, …; undefined when the token does not say */
  type: string | undefined;
}

/** The space the call came from; at least one of the two is set. */
export interface CallerSpace {
  key: string | undefined;
  id: string | undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Ids arrive as strings, and from some hosts as numbers; anything else is not an id. */
function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

function contentIn(holder: unknown): CallerContent | undefined {
  if (!isRecord(holder) || !isRecord(holder.content)) return undefined;
  const id = idOf(holder.content.id);
  if (id === undefined) return undefined;
  const type = holder.content.type;
  return { id, type: typeof type === 'string' && type !== '' ? type : undefined };
}

function spaceIn(holder: unknown): CallerSpace | undefined {
  if (!isRecord(holder) || !isRecord(holder.space)) return undefined;
  const key = holder.space.key;
  const space = { key: typeof key === 'string' && key !== '' ? key : undefined, id: idOf(holder.space.id) };
  return space.key === undefined && space.id === undefined ? undefined : space;
}

/** Content and space of a Connect token's `context` claim (`context.confluence`). */
export function connectLocation(context: Record<string, unknown>): {
  content: CallerContent | undefined;
  space: CallerSpace | undefined;
} {
  const confluence = context.confluence;
  return { content: contentIn(confluence), space: spaceIn(confluence) };
}

/** Content and space of a FIT's claims (`context.extension`). */
export function forgeLocation(claims: Record<string, unknown>): {
  content: CallerContent | undefined;
  space: CallerSpace | undefined;
} {
  const extension = isRecord(claims.context) ? claims.context.extension : undefined;
  return { content: contentIn(extension), space: spaceIn(extension) };
}
