/** Paths of the reference server, relative to the app baseUrl. The descriptor and the router both read these. */
export const ROUTES = {
  descriptor: '/atlassian-connect.json',
  installed: '/installed',
  uninstalled: '/uninstalled',
  enabled: '/enabled',
  disabled: '/disabled',
  macro: '/macro',
  macroEditor: '/macro-editor',
  page: '/page',
  dialog: '/dialog',
  verify: '/api/verify',
  /** who called: a Connect context token or, once the app runs on Forge too, a Forge Invocation Token */
  caller: '/api/caller',
  healthz: '/healthz',
} as const;

/** This example app's descriptor key (not a library default: every app names its own). */
export const PAGE_LIST_MACRO_APP_KEY = 'com.example.confluence-iframe-kit-demo';

export interface DescriptorOptions {
  key: string;
  name: string;
  baseUrl: string;
  scopes: readonly string[];
}

/**
 * The Connect descriptor, generated from config. `signed-install` makes Confluence sign every lifecycle event
 * RS256 (the only kind this server accepts); `context-qsh` makes `AP.context.getToken()` tokens carry the
 * literal qsh our context routes require. The module URLs carry the context their iframe needs.
 */
export function buildDescriptor(options: DescriptorOptions) {
  return {
    key: options.key,
    name: options.name,
    description: 'Reference app server of confluence-iframe-kit: verified iframes, context tokens and signed installs.',
    vendor: { name: 'confluence-iframe-kit', url: 'https://github.com/' },
    baseUrl: options.baseUrl,
    authentication: { type: 'jwt' },
    apiVersion: 1,
    lifecycle: {
      installed: ROUTES.installed,
      uninstalled: ROUTES.uninstalled,
      enabled: ROUTES.enabled,
      disabled: ROUTES.disabled,
    },
    scopes: [...options.scopes],
    apiMigrations: { 'signed-install': true, 'context-qsh': true, gdpr: true },
    modules: {
      dynamicContentMacros: [
        {
          key: 'page-list-macro',
          name: { value: 'Page list' },
          description: { value: 'Lists pages of the current space.' },
          url:
            `${ROUTES.macro}?pageId={page.id}&pageVersion={page.version}&spaceKey={space.key}` +
            '&macroId={macro.id}&outputType={output.type}&title={title}&limit={limit}',
          outputType: 'block',
          bodyType: 'none',
          parameters: [
            { identifier: 'title', name: { value: 'Title' }, type: 'string', required: false },
            {
              identifier: 'limit',
              name: { value: 'Number of pages' },
              type: 'int',
              required: false,
              defaultValue: '10',
            },
          ],
          // Replaces Confluence's generated parameter form. The demo editor reads the values with
          // AP.confluence.getMacroData; the URL carries them as well, for an editor rendered on the server.
          editor: {
            url: `${ROUTES.macroEditor}?pageId={page.id}&spaceKey={space.key}&macroId={macro.id}&title={title}&limit={limit}`,
            editTitle: { value: 'Edit page list' },
            insertTitle: { value: 'Insert page list' },
            width: '480px',
            height: '260px',
          },
        },
      ],
      // Opened by the app itself with AP.dialog.create({ key }); `options` are the defaults that call overrides.
      dialogs: [
        {
          key: 'page-review-dialog',
          name: { value: 'Page review' },
          url: `${ROUTES.dialog}?pageId={page.id}&spaceKey={space.key}`,
          options: { size: 'medium', chrome: false, header: { value: 'Review page' } },
        },
      ],
      generalPages: [
        {
          key: 'page-browser',
          name: { value: 'Page browser' },
          url: `${ROUTES.page}?spaceKey={space.key}&pageId={page.id}`,
          location: 'system.header/left',
        },
      ],
    },
  };
}
