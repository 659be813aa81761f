import { useState } from 'react';
import { RequestState, useAutoResize, useConfluenceContext, useMacro, useTheme } from 'confluence-iframe-kit/react';
import { PageList } from './PageList';
import { PageDetail } from './PageDetail';
import { PageSearch } from './PageSearch';
import { VerifiedIdentity } from './VerifiedIdentity';
import { pageListLimit, pageListTitle, type PageListParams } from './macro-params';

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
        <h2>{isMacro ? <MacroTitle /> : 'Page browser'}</h2>
        <VerifiedIdentity />
      </header>
      <RequestState query={context}>
        {(ctx) =>
          !ctx?.space?.id ? (
            <p className="demo-muted">This page is not in a space.</p>
          ) : openPageId ? (
            <PageDetail id={openPageId} onBack={() => setOpenPageId(undefined)} />
          ) : (
            <>
              {ctx.space.key && <PageSearch spaceKey={ctx.space.key} onOpen={setOpenPageId} />}
              {isMacro ? (
                <MacroPageList spaceId={ctx.space.id} onOpen={setOpenPageId} />
              ) : (
                <PageList spaceId={ctx.space.id} onOpen={setOpenPageId} />
              )}
            </>
          )
        }
      </RequestState>
    </div>
  );
}

/** The macro's "Title" parameter. Only the macro asks for macro data: a general page has none. */
function MacroTitle() {
  const { params } = useMacro<PageListParams>();
  return <>{pageListTitle(params)}</>;
}

/** The list sized by the macro's "Number of pages"; if the host cannot say (an error), the default size. */
function MacroPageList({ spaceId, onOpen }: { spaceId: string; onOpen: (id: string) => void }) {
  const { params, isPending } = useMacro<PageListParams>();
  if (isPending) return <p className="demo-muted">Loading…</p>;
  return <PageList spaceId={spaceId} pageSize={pageListLimit(params)} onOpen={onOpen} />;
}
