import { useQuery } from '@tanstack/react-query';
import {
  PermissionGate,
  RequestState,
  confluenceQueries,
  useAutoResize,
  useConfluenceContext,
  useUpdatePage,
} from 'confluence-iframe-kit/react';
import { useState, type FormEvent } from 'react';

/**
 * The macro: the page it sits on, and a rename form for people who may edit that page. Every refusal, conflict or
 * spent quota is a state RequestState draws; nothing here handles errors by hand.
 */
export function PageMacro() {
  const ref = useAutoResize<HTMLDivElement>(); // the iframe grows and shrinks with its content
  const context = useConfluenceContext(); // which page, space and macro this is
  return (
    <div ref={ref}>
      <RequestState query={context}>
        {(where) => (where.content ? <PageCard pageId={where.content.id} /> : <p>Insert this macro in a page.</p>)}
      </RequestState>
    </div>
  );
}

function PageCard({ pageId }: { pageId: string }) {
  const page = useQuery(confluenceQueries.page(pageId)); // TanStack's own hook: the options carry the Confluence call
  return (
    <RequestState query={page}>
      {(loaded) => (
        <article aria-label="Current page">
          <h2>{loaded.title}</h2>
          <p>Version {loaded.version?.number ?? 1}</p>
          {/* Nothing shows while the permission check is pending, so editors never see the note flash. */}
          <PermissionGate
            operation="update"
            on={{ type: 'page', id: pageId }}
            fallback={<p>Read only: you can view this page but not rename it.</p>}
          >
            <RenameForm pageId={pageId} title={loaded.title} version={loaded.version?.number ?? 1} />
          </PermissionGate>
        </article>
      )}
    </RequestState>
  );
}

function RenameForm({ pageId, title, version }: { pageId: string; title: string; version: number }) {
  const update = useUpdatePage();
  const [draft, setDraft] = useState(title);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // No `body`: the stored body is kept, and a version saved by someone else meanwhile is a conflict, not overwritten.
    update.mutate({ id: pageId, title: draft, version });
  };
  return (
    <form onSubmit={submit}>
      <label>
        New title <input value={draft} onChange={(event) => setDraft(event.target.value)} />
      </label>
      <button type="submit" disabled={update.isPending || draft.trim() === '' || draft === title}>
        Rename
      </button>
      {/* A failed save (a conflict offers "Reload latest") shows beside the card, which stays readable. */}
      <RequestState error={update.error} onReload={update.reloadLatest} />
    </form>
  );
}
