/**
 * Targets (b), (c) and (d): a bandit replayed over the logged contexts and candidates. For each row
 * the bandit module's own `choose` gives P(first) for every arm (exact for epsilon-greedy, LinUCB and
 * softmax; Thompson's is counted over its posterior draws); the row's logged action and reward then
 * update the bandit when `learn` is on. Arms carry the logged priors (or, for a model target, the
 * rescored propensities) and, in order of preference, the policy's arbitration multipliers, the
 * logged ones, or 1.
 */
import {
  type Arm,
  type Bandit,
  type BanditConfig,
  banditConfigFromPolicy,
  createBandit,
  type ExplorationParams,
  fromSnapshot,
  OFFLINE_THOMPSON_DRAWS,
} from "../bandit/index.js";
import type { Policy } from "../policy/index.js";
import { createRandom } from "../random/seeded-random.js";
import type { LoggedDecision, RowIssue } from "./logged-decision.js";
import { rowKey } from "./model-scores.js";
import { OpeInputError } from "./ope-input-error.js";
import { approximatedRules, groupLimitsOf, policyArms } from "./policy-arms.js";
import type { Target, TargetDistributions } from "./target.js";

type ReplayTarget = Extract<Target, { kind: "bandit" } | { kind: "policy" } | { kind: "model" }>;

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
  let policyScorer: BanditConfig["scorer"] | undefined;
  if (target.kind === "policy" || target.kind === "model") {
    const fromPolicy = banditConfigFromPolicy(
      target.policy.document.bandit,
      { dim, schema },
      { draws: OFFLINE_THOMPSON_DRAWS },
    );
    exploration = target.greedy
      ? { algorithm: "epsilon_greedy", epsilon: 0 }
      : (target.exploration ?? fromPolicy.exploration);
    ridge = snap?.ridge ?? fromPolicy.ridge;
    policyScorer = fromPolicy.scorer;
  } else {
    exploration = target.exploration;
    // `--policy FILE --bandit ALG` changes the exploration only: the arms stay the policy's (its
    // `model`, linear or logistic, and that model's prior precision), else the draft valued with
    // another bandit would differ from the draft in two things at once.
    const fromPolicy = target.policy
      ? banditConfigFromPolicy(target.policy.document.bandit, { dim, schema })
      : undefined;
    ridge = target.ridge ?? snap?.ridge ?? fromPolicy?.ridge ?? 1;
    policyScorer = target.scorer ?? fromPolicy?.scorer;
  }
  if (exploration.algorithm === "thompson" && !(exploration.draws >= 1))
    exploration = { ...exploration, draws: OFFLINE_THOMPSON_DRAWS };
  // A policy target learns with the arm model its policy names (linear or logistic).
  const scorer = snap?.scorer ?? policyScorer ?? "ridge";
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
      `a ${target.kind === "model" ? "model" : "policy"} target needs the service's decision export (journey, step, channel and priors per decision)`,
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

  const rescored = target.kind === "model" ? target.scores : undefined;
  let ineligibleRows = 0;
  const ineligibleActions = new Set<string>();
  const noFeatures = new Map<string, number>();
  let unscored = 0;
  let noChurn = 0;
  for (const row of rows) {
    const scores = rescored?.rows.get(rowKey(row));
    if (rescored && !scores) {
      // Not rescored (no features, or another feature plan): it cannot be valued under the new model.
      unscored++;
      probabilities.push(undefined);
      const why = rescored.skipped.find((s) => s.line === row.line)?.reason ?? "not rescored";
      unevaluated.push({ line: row.line, reason: `cannot score it with the target model: ${why}` });
      continue;
    }
    const priors =
      scores?.propensity ?? row.priors ?? new Float64Array(row.candidates.length).fill(defaultPrior);
    if (!row.priors && !scores?.propensity) noPriors++;
    let arms: Arm[];
    let positions: number[];
    if (policy) {
      // A rescoring churn model's score, else the one the logged rules saw.
      const churn = scores?.churn ?? row.placement?.churn;
      if (churn === undefined) noChurn++;
      const p = policyArms(policy, row, priors, churn !== undefined ? { churn } : {});
      arms = p.arms;
      positions = p.positions;
      if (p.dropped > 0) dropped++;
      if (p.added.length > 0) rowsWithAdded++;
      for (const a of p.added) added.add(a);
      if (p.ineligible.length > 0) ineligibleRows++;
      for (const a of p.ineligible) ineligibleActions.add(a);
      if (p.noFeatures) noFeatures.set(p.noFeatures, (noFeatures.get(p.noFeatures) ?? 0) + 1);
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
    if (target.learn) {
      const prior = priors[row.action]!;
      bandit.learn(
        row.x,
        row.candidates[row.action]!,
        Number.isFinite(prior) ? prior : defaultPrior,
        row.reward,
      );
    }
  }

  const notes: string[] = [];
  const warnings: string[] = [];
  const n = rows.length;
  const start = target.snapshot ? "from the given snapshot" : "cold (every arm starts at its prior)";
  const algorithm = describeExploration(config.exploration);
  const models = rescored
    ? Object.entries(rescored.models)
        .map(([name, version]) => `${name} ${version}`)
        .join(" and ")
    : "";
  const description =
    target.kind === "model"
      ? `model ${models} under policy ${target.policy.name} (${target.policy.version}) with ${algorithm}, ${start}`
      : target.kind === "policy"
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
  if (rescored && policy) {
    notes.push(
      `every decision is scored again from its logged features with ${models}: ${rescored.models.propensity ? "the new propensities replace the logged priors (arms' P(accept) and arbitration)" : "the logged priors stay"}${rescored.models.churn ? "; rules read the new churn score" : ""}`,
    );
    const versions = new Set(rows.map((r) => r.placement?.policyVersion).filter((v) => v !== undefined));
    notes.push(
      versions.size === 1 && versions.has(policy.version)
        ? `the log was made under this policy version (${policy.version}): only the model changes`
        : `the log was made under policy version(s) ${[...versions].slice(0, 3).join(", ") || "unknown"}; the target uses ${policy.version}, so the policy changes too`,
    );
    if (unscored > 0)
      warnings.push(
        `${unscored} of ${n} rows cannot be scored with the target model (no logged features, or features of another feature plan): left out of the estimate`,
      );
  }
  if (policy) {
    const featureRows = n - unscored - [...noFeatures.values()].reduce((s, v) => s + v, 0);
    notes.push(
      `the policy's eligibility rules are re-run on the ${featureRows} of ${n - unscored} rows with logged features of the current feature plan (over those features, the request context and the scores; the profile is not logged and reads as empty); the logged contact-policy exclusions stand`,
    );
    if (noFeatures.size > 0)
      notes.push(
        `on ${[...noFeatures.values()].reduce((s, v) => s + v, 0)} rows the logged eligibility stands instead: ${[...noFeatures.entries()].map(([why, count]) => `${count} × ${why}`).join("; ")}`,
      );
    if (ineligibleRows > 0)
      notes.push(
        `in ${ineligibleRows} of ${n} rows the policy's eligibility rules exclude logged candidates (${[...ineligibleActions].slice(0, 8).join(", ")}${ineligibleActions.size > 8 ? ", ..." : ""})`,
      );
    const approximated = approximatedRules(policy, {
      features: noFeatures.size > 0,
      churn: noChurn > 0,
    });
    if (approximated.length > 0)
      notes.push(
        `rules reading ${noChurn > 0 ? `the churn score (not logged on ${noChurn} rows), ` : ""}the profile${noFeatures.size > 0 ? " or features (on rows without them)" : ""} see those missing (the rule's own default applies): ${approximated.join("; ")}`,
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
