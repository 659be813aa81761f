import { useState, type FormEvent } from 'react';
import { RequestState, useContentProperty } from 'confluence-iframe-kit/react';

/** The content property this macro keeps its settings in. Prefix keys with the app's name: pages are shared. */
export const SETTINGS_KEY = 'team-dashboard-settings';

export interface DashboardSettings {
  heading: string;
  showArchived: boolean;
}

/** What a page shows before anyone has saved settings (the property does not exist yet). */
export const DEFAULT_SETTINGS: DashboardSettings = { heading: 'Team dashboard', showArchived: false };

/**
 * Per-page macro settings in a content property: unlike macro parameters they can be changed in view mode, and the
 * same property is readable from Connect and Forge, so the settings survive a migration.
 */
export function MacroSettings({ pageId }: { pageId: string }) {
  const settings = useContentProperty<DashboardSettings>(pageId, SETTINGS_KEY);
  const [savedVersion, setSavedVersion] = useState<number>();

  function save(next: DashboardSettings) {
    setSavedVersion(undefined);
    // A plain value, not an updater function: if someone else saved meanwhile, the user gets a conflict instead of
    // silently overwriting their settings.
    settings.mutate(next, { onSuccess: (property) => setSavedVersion(property?.version.number) });
  }

  return (
    <RequestState query={settings}>
      {/* Keyed by version so the form restarts from what is stored after a save or a "Reload latest". */}
      <SettingsForm
        key={settings.data?.version.number ?? 'new'}
        stored={settings.value ?? DEFAULT_SETTINGS}
        saving={settings.mutation.isPending}
        onSave={save}
      />
      {savedVersion !== undefined && <p role="status">Settings saved (version {savedVersion}).</p>}
      {/*
        A viewer's save is refused as "not found" (Confluence answers 404, the same as for a restricted page), and a
        save over someone else's newer version is a conflict with "Reload latest". Either shows below the form, which keeps the draft.
      */}
      <RequestState error={settings.mutation.error} onReload={settings.reloadLatest} />
    </RequestState>
  );
}

interface SettingsFormProps {
  stored: DashboardSettings;
  saving: boolean;
  onSave: (next: DashboardSettings) => void;
}

/** The form keeps its own draft; the stored settings only seed it. */
function SettingsForm({ stored, saving, onSave }: SettingsFormProps) {
  const [heading, setHeading] = useState(stored.heading);
  const [showArchived, setShowArchived] = useState(stored.showArchived);

  function submit(event: FormEvent) {
    event.preventDefault();
    onSave({ heading, showArchived });
  }

  return (
    <form aria-label="Dashboard settings" onSubmit={submit}>
      <label>
        Heading <input value={heading} onChange={(event) => setHeading(event.target.value)} />
      </label>
      <label>
        <input type="checkbox" checked={showArchived} onChange={(event) => setShowArchived(event.target.checked)} />{' '}
        Show archived pages
      </label>
      <button type="submit" disabled={saving}>
        {saving ? 'Saving…' : 'Save settings'}
      </button>
    </form>
  );
}
