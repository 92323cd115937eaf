/**
 * Targets (b) and (c): a bandit replayed over the logged contexts and candidates. For each row the
 * bandit module's own `choose` gives P(first) for every arm (exact for epsilon-greedy, LinUCB and
 * softmax; Thompson's is counted over its posterior draws); the row's logged action and reward then
 * update the bandit when `learn` is on. Arms carry the logged priors and, in order of preference,
 * the policy's arbitration multipliers, the logged ones, or 1.
 */
import {
  type Arm,
  type Bandit,
  type BanditConfig,
  banditConfigFromPolicy,
  createBandit,
  DEFAULT_THOMPSON_DRAWS,
  type ExplorationParams,
  fromSnapshot,
} from "../bandit/index.js";
import type { Policy } from "../policy/index.js";
import { createRandom } from "../random/seeded-random.js";
import type { LoggedDecision, RowIssue } from "./logged-decision.js";
import { OpeInputError } from "./ope-input-error.js";
import { approximatedContextWeights, groupLimitsOf, policyArms } from "./policy-arms.js";
import type { Target, TargetDistributions } from "./target.js";

type ReplayTarget = Extract<Target, { kind: "bandit" } | { kind: "policy" }>;

export function describeExploration(e: ExplorationParams): string {
  switch (e.algorithm) {
    case "thompson":
      return `thompson (posterior scale ${e.posteriorScale}, ${e.draws} draws)`;
    case "linucb":
      return `linucb (alpha ${e.alpha}, epsilon ${e.epsilon})`;
    case "epsilon_greedy":
      return e.epsilon === 0 ? "greedy (epsilon 0)" : `epsilon_greedy (epsilon ${e.epsilon})`;
    case "softmax":
      return `softmax (temperature ${e.temperature})`;
  }
}

function configOf(target: ReplayTarget, dim: number): BanditConfig {
  const snap = target.snapshot?.config;
  if (snap && snap.contextDim !== dim)
    throw new OpeInputError(
      `the snapshot's context has ${snap.contextDim} dimensions, the log's rows have ${dim}`,
    );
  const schema = snap?.contextSchema ?? `ope-replay-d${dim}`;
  let exploration: ExplorationParams;
  let ridge: number;
  if (target.kind === "policy") {
    const fromPolicy = banditConfigFromPolicy(target.policy.document.bandit, { dim, schema });
    exploration = target.greedy
      ? { algorithm: "epsilon_greedy", epsilon: 0 }
      : (target.exploration ?? fromPolicy.exploration);
    ridge = snap?.ridge ?? fromPolicy.ridge;
  } else {
    exploration = target.exploration;
    ridge = target.ridge ?? snap?.ridge ?? 1;
  }
  if (exploration.algorithm === "thompson" && !(exploration.draws >= 1))
    exploration = { ...exploration, draws: DEFAULT_THOMPSON_DRAWS };
  const scorer = snap?.scorer ?? (target.kind === "bandit" ? (target.scorer ?? "ridge") : "ridge");
  return { exploration, scorer, ridge, contextDim: dim, contextSchema: schema };
}

