/**
 * Where activated policy versions live: every version ever activated (content-addressed, never
 * deleted), which one is active, and the activation history. Redis in production, memory embedded;
 * both pass test/policy/policy-store.contract.ts.
 */

export type PolicySource = "file" | "api" | "rollback";

export interface PolicyActivation {
  readonly version: string;
  /** Epoch ms. */
  readonly activatedAt: number;
  readonly source: PolicySource;
}

export interface PolicyVersionInfo extends PolicyActivation {
  /** The activation fields describe this version's latest activation. */
  readonly active: boolean;
}

export interface StoredPolicy extends PolicyVersionInfo {
  /** The validated document as it was activated (plain JSON data). */
  readonly document: unknown;
}

export interface PolicyStoreState {
  /** Increases with every activation; equal revisions mean nothing was activated in between. */
  readonly revision: number;
  readonly activeVersion: string | undefined;
}

export interface ActivationOutcome {
  readonly revision: number;
  readonly activation: PolicyActivation;
}

/** Activations kept in the history; older ones are trimmed (their documents stay, so rollback works). */
export const POLICY_HISTORY_LIMIT = 10_000;

export interface PolicyStore {
  readonly kind: "memory" | "redis";
  /**
   * Atomically: keeps `document` under `version` (the first copy wins; versions are content hashes),
   * makes it active, records the activation and increments the revision. Activating the active version
   * again records another activation (harmless: the active content is unchanged).
   */
  activate(version: string, document: unknown, source: PolicySource): Promise<ActivationOutcome>;
  /**
   * Makes a stored version active again, recorded with source "rollback". Throws
   * PolicyVersionNotFoundError for a version never activated here.
   */
  rollback(version: string): Promise<ActivationOutcome>;
  /** Revision and active version, read together in one round trip: what replicas poll. */
  state(): Promise<PolicyStoreState>;
  /** One version with its document and latest activation, or undefined when never activated. */
  get(version: string): Promise<StoredPolicy | undefined>;
  /** Activations, newest first (at most POLICY_HISTORY_LIMIT). */
  history(): Promise<PolicyActivation[]>;
  /** One entry per version, ordered by its latest activation, newest first. */
  versions(): Promise<PolicyVersionInfo[]>;
  close(): Promise<void>;
}

/** One entry per version from a newest-first history: the shared logic behind `versions()`. */
export function versionsFromHistory(
  history: readonly PolicyActivation[],
  activeVersion: string | undefined,
): PolicyVersionInfo[] {
  const seen = new Set<string>();
  const out: PolicyVersionInfo[] = [];
  for (const a of history) {
    if (seen.has(a.version)) continue;
    seen.add(a.version);
    out.push({ ...a, active: a.version === activeVersion });
  }
  return out;
}
