import { useEffect, useState } from 'react';
import { RequestState } from '../../src/react/components/RequestState';
import { StateView } from '../../src/react/components/StateView';
import { ViewerContext } from '../../src/react/internal/viewer';
import { createGallerySite, type GalleryState } from './gallery-states';

type Outcome = { settled: false } | { settled: true; error: unknown };

/** Runs a state's request once per `attempt` against a fresh emulated site, and keeps what it rejected with. */
function useOutcome(state: GalleryState, attempt: number): Outcome {
  // Keyed by attempt: a retry shows its own outcome, never the previous one.
  const [last, setLast] = useState<{ attempt: number; error: unknown }>();
  useEffect(() => {
    const { source } = state;
    if (!('request' in source)) return undefined;
    let current = true;
    source.request(createGallerySite()).then(
      () => {
        if (current) setLast({ attempt, error: new Error(`${state.id}: the request succeeded`) });
      },
      (error: unknown) => {
        if (current) setLast({ attempt, error });
      },
    );
    return () => {
      current = false;
    };
  }, [state, attempt]);
  if (last?.attempt !== attempt) return { settled: false };
  return { settled: true, error: last.error };
}

/** One state, rendered by the kit's own components exactly as an app shows it. */
function StateCard({ state }: { state: GalleryState }) {
  // "Try again" and the end of a countdown run the request again: the card shows the state once more.
  const [attempt, setAttempt] = useState(0);
  const outcome = useOutcome(state, attempt);
  const retry = () => setAttempt((count) => count + 1);
  const { source } = state;
  let view;
  if ('pending' in source) view = <RequestState pending />;
  else if ('view' in source) view = <StateView state={source.view} />;
  else if (outcome.settled) view = <RequestState error={outcome.error} onRetry={retry} onReload={retry} />;
  else view = <RequestState pending />;
  const code = outcome.settled ? (outcome.error as { code?: string }).code : undefined;
  return (
    <section
      className="emu-state-card"
      data-state-id={state.id}
      data-expected-kind={state.kind}
      data-expected-reason={state.reason}
      data-settled={'request' in source ? String(outcome.settled) : 'true'}
    >
      <header className="emu-state-card-header">
        <h2>{state.title}</h2>
        <code>
          {state.kind}
          {state.reason ? ` · ${state.reason}` : ''}
        </code>
      </header>
      <p className="emu-state-cause">{state.cause}</p>
      {/* The viewer the provider would have read from the host: RequestState words a refusal by who is looking. */}
      <ViewerContext.Provider value={{ viewer: state.viewer, known: true }}>
        <div className="emu-state-view">{view}</div>
      </ViewerContext.Provider>
      {code && <p className="emu-state-code">error.code {code}</p>}
    </section>
  );
}

/**
 * The emulator's `/states` page: every state `RequestState` can show, in the page's theme (light or dark), each one
 * produced by a real request to an emulated site set up for it.
 */
export function StatesGallery({ states }: { states: readonly GalleryState[] }) {
  return (
    <div className="emu-state-grid" data-testid="states-gallery">
      {states.map((state) => (
        <StateCard key={state.id} state={state} />
      ))}
    </div>
  );
}
