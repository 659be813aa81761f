import { useState, type FormEvent } from 'react';
import type { Page } from 'confluence-iframe-kit';
import { RequestState, useFlag, useNavigation, useUpdatePage } from 'confluence-iframe-kit/react';

/**
 * Renames a page. The update is based on the version that was read; if someone saved in between,
 * Confluence answers 409 and the conflict state offers to reload the latest version (nothing is overwritten).
 */
export function TitleEditor({ page }: { page: Page }) {
  const [title, setTitle] = useState(page.title ?? '');
  // A newer version (ours after a save, or someone else's after "Reload latest") replaces what is in the input,
  // while the mutation, and with it the "Saved" status, survives the refetch.
  const [shownVersion, setShownVersion] = useState(page.version?.number);
  if (page.version?.number !== shownVersion) {
    setShownVersion(page.version?.number);
    setTitle(page.title ?? '');
  }
  const showFlag = useFlag();
  const { navigate } = useNavigation();
  const update = useUpdatePage({
    // A host flag, as Confluence shows its own confirmations; on a standalone page there is none (NOT_SUPPORTED).
    onSuccess: (saved) =>
      void showFlag({
        title: 'Title saved',
        body: `"${saved.title}" is now version ${saved.version?.number}.`,
        type: 'success',
        close: 'auto',
        actions: [
          {
            text: 'Open the page',
            onClick: () => void navigate({ target: 'contentView', contentId: saved.id }).catch(() => {}),
          },
        ],
      }).catch(() => {}),
  });
  function save(e: FormEvent) {
    e.preventDefault();
    // No body: a title change keeps the stored body (useUpdatePage sends it back unchanged).
    update.mutate({ id: page.id, title, version: page.version?.number ?? 1 });
  }

  return (
    <form className="demo-form" onSubmit={save}>
      <label htmlFor="page-title-input">Title</label>
      <div className="demo-row">
        <input id="page-title-input" value={title} onChange={(e) => setTitle(e.target.value)} />
        <button type="submit" className="demo-button primary" disabled={update.isPending || !title.trim()}>
          {update.isPending ? 'Saving…' : 'Save title'}
        </button>
      </div>
      {update.isSuccess && (
        <p className="demo-success" role="status" data-testid="saved">
          Saved as version {update.data.version?.number}.
        </p>
      )}
      <RequestState error={update.error} onReload={() => void update.reloadLatest()} />
    </form>
  );
}
