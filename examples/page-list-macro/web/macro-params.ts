/**
 * The page-list macro's parameters as Confluence stores them (every value a string), and how the demo reads
 * them. The descriptor (server/descriptor.ts) declares the same identifiers.
 */
export interface PageListParams {
  title?: string;
  limit?: string;
}

export const DEFAULT_TITLE = 'Pages in this space';
export const DEFAULT_LIMIT = 10;
/** The v2 pages endpoint takes up to 250; a macro listing more than this is better served by "Load more". */
export const MAX_LIMIT = 50;

/** A stored value is whatever the last editor saved: anything that is not a whole number in range falls back. */
export function pageListLimit(params: PageListParams | undefined): number {
  const n = Number(params?.limit);
  return Number.isInteger(n) && n >= 1 && n <= MAX_LIMIT ? n : DEFAULT_LIMIT;
}

export function pageListTitle(params: PageListParams | undefined): string {
  return params?.title?.trim() || DEFAULT_TITLE;
}
