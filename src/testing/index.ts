// confluence-iframe-kit/testing. Everything from ./core (React-free), plus `renderWithConfluence`,
// which needs react, @tanstack/react-query and @testing-library/react (an app team's devDependencies).
export * from './core.js';
export {
  renderWithConfluence,
  cleanupConfluenceHosts,
  type RenderWithConfluenceOptions,
  type RenderWithConfluenceResult,
} from './render.js';
