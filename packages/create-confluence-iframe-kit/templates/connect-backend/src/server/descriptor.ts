/** The app's Connect key: Confluence identifies the app by it (the install payload's `key` must match). */
export const APP_KEY = '%APP_KEY%';

/**
 * The Connect descriptor, served at /atlassian-connect.json. `signed-install` makes Confluence sign lifecycle
 * callbacks (RS256, the only kind the kit accepts); `context-qsh` makes the UI's context tokens carry the literal qsh
 * the `context` routes require.
 */
export function buildDescriptor(baseUrl: string) {
  return {
    key: APP_KEY,
    name: '%APP_NAME%',
    description: 'Shows the page it sits on; editors can rename it.',
    vendor: { name: 'Your team', url: 'https://example.com' },
    baseUrl,
    authentication: { type: 'jwt' },
    apiVersion: 1,
    lifecycle: { installed: '/installed', uninstalled: '/uninstalled', enabled: '/enabled', disabled: '/disabled' },
    scopes: ['READ', 'WRITE'],
    apiMigrations: { 'signed-install': true, 'context-qsh': true, gdpr: true },
    modules: {
      dynamicContentMacros: [
        {
          key: 'page-macro',
          name: { value: '%APP_NAME%' },
          description: { value: 'Shows the page it sits on; editors can rename it.' },
          url: '/macro?pageId={page.id}&spaceKey={space.key}',
          outputType: 'block',
          bodyType: 'none',
        },
      ],
    },
  };
}
