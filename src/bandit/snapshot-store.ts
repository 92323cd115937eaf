/**
 * Where the learner publishes bandit snapshots and replicas find them. A store keeps only the latest
 * snapshot, and refuses one whose counter is not above the stored one's, so a stale learner can
 * never roll replicas back. Stores keep snapshot text as given; validation is the reader's job
 * (`decodeSnapshot`).
 */
import type { EncodedSnapshot } from "./bandit-snapshot.js";

export type PublishResult =
  | { readonly published: true; readonly version: string }
  /** A snapshot with the same or a higher counter is already there. */
  | { readonly published: false; readonly current: string };

export interface SnapshotStore {
  readonly kind: "memory" | "redis";
  /** Stores `snapshot` when its counter is above the stored one's (atomically). */
  publish(snapshot: EncodedSnapshot): Promise<PublishResult>;
  /** The latest version id, or undefined when nothing was published. Cheap: replicas poll it. */
  latestVersion(): Promise<string | undefined>;
  /** The latest snapshot text with its version id, or undefined. */
  latest(): Promise<{ readonly version: string; readonly text: string } | undefined>;
  close(): Promise<void>;
}

/** The counter at the front of a version id (`<counter>-<hash>`); 0 when it has none. */
export function versionCounter(version: string | undefined): number {
  const match = version ? /^(\d+)-/.exec(version) : null;
  return match ? Number(match[1]) : 0;
}
