// The same design-token themes as the emulator page, switched by <html data-color-mode>.
import 'atlassian-connect-js/dist/themes/atlaskit-tokens_light.css';
import 'atlassian-connect-js/dist/themes/atlaskit-tokens_dark.css';
import '../styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createEmulatorBrand } from '../page/page-chrome';
import { createElement } from '../ui/dom';
import { GALLERY_STATES } from './gallery-states';
import { StatesGallery } from './StatesGallery';

type ColorMode = 'light' | 'dark';

function applyColorMode(colorMode: ColorMode): void {
  document.documentElement.setAttribute('data-color-mode', colorMode);
  const url = new URL(location.href);
  if (colorMode === 'dark') url.searchParams.set('theme', 'dark');
  else url.searchParams.delete('theme');
  history.replaceState(null, '', url);
}

/** The gallery page's entry (states.html): the emulator's top bar, a theme switch, and the gallery. */
const root = document.getElementById('states-root');
if (root) {
  const initialColorMode: ColorMode = new URLSearchParams(location.search).get('theme') === 'dark' ? 'dark' : 'light';
  applyColorMode(initialColorMode);
  const themeSelect = createElement(
    'select',
    { id: 'theme', 'data-testid': 'theme' },
    createElement('option', { value: 'light', selected: initialColorMode === 'light' }, 'Light'),
    createElement('option', { value: 'dark', selected: initialColorMode === 'dark' }, 'Dark'),
  );
  themeSelect.addEventListener('change', () => applyColorMode(themeSelect.value === 'dark' ? 'dark' : 'light'));
  const galleryRoot = createElement('main', { class: 'emu-states' });
  root.replaceChildren(
    createElement(
      'header',
      { class: 'emu-topbar' },
      ...createEmulatorBrand(),
      createElement('a', { class: 'emu-header-link', href: '/' }, 'Emulator'),
      createElement('span', { class: 'emu-header-link current', 'aria-current': 'page' }, 'State gallery'),
      createElement('div', { class: 'emu-topbar-spacer' }),
      createElement('div', { class: 'emu-field' }, createElement('label', { for: 'theme' }, 'Theme'), themeSelect),
    ),
    createElement(
      'div',
      { class: 'emu-states-intro' },
      createElement('h1', { class: 'emu-page-title' }, 'What your users will see'),
      createElement(
        'p',
        { class: 'emu-muted' },
        "Every state of the kit's RequestState, rendered by the real components. Each error comes from a real request through the kit's client to an emulated site set up for that case.",
      ),
    ),
    galleryRoot,
  );
  createRoot(galleryRoot).render(
    <StrictMode>
      <StatesGallery states={GALLERY_STATES} />
    </StrictMode>,
  );
}
