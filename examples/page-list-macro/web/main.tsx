import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConfluenceProvider } from 'confluence-iframe-kit/react';
import { App } from './App';
import { MacroEditor } from './MacroEditor';
import { PageReviewDialog } from './PageReviewDialog';
import './demo.css';

// One build serves every module route; the macro's custom editor and the review dialog are screens of their own.
const screen = location.pathname.startsWith('/macro-editor') ? (
  <MacroEditor />
) : location.pathname.startsWith('/dialog') ? (
  <PageReviewDialog />
) : (
  <App />
);

// StrictMode mounts twice in development: TanStack Query cancels the first (aborted) list request and sends it again,
// so the emulator's request log shows the first GET twice in dev only.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {/* A rate limit longer than 1.5 s is shown to the user (with a countdown) instead of being waited out silently. */}
    <ConfluenceProvider host="auto" scopes={['READ', 'WRITE']} clientOptions={{ retry: { maxDelayMs: 1500 } }}>
      {screen}
    </ConfluenceProvider>
  </StrictMode>,
);
