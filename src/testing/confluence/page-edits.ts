import type { EmulatedPage, EmulatedUser } from './model.js';
import type { ConfluenceWorld } from './world.js';

/** How a page changes when v1 or v2 saves it: a new version by the writer, and the "next save conflicts" fault. */

export interface PageEdit {
  title: string;
  body?: string;
  message?: string;
}

export function applyUpdate(world: ConfluenceWorld, page: EmulatedPage, user: EmulatedUser, next: PageEdit): void {
  page.title = next.title;
  if (next.body !== undefined) page.body = next.body;
  page.version = {
    number: page.version.number + 1,
    message: next.message ?? '',
    minorEdit: false,
    authorId: user.accountId,
    createdAt: new Date(world.now()).toISOString(),
  };
}

/** "Next save conflicts": someone else saves first, so the caller's version is now stale. */
export function consumeConflictFault(world: ConfluenceWorld, page: EmulatedPage, caller: EmulatedUser): void {
  if (!world.faults.nextSaveConflicts) return;
  world.faults.nextSaveConflicts = false;
  const other = [...world.users.values()].find((user) => user.accountId !== caller.accountId && user.confluenceAccess);
  applyUpdate(world, page, other ?? caller, { title: page.title, message: 'Concurrent edit (emulated)' });
}

/**
 * The storage value of a write's `body`: v2 sends `{representation, value}`, v1 `{storage: {value, representation}}`.
 * [Inf] The emulator stores storage format; an ADF body keeps its text, a paragraph per text node.
 */
export function bodyValue(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const fields = body as Record<string, unknown>;
  let representation: Record<string, unknown> | undefined;
  if (typeof fields.value === 'string') representation = fields;
  else representation = (fields.storage ?? fields.atlas_doc_format) as Record<string, unknown> | undefined;
  if (!representation || typeof representation.value !== 'string') return undefined;
  if (representation.representation !== 'atlas_doc_format') return representation.value;
  const textFields = representation.value.match(/"text"\s*:\s*"((?:[^"\\]|\\.)*)"/g) ?? [];
  const paragraphs = textFields.map((field) => {
    const text = JSON.parse(field.replace(/^"text"\s*:\s*/, '')) as string;
    return `<p>${text}</p>`;
  });
  return paragraphs.join('');
}
