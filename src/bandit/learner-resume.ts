/**
 * How a learner process starts: from the latest snapshot in the store when its context schema is the
 * encoder's and its arm model (scorer) is the policy's (continuing its counter, and with the ids of
 * the reward entries it already includes but never acknowledged), otherwise cold with the policy's settings (continuing the counter, so the
 * replicas accept what it publishes).
 */
import type { BanditConfig } from "./bandit.js";
import { BanditLearner, type BanditLearnerOptions } from "./bandit-learner.js";
import { decodeSnapshot } from "./bandit-snapshot.js";
import { createBandit, fromSnapshot } from "./create-bandit.js";
import type { SnapshotStore } from "./snapshot-store.js";

export interface ResumedLearner {
  readonly learner: BanditLearner;
  /** Pass to `runLearnerLoop` as `alreadyApplied`: entries the resumed snapshot includes, unacknowledged. */
  readonly alreadyApplied: readonly string[];
  /** Version of the snapshot resumed from; undefined for a cold start. */
  readonly resumedFrom: string | undefined;
  /** Set when a snapshot exists but was not resumed (another context schema or arm model). */
  readonly discarded: string | undefined;
  readonly config: BanditConfig;
}

export async function resumeLearner(
  store: SnapshotStore,
  contextSchema: string,
  /** The cold-start configuration (the policy's bandit settings); read only when needed. */
  coldConfig: () => BanditConfig | Promise<BanditConfig>,
  options: Omit<BanditLearnerOptions, "store" | "startCounter"> = {},
): Promise<ResumedLearner> {
  const latest = await store.latest();
  const decoded = latest ? decodeSnapshot(latest.text) : undefined;
  // The policy's arm model (ridge or logistic) decides whether the snapshot's state can be continued:
  // the two keep different quantities in the same arrays, so a switch starts cold.
  const cold = decoded ? await coldConfig() : undefined;
  if (
    decoded &&
    cold &&
    decoded.state.config.contextSchema === contextSchema &&
    decoded.state.config.scorer === cold.scorer
  ) {
    const learner = new BanditLearner(fromSnapshot(decoded.state), {
      ...options,
      store,
      startCounter: decoded.counter,
    });
    return {
      learner,
      alreadyApplied: decoded.unacked,
      resumedFrom: decoded.version,
      discarded: undefined,
      config: decoded.state.config,
    };
  }
  const config = cold ?? (await coldConfig());
  // A snapshot over another schema is dropped: its rewards are learned again by the cold model if
  // they are redelivered, which counts nothing twice in the model that serves.
  const learner = new BanditLearner(createBandit(config), {
    ...options,
    store,
    startCounter: decoded?.counter ?? 0,
  });
  return { learner, alreadyApplied: [], resumedFrom: undefined, discarded: decoded?.version, config };
}
