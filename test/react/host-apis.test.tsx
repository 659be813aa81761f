import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { useState } from 'react';
import {
  ConfluenceProvider,
  useAppFetch,
  useAutoResize,
  useConfluenceContext,
  useMacro,
  useTheme,
} from '../../src/react/index';
import { bounded } from '../../src/react/internal/host-calls';
import { createFakeAP, createFakeForgeBridge } from './helpers/hosts';
import { server } from './helpers/site';
import { emulateSite } from './helpers/setup';

emulateSite();

const BACKEND = 'https://app.example.com/api/items';

describe('useAppFetch', () => {
  function Backend() {
    const appFetch = useAppFetch();
    const [status, setStatus] = useState('idle');
    return (
      <>
        <button
          onClick={() =>
            appFetch(BACKEND, { method: 'POST', body: '{"a":1}' }).then((r) => setStatus(`status ${r.status}`))
          }
        >
          Call
        </button>
        <p>{status}</p>
      </>
    );
  }

  it('sends a fresh context token, and on a 401 refreshes it once and retries', async () => {
    const seen: (string | null)[] = [];
    const bodies: string[] = [];
    server.use(
      http.post(BACKEND, async ({ request }) => {
        seen.push(request.headers.get('authorization'));
        bodies.push(await request.text());
        return request.headers.get('authorization') === 'JWT fresh'
          ? HttpResponse.json({ ok: true })
          : new HttpResponse(null, { status: 401 });
      }),
    );
    const ap = createFakeAP();
    ap.context.getToken.mockResolvedValueOnce('expired').mockResolvedValueOnce('fresh');
    (globalThis as any).AP = ap;
    const user = userEvent.setup();
    render(
      <ConfluenceProvider>
        <Backend />
      </ConfluenceProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Call' }));
    await screen.findByText('status 200');
    expect(seen).toEqual(['JWT expired', 'JWT fresh']);
    expect(bodies).toEqual(['{"a":1}', '{"a":1}']);
    expect(ap.context.getToken).toHaveBeenCalledTimes(2);
    // The app's own backend never goes through AP.request.
    expect(ap.request).not.toHaveBeenCalled();
  });

  it('gives the 401 back after one refresh instead of looping', async () => {
    let count = 0;
    server.use(
      http.post(BACKEND, () => {
        count++;
        return new HttpResponse(null, { status: 401 });
      }),
    );
    const getContextToken = vi.fn(async () => `t${getContextToken.mock.calls.length}`);
    const user = userEvent.setup();
    render(
      <ConfluenceProvider host="fetch" fetchBaseUrl="https://test.atlassian.net" getContextToken={getContextToken}>
        <Backend />
      </ConfluenceProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Call' }));
    await screen.findByText('status 401');
    expect(count).toBe(2);
    expect(getContextToken).toHaveBeenCalledTimes(2);
  });

  it('rejects with NOT_SUPPORTED when the host has no context token', async () => {
    let error: any;
    function NoToken() {
      const appFetch = useAppFetch();
      return <button onClick={() => appFetch(BACKEND).catch((e) => (error = e))}>Call</button>;
    }
    const user = userEvent.setup();
    render(
      <ConfluenceProvider host="fetch" fetchBaseUrl="https://test.atlassian.net">
        <NoToken />
      </ConfluenceProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Call' }));
    await waitFor(() => expect(error?.code).toBe('NOT_SUPPORTED'));
  });
});

describe('useMacro', () => {
  function Macro() {
    const macro = useMacro<{ color: string }>();
    const [body, setBody] = useState('');
    return (
      <>
        <p>{macro.params ? `color ${macro.params.color}` : 'loading'}</p>
        <p>{body}</p>
        <button onClick={() => macro.getMacroBody().then(setBody)}>Body</button>
        <button onClick={() => macro.saveMacro({ color: 'green' })}>Save</button>
      </>
    );
  }

  it('reads, saves and re-reads macro parameters on Connect', async () => {
    const ap = createFakeAP();
    (globalThis as any).AP = ap;
    const user = userEvent.setup();
    render(
      <ConfluenceProvider>
        <Macro />
      </ConfluenceProvider>,
    );
    await screen.findByText('color red');
    await user.click(screen.getByRole('button', { name: 'Body' }));
    await screen.findByText('<p>body</p>');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('color green');
    expect(ap.confluence.saveMacro).toHaveBeenCalledWith({ color: 'green' }, undefined);
  });

  it('reads config and saves with view.submit on Forge', async () => {
    const bridge = createFakeForgeBridge();
    const user = userEvent.setup();
    render(
      <ConfluenceProvider forgeBridge={bridge}>
        <Macro />
      </ConfluenceProvider>,
    );
    await screen.findByText('color blue');
    await user.click(screen.getByRole('button', { name: 'Body' }));
    await screen.findByText('forge body');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('color green');
    expect(bridge.view.submit).toHaveBeenCalledWith({ config: { color: 'green' } });
  });

  it('keeps its functions identical across renders (safe in effect dependencies)', async () => {
    (globalThis as any).AP = createFakeAP();
    const seen = new Set<unknown>();
    function Probe() {
      const macro = useMacro();
      seen.add(macro.saveMacro).add(macro.getMacroData).add(macro.closeMacroEditor);
      return <p>{macro.params ? 'loaded' : 'loading'}</p>;
    }
    render(
      <ConfluenceProvider>
        <Probe />
      </ConfluenceProvider>,
    );
    await screen.findByText('loaded'); // at least two renders: loading, then loaded
    expect(seen.size).toBe(3);
  });

  it('fails with HOST_TIMEOUT instead of hanging when AP never calls back', async () => {
    const ap = createFakeAP();
    ap.confluence.getMacroData.mockImplementation(() => {});
    (globalThis as any).AP = ap;
    let error: any;
    function Probe() {
      const macro = useMacro();
      error = macro.error;
      return <p>{macro.error ? 'failed' : 'waiting'}</p>;
    }
    render(
      <ConfluenceProvider hostReadyTimeoutMs={30}>
        <Probe />
      </ConfluenceProvider>,
    );
    await screen.findByText('failed');
    expect(error.code).toBe('HOST_TIMEOUT');
  });
});

describe('bounded host calls', () => {
  it('a host that answered leaves no timer running; one that never answers rejects at the bound', async () => {
    vi.useFakeTimers();
    await expect(bounded(Promise.resolve('token'), 3000)).resolves.toBe('token');
    expect(vi.getTimerCount()).toBe(0);
    const never = bounded(new Promise(() => {}), 3000).catch((e) => e.code);
    await vi.advanceTimersByTimeAsync(3000);
    expect(await never).toBe('HOST_TIMEOUT');
  });
});

describe('useConfluenceContext', () => {
  function Where() {
    const { data } = useConfluenceContext();
    return <p>{data ? JSON.stringify({ ...data, raw: undefined }) : 'reading'}</p>;
  }

  it('types the Connect context (numeric ids become strings) and adds the user', async () => {
    (globalThis as any).AP = createFakeAP();
    render(
      <ConfluenceProvider>
        <Where />
      </ConfluenceProvider>,
    );
    const text = (await screen.findByText(/host/)).textContent!;
    expect(JSON.parse(text)).toEqual({
      host: 'connect',
      content: { id: '123', type: 'page', version: 5 },
      space: { key: 'DEV', id: '42' },
      macro: { id: 'm-1', outputType: 'display' },
      user: { accountId: 'u-1' },
      viewer: 'user',
    });
  });

  it('fails with HOST_TIMEOUT when AP.context.getContext never answers', async () => {
    const ap = createFakeAP();
    ap.context.getContext.mockImplementation(() => new Promise(() => {}));
    (globalThis as any).AP = ap;
    function Probe() {
      const { error } = useConfluenceContext();
      return <p>{error ? (error as any).code : 'reading'}</p>;
    }
    render(
      <ConfluenceProvider hostReadyTimeoutMs={30}>
        <Probe />
      </ConfluenceProvider>,
    );
    expect(await screen.findByText('HOST_TIMEOUT')).toBeTruthy();
  });

  it('types the Forge context', async () => {
    render(
      <ConfluenceProvider forgeBridge={createFakeForgeBridge()}>
        <Where />
      </ConfluenceProvider>,
    );
    const text = (await screen.findByText(/host/)).textContent!;
    expect(JSON.parse(text)).toEqual({
      host: 'forge',
      content: { id: '123', type: 'page' },
      space: { id: '42', key: 'DEV' },
      macro: { id: 'local-1' },
      user: { accountId: 'u-1' },
      viewer: 'user',
    });
  });
});

describe('useAutoResize and useTheme', () => {
  let observers: { cb: ResizeObserverCallback; el?: Element }[] = [];
  beforeEach(() => {
    observers = [];
    (globalThis as any).ResizeObserver = class {
      entry: { cb: ResizeObserverCallback; el?: Element };
      constructor(cb: ResizeObserverCallback) {
        this.entry = { cb };
        observers.push(this.entry);
      }
      observe(el: Element) {
        this.entry.el = el;
      }
      disconnect() {
        observers = observers.filter((o) => o !== this.entry);
      }
    };
  });
  afterEach(() => delete (globalThis as any).ResizeObserver);

  function Content() {
    const ref = useAutoResize<HTMLDivElement>(100);
    useTheme();
    return <div ref={ref}>content</div>;
  }
  const resizeTo = (height: number) => {
    const o = observers[0]!;
    (o.el as HTMLElement).getBoundingClientRect = () => ({ height }) as DOMRect;
    o.cb([], {} as ResizeObserver);
  };

  it('grows and shrinks the Connect iframe, debounced, skipping unchanged heights', () => {
    vi.useFakeTimers();
    const ap = createFakeAP();
    (globalThis as any).AP = ap;
    render(
      <ConfluenceProvider>
        <Content />
      </ConfluenceProvider>,
    );
    expect(ap.theming.initializeTheming).toHaveBeenCalledTimes(1);
    resizeTo(250);
    resizeTo(300.4);
    act(() => vi.advanceTimersByTime(100));
    resizeTo(120);
    act(() => vi.advanceTimersByTime(100));
    resizeTo(120);
    act(() => vi.advanceTimersByTime(100));
    expect(ap.resize.mock.calls).toEqual([
      ['100%', '301px'],
      ['100%', '120px'],
    ]);
  });

  it('sets the macro viewport height and enables the theme on Forge', () => {
    vi.useFakeTimers();
    const bridge = createFakeForgeBridge();
    render(
      <ConfluenceProvider forgeBridge={bridge}>
        <Content />
      </ConfluenceProvider>,
    );
    expect(bridge.view.theme.enable).toHaveBeenCalledTimes(1);
    resizeTo(400);
    act(() => vi.advanceTimersByTime(100));
    resizeTo(80);
    act(() => vi.advanceTimersByTime(100));
    expect(bridge.setMacroViewportHeight.mock.calls).toEqual([['400'], ['80']]);
  });
});
