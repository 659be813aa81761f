import { useQuery } from '@tanstack/react-query';
import { RequestState, useAppFetch } from 'confluence-iframe-kit/react';

interface Viewer {
  accountId: string | null;
  site: string;
  via: string;
}

/**
 * The Forge page of the adopted app: it asks the Connect backend who is looking. On Forge, useAppFetch goes through
 * invokeRemote with a Forge Invocation Token; the backend maps it to the site's Connect install.
 */
export function Overview() {
  const appFetch = useAppFetch();
  const viewer = useQuery({
    queryKey: ['viewer'],
    queryFn: async (): Promise<Viewer> => {
      const response = await appFetch('/api/viewer');
      if (!response.ok) throw new Error(`The backend answered ${response.status}`);
      return (await response.json()) as Viewer;
    },
  });
  return (
    <RequestState query={viewer}>
      {(loaded) => (
        <section aria-label="Overview">
          <h2>One backend for Connect and Forge</h2>
          <p>
            The backend knows you as {loaded.accountId ?? 'an anonymous viewer'} on {loaded.site} (via {loaded.via}).
          </p>
        </section>
      )}
    </RequestState>
  );
}
