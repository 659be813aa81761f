import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import {
  useEmitHostEvent,
  useFlag,
  useHostEvent,
  useNavigation,
  type FlagOptions,
  type NavigationLocation,
} from '../../src/react/index';
import { renderWithConfluence } from '../../src/testing/index';
import { MAX_FLAGS_WITH_ACTIONS } from '../../src/react/hooks/useFlag';

// Flags, navigation and host events through the testing kit's fake hosts: the same component on
// Connect (`AP.flag` / `AP.navigator` / `AP.events`), Forge (`showFlag` / `router` / `events`) and a
// standalone page, where there is no host to ask and the answer is a typed NOT_SUPPORTED.

afterEach(cleanup);

function Flagger({ options }: { options: FlagOptions }) {
  const showFlag = useFlag();
  const [status, setStatus] = useState('idle');
  const [close, setClose] = useState<() => Promise<void>>();
  return (
    <>
      <button
        onClick={() =>
          showFlag(options).then(
            (f) => {
              setStatus('shown');
              setClose(() => f.close);
            },
            (e) => setStatus(`${e.name} ${e.code}`),
          )
        }
      >
        Flag
      </button>
      {close && <button onClick={() => close().then(() => setStatus('closed'))}>Close</button>}
      <p>{status}</p>
    </>
  );
}

