/**
 * What-if: runs a draft policy and the current one over the same customers and placements through
 * the real decision pipeline in dry-run mode (no impressions recorded, no counters, no log), and
 * reports the action mix, what each stage removed, expected value, and the difference.
 */

import type { DecisionRecord } from "../decisioning/decision-record.js";
import { decisionRequestSchema } from "../decisioning/decision-request.js";
import type { DecisionService } from "../decisioning/decision-service.js";
import type { Policy } from "../policy/index.js";
import type { SimulatedCustomer } from "./simulation-sample.js";

export interface Placement {
  readonly journey: string;
  readonly step: string;
  readonly channel: string;
}

export interface PolicyOutcome {
  readonly policyVersion: string;
  readonly decisions: number;
  /** Share of decisions that served at least one action. */
  readonly servedShare: number;
  readonly byAction: Record<string, number>;
  readonly byBusinessUnit: Record<string, number>;
  readonly byChannel: Record<string, number>;
  /** stage -> action id -> share of decisions in which that stage removed that action. */
  readonly removed: Record<string, Record<string, number>>;
  /** Mean over decisions of the sum of propensity x value of the served actions (EUR). */
  readonly expectedValuePerDecision: number;
}

export interface SimulationReport {
  readonly decisions: number;
  readonly seconds: number;
  readonly draft: PolicyOutcome;
  readonly current: PolicyOutcome;
  /** draft minus current: action shares and expected value. */
  readonly difference: {
    readonly byAction: Record<string, number>;
    readonly expectedValuePerDecision: number;
  };
}

function outcome(policy: Policy, records: readonly DecisionRecord[]): PolicyOutcome {
  const n = records.length || 1;
  const byAction: Record<string, number> = {};
  const byBusinessUnit: Record<string, number> = {};
  const byChannel: Record<string, number> = {};
  const removed: Record<string, Record<string, number>> = {};
  let served = 0;
  let value = 0;
  for (const r of records) {
    if (r.chosen.length > 0) served++;
    for (const a of r.chosen) {
      byAction[a.actionId] = (byAction[a.actionId] ?? 0) + 1 / n;
      byBusinessUnit[a.businessUnit] = (byBusinessUnit[a.businessUnit] ?? 0) + 1 / n;
      byChannel[r.channel] = (byChannel[r.channel] ?? 0) + 1 / n;
      value += a.propensity * a.value;
    }
    for (const e of r.excluded) {
      removed[e.stage] ??= {};
      const stage = removed[e.stage]!;
      stage[e.actionId] = (stage[e.actionId] ?? 0) + 1 / n;
    }
  }
  return {
    policyVersion: policy.version,
    decisions: records.length,
    servedShare: served / n,
    byAction,
    byBusinessUnit,
    byChannel,
    removed,
    expectedValuePerDecision: value / n,
  };
}

export async function simulatePolicies(
  decisions: DecisionService,
  input: {
    draft: Policy;
    current: Policy;
    customers: readonly SimulatedCustomer[];
    placements: readonly Placement[];
    limit?: number;
  },
): Promise<SimulationReport> {
  const started = performance.now();
  // Both policies meet the same customers at the same placements: score each candidate once.
  const scoreMemo = new Map<string, number>();
  const run = async (policy: Policy) => {
    // Each policy's own bandit settings (algorithm, exploration) over the same learned arms.
    const bandit = decisions.banditFor(policy);
    const records: DecisionRecord[] = [];
    for (const [c, customer] of input.customers.entries()) {
      for (const [p, placement] of input.placements.entries()) {
        const request = decisionRequestSchema.parse({
          customerId: customer.features.customerId,
          ...placement,
          limit: input.limit,
        });
        // The same decision id for both policies: the same exploration draws, so differences are the policy's.
        records.push(
          await decisions.dryRun(request, {
            policy,
            features: customer.features,
            history: customer.history,
            decisionId: `sim-${c}-${p}`,
            scoreMemo,
            bandit,
          }),
        );
      }
    }
    return outcome(policy, records);
  };
  const draft = await run(input.draft);
  const current = await run(input.current);
  const byAction: Record<string, number> = {};
  for (const id of new Set([...Object.keys(draft.byAction), ...Object.keys(current.byAction)])) {
    byAction[id] = (draft.byAction[id] ?? 0) - (current.byAction[id] ?? 0);
  }
  return {
    decisions: draft.decisions + current.decisions,
    seconds: (performance.now() - started) / 1000,
    draft,
    current,
    difference: {
      byAction,
      expectedValuePerDecision: draft.expectedValuePerDecision - current.expectedValuePerDecision,
    },
  };
}
