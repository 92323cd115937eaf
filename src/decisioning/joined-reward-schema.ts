/**
 * A joined reward as the learner reads it from the reward stream: checked, because the stream is
 * shared Redis state that anything with access can write to, and the learner must not crash on it.
 */
import { z } from "zod";
import { MAX_ID_LENGTH } from "../policy/policy-schema.js";
import type { JoinedReward } from "./decision-record.js";

const text = z.string().min(1, "must not be empty");

export const joinedRewardSchema: z.ZodType<JoinedReward> = z.object({
  decisionId: text,
  // Longer than any policy allows: the learner would publish a snapshot no replica accepts.
  actionId: text.max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`),
  reward: z.number().finite(),
  outcome: z.string().optional(),
  source: z.enum(["api", "default"]),
  probability: z.number().min(0, "must be in [0, 1]").max(1, "must be in [0, 1]"),
  banditContext: z.array(z.number().finite()),
  prior: z.number().finite(),
  algorithm: z.string(),
  snapshotVersion: z.string(),
  customerId: text,
  joinedAt: z.number().finite(),
});
