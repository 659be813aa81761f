/**
 * The page-review dialog's contract between the page detail (the opener) and the dialog: its module key in the
 * descriptor (server/descriptor.ts, `dialogs`), what goes in, and the choice that comes back.
 */
export const PAGE_REVIEW_DIALOG = 'page-review-dialog';

export interface PageReviewData {
  id: string;
  title: string;
  version: number;
}

export type PageReviewChoice = 'approved' | 'changes';

export const CHOICE_LABELS: Record<PageReviewChoice, string> = {
  approved: 'Looks good',
  changes: 'Needs changes',
};

/** What the dialog closed with: a choice, or nothing (dismissed, or a host that answered something else). */
export function reviewChoice(result: unknown): PageReviewChoice | undefined {
  const choice = (result as { choice?: unknown } | null | undefined)?.choice;
  return choice === 'approved' || choice === 'changes' ? choice : undefined;
}
