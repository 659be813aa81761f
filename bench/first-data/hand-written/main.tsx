// D: what a team writes without the kit: React + TanStack Query on raw AP.request (all.js's AP, no wrapper).
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { createRoot } from 'react-dom/client';

interface ConnectContext {
  confluence?: { content?: { id: string } };
}

declare const AP: {
  context: { getContext(): Promise<ConnectContext> };
  request(url: string): Promise<{ body: string }>;
};

const queryClient = new QueryClient();

function PageCard({ pageId }: { pageId: string }) {
  const page = useQuery({
    queryKey: ['page', pageId],
    queryFn: async () => JSON.parse((await AP.request(`/api/v2/pages/${pageId}`)).body) as { title: string },
  });
  if (page.isPending) return <p>Loading…</p>;
  if (page.isError) return <p role="alert">Could not load the page.</p>;
  return <h2>{page.data.title}</h2>;
}

function Macro() {
  const context = useQuery({ queryKey: ['context'], queryFn: () => AP.context.getContext() });
  const pageId = context.data?.confluence?.content?.id;
  if (context.isPending) return <p>Loading…</p>;
  return pageId ? <PageCard pageId={pageId} /> : <p>Insert this macro in a page.</p>;
}

createRoot(document.getElementById('root')!).render(
  <QueryClientProvider client={queryClient}>
    <Macro />
  </QueryClientProvider>,
);
