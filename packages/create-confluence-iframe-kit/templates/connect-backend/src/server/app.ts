import {
  createConnectApp,
  defineRoute,
  jsonResponse,
  type ConnectAppConfig,
  type InstallKeyProvider,
  type TenantStore,
  type VerifyForgeInvocationOptions,
} from 'confluence-iframe-kit/server';
import { APP_KEY, buildDescriptor } from './descriptor';

/** Confluence's CDN copy of all.js, the script every Connect iframe loads. */
const CDN_ALL_JS = 'https://connect-cdn.atl-paas.net/all.js';

export interface AppOptions {
  /** where Confluence reaches this app: the descriptor's baseUrl, an install's `aud` */
  baseUrl: string;
  tenants: TenantStore;
  /** your machine and the emulator: http, localhost, the emulator's install keys; never in production */
  development: boolean;
  /** where install keys are fetched (the emulator prints its own); default Atlassian's */
  installKeysUrl?: string;
  /** tests hand over their own key server */
  installKeys?: InstallKeyProvider;
  /** an app adopted onto Forge: verify its Forge Invocation Tokens (src/server/forge.ts) */
  forge?: VerifyForgeInvocationOptions | undefined;
  /** the module page's HTML, given the all.js URL it must load */
  pageHtml: (allJsUrl: string) => string | Promise<string>;
}

/**
 * The backend: the descriptor, the lifecycle routes (built into createConnectApp: signed installs only), the
 * macro's page (an iframe JWT, its qsh checked) and one API route the UI calls with a context token (useAppFetch),
 * or, for an app adopted onto Forge, with a Forge Invocation Token: either maps to the same installed tenant.
 */
export function createApp(options: AppOptions) {
  const config: ConnectAppConfig = {
    appKey: APP_KEY,
    baseUrl: options.baseUrl,
    tenants: options.tenants,
    development: options.development,
    ...(options.installKeysUrl ? { installKeysUrl: options.installKeysUrl } : {}),
    ...(options.installKeys ? { installKeys: options.installKeys } : {}),
    ...(options.forge ? { forge: options.forge } : {}),
    routes: [
      {
        method: 'GET',
        path: '/atlassian-connect.json',
        auth: 'none',
        handle: () => jsonResponse(200, buildDescriptor(options.baseUrl)),
      },
      {
        method: 'GET',
        path: '/macro',
        auth: 'iframe',
        handle: async ({ caller }) => {
          const site = caller.baseUrl; // the verified tenant's site, e.g. https://your-site.atlassian.net/wiki
          // Confluence (and the emulator) serve all.js under the site too; offline development needs that copy.
          const allJs = options.development ? `${site}/atlassian-connect/all.js` : CDN_ALL_JS;
          return {
            status: 200,
            headers: {
              'content-type': 'text/html; charset=utf-8',
              // Only the site that installed the app may frame the page; the URL carries a JWT, so no referrer.
              'content-security-policy': `frame-ancestors ${new URL(site).origin}`,
              'referrer-policy': 'no-referrer',
              'cache-control': 'no-store',
            },
            body: await options.pageHtml(allJs),
          };
        },
      },
      // defineRoute types `caller` for an `auth` that is not one literal (TypeScript cannot narrow it inline).
      defineRoute({
        method: 'GET',
        path: '/api/viewer',
        auth: options.forge ? ['context', 'forge'] : 'context',
        handle: ({ caller }) =>
          jsonResponse(200, { accountId: caller.accountId ?? null, site: caller.baseUrl, via: caller.via }),
      }),
    ],
  };
  return createConnectApp(config);
}