describe('useFlag', () => {
  it('Connect: AP.flag.create with title, body, type and close; action clicks reach their own onClick', async () => {
    const clicked: string[] = [];
    const options: FlagOptions = {
      title: 'Saved',
      body: 'Version 4 is live.',
      type: 'success',
      close: 'auto',
      actions: [
        { text: 'Undo', onClick: () => clicked.push('undo') },
        { text: 'View', onClick: () => clicked.push('view') },
      ],
    };
    const { ap } = renderWithConfluence(<Flagger options={options} />, { host: 'connect' });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Flag' }));
    await screen.findByText('shown');
    const [flag] = ap!.fakeHost.flags;
    expect(flag!.options).toMatchObject({ title: 'Saved', body: 'Version 4 is live.', type: 'success', close: 'auto' });
    const actions = flag!.options.actions as Record<string, string>;
    expect(Object.values(actions)).toEqual(['Undo', 'View']);
    // The host reports a click by action key only (flag.action); another flag's key must not fire ours.
    const [undoKey, viewKey] = Object.keys(actions);
    act(() => ap!.fakeHost.emit('flag.action', { actionIdentifier: viewKey, flagIdentifier: 'host-id' }));
    act(() => ap!.fakeHost.emit('flag.action', { actionIdentifier: 'someone-else-0', flagIdentifier: 'other' }));
    expect(clicked).toEqual(['view']);
    await user.click(screen.getByRole('button', { name: 'Close' }));
    await screen.findByText('closed');
    expect(flag!.closed).toBe(true);
    // A closed flag's actions are forgotten.
    act(() => ap!.fakeHost.emit('flag.action', { actionIdentifier: undoKey }));
    expect(clicked).toEqual(['view']);
  });

  it('Connect: a flag the user dismisses (or that closes itself) releases its actions on flag.close', async () => {
    const clicked: string[] = [];
    const { ap } = renderWithConfluence(
      <Flagger
        options={{ title: 'Saved', close: 'auto', actions: [{ text: 'Undo', onClick: () => clicked.push('undo') }] }}
      />,
      {
        host: 'connect',
      },
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Flag' }));
    await screen.findByText('shown');
    await user.click(screen.getByRole('button', { name: 'Flag' }));
    const [dismissed, kept] = ap!.fakeHost.flags;
    const [dismissedKey] = Object.keys(dismissed!.options.actions as object);
    const [keptKey] = Object.keys(kept!.options.actions as object);
    // Another flag's close (unknown to us) changes nothing; this flag's close, by its host id, forgets its onClick.
    act(() => ap!.fakeHost.emit('flag.close', { flagIdentifier: 'someone-else' }));
    act(() => ap!.fakeHost.emit('flag.action', { actionIdentifier: dismissedKey, flagIdentifier: dismissed!.id }));
    expect(clicked).toEqual(['undo']);
    act(() => ap!.fakeHost.emit('flag.close', { flagIdentifier: dismissed!.id }));
    act(() => ap!.fakeHost.emit('flag.action', { actionIdentifier: dismissedKey, flagIdentifier: dismissed!.id }));
    expect(clicked).toEqual(['undo']);
    // The other flag is still on screen and still works, until the user dismisses it too.
    act(() => ap!.fakeHost.emit('flag.action', { actionIdentifier: keptKey, flagIdentifier: kept!.id }));
    expect(clicked).toEqual(['undo', 'undo']);
    act(() => ap!.fakeHost.dismissFlag(1));
    act(() => ap!.fakeHost.emit('flag.action', { actionIdentifier: keptKey, flagIdentifier: kept!.id }));
    expect(clicked).toEqual(['undo', 'undo']);
  });

  it(`Connect: without a host flag id, only the newest ${MAX_FLAGS_WITH_ACTIONS} flags keep their actions`, async () => {
    const clicked: number[] = [];
    // Twice the bound: whatever earlier tests left in the module's map, our first half is evicted.
    const total = 2 * MAX_FLAGS_WITH_ACTIONS;
    let n = 0;
    const { ap } = renderWithConfluence(
      <Flagger options={{ title: 'Saved', actions: [{ text: 'Undo', onClick: () => clicked.push(n) }] }} />,
      { host: 'connect' },
    );
    // An AP whose flag objects carry no id: a close event cannot be matched, so the bound is all that limits the map.
    const create = ap!.flag.create;
    ap!.flag.create = (options) => ({ ...create(options), _id: undefined as unknown as string });
    const user = userEvent.setup();
    for (let i = 0; i < total; i++) await user.click(await screen.findByRole('button', { name: 'Flag' }));
    await waitFor(() => expect(ap!.fakeHost.flags).toHaveLength(total));
    const keyOf = (i: number) => Object.keys(ap!.fakeHost.flags[i]!.options.actions as object)[0];
    for (let i = 0; i < total; i++) {
      n = i;
      act(() => ap!.fakeHost.emit('flag.action', { actionIdentifier: keyOf(i) }));
    }
    expect(clicked).toEqual(Array.from({ length: MAX_FLAGS_WITH_ACTIONS }, (_, i) => MAX_FLAGS_WITH_ACTIONS + i));
  });

  it('Connect: a flag without actions sends none, and defaults to info/manual', async () => {
    const { ap } = renderWithConfluence(<Flagger options={{ title: 'Heads up' }} />, { host: 'connect' });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Flag' }));
    await screen.findByText('shown');
    expect(ap!.fakeHost.flags[0]!.options).toEqual({
      title: 'Heads up',
      body: undefined,
      type: 'info',
      close: 'manual',
    });
  });

  it('Forge: showFlag with description, isAutoDismiss and the actions as given', async () => {
    const onClick = vi.fn();
    const { bridge } = renderWithConfluence(
      <Flagger
        options={{
          title: 'Saved',
          body: 'Done.',
          type: 'warning',
          close: 'auto',
          actions: [{ text: 'Undo', onClick }],
        }}
      />,
      {
        host: 'forge',
      },
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Flag' }));
    await screen.findByText('shown');
    const [flag] = bridge!.fakeHost.flags;
    expect(flag!.options).toMatchObject({ title: 'Saved', description: 'Done.', type: 'warning', isAutoDismiss: true });
    expect(typeof flag!.options.id).toBe('string');
    flag!.options.actions![0]!.onClick();
    expect(onClick).toHaveBeenCalledOnce();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    await screen.findByText('closed');
    expect(flag!.closed).toBe(true);
  });

  it('standalone: rejects with a typed NOT_SUPPORTED instead of throwing or hanging', async () => {
    renderWithConfluence(<Flagger options={{ title: 'x' }} />, { host: 'fetch' });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Flag' }));
    await screen.findByText('ConfluenceHostError NOT_SUPPORTED');
  });
});

function Navigator({ to }: { to: NavigationLocation }) {
  const { navigate, reload } = useNavigation();
  const [status, setStatus] = useState('idle');
  const report = (p: Promise<void>) =>
    p.then(
      () => setStatus('done'),
      (e) => setStatus(`${e.name} ${e.code}: ${e.message}`),
    );
  return (
    <>
      <button onClick={() => report(navigate(to))}>Go</button>
      <button onClick={() => report(reload())}>Reload</button>
      <p>{status}</p>
    </>
  );
}

describe('useNavigation', () => {
  const cases: [NavigationLocation, string, object][] = [
    [{ target: 'contentView', contentId: '65601' }, 'contentview', { contentId: '65601' }],
    [{ target: 'contentEdit', contentId: '65601' }, 'contentedit', { contentId: '65601' }],
    [{ target: 'spaceView', spaceKey: 'ENG' }, 'spaceview', { spaceKey: 'ENG' }],
    [
      { target: 'contentList', contentType: 'blogpost', spaceKey: 'ENG' },
      'contentlist',
      { contentType: 'blogpost', spaceKey: 'ENG' },
    ],
    [{ target: 'userProfile', accountId: 'acc-1' }, 'userProfile', { userAccountId: 'acc-1' }],
    ['/wiki/spaces/ENG/overview', 'site', { relativeUrl: '/wiki/spaces/ENG/overview' }],
  ];

  it.each(cases)('Connect: %o becomes AP.navigator.go(%s, …)', async (to, target, context) => {
    const { ap } = renderWithConfluence(<Navigator to={to} />, { host: 'connect' });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Go' }));
    await screen.findByText('done');
    expect(ap!.fakeHost.navigations).toEqual([{ target, context }]);
  });

  it.each(['https://evil.example/x', '//evil.example/x', 'wiki/relative'])(
    'Connect: %s cannot be reached (site-relative only) and nothing navigates',
    async (to) => {
      const { ap } = renderWithConfluence(<Navigator to={to} />, { host: 'connect' });
      await userEvent.setup().click(await screen.findByRole('button', { name: 'Go' }));
      await screen.findByText(/^ConfluenceHostError NOT_SUPPORTED: Connect can only navigate to a site-relative URL/);
      expect(ap!.fakeHost.navigations).toEqual([]);
    },
  );

  it('Forge: the location goes to router.navigate unchanged; reload to router.reload', async () => {
    const to: NavigationLocation = { target: 'contentView', contentId: '65601', version: '3' };
    const { bridge } = renderWithConfluence(<Navigator to={to} />, { host: 'forge' });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Go' }));
    await screen.findByText('done');
    await user.click(screen.getByRole('button', { name: 'Reload' }));
    await waitFor(() =>
      expect(bridge!.fakeHost.navigations).toEqual([{ kind: 'navigate', location: to }, { kind: 'reload' }]),
    );
  });

  it('Connect: reload is AP.navigator.reload', async () => {
    const { ap } = renderWithConfluence(<Navigator to="/wiki" />, { host: 'connect' });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Reload' }));
    await screen.findByText('done');
    expect(ap!.fakeHost.navigations).toEqual([{ target: 'reload' }]);
  });

  it('standalone: NOT_SUPPORTED', async () => {
    renderWithConfluence(<Navigator to="/wiki" />, { host: 'fetch' });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Go' }));
    await screen.findByText(/^ConfluenceHostError NOT_SUPPORTED/);
  });
});

function Listener({ name, isPublic, label }: { name: string; isPublic?: boolean; label: string }) {
  const [seen, setSeen] = useState<unknown[]>([]);
  useHostEvent(name, (payload) => setSeen((s) => [...s, payload]), { public: isPublic });
  return <p>{`${label}: ${JSON.stringify(seen)}`}</p>;
}

function Emitter({ isPublic }: { isPublic?: boolean }) {
  const emit = useEmitHostEvent();
  const [status, setStatus] = useState('idle');
  return (
    <>
      <button
        onClick={() =>
          emit('saved', { id: 7 }, { public: isPublic }).then(
            () => setStatus('emitted'),
            (e) => setStatus(e.code),
          )
        }
      >
        Emit
      </button>
      <p>{status}</p>
    </>
  );
}

function Spy({ name, onEvent, isPublic }: { name: string; onEvent: (payload: unknown) => void; isPublic?: boolean }) {
  useHostEvent(name, onEvent, { public: isPublic });
  return <p>listening</p>;
}

describe('useHostEvent / useEmitHostEvent', () => {
  for (const host of ['connect', 'forge'] as const) {
    it(`${host}: each listener gets the payload of its own event, private and public apart`, async () => {
      renderWithConfluence(
        <>
          <Listener name="saved" label="private" />
          <Listener name="saved" isPublic label="public" />
          <Emitter />
          <Emitter isPublic />
        </>,
        { host },
      );
      const user = userEvent.setup();
      const [privateEmit, publicEmit] = await screen.findAllByRole('button', { name: 'Emit' });
      await user.click(privateEmit!);
      await screen.findByText('private: [{"id":7}]');
      expect(screen.getByText('public: []')).toBeTruthy();
      await user.click(publicEmit!);
      await screen.findByText('public: [{"id":7}]');
      expect(screen.getByText('private: [{"id":7}]')).toBeTruthy();
    });

    it(`${host}: the newest handler runs without resubscribing, and nothing arrives after unmount`, async () => {
      const first = vi.fn();
      const second = vi.fn();
      // Mount the listener only once the host's subscribe/unsubscribe are spied on, so every call is counted.
      const r = renderWithConfluence(<p>placeholder</p>, { host });
      const fake = host == 'connect' ? r.ap!.fakeHost : r.bridge!.fakeHost;
      const on = host == 'connect' ? vi.spyOn(r.ap!.events, 'on') : vi.spyOn(r.bridge!.events, 'on');
      const off = host == 'connect' ? vi.spyOn(r.ap!.events, 'off') : undefined;
      r.rerender(<Spy name="saved" onEvent={first} />);
      await screen.findByText('listening');
      await act(async () => {}); // Forge subscribes asynchronously
      act(() => fake.emit('saved', { n: 1 }));
      expect(first).toHaveBeenCalledWith({ n: 1 });
      r.rerender(<Spy name="saved" onEvent={second} />);
      await act(async () => {});
      act(() => fake.emit('saved', { n: 2 }));
      expect(second).toHaveBeenCalledWith({ n: 2 });
      expect(first).toHaveBeenCalledOnce();
      // One subscription across both renders: a new handler must not unsubscribe and subscribe again.
      expect(on).toHaveBeenCalledOnce();
      expect(on.mock.calls[0]![0]).toBe('saved');
      if (off) expect(off).not.toHaveBeenCalled();
      r.rerender(<p>gone</p>);
      await act(async () => {});
      if (off) expect(off.mock.calls).toEqual([['saved', on.mock.calls[0]![1]]]);
      act(() => fake.emit('saved', { n: 3 }));
      expect(first).toHaveBeenCalledOnce();
      expect(second).toHaveBeenCalledOnce();
      expect(on).toHaveBeenCalledOnce();
    });

    it(`${host}: a public listener also subscribes once across a new handler`, async () => {
      const first = vi.fn();
      const second = vi.fn();
      const r = renderWithConfluence(<p>placeholder</p>, { host });
      const onPublic = host == 'connect' ? vi.spyOn(r.ap!.events, 'onPublic') : vi.spyOn(r.bridge!.events, 'onPublic');
      const emitPublic = (payload: unknown) =>
        host == 'connect'
          ? r.ap!.fakeHost.emitPublic('saved', payload)
          : r.bridge!.fakeHost.emit('saved', payload, { public: true });
      r.rerender(<Spy name="saved" isPublic onEvent={first} />);
      await screen.findByText('listening');
      await act(async () => {});
      r.rerender(<Spy name="saved" isPublic onEvent={second} />);
      await act(async () => {});
      act(() => emitPublic({ n: 1 }));
      expect(first).not.toHaveBeenCalled();
      expect(second).toHaveBeenCalledWith({ n: 1 });
      expect(onPublic).toHaveBeenCalledOnce();
    });
  }

  it('forge: unmounting before the subscription settles still unsubscribes', async () => {
    let resolveSubscription!: (s: { unsubscribe(): void }) => void;
    const unsubscribe = vi.fn();
    const r = renderWithConfluence(<p>placeholder</p>, { host: 'forge' });
    r.bridge!.events.on = () => new Promise((resolve) => (resolveSubscription = resolve));
    r.rerender(<Spy name="late" onEvent={() => {}} />);
    await screen.findByText('listening');
    r.rerender(<p>unmounted</p>);
    expect(unsubscribe).not.toHaveBeenCalled();
    await act(async () => resolveSubscription({ unsubscribe }));
    expect(unsubscribe).toHaveBeenCalledOnce();
  });

  it('standalone: listening is a no-op and emitting is NOT_SUPPORTED', async () => {
    renderWithConfluence(
      <>
        <Listener name="saved" label="private" />
        <Emitter />
      </>,
      { host: 'fetch' },
    );
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Emit' }));
    await screen.findByText('NOT_SUPPORTED');
    expect(screen.getByText('private: []')).toBeTruthy();
  });
});
