import { useDialogContext, useTheme } from 'confluence-iframe-kit/react';
import { CHOICE_LABELS, type PageReviewChoice, type PageReviewData } from './page-review';

/**
 * The dialog the page detail opens (descriptor `dialogs` module): it shows the page the opener passed in and closes
 * with the reviewer's choice. Escape and the host's close button dismiss it without one; the host handles both.
 */
export function PageReviewDialog() {
  useTheme();
  const { data, isPending, error, close } = useDialogContext<PageReviewData>();
  const choose = (choice: PageReviewChoice) => void close({ choice });

  return (
    <main className="demo dialog" data-testid="page-review-dialog">
      {isPending ? (
        <p className="demo-muted">Loading…</p>
      ) : error || !data ? (
        <p className="demo-error" role="alert">
          The page to review could not be read.
        </p>
      ) : (
        <>
          <dl className="demo-facts">
            <dt>Title</dt>
            <dd data-testid="review-title">{data.title}</dd>
            <dt>Version</dt>
            <dd data-testid="review-version">{data.version}</dd>
            <dt>Page ID</dt>
            <dd>{data.id}</dd>
          </dl>
          <p id="review-question">How does this page look?</p>
          <div className="demo-actions" role="group" aria-labelledby="review-question">
            {/* Focus starts inside the dialog, so Escape (forwarded by all.js to the host) works right away. */}
            <button type="button" className="demo-button primary" autoFocus onClick={() => choose('approved')}>
              {CHOICE_LABELS.approved}
            </button>
            <button type="button" className="demo-button" onClick={() => choose('changes')}>
              {CHOICE_LABELS.changes}
            </button>
            <button type="button" className="demo-button" onClick={() => void close()}>
              Cancel
            </button>
          </div>
        </>
      )}
    </main>
  );
}
