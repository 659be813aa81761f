/**
 * The Forge app this Connect app was adopted onto, if any: its id is manifest.yml's `app.id`. With one, the API
 * routes also take Forge Invocation Tokens (`invokeRemote` from Custom UI) and map them to the same tenant.
 */
export const FORGE_APP_ID: string | undefined = undefined;
