import { useQuery } from '@tanstack/react-query';
import { useAppFetch } from 'confluence-iframe-kit/react';

interface Verified {
  accountId?: string;
  clientKey?: string;
  [field: string]: unknown;
}

/** Who the app's OWN backend says is calling: `/api/verify` checks the context JWT (`AP.context.getToken()`). */
export function VerifiedIdentity() {
  const appFetch = useAppFetch();
  const verified = useQuery({
    queryKey: ['app', 'verify'],
    queryFn: async (): Promise<Verified> => {
      const res = await appFetch('/api/verify');
      if (!res.ok) throw new Error(`verify answered ${res.status}`);
      return (await res.json()) as Verified;
    },
    retry: false,
    staleTime: Infinity,
  });
  if (verified.isPending) return <span className="demo-badge">Verifying…</span>;
  if (verified.isError)
    return (
      <span className="demo-badge error" data-testid="verified-identity" data-verified="false">
        Not verified
      </span>
    );
  return (
    <span
      className="demo-badge ok"
      data-testid="verified-identity"
      data-verified="true"
      title={`tenant ${verified.data.clientKey ?? ''}`}
    >
      Verified: {verified.data.accountId ?? 'anonymous viewer (no accountId)'}
    </span>
  );
}
