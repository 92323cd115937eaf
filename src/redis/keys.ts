/**
 * Every Redis key the service uses, built in one place. Keys carry the customer id as a hash tag so
 * one customer's keys share a Redis Cluster slot and a Lua script may touch them together.
 * The layout is specified in docs/redis-layout.md; change both together.
 */
export const DEFAULT_KEY_PREFIX = "nba:v1";

export interface CustomerKeys {
  /** Hash: bucket aggregates, latest values, last event time. Expires past the horizon. */
  readonly features: string;
  /** Sorted set: event ids seen, scored by minus their event time, for idempotent ingest. Expires with `features`. */
  readonly seenEvents: string;
  /** String: the profile as JSON. No expiry. */
  readonly profile: string;
}

export function customerKeys(prefix: string, customerId: string): CustomerKeys {
  const base = `${prefix}:{${customerId}}`;
  return { features: `${base}:f`, seenEvents: `${base}:ev`, profile: `${base}:p` };
}

/** The policy store's keys. One hash tag `{policy}` puts them in one Cluster slot, so MULTI may span them. */
export interface PolicyKeys {
  /** Hash: version -> validated policy document (JSON). Versions are content hashes; never deleted. */
  readonly documents: string;
  /** List: activation records (JSON `{version, activatedAt, source}`), newest first, capped. */
  readonly history: string;
  /** Hash: version -> its latest activation record (JSON), kept when the history is trimmed. */
  readonly latest: string;
  /** String: the active version. */
  readonly active: string;
  /** String (integer): incremented by every activation; replicas poll it to notice a change. */
  readonly revision: string;
}

export function policyKeys(prefix: string): PolicyKeys {
  const base = `${prefix}:{policy}`;
  return {
    documents: `${base}:docs`,
    history: `${base}:history`,
    latest: `${base}:latest`,
    active: `${base}:active`,
    revision: `${base}:rev`,
  };
}
