/**
 * Production: `npm run build`, then `npm start` with NODE_ENV=production, an https BASE_URL and TENANT_SECRET_KEY.
 * Serves the built UI (dist/ui) and the backend from one node:http server.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createNodeHandler } from 'confluence-iframe-kit/server';
import { createApp } from './app';
import { readConfig } from './config';
import { serveStaticFiles } from './static-files';

const UI_DIR = 'dist/ui';
const config = await readConfig(false);
const template = await readFile(`${UI_DIR}/index.html`, 'utf8');
const app = createApp({
  ...config,
  development: false,
  pageHtml: (allJsUrl) => template.replace('<!-- all.js -->', `<script src="${allJsUrl}"></script>`),
});
createServer(createNodeHandler(app, { fallback: serveStaticFiles(UI_DIR) })).listen(config.port, () => {
  console.log(`Listening on ${config.port}; descriptor: ${config.baseUrl}/atlassian-connect.json`);
});
