import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { ConfluenceProvider, useDialog, useDialogContext, type DialogOptions, type DialogSize, type ForgeBridge } from '../../src/react/index';

// useDialog / useDialogContext against hand-written doubles of Connect's AP.dialog and Forge's Modal. Each double
// plays both frames of one host: the opener's `open()` and the dialog's `close(result)` meet in it, as they meet in
// the product page between two iframes.

afterEach(() => {
  cleanup();
  delete (globalThis as { AP?: unknown }).AP;
});

function Opener({ options }: { options: DialogOptions }) {
  const { open } = useDialog();
  const [status, setStatus] = useState('idle');
  const onClick = () => {
    setStatus('open');
    open(options).then(
      (result) => setStatus(`closed with ${JSON.stringify(result) ?? 'undefined'}`),
      (e) => setStatus(`${e.name} ${e.code}`),
    );
  };
  return (
    <>
      <button onClick={onClick}>Open</button>
      <p>{status}</p>
    </>
  );
}

function Inside() {
  const { data, isPending, error, close } = useDialogContext<{ pageId: string }>();
  if (isPending) return <p>loading</p>;
  if (error) return <p role="alert">{`${error.name} ${(error as { code?: string }).code}`}</p>;
  return (
    <>
      <p>{`data ${JSON.stringify(data) ?? 'undefined'}`}</p>
      <button onClick={() => void close({ choice: 'keep' })}>Keep</button>
    </>
  );
}

/** all.js's AP.dialog as one Confluence page sees it: create() opens, close(data) reaches every close listener once. */
function connectDialogDouble({ answerCustomData = true } = {}) {
  const created: Record<string, unknown>[] = [];
  let listeners: ((data?: unknown) => void)[] = [];
  const deliver = (data?: unknown) => {
    const now = listeners;
    listeners = [];
    now.forEach((l) => l(data));
  };
  const dialog = {
    create: vi.fn((options: Record<string, unknown>) => {
      created.push(options);
      return { on: (event: string, listener: (data?: unknown) => void) => event == 'close' && listeners.push(listener) };
    }),
    close: vi.fn((data?: unknown) => deliver(data)),
    getCustomData: vi.fn((callback: (data: unknown) => void) => {
      if (answerCustomData) callback(created.at(-1)?.customData);
    }),
  };
  (globalThis as { AP?: unknown }).AP = { request: vi.fn(), dialog };
  /** The user pressed Escape or the close button: listeners hear a close without data. */
  return { dialog, created, dismiss: () => deliver() };
}

/** The bridge's Modal: open() shows the resource; view.getContext() inside answers its context; view.close(payload) ends in onClose. */
function forgeBridgeDouble() {
  const modals: FakeModal[] = [];
  class FakeModal {
    constructor(readonly options: { resource: string; size?: string; title?: string; context?: unknown; onClose?: (payload?: unknown) => void }) {
      modals.push(this);
    }
    open = vi.fn(async () => {});
  }
  const current = () => modals.at(-1)!;
  const bridge = {
    requestConfluence: vi.fn(),
    view: {
      getContext: vi.fn(async () => ({ extension: { type: 'macro', modal: current().options.context } })),
      close: vi.fn(async (payload?: unknown) => current().options.onClose?.(payload)),
    },
    Modal: FakeModal,
  };
  return { bridge: bridge as unknown as ForgeBridge, modals, dismiss: () => current().options.onClose?.() };
}

const options: DialogOptions = { key: 'page-details-dialog', size: 'xlarge', title: 'Page details', data: { pageId: '65601' } };

