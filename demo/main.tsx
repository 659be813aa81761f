import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConfluenceProvider } from 'confluence-iframe-kit/react';
import { App } from './App';
import './demo.css';

// StrictMode mounts twice in development: TanStack Query cancels the first (aborted) list request and sends it again,
// so the emulator's request log shows the first GET twice in dev only.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {/* A rate limit longer than 1.5 s is shown to the user (with a countdown) instead of being waited out silently. */}
    <ConfluenceProvider host="auto" scopes={['READ', 'WRITE']} clientOptions={{ retry: { maxDelayMs: 1500 } }}>
      <App />
    </ConfluenceProvider>
  </StrictMode>,
);
