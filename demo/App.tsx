import { useState } from 'react';
import { RequestState, useAutoResize, useConfluenceContext, useTheme } from 'confluence-iframe-kit/react';
import { PageList } from './PageList';
import { PageDetail } from './PageDetail';
import { VerifiedIdentity } from './VerifiedIdentity';

/** The same UI serves both descriptor modules: the macro (auto-resized) and the general page (full height). */
const isMacro = !location.pathname.includes('page');

export function App() {
  useTheme();
  const resizeRef = useAutoResize<HTMLDivElement>();
  const context = useConfluenceContext();
  const [openPageId, setOpenPageId] = useState<string>();

  return (
    <div ref={isMacro ? resizeRef : undefined} className={isMacro ? 'demo macro' : 'demo page'} data-testid="demo-root">
      <header className="demo-header">
        <h2>{isMacro ? 'Pages in this space' : 'Page browser'}</h2>
        <VerifiedIdentity />
      </header>
      <RequestState query={context}>
        {(ctx) =>
          !ctx?.space?.id ? (
            <p className="demo-muted">This page is not in a space.</p>
          ) : openPageId ? (
            <PageDetail id={openPageId} onBack={() => setOpenPageId(undefined)} />
          ) : (
            <PageList spaceId={ctx.space.id} onOpen={setOpenPageId} />
          )
        }
      </RequestState>
    </div>
  );
}
