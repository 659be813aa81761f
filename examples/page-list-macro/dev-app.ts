import path from 'node:path';
import type { HostedApp } from '../../emulator/node/dev-environment';
import { createReferenceHandler } from './server/index';

/**
 * The page-list macro as the emulator hosts it in development: the reference server (descriptor, lifecycle, JWT-checked
 * module routes, /api/verify, the Forge remote) with the web app's pages served through vite.
 */
export const pageListMacro: HostedApp = {
  pages: {
    connectHtml: 'examples/page-list-macro/web/index.html',
    forgeHtml: 'examples/page-list-macro/web/forge.html',
  },
  createHandler: (tools) =>
    createReferenceHandler({
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
