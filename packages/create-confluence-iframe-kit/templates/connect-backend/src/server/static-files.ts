import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** The built UI's assets (dist/ui/assets/…), nothing outside the folder; index.html only through the /macro route. */
export function serveStaticFiles(folder: string) {
  const root = resolve(folder);
  return async (request: IncomingMessage, response: ServerResponse) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://local').pathname);
    const file = normalize(join(root, path));
    const type = TYPES[extname(file)];
    const found = file.startsWith(root + '/') && type && (await stat(file).catch(() => undefined))?.isFile();
    if (request.method !== 'GET' || !found) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    response.writeHead(200, { 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable' });
    createReadStream(file).pipe(response);
  };
}
