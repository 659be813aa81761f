/**
 * Development (`npm run dev` starts it): the backend with Vite in middleware mode, so the macro's UI reloads on every
 * change (HMR) while its page still comes through the JWT-verified /macro route.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createNodeHandler } from 'confluence-iframe-kit/server';
import { createServer as createViteServer } from 'vite';
import { createApp } from './app';
import { readConfig } from './config';

const config = await readConfig(true);
const server = createServer();
const vite = await createViteServer({ server: { middlewareMode: true, hmr: { server } }, appType: 'custom' });
const app = createApp({
  ...config,
  development: true,
  pageHtml: async (allJsUrl) => {
    const html = await readFile('index.html', 'utf8');
    return vite.transformIndexHtml('/macro', html.replace('<!-- all.js -->', `<script src="${allJsUrl}"></script>`));
  },
});
server.on('request', createNodeHandler(app, { fallback: vite.middlewares }));
server.listen(config.port, () => console.log(`App: ${config.baseUrl}/atlassian-connect.json`));
