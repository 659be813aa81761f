import { useState } from 'react';
import { useDialog } from 'confluence-iframe-kit/react';
import { CHOICE_LABELS, PAGE_REVIEW_DIALOG, reviewChoice, type PageReviewData } from './page-review';

/** Opens the review dialog for a page and shows what it came back with. */
export function ReviewButton({ page }: { page: PageReviewData }) {
  const { open } = useDialog();
  const [outcome, setOutcome] = useState<string>();

  function review() {
    setOutcome(undefined);
    open({ key: PAGE_REVIEW_DIALOG, title: `Review “${page.title}”`, size: 'medium', data: page }).then(
      (result) => {
        const choice = reviewChoice(result);
        setOutcome(choice ? `Review: ${CHOICE_LABELS[choice]}` : 'Review dismissed');
      },
      // A standalone page has no host dialog (NOT_SUPPORTED).
      () => setOutcome('Reviews need Confluence'),
    );
  }

  return (
    <div className="demo-row demo-review">
      <button type="button" className="demo-button" onClick={review}>
        Review…
      </button>
      <p className="demo-muted" role="status" data-testid="review-outcome">
        {outcome}
      </p>
    </div>
  );
}
