import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Static imports: this entry only ever runs as Forge Custom UI, where the bridge is there when its modules load.
// The Connect entry (main.tsx) must not import these: @forge/bridge throws at import outside Forge.
import { events, invokeRemote, Modal, requestConfluence, router, showFlag, view } from '@forge/bridge';
import { setMacroViewportHeight } from '@forge/confluence-bridge';
import { ConfluenceProvider, type ForgeBridge } from 'confluence-iframe-kit/react';
import { App } from './App';
import { MacroEditor } from './MacroEditor';
import { PageReviewDialog } from './PageReviewDialog';
import './demo.css';

/** The same app as on Connect, handed the real bridge: `Modal` is what useDialog opens dialogs with on Forge. */
const forgeBridge: ForgeBridge = {
  requestConfluence,
  invokeRemote,
  view,
  showFlag,
  router,
  events,
  setMacroViewportHeight,
  Modal,
};

// The Custom UI resources mirror the Connect routes: /forge/macro, /forge/macro-editor (the macro's config), /forge/dialog.
const path = location.pathname;
const screen = path.endsWith('/macro-editor') ? (
  <MacroEditor />
) : path.endsWith('/dialog') ? (
  <PageReviewDialog />
) : (
  <App />
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {/* `theme`: the bridge's theme is on before the first render, so a dark page never shows the app light first. */}
    <ConfluenceProvider
      host="forge"
      theme
      forgeBridge={forgeBridge}
      scopes={['READ', 'WRITE']}
      clientOptions={{ retry: { maxDelayMs: 1500 } }}
    >
      {screen}
    </ConfluenceProvider>
  </StrictMode>,
);
