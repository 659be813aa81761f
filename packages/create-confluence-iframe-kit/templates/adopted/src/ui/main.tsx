import { ConfluenceProvider } from 'confluence-iframe-kit/react';
import { createRoot } from 'react-dom/client';
import { PageMacro } from './PageMacro';

// Connect: the provider finds all.js's AP (the /macro route puts the script in the page) and talks through AP.request.
// `scopes` are the descriptor's: in development the client warns about a request that needs one not declared.
createRoot(document.getElementById('root')!).render(
  <ConfluenceProvider host="connect" scopes={['READ', 'WRITE']} theme>
    <PageMacro />
  </ConfluenceProvider>,
);
