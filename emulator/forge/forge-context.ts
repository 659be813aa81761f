import type { PageContext } from '../host/define-modules';
import type { ForgeFrame } from './host-bridge';

/** The values Forge's `view.getContext()` carries that the emulator has no real source for. */
export const EMULATED_CLOUD_ID = 'emulated-cloud-id';

export interface ForgeContextSource {
  page: PageContext;
  siteUrl: string;
  /** The macro's config as `view.submit({ config })` stored it: its values keep their types. */
  macroConfig: Record<string, unknown>;
  colorMode: 'light' | 'dark';
  timezone: string;
}

/**
 * `view.getContext()` as a Confluence Custom UI module gets it: the user and site, and under `extension` the
 * module's place (content, space), a macro's `config` (its parameters), a modal's opener data.
 */
export function forgeContext(
  frame: Pick<ForgeFrame, 'kind' | 'moduleKey' | 'modal' | 'moduleType'>,
  source: ForgeContextSource,
): Record<string, unknown> {
  const { page } = source;
  const content = { id: page.pageId, type: 'page' };
  const space = { id: page.spaceId, key: page.spaceKey };
  const place = { content, space };
  // A manifest module says what it is: a global page has no place, a space page only its space.
  const pageExtensions: Record<string, Record<string, unknown>> = {
    'confluence:globalPage': { type: 'confluence:globalPage' },
    'confluence:spacePage': { type: 'confluence:spacePage', space },
    'confluence:contentBylineItem': { type: 'confluence:contentBylineItem', ...place },
  };
  const extensionOf = (kind: ForgeFrame['kind'], moduleType: string | undefined): Record<string, unknown> =>
    kind === 'page'
      ? { ...(pageExtensions[moduleType ?? ''] ?? { type: 'confluence:spacePage', ...place }) }
      : {
          type: 'macro',
          ...place,
          config: structuredClone(source.macroConfig),
          // The emulated page shows macros as viewed; the config view is the editor's.
          isEditing: kind === 'config',
          ...(kind === 'config' && {
            isConfig: true,
            // A macro with no config saved yet is being inserted; one with a config, edited.
            macro: { isConfiguring: true, isInserting: Object.keys(source.macroConfig).length === 0 },
          }),
        };
  // A Modal reports the module that opened it (a global page's modal is a global page's), plus its opener data.
  // One the emulator's module choice opened has no opener: it answers as a macro's, as before.
  const opener = frame.kind === 'dialog' ? frame.modal?.opener : undefined;
  const extension = opener ? extensionOf(opener.kind, opener.moduleType) : extensionOf(frame.kind, frame.moduleType);
  if (frame.kind === 'dialog') extension.modal = frame.modal?.context;
  return {
    // An anonymous viewer has no accountId; an inactive licence shows as `license.isActive: false`.
    ...(page.viewer
      ? { accountId: page.viewer.accountId, license: { isActive: page.viewer.licenceActive } }
      : { accountId: page.accountId }),
    cloudId: EMULATED_CLOUD_ID,
    siteUrl: source.siteUrl,
    localId: page.macroId,
    moduleKey: frame.moduleKey,
    environmentId: 'emulated-environment',
    environmentType: 'DEVELOPMENT',
    locale: navigator.language,
    timezone: source.timezone,
    theme: { colorMode: source.colorMode },
    extension,
  };
}
