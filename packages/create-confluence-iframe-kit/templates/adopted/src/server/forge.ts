/**
 * The Forge app this Connect app was adopted onto: manifest.yml's `app.id` (`forge register` writes your own; keep
 * the two in step). The API routes also take Forge Invocation Tokens (`invokeRemote` from the Custom UI overview
 * page) and map them to the same tenant as the site's Connect install.
 */
export const FORGE_APP_ID: string | undefined = 'ari:cloud:ecosystem::app/00000000-0000-0000-0000-000000000000';
