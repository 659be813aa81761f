/** Time and size limits applied to every token. */
export interface TokenPolicy {
  /** allowed clock skew for exp / iat / nbf, seconds (default 30, like ACSB) */
  leewaySeconds?: number;
  /** longest accepted exp - iat, seconds (default 3600; Atlassian's own tokens live 900) */
  maxLifetimeSeconds?: number;
  /** longest accepted token, characters (default 8192) */
  maxTokenLength?: number;
  /** clock, ms since epoch (tests) */
  now?: () => number;
}

export interface ResolvedTokenPolicy {
  leewaySeconds: number;
  maxLifetimeSeconds: number;
  maxTokenLength: number;
  now: () => number;
}

export function resolveTokenPolicy(policy: TokenPolicy = {}): ResolvedTokenPolicy {
  return {
    leewaySeconds: policy.leewaySeconds ?? 30,
    maxLifetimeSeconds: policy.maxLifetimeSeconds ?? 3600,
    maxTokenLength: policy.maxTokenLength ?? 8192,
    now: policy.now ?? Date.now,
  };
}
