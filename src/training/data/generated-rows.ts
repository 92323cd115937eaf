/**
 * Point-in-time training rows from an event log: the label time of each row, its outcome, and the
 * feature vector as the online store would have answered just before that time. Features come
 * from `buildPointInTimeFeatures`, the function the feature stores share, so training never
 * re-implements a feature, and no event at or after a row's time reaches its features.
 */
import type { BehaviourEvent } from "../../features/event-schema.js";
import type { FeaturePlan } from "../../features/feature-plan.js";
import { buildPointInTimeFeatures } from "../../features/point-in-time-builder.js";
import type { CustomerProfile } from "../../features/profile-schema.js";
import type { CustomerTruth, OfferRecord, Progress } from "../../generator/index.js";
import { ACTION_CATALOGUE } from "../../generator/index.js";

/** One labelled decision: who, when (epoch ms), what happened, and the generator's true probability. */
export interface LabelledDecision {
  readonly customerId: string;
  readonly time: number;
  readonly label: 0 | 1;
  readonly truth: number;
  /** Propensity rows only: the action shown and where. */
  readonly action?: { readonly actionId: string; readonly businessUnit: string; readonly channel: string };
}

const DAY_MS = 86_400_000;
/** Days the churn label looks ahead, and the full history a snapshot needs (the 30-day windows). */
export const CHURN_WINDOW_DAYS = 30;
/** Days between two earlier label times. */
export const CHURN_SNAPSHOT_STEP_DAYS = 7;

/**
 * Earlier label times for a time split of churn: T - 30 days, then every 7 days back, as long as a
 * snapshot still has 30 days of history after `start`. Each label window (T_k, T_k + 30d] ends by
 * T, so every training label is known when the test rows (at T) are scored.
 */
export function earlierLabelTimes(labelTime: number, start: number): number[] {
  const times: number[] = [];
  for (
    let t = labelTime - CHURN_WINDOW_DAYS * DAY_MS;
    t >= start + CHURN_WINDOW_DAYS * DAY_MS;
    t -= CHURN_SNAPSHOT_STEP_DAYS * DAY_MS
  )
    times.push(t);
  return times;
}

/**
 * Churn rows: every customer still active at their label time T, labelled "churned in (T, T+30d]".
 * Customers gone by T are not in the population (nobody would score them). With `earlier` label
 * times (for a time split), each also gets the customers active then, labelled "churned in
 * (T_k, T_k+30d]" from `churnedAt`; the generator only records its true probability at T, so
 * those rows have none (NaN), and they come first, oldest first.
 */
export function churnDecisions(
  customers: readonly CustomerTruth[],
  earlier: readonly number[] = [],
): LabelledDecision[] {
  const past = [...earlier]
    .sort((a, b) => a - b)
    .flatMap((t) =>
      customers
        .filter((c) => c.churnedAt === null || c.churnedAt > t)
        .map((c) => ({
          customerId: c.customerId,
          time: t,
          label: (c.churnedAt !== null && c.churnedAt <= t + CHURN_WINDOW_DAYS * DAY_MS ? 1 : 0) as 0 | 1,
          truth: Number.NaN,
        })),
    );
  const now = customers
    .filter((c) => c.activeAtLabelTime)
    .map((c) => ({
      customerId: c.customerId,
      time: c.labelTime,
      label: (c.churnedInLabelWindow ? 1 : 0) as 0 | 1,
      truth: c.churnProbability ?? Number.NaN,
    }));
  return [...past, ...now];
}

/** Propensity rows: every offer impression, labelled by whether it was accepted. */
export function propensityDecisions(offers: readonly OfferRecord[]): LabelledDecision[] {
  return offers.map((o) => ({
    customerId: o.customerId,
    time: o.timestamp,
    label: o.accepted ? 1 : 0,
    truth: o.acceptProbability,
    action: { actionId: o.actionId, businessUnit: o.businessUnit, channel: o.channel },
  }));
}

/** How far building a training set has come: customers simulated (a sample), then feature rows. */
export interface DataProgress {
  readonly phase: Progress["phase"] | "features";
  readonly done: number;
  readonly total: number;
}

/**
 * Feature vectors (in `plan.names` order) as of each decision, from events strictly before it.
 * The shared builder counts events at or before its as-of instant, so it is asked at `time - 1` ms:
 * that drops the impression being labelled (and anything logged at the same instant) while moving
 * window edges by one millisecond only.
 *
 * The builder is called on chunks of whole customers, each with only those customers' events in
 * log order (so it deduplicates and orders them exactly as in one call), to report progress: on
 * 100k customers this is minutes of work.
 */
export function featuresBefore(
  plan: FeaturePlan,
  events: Iterable<BehaviourEvent>,
  decisions: readonly LabelledDecision[],
  profiles: ReadonlyMap<string, CustomerProfile>,
  onProgress?: (p: DataProgress) => void,
): Float64Array[] {
  const total = decisions.length;
  const rowsOf = new Map<string, number[]>();
  decisions.forEach((d, i) => {
    const own = rowsOf.get(d.customerId);
    if (own) own.push(i);
    else rowsOf.set(d.customerId, [i]);
  });
  const eventsOf = new Map<string, BehaviourEvent[]>();
  for (const e of events) {
    if (!rowsOf.has(e.customerId)) continue;
    const own = eventsOf.get(e.customerId);
    if (own) own.push(e);
    else eventsOf.set(e.customerId, [e]);
  }
  const out: Float64Array[] = new Array(total);
  // About a hundred reports on a big set, without many tiny builder calls on a small one.
  const chunkRows = Math.max(256, Math.ceil(total / 100));
  let done = 0;
  let rows: number[] = [];
  let chunkEvents: BehaviourEvent[] = [];
  const flush = () => {
    const asked = rows.map((i) => ({ customerId: decisions[i]!.customerId, asOf: decisions[i]!.time - 1 }));
    const built = buildPointInTimeFeatures(plan, chunkEvents, asked, profiles);
    rows.forEach((i, k) => {
      out[i] = built[k]!.vector;
    });
    done += rows.length;
    rows = [];
    chunkEvents = [];
    onProgress?.({ phase: "features", done, total });
  };
  for (const [customerId, own] of rowsOf) {
    for (const i of own) rows.push(i);
    for (const e of eventsOf.get(customerId) ?? []) chunkEvents.push(e);
    if (rows.length >= chunkRows) flush();
  }
  if (rows.length > 0) flush();
  return out;
}

/** Catalogue value (EUR) of each action, an action feature that generalises to new actions. */
export const ACTION_VALUE: ReadonlyMap<string, number> = new Map(
  ACTION_CATALOGUE.map((a) => [a.id, a.value]),
);

/** Names of the action inputs of the propensity model, beside the customer features. */
export const ACTION_INPUTS = {
  numeric: ["actionValue"],
  categorical: ["actionId", "businessUnit", "channel"],
} as const;
