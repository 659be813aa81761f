import {
  PermissionGate,
  RequestState,
  confluenceQueries,
  useConfluenceQuery,
  useUpdatePage,
} from 'confluence-iframe-kit/react';

/** What "Mark reviewed" adds to a page's title. */
export const REVIEWED_SUFFIX = ' (reviewed)';

/** The title a page gets once reviewed; marking it twice changes nothing. */
export function reviewedTitle(title: string): string {
  if (title.endsWith(REVIEWED_SUFFIX)) return title;
  return title + REVIEWED_SUFFIX;
}

/**
 * A card for one page: its title and version, and a "Mark reviewed" button for people who may edit it.
 *
 * The page is read without a body format: the card never shows the body, and the title-only update below keeps
 * the stored body without the card ever downloading it.
 */
export function PageCard({ pageId }: { pageId: string }) {
  const page = useConfluenceQuery(confluenceQueries.page(pageId));
  const update = useUpdatePage();

  return (
    <RequestState query={page}>
      {(current) => {
        const title = current.title;
        const version = current.version?.number;
        const reviewed = title.endsWith(REVIEWED_SUFFIX);
        return (
          <article aria-label="Page card">
            <h2>{title}</h2>
            <p>Version {version}</p>
            {/*
              Viewers get no button, only a note once the check has answered: a button that can only fail would be
              noise. Nothing shows while the check is pending, so editors never see the note flash.
            */}
            <PermissionGate
              operation="update"
              on={{ type: 'page', id: pageId }}
              fallback={<p>Read only: you can view this page but not edit it.</p>}
            >
              <button
                type="button"
                disabled={reviewed || update.isPending || version === undefined}
                onClick={() => {
                  if (version === undefined) return;
                  // No `body`: useUpdatePage sends the stored body back unchanged, and if someone saved a newer
                  // version meanwhile the save fails as a conflict instead of overwriting their work.
                  update.mutate({ id: pageId, title: reviewedTitle(title), version, message: 'Marked reviewed' });
                }}
              >
                {reviewed ? 'Reviewed' : 'Mark reviewed'}
              </button>
            </PermissionGate>
            {/* A failed save (e.g. a conflict: "Reload latest") shows beside the card, which stays readable. */}
            <RequestState error={update.error} onReload={update.reloadLatest} />
          </article>
        );
      }}
    </RequestState>
  );
}
