import { PermissionGate, RequestState, confluenceQueries, useConfluenceQuery } from 'confluence-iframe-kit/react';
import { TitleEditor } from './TitleEditor';
import { ReviewButton } from './ReviewButton';

/** One page: its title and version, with the title editor shown only to users who may update the page. */
export function PageDetail({ id, onBack }: { id: string; onBack: () => void }) {
  const page = useConfluenceQuery(confluenceQueries.page(id, 'storage'));
  return (
    <section className="demo-detail" data-testid="page-detail">
      <button type="button" className="demo-link" onClick={onBack}>
        ← All pages
      </button>
      <RequestState query={page}>
        {(p) => (
          <>
            <h3 data-testid="page-title">{p.title}</h3>
            <p className="demo-muted" data-testid="page-version">
              Version {p.version?.number}
            </p>
            <ReviewButton page={{ id: p.id, title: p.title ?? '', version: p.version?.number ?? 1 }} />
            <PermissionGate
              operation="update"
              on={{ type: 'page', id }}
              pending={<p className="demo-muted">Checking permissions…</p>}
              fallback={
                <p className="demo-muted" data-testid="read-only">
                  You can view this page but not edit it.
                </p>
              }
            >
              <TitleEditor key={p.id} page={p} />
            </PermissionGate>
          </>
        )}
      </RequestState>
    </section>
  );
}
