// Atlassian's design-token themes (light/dark), from the atlassian-connect-js package, switched by
// <html data-color-mode>. connect-host broadcasts the same theme to apps that call AP.theming.initializeTheming().
import 'atlassian-connect-js/dist/themes/atlaskit-tokens_light.css';
import 'atlassian-connect-js/dist/themes/atlaskit-tokens_dark.css';
import './styles.css';
import { startEmulatorPage } from './page/start-emulator-page';
import { createElement } from './ui/dom';

/** The emulator page's entry (index.html): the page itself is built in page/start-emulator-page.ts. */
const root = document.getElementById('emulator-root');
if (root) {
  startEmulatorPage(root).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    root.replaceChildren(createElement('div', { class: 'emu-banner' }, `The emulator could not start: ${message}`));
  });
}
