/** What Confluence knows about the installed app: the tenant side of the install handshake. */
export interface EmulatedTenant {
  clientKey: string;
  sharedSecret: string;
  /** The emulated product base URL, e.g. http://localhost:5173/wiki. */
  baseUrl: string;
  /** The Forge installation ARI (`ari:cloud:ecosystem::installation/<uuid>`) the install payload and FITs carry. */
  installationId?: string;
}