export function replayBandit(
  rows: readonly LoggedDecision[],
  target: ReplayTarget,
  seed: number,
): TargetDistributions {
  const dim = rows[0]?.x.length ?? 0;
  const config = configOf(target, dim);
  const bandit: Bandit = target.snapshot ? fromSnapshot(target.snapshot, config) : createBandit(config);
  const policy: Policy | undefined = target.policy;
  if (policy && rows.some((r) => !r.placement))
    throw new OpeInputError(
      "a policy target needs the service's decision export (journey, step, channel and priors per decision)",
    );
  const meanReward = rows.reduce((s, r) => s + r.reward, 0) / Math.max(1, rows.length);
  const defaultPrior = target.defaultPrior ?? Math.min(0.999, Math.max(0.001, meanReward));
  const groupLimits = policy ? groupLimitsOf(policy) : undefined;
  const rng = createRandom(seed).fork("ope-replay");

  const probabilities: (Float64Array | undefined)[] = [];
  const unevaluated: RowIssue[] = [];
  let noPriors = 0;
  let unitMultipliers = 0;
  let dropped = 0;
  let rowsWithAdded = 0;
  const added = new Set<string>();
  const outOfRange = rows.some((r) => r.reward < 0 || r.reward > 1);

  for (const row of rows) {
    const priors = row.priors ?? new Float64Array(row.candidates.length).fill(defaultPrior);
    if (!row.priors) noPriors++;
    let arms: Arm[];
    let positions: number[];
    if (policy) {
      const p = policyArms(policy, row, priors);
      arms = p.arms;
      positions = p.positions;
      if (p.dropped > 0) dropped++;
      if (p.added.length > 0) rowsWithAdded++;
      for (const a of p.added) added.add(a);
    } else {
      if (!row.multipliers) unitMultipliers++;
      arms = row.candidates.map((actionId, k) => ({
        actionId,
        prior: priors[k]!,
        multiplier: row.multipliers ? row.multipliers[k]! : 1,
      }));
      positions = arms.map((_, k) => k);
    }
    if (arms.length === 0) {
      probabilities.push(undefined);
      unevaluated.push({ line: row.line, reason: "the policy ranks none of the logged candidates" });
    } else {
      const choice = bandit.choose(row.x, arms, rng, groupLimits ? { groupLimits } : {});
      const pi = new Float64Array(row.candidates.length);
      positions.forEach((k, j) => {
        pi[k] = choice.probabilities[j]!;
      });
      probabilities.push(pi);
    }
    if (target.learn) bandit.learn(row.x, row.candidates[row.action]!, priors[row.action]!, row.reward);
  }

  const notes: string[] = [];
  const warnings: string[] = [];
  const n = rows.length;
  const start = target.snapshot ? "from the given snapshot" : "cold (every arm starts at its prior)";
  const algorithm = describeExploration(config.exploration);
  const description =
    target.kind === "policy"
      ? `draft policy ${target.policy.name} (${target.policy.version}) with ${algorithm}, ${start}`
      : `${algorithm} replayed ${start}${policy ? `, arbitration factors of policy ${policy.name} (${policy.version})` : ""}`;
  notes.push(
    target.learn
      ? "the replayed bandit learns from each logged outcome after scoring its row (a policy that learns from this log, not the one that would have run online)"
      : "the replayed bandit is frozen: it does not learn during the replay",
  );
  if (config.exploration.algorithm === "thompson")
    notes.push(
      `Thompson P(first) is counted over ${config.exploration.draws} posterior draws per row (standard error up to ${(0.5 / Math.sqrt(config.exploration.draws)).toFixed(3)})`,
    );
  if (noPriors > 0)
    notes.push(
      `${noPriors} of ${n} rows have no logged priors: their arms start at ${defaultPrior.toFixed(4)}`,
    );
  if (!policy && unitMultipliers > 0)
    notes.push(
      rows.some((r) => r.placement)
        ? `${unitMultipliers} of ${n} rows lack the arbitration multiplier of some candidate (the log explains served actions only): those rows rank by P(accept) alone; pass a policy for its arbitration factors`
        : "a generic log has no arbitration multipliers: arms rank by P(accept) alone (multiplier 1)",
    );
  if (policy) {
    notes.push(
      "the draft's eligibility rules are not re-run (features and profile are not logged): the logged eligibility and contact-policy exclusions stand",
    );
    const approximated = approximatedContextWeights(policy);
    if (approximated.length > 0)
      notes.push(
        `context weights reading features, profile or the churn score are evaluated with those missing (their rule's default applies): ${approximated.join("; ")}`,
      );
    if (dropped > 0) notes.push(`in ${dropped} of ${n} rows the draft drops some logged candidates`);
    if (rowsWithAdded > 0)
      warnings.push(
        `in ${rowsWithAdded} of ${n} rows the draft would also rank actions that were never logged candidates there (${[...added].slice(0, 8).join(", ")}${added.size > 8 ? ", ..." : ""}): the log cannot value them, so they are left out (as if ineligible)`,
      );
  }
  if (target.learn && outOfRange)
    warnings.push("rewards outside [0, 1]: the replayed bandit models P(accept) and learns them as they are");
  return {
    probabilities,
    outside: new Float64Array(n),
    description,
    notes,
    warnings,
    unevaluated,
  };
}
