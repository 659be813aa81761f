import { act, render, screen } from '@testing-library/react';
import { useEffect } from 'react';
import { ConfluenceProvider } from '../../src/react/index';
import { createFakeAP, createFakeForgeBridge } from './helpers/hosts';
import { emulateSite } from './helpers/setup';

emulateSite();

/** Records, at each render, what the host had done by then. */
function recordingChild(record: () => string, renders: string[]) {
  return function Child() {
    renders.push(record());
    return <p>app content</p>;
  };
}

describe('<ConfluenceProvider theme>: the theme before the first render', () => {
  it('Forge: no child renders before view.theme.enable() resolves', async () => {
    const bridge = createFakeForgeBridge();
    let resolveEnable: () => void = () => {};
    let enabled = false;
    bridge.view.theme.enable.mockImplementation(
      () =>
        new Promise<void>((resolve) => {
          resolveEnable = () => {
            enabled = true;
            resolve();
          };
        }),
    );
    const renders: string[] = [];
    const Child = recordingChild(() => (enabled ? 'enabled' : 'not enabled'), renders);
    render(
      <ConfluenceProvider forgeBridge={bridge} theme>
        <Child />
      </ConfluenceProvider>,
    );
    await act(async () => {});
    expect(bridge.view.theme.enable).toHaveBeenCalledOnce();
    expect(screen.queryByText('app content')).toBeNull();
    expect(renders).toEqual([]);
    await act(async () => resolveEnable());
    expect(screen.getByText('app content')).toBeTruthy();
    expect(renders.every((state) => state === 'enabled')).toBe(true);
  });

  it('Forge: a bridge that never answers still renders the app once the wait is over', async () => {
    vi.useFakeTimers();
    const bridge = createFakeForgeBridge();
    bridge.view.theme.enable.mockImplementation(() => new Promise<void>(() => {}));
    render(
      <ConfluenceProvider forgeBridge={bridge} theme>
        <p>app content</p>
      </ConfluenceProvider>,
    );
    await act(() => vi.advanceTimersByTimeAsync(999));
    expect(screen.queryByText('app content')).toBeNull();
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(screen.getByText('app content')).toBeTruthy();
  });

  it('Forge: a failed enable renders the app with the default theme', async () => {
    const bridge = createFakeForgeBridge();
    bridge.view.theme.enable.mockRejectedValue(new Error('theming unavailable'));
    render(
      <ConfluenceProvider forgeBridge={bridge} theme>
        <p>app content</p>
      </ConfluenceProvider>,
    );
    expect(await screen.findByText('app content')).toBeTruthy();
  });

  it("Connect: AP.theming.initializeTheming() runs before the first paint, ahead of the app's own effects", async () => {
    const ap = createFakeAP();
    (globalThis as any).AP = ap;
    const seenInEffect: number[] = [];
    function Child() {
      // Passive effects run after the browser could paint; the provider's layout effect comes before.
      useEffect(() => {
        seenInEffect.push(ap.theming.initializeTheming.mock.calls.length);
      }, []);
      return <p>app content</p>;
    }
    render(
      <ConfluenceProvider theme>
        <Child />
      </ConfluenceProvider>,
    );
    expect(await screen.findByText('app content')).toBeTruthy();
    expect(seenInEffect).toEqual([1]);
  });

  it('without theme, children render without waiting for the bridge (as before)', async () => {
    const bridge = createFakeForgeBridge();
    bridge.view.theme.enable.mockImplementation(() => new Promise<void>(() => {}));
    render(
      <ConfluenceProvider forgeBridge={bridge}>
        <p>app content</p>
      </ConfluenceProvider>,
    );
    expect(screen.getByText('app content')).toBeTruthy();
    expect(bridge.view.theme.enable).not.toHaveBeenCalled();
  });
});
