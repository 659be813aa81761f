import { useEffect, useState, type FormEvent } from 'react';
import { useMacro, useTheme } from 'confluence-iframe-kit/react';
import { DEFAULT_TITLE, MAX_LIMIT, pageListLimit, type PageListParams } from './macro-params';

/**
 * The page-list macro's custom editor (descriptor `editor`), opened by Confluence in a dialog. It reads the
 * stored parameters with getMacroData, saves with saveMacro and then closes itself: Confluence re-renders the
 * macro with the new parameters once the editor is gone.
 */
export function MacroEditor() {
  useTheme();
  const macro = useMacro<PageListParams>();
  const { closeMacroEditor } = macro;
  const close = () => void closeMacroEditor();

  // The host dialog only sees Escape while focus is on the host page; inside this frame the editor answers it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') void closeMacroEditor();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [closeMacroEditor]);

  return (
    <main className="demo editor" data-testid="macro-editor">
      {macro.isPending ? (
        <p className="demo-muted">Loading the macro's settings…</p>
      ) : (
        <>
          {macro.error && (
            <p className="demo-error" role="alert">
              The current settings could not be read; saving replaces them.
            </p>
          )}
          <EditorForm
            initial={macro.params}
            onSave={(params) => macro.saveMacro(params).then(() => macro.closeMacroEditor())}
            onCancel={close}
          />
        </>
      )}
    </main>
  );
}

function EditorForm({
  initial,
  onSave,
  onCancel,
}: {
  initial: PageListParams | undefined;
  onSave: (params: PageListParams) => Promise<void>;
  onCancel: () => void;
}) {
  const [title, setTitle] = useState(initial?.title ?? '');
  const [limit, setLimit] = useState(String(pageListLimit(initial)));
  const [saving, setSaving] = useState(false);

  function save(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    // Connect stores every macro parameter as a string.
    onSave({ title: title.trim(), limit: String(Number(limit)) }).catch(() => setSaving(false));
  }

  return (
    <form className="demo-form" onSubmit={save}>
      <label htmlFor="macro-title">Title</label>
      <input
        id="macro-title"
        className="demo-input"
        value={title}
        placeholder={DEFAULT_TITLE}
        onChange={(e) => setTitle(e.target.value)}
      />
      <label htmlFor="macro-limit">Number of pages</label>
      <input
        id="macro-limit"
        className="demo-input"
        type="number"
        inputMode="numeric"
        min={1}
        max={MAX_LIMIT}
        step={1}
        required
        aria-describedby="macro-limit-hint"
        value={limit}
        onChange={(e) => setLimit(e.target.value)}
      />
      <p id="macro-limit-hint" className="demo-muted demo-hint">
        Pages listed at a time, 1 to {MAX_LIMIT}; readers load more with "Load more".
      </p>
      <div className="demo-actions">
        <button type="submit" className="demo-button primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="demo-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
