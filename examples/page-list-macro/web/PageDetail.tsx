import {
  PermissionGate,
  RequestState,
  StateView,
  confluenceQueries,
  useConfluenceContext,
  useConfluenceQuery,
} from 'confluence-iframe-kit/react';
import { TitleEditor } from './TitleEditor';
import { ReviewButton } from './ReviewButton';

/**
 * One page: its title and version, with the title editor shown only to users who may update the page. An anonymous
 * viewer of a public space may never edit: rather than offer a save Confluence would refuse, they are asked to sign in.
 */
export function PageDetail({ id, onBack }: { id: string; onBack: () => void }) {
  const page = useConfluenceQuery(confluenceQueries.page(id, 'storage'));
  const anonymous = useConfluenceContext().data?.viewer === 'anonymous';
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
                anonymous ? (
                  <StateView state={{ kind: 'anonymous' }} />
                ) : (
                  <p className="demo-muted" data-testid="read-only">
                    You can view this page but not edit it.
                  </p>
                )
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
