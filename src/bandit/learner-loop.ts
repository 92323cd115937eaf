/**
 * The learner process's loop: read rewards, apply them, publish a snapshot when due, and only then
 * acknowledge them (so a crash means redelivery, never loss). Every snapshot records the ids it
 * includes that are not acknowledged yet; a learner resuming from it passes them as `alreadyApplied`:
 * they are acknowledged first and, if delivered anyway, acknowledged without being applied. So a
 * crash between a publish and its acknowledgement applies no reward twice (exactly once). On abort
 * it publishes what is pending, acknowledges, and returns.
 */
import type { JoinedReward } from "../decisioning/decision-record.js";
import type { BanditLearner } from "./bandit-learner.js";
import type { RewardSource } from "./reward-source.js";

export interface LearnerLoopOptions {
  /** Stops the loop after the current read (at most `blockMs` later). */
  readonly signal: AbortSignal;
  readonly batchSize?: number;
  readonly blockMs?: number;
  /** Pause after a failed read or publish before trying again. */
  readonly retryMs?: number;
  /**
   * Ids of reward entries the snapshot this learner resumed from already includes (its `unacked`
   * list): acknowledged before anything else, and never applied again if delivered.
   */
  readonly alreadyApplied?: readonly string[];
  readonly onPublish?: (version: string, rewards: number) => void;
  /**
   * Hears entries delivered again that are already in the bandit (the resumed snapshot's, or
   * delivered earlier and not acknowledged yet): they are acknowledged, never applied twice.
   */
  readonly onAlreadyApplied?: (ids: readonly string[]) => void;
  readonly onError?: (err: unknown, during: "read" | "publish" | "ack") => void;
}

export type LearnerLoopEnd = "stopped" | "superseded";

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Runs until `signal` aborts ("stopped") or another learner publishes a higher snapshot counter
 * ("superseded": two learners on one lineage; this one stops without acknowledging).
 */
export async function runLearnerLoop(
  source: RewardSource,
  learner: BanditLearner,
  options: LearnerLoopOptions,
): Promise<LearnerLoopEnd> {
  const { signal } = options;
  const retryMs = options.retryMs ?? 1_000;
  // Delivered (applied, skipped or already applied) and not yet acknowledged, in delivery order.
  // Starts with what the resumed snapshot includes: the first settle acknowledges them.
  let unacked: string[] = [...(options.alreadyApplied ?? [])];
  // The same ids as a set: every one is already in the bandit (or was skipped), so a delivery of one
  // (after a failed acknowledgement, or a source handing back an entry it thinks is stale) is
  // acknowledged with the others and never applied again.
  const held = new Set(unacked);

  // Publishes if due (or forced) and acknowledges what the published snapshot (or nothing) covers.
  const settle = async (force: boolean): Promise<LearnerLoopEnd | undefined> => {
    if (learner.pendingRewards() > 0 && (force || learner.due())) {
      const pending = learner.pendingRewards();
      try {
        const result = await learner.publish(unacked);
        if (result && !result.published) return "superseded";
        if (result?.published) options.onPublish?.(result.version, pending);
      } catch (err) {
        options.onError?.(err, "publish");
        await sleep(retryMs, signal);
        return undefined;
      }
    }
    // Nothing learned is unpublished: every delivered entry is in a snapshot or was skipped.
    if (learner.pendingRewards() === 0 && unacked.length > 0) {
      const ids = unacked;
      unacked = [];
      try {
        await source.ack(ids);
        for (const id of ids) held.delete(id);
      } catch (err) {
        unacked = ids.concat(unacked);
        options.onError?.(err, "ack");
      }
    }
    return undefined;
  };

  // Acknowledge what the resumed snapshot already holds before reading anything.
  await settle(false);
  while (!signal.aborted) {
    let entries: Awaited<ReturnType<RewardSource["read"]>>;
    try {
      // Never block past the moment pending rewards are due for publication.
      // (At least 1 ms: a Redis stream read with BLOCK 0 would wait forever.)
      const block = Math.max(1, Math.min(options.blockMs ?? 1_000, learner.msUntilDue()));
      entries = await source.read(options.batchSize ?? 500, block);
    } catch (err) {
      options.onError?.(err, "read");
      await sleep(retryMs, signal);
      continue;
    }
    if (entries.length > 0) {
      const fresh: JoinedReward[] = [];
      const again: string[] = [];
      for (const e of entries) {
        if (held.has(e.id)) {
          again.push(e.id);
        } else {
          held.add(e.id);
          unacked.push(e.id);
          fresh.push(e.reward);
        }
      }
      if (again.length > 0) options.onAlreadyApplied?.(again);
      learner.apply(fresh);
    }
    const end = await settle(false);
    if (end) return end;
  }
  return (await settle(true)) ?? "stopped";
}
