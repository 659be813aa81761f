import * as bridge from '@forge/bridge';
import { ConfluenceProvider } from 'confluence-iframe-kit/react';
import { createRoot } from 'react-dom/client';
import { Overview } from './Overview';

// The kit never imports @forge/bridge itself (importing it outside Forge throws): the app hands it over.
createRoot(document.getElementById('root')!).render(
  <ConfluenceProvider host="forge" forgeBridge={bridge} theme>
    <Overview />
  </ConfluenceProvider>,
);
