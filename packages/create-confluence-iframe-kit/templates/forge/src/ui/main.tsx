import * as bridge from '@forge/bridge';
import { getMacroContent, setMacroViewportHeight } from '@forge/confluence-bridge';
import { ConfluenceProvider } from 'confluence-iframe-kit/react';
import { createRoot } from 'react-dom/client';
import { PageMacro } from './PageMacro';

// The kit never imports @forge/bridge itself (importing it outside Forge throws): the app hands it over.
createRoot(document.getElementById('root')!).render(
  <ConfluenceProvider host="forge" forgeBridge={{ ...bridge, setMacroViewportHeight, getMacroContent }} theme>
    <PageMacro />
  </ConfluenceProvider>,
);
