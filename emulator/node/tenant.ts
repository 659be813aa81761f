/** What Confluence knows about the installed app: the tenant side of the install handshake. */
export interface EmulatedTenant {
  clientKey: string;
  sharedSecret: string;
  /** The emulated product base URL, e.g. http://localhost:5173/wiki. */
  baseUrl: string;
  /** The Forge installation ARI (`ari:cloud:ecosystem::installation/<uuid>`) the install payload and FITs carry. */
  installationId?: string;
  /**
   * The install payload's `oauthClientId`: the `iss` (`urn:atlassian:connect:clientid:<it>`) of the app's JWT bearer
   * grant to act as a user (oauth-server.ts). Optional only in tenants kept by older emulator runs.
   */
  oauthClientId?: string;
}