describe('useDialog / useDialogContext on Connect', () => {
  it('opens AP.dialog.create with the module key, header, Connect size and customData; close(result) resolves the opener with it', async () => {
    const { created } = connectDialogDouble();
    render(
      <ConfluenceProvider>
        <Opener options={options} />
      </ConfluenceProvider>,
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Open' }));
    expect(created).toEqual([{ key: 'page-details-dialog', size: 'x-large', header: 'Page details', chrome: false, customData: { pageId: '65601' } }]);
    expect(screen.getByText('open')).toBeTruthy();

    // The dialog frame: getCustomData answers what the opener passed; Keep closes with a choice.
    render(
      <ConfluenceProvider>
        <Inside />
      </ConfluenceProvider>,
    );
    await screen.findByText('data {"pageId":"65601"}');
    await user.click(screen.getByRole('button', { name: 'Keep' }));
    await screen.findByText('closed with {"choice":"keep"}');
  });

  it('a dismissed dialog resolves undefined; Forge\'s max is Connect\'s maximum', async () => {
    const { created, dismiss } = connectDialogDouble();
    render(
      <ConfluenceProvider>
        <Opener options={{ key: 'd', size: 'max' }} />
      </ConfluenceProvider>,
    );
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Open' }));
    expect(created[0]).toEqual({ key: 'd', size: 'maximum', chrome: false, customData: undefined });
    dismiss();
    await screen.findByText('closed with undefined');
  });

  it('a host that never answers getCustomData ends in HOST_TIMEOUT, not a hang', async () => {
    const { dialog } = connectDialogDouble({ answerCustomData: false });
    render(
      <ConfluenceProvider hostReadyTimeoutMs={100}>
        <Inside />
      </ConfluenceProvider>,
    );
    expect((await screen.findByRole('alert')).textContent).toBe('ConfluenceHostError HOST_TIMEOUT');
    expect(dialog.getCustomData).toHaveBeenCalledOnce();
  });
});

describe('useDialog / useDialogContext on Forge', () => {
  it('opens new Modal({resource, size, title, context}); view.close(result) resolves the opener with it', async () => {
    const { bridge, modals } = forgeBridgeDouble();
    render(
      <ConfluenceProvider forgeBridge={bridge}>
        <Opener options={{ ...options, size: 'x-large' }} />
      </ConfluenceProvider>,
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Open' }));
    expect(modals).toHaveLength(1);
    expect(modals[0]!.options).toMatchObject({ resource: 'page-details-dialog', size: 'xlarge', title: 'Page details', context: { pageId: '65601' } });
    expect(modals[0]!.open).toHaveBeenCalledOnce();

    render(
      <ConfluenceProvider forgeBridge={bridge}>
        <Inside />
      </ConfluenceProvider>,
    );
    await screen.findByText('data {"pageId":"65601"}');
    await user.click(screen.getByRole('button', { name: 'Keep' }));
    await screen.findByText('closed with {"choice":"keep"}');
    expect(bridge.view!.close).toHaveBeenCalledWith({ choice: 'keep' });
  });

  it('a dismissed modal resolves undefined; a modal without data shows none', async () => {
    const { bridge, dismiss } = forgeBridgeDouble();
    render(
      <ConfluenceProvider forgeBridge={bridge}>
        <Opener options={{ key: 'd' }} />
      </ConfluenceProvider>,
    );
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Open' }));
    render(
      <ConfluenceProvider forgeBridge={bridge}>
        <Inside />
      </ConfluenceProvider>,
    );
    await screen.findByText('data undefined');
    dismiss();
    await screen.findByText('closed with undefined');
  });

  it('a modal the bridge cannot open rejects the opener instead of leaving it waiting', async () => {
    const { bridge, modals } = forgeBridgeDouble();
    render(
      <ConfluenceProvider forgeBridge={bridge}>
        <Opener options={{ key: 'd' }} />
      </ConfluenceProvider>,
    );
    const Modal = (bridge as unknown as { Modal: new (o: object) => { open(): Promise<void> } }).Modal;
    (bridge as unknown as { Modal: unknown }).Modal = class extends Modal {
      override open = vi.fn(async () => {
        throw Object.assign(new Error('Unable to open modal.'), { name: 'BridgeAPIError' });
      });
    };
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Open' }));
    await screen.findByText('BridgeAPIError undefined');
    expect(modals).toHaveLength(1);
  });
});

// Connect (reference b.4, all.js AP.dialog.create): small|medium|large|x-large|maximum|fullscreen.
// Forge (@forge/bridge out/modal/modal.d.ts NAMED_MODAL_SIZES): small|medium|large|xlarge|max|fullscreen|resizable.
const SIZES: [DialogSize, connect: string, forge: string][] = [
  ['small', 'small', 'small'],
  ['medium', 'medium', 'medium'],
  ['large', 'large', 'large'],
  ['xlarge', 'x-large', 'xlarge'],
  ['x-large', 'x-large', 'xlarge'],
  ['max', 'maximum', 'max'],
  ['maximum', 'maximum', 'max'],
  ['fullscreen', 'fullscreen', 'fullscreen'],
];

describe('dialog sizes: each host gets a size of its own vocabulary', () => {
  for (const [size, connect, forge] of SIZES) {
    it(`${size} → Connect ${connect}, Forge ${forge}`, async () => {
      const { created } = connectDialogDouble();
      render(
        <ConfluenceProvider>
          <Opener options={{ key: 'd', size }} />
        </ConfluenceProvider>,
      );
      const user = userEvent.setup();
      await user.click(await screen.findByRole('button', { name: 'Open' }));
      expect(created[0]!.size).toBe(connect);
      cleanup();
      delete (globalThis as { AP?: unknown }).AP;

      const { bridge, modals } = forgeBridgeDouble();
      render(
        <ConfluenceProvider forgeBridge={bridge}>
          <Opener options={{ key: 'd', size }} />
        </ConfluenceProvider>,
      );
      await user.click(await screen.findByRole('button', { name: 'Open' }));
      expect(modals[0]!.options.size).toBe(forge);
    });
  }
});

describe('useDialog / useDialogContext on a standalone page', () => {
  it('open() rejects NOT_SUPPORTED and the dialog context is a NOT_SUPPORTED error', async () => {
    render(
      <ConfluenceProvider host="fetch" fetchBaseUrl="https://example.atlassian.net">
        <Opener options={options} />
        <Inside />
      </ConfluenceProvider>,
    );
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Open' }));
    await screen.findByText('ConfluenceHostError NOT_SUPPORTED', { selector: 'p:not([role])' });
    expect((await screen.findByRole('alert')).textContent).toBe('ConfluenceHostError NOT_SUPPORTED');
  });
});
