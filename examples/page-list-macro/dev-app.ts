import path from 'node:path';
import type { HostedApp } from '../../emulator/node/dev-environment';
import { createReferenceHandler, ROUTES } from './server/index';
import { FORGE_ROUTES } from './server/forge';

/**
 * The page-list macro as the emulator hosts it in development: the reference server (descriptor, lifecycle, JWT-checked
 * module routes, /api/verify, the Forge remote) with the web app's pages served through vite.
 */
export const pageListMacro: HostedApp = {
  pages: {
    connectHtml: 'examples/page-list-macro/web/index.html',
    forgeHtml: 'examples/page-list-macro/web/forge.html',
  },
  descriptorPath: ROUTES.descriptor,
  // The macro as it sits on the emulated page when it first opens.
  macroParameters: { 'page-list-macro': { title: 'Pages in this space', limit: '10' } },
  // Forge mode: the reference server serves the web app as Custom UI under /forge (`/macro` → `/forge/macro`) and
  // its Forge remote under /forge-remote.
  forge: { customUiPath: FORGE_ROUTES.customUi, remotePath: FORGE_ROUTES.remote },
  createHandler: (tools) =>
    createReferenceHandler({
      // The emulator runs on the developer's machine: development behaviour, asked for (the handler fails closed).
      production: false,
      baseUrl: tools.appUrl,
      databaseUrl: `sqlite:${path.join(tools.dataDir, 'tenants.db')}`,
      // CONNECT_INSTALL_KEYS_URL: the emulator's own key server instead of Atlassian's.
      installKeysUrl: tools.installKeysUrl,
      devFrameAncestors: [tools.emulatorOrigin],
      appHtml: ({ url }) => tools.renderAppHtml(url),
      // Forge mode: the web app as Custom UI, and its remote verifying the emulator's invocation tokens.
      forgeCustomUiHtml: tools.renderForgeHtml,
      forgeRemote: tools.forgeRemote,
      viteMiddleware: tools.viteMiddleware,
      log: tools.log,
    }),
};
