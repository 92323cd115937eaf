/**
 * The learner process's loop: read rewards, apply them, publish a snapshot when due, and only then
 * acknowledge them (so a crash means redelivery, never loss). On abort it publishes what is pending,
 * acknowledges, and returns.
 */
import type { BanditLearner } from "./bandit-learner.js";
import type { RewardSource } from "./reward-source.js";

export interface LearnerLoopOptions {
  /** Stops the loop after the current read (at most `blockMs` later). */
  readonly signal: AbortSignal;
  readonly batchSize?: number;
  readonly blockMs?: number;
  /** Pause after a failed read or publish before trying again. */
  readonly retryMs?: number;
  readonly onPublish?: (version: string, rewards: number) => void;
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
  let unacked: string[] = [];

  // Publishes if due (or forced) and acknowledges what the published snapshot (or nothing) covers.
  const settle = async (force: boolean): Promise<LearnerLoopEnd | undefined> => {
    if (learner.pendingRewards() > 0 && (force || learner.due())) {
      const pending = learner.pendingRewards();
      try {
        const result = await learner.publish();
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
      } catch (err) {
        unacked = ids.concat(unacked);
        options.onError?.(err, "ack");
      }
    }
    return undefined;
  };

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
      learner.apply(entries.map((e) => e.reward));
      for (const e of entries) unacked.push(e.id);
    }
    const end = await settle(false);
    if (end) return end;
  }
  return (await settle(true)) ?? "stopped";
}
