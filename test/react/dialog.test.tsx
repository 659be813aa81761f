import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { useDialog, useDialogContext, type DialogOptions, type DialogSize } from '../../src/react/index';
import { renderWithConfluence } from '../../src/testing/index';

// useDialog / useDialogContext through the testing kit's fake hosts: Connect's AP.dialog and Forge's Modal. One fake
// plays both frames of a host: the opener's `open()` and the dialog's `close(result)` meet in it, as they meet in
// the product page between two iframes. The dialog frame (<Inside />) is mounted after the opener opened it, with
// `rerender`, which keeps the same provider and fake host.

afterEach(cleanup);

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

const options: DialogOptions = {
  key: 'page-details-dialog',
  size: 'xlarge',
  title: 'Page details',
  data: { pageId: '65601' },
};

describe('useDialog / useDialogContext on Connect', () => {
  it('opens AP.dialog.create with the module key, header, Connect size and customData; close(result) resolves the opener with it', async () => {
    const r = renderWithConfluence(<Opener options={options} />, { host: 'connect' });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Open' }));
    const host = r.ap!.fakeHost;
    // header is sent, though Connect shows it only with chrome (which would close without a result).
    expect(host.dialogs.map((d) => d.options)).toEqual([
      {
        key: 'page-details-dialog',
        size: 'x-large',
        header: 'Page details',
        chrome: false,
        customData: { pageId: '65601' },
      },
    ]);
    expect(screen.getByText('open')).toBeTruthy();

    // The dialog frame: getCustomData answers what the opener passed; Keep closes with a choice.
    r.rerender(
      <>
        <Opener options={options} />
        <Inside />
      </>,
    );
    await screen.findByText('data {"pageId":"65601"}');
    await user.click(screen.getByRole('button', { name: 'Keep' }));
    await screen.findByText('closed with {"choice":"keep"}');
    expect(host.dialogs[0]).toMatchObject({ closed: true, result: { choice: 'keep' } });
  });

  it("a dismissed dialog resolves undefined; Forge's max is Connect's maximum", async () => {
    const { ap } = renderWithConfluence(<Opener options={{ key: 'd', size: 'max' }} />, { host: 'connect' });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Open' }));
    expect(ap!.fakeHost.dialogs[0]!.options).toEqual({
      key: 'd',
      size: 'maximum',
      chrome: false,
      customData: undefined,
    });
    ap!.fakeHost.dismissDialog();
    await screen.findByText('closed with undefined');
    expect(ap!.fakeHost.dialogs[0]).toEqual({ options: expect.anything(), closed: true });
  });

  it('the host closing the dialog with data (fakeHost.closeDialog) resolves the opener with it, once', async () => {
    const { ap } = renderWithConfluence(<Opener options={{ key: 'd' }} />, { host: 'connect' });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Open' }));
    ap!.fakeHost.closeDialog({ n: 1 });
    ap!.fakeHost.closeDialog({ n: 2 }); // nothing open any more: no second close
    await screen.findByText('closed with {"n":1}');
  });

  it('a host that never answers getCustomData ends in HOST_TIMEOUT, not a hang', async () => {
    const r = renderWithConfluence(<p>placeholder</p>, { host: 'connect', providerProps: { hostReadyTimeoutMs: 100 } });
    const getCustomData = vi.fn();
    r.ap!.dialog.getCustomData = getCustomData;
    r.rerender(<Inside />);
    expect((await screen.findByRole('alert')).textContent).toBe('ConfluenceHostError HOST_TIMEOUT');
    expect(getCustomData).toHaveBeenCalledOnce();
  });
});

describe('useDialog / useDialogContext on Forge', () => {
  it('opens new Modal({resource, size, title, context}); view.close(result) resolves the opener with it', async () => {
    const r = renderWithConfluence(<Opener options={{ ...options, size: 'x-large' }} />, { host: 'forge' });
    const bridge = r.bridge!;
    const close = vi.spyOn(bridge.view, 'close');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Open' }));
    expect(bridge.fakeHost.modals).toHaveLength(1);
    expect(bridge.fakeHost.modals[0]).toMatchObject({
      options: { resource: 'page-details-dialog', size: 'xlarge', title: 'Page details', context: { pageId: '65601' } },
      opened: true,
      closed: false,
    });

    r.rerender(
      <>
        <Opener options={{ ...options, size: 'x-large' }} />
        <Inside />
      </>,
    );
    await screen.findByText('data {"pageId":"65601"}');
    await user.click(screen.getByRole('button', { name: 'Keep' }));
    await screen.findByText('closed with {"choice":"keep"}');
    expect(close).toHaveBeenCalledWith({ choice: 'keep' });
    expect(bridge.fakeHost.modals[0]).toMatchObject({ closed: true, result: { choice: 'keep' } });
  });

  it('a dismissed modal resolves undefined; a modal without data shows none', async () => {
    const r = renderWithConfluence(<Opener options={{ key: 'd' }} />, { host: 'forge' });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Open' }));
    r.rerender(
      <>
        <Opener options={{ key: 'd' }} />
        <Inside />
      </>,
    );
    await screen.findByText('data undefined');
    r.bridge!.fakeHost.dismissModal();
    await screen.findByText('closed with undefined');
  });

  it('a modal the bridge cannot open rejects the opener instead of leaving it waiting', async () => {
    const { bridge } = renderWithConfluence(<Opener options={{ key: 'd' }} />, { host: 'forge' });
    const Modal = bridge!.Modal;
    bridge!.Modal = class extends Modal {
      override open = vi.fn(async () => {
        throw Object.assign(new Error('Unable to open modal.'), { name: 'BridgeAPIError' });
      });
    };
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Open' }));
    await screen.findByText('BridgeAPIError undefined');
    expect(bridge!.fakeHost.modals).toHaveLength(1);
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
      const user = userEvent.setup();
      const { ap } = renderWithConfluence(<Opener options={{ key: 'd', size }} />, { host: 'connect' });
      await user.click(await screen.findByRole('button', { name: 'Open' }));
      expect(ap!.fakeHost.dialogs[0]!.options.size).toBe(connect);
      cleanup();

      const { bridge } = renderWithConfluence(<Opener options={{ key: 'd', size }} />, { host: 'forge' });
      await user.click(await screen.findByRole('button', { name: 'Open' }));
      expect(bridge!.fakeHost.modals[0]!.options.size).toBe(forge);
    });
  }
});

describe('useDialog / useDialogContext on a standalone page', () => {
  it('open() rejects NOT_SUPPORTED and the dialog context is a NOT_SUPPORTED error', async () => {
    renderWithConfluence(
      <>
        <Opener options={options} />
        <Inside />
      </>,
      { host: 'fetch' },
    );
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Open' }));
    await screen.findByText('ConfluenceHostError NOT_SUPPORTED', { selector: 'p:not([role])' });
    expect((await screen.findByRole('alert')).textContent).toBe('ConfluenceHostError NOT_SUPPORTED');
  });
});
