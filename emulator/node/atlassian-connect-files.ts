import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const require = createRequire(import.meta.url);

/**
 * atlassian-connect-js's dist folder: a copy next to the built command (`dist/emulator/atlassian-connect`, made by
 * emulator/build.mjs, so an installed package needs no dev dependency), else the npm package.
 */
function atlassianConnectDist(): string {
  const copied = fileURLToPath(new URL('./atlassian-connect/', import.meta.url));
  if (existsSync(path.join(copied, 'iframe.js'))) return copied;
  return path.dirname(require.resolve('atlassian-connect-js/dist/iframe.js'));
}
const CDN_URL_DECLARATION = 'var CDN_URL = "https://" + CDN_DOMAIN;';

/** Where every emulator origin serves Atlassian's iframe library: a path all.js recognises for its `data-options`. */
export const ALL_JS_PATH = '/atlassian-connect/all.js';

/**
 * The classic callback form of `AP.request`, as Confluence's production all.js provides it and the npm all.js does
 * not: `AP.request(url, { success, error })` and `AP.request({ url, success, error })`. The npm file sends the
 * options across the bridge as they are, and the bridge drops functions from every message, so without this the
 * callbacks are never called (the promise still settles). Like Confluence's own request plugin it takes the callbacks
 * out before the call crosses, then calls them with jQuery's arguments when the promise settles:
 * `success(responseText, 'success', xhr)` and `error(xhr, 'error', statusText)`, where `xhr` is a plain object with
 * `getResponseHeader` and `getAllResponseHeaders` over the headers the host sent. The trailing-callback form
 * (`AP.request(url, callback)`) is the bridge's own and passes through untouched.
 */
export const REQUEST_CALLBACKS_ADAPTER = `
;(function (AP) {
  // Added by the Confluence emulator (confluence-iframe-kit): AP.request's success/error callbacks.
  if (!AP || typeof AP.request !== 'function') return;
  var bridgedRequest = AP.request;
  function xhrOf(plain) {
    var xhr = plain || {};
    var headers = xhr.headers || {};
    return {
      status: xhr.status || 0,
      statusText: xhr.statusText || '',
      responseText: xhr.responseText || '',
      readyState: 4,
      headers: headers,
      getResponseHeader: function (name) {
        var wanted = String(name).toLowerCase();
        for (var key in headers) {
          if (key.toLowerCase() === wanted) return headers[key];
        }
        return null;
      },
      getAllResponseHeaders: function () {
        return Object.keys(headers).map(function (key) { return key + ': ' + headers[key]; }).join('\\r\\n');
      }
    };
  }
  AP.request = function request(urlOrOptions, options) {
    var lastArgument = arguments[arguments.length - 1];
    if (typeof lastArgument === 'function') return bridgedRequest.apply(AP, arguments);
    var merged = {};
    var given = typeof urlOrOptions === 'string' ? options : urlOrOptions;
    if (typeof urlOrOptions === 'string') merged.url = urlOrOptions;
    for (var name in given || {}) merged[name] = given[name];
    var success = merged.success;
    var error = merged.error;
    if (typeof success !== 'function' && typeof error !== 'function') return bridgedRequest.apply(AP, arguments);
    delete merged.success;
    delete merged.error;
    var pending = bridgedRequest.call(AP, merged);
    pending.then(
      function (response) {
        if (typeof success === 'function') success(response.body, 'success', xhrOf(response.xhr));
      },
      function (failure) {
        if (typeof error !== 'function') return;
        var xhr = xhrOf(failure && failure.xhr);
        error(xhr, 'error', xhr.statusText || (typeof failure === 'string' ? failure : ''));
      }
    );
    return pending;
  };
})(typeof window !== 'undefined' ? window.AP : undefined);
`;

/**
 * all.js links its design-token stylesheets (`/themes/atlaskit-tokens_*.css`, `/surfaces.css`, …) from
 * https://connect-cdn.atl-paas.net when an app turns theming on; the same files ship in the npm package. The one
 * CDN_URL constant is pointed at `cdnBase` (a JavaScript expression) so the emulator works offline. If a future
 * all.js renames the constant it is served with the CDN unchanged, with a warning.
 */
function localiseCdn(source: string, cdnBase: string): string {
  if (!source.includes(CDN_URL_DECLARATION)) {
    console.warn("[emulator] all.js: CDN_URL not found; theme stylesheets will load from Atlassian's CDN");
    return source;
  }
  return source.replace(CDN_URL_DECLARATION, `var CDN_URL = ${cdnBase};`);
}

/**
 * Atlassian's iframe library as the emulator serves it: the npm `dist/iframe.js` unchanged but for its CDN base,
 * followed by the request-callbacks adapter.
 */
export async function emulatedAllJs(cdnBase: string): Promise<string> {
  const source = await readFile(path.join(atlassianConnectDist(), 'iframe.js'), 'utf8');
  return localiseCdn(source, cdnBase) + REQUEST_CALLBACKS_ADAPTER;
}

/**
 * Serves all.js at `/atlassian-connect/all.js` and the CDN stylesheets under `/atlassian-connect/` (only .css files
 * inside the package's dist folder); false for any other path.
 */
export function createAtlassianConnectFiles(allJs: string) {
  const distFolder = atlassianConnectDist();
  return function serve(pathname: string, res: ServerResponse, _req?: IncomingMessage): boolean {
    if (pathname === ALL_JS_PATH) {
      res.setHeader('content-type', 'text/javascript; charset=utf-8');
      res.setHeader('cache-control', 'no-cache');
      res.end(allJs);
      return true;
    }
    const stylesheet = pathname.match(/^\/atlassian-connect\/((?:themes\/)?[a-z0-9_.-]+\.css)$/i)?.[1];
    if (!stylesheet) return false;
    readFile(path.join(distFolder, stylesheet), 'utf8').then(
      (text) => {
        res.setHeader('content-type', 'text/css; charset=utf-8');
        res.setHeader('access-control-allow-origin', '*');
        res.end(text);
      },
      () => {
        res.statusCode = 404;
        res.end();
      },
    );
    return true;
  };
}
