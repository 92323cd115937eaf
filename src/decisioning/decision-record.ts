/**
 * What the service remembers about a decision: the decision log entry (for audit, reward joins and
 * off-policy evaluation) and the joined reward the bandit learner consumes. Shared by the decision
 * pipeline, the decision log stores, the learner and the OPE tools.
 */

export type ContextValue = string | number | boolean;

export interface ChosenAction {
  readonly actionId: string;
  readonly businessUnit: string;
  /** 1-based. */
  readonly rank: number;
  /** Arbitration priority the ranking used (after the bandit's draw). */
  readonly score: number;
  /** Offline model propensity P(accept) for this customer and action. */
  readonly propensity: number;
  /** Probability that the policy would have put this action first, given the eligible candidates. */
  readonly probability: number;
  readonly value: number;
}

export interface ExcludedAction {
  readonly actionId: string;
  /** Pipeline stage that removed it, e.g. `eligibility`, `contact_policy`. */
  readonly stage: string;
  readonly reason: string;
}

export interface StageTrail {
  readonly stage: string;
  readonly actionIds?: readonly string[];
  readonly kept?: number;
}

export interface DecisionRecord {
  readonly decisionId: string;
  readonly customerId: string;
  readonly journey: string;
  readonly step: string;
  readonly channel: string;
  readonly context: Readonly<Record<string, ContextValue>>;
  /** Epoch ms. */
  readonly createdAt: number;
  /** End of the reward window (epoch ms): rewards after it are refused, the default reward applies. */
  readonly rewardDeadline: number;
  readonly defaultReward: number;
  readonly policyVersion: string;
  readonly modelVersions: Readonly<Record<string, string>>;
  readonly snapshotVersion: string;
  /** Bandit algorithm that chose, e.g. `thompson`. */
  readonly algorithm: string;
  readonly fallback: boolean;
  /**
   * The stages in pipeline order and what each passed on: the first (`candidates`) and the last
   * (`top_k`) list their action ids; the others say how many they `kept`, since which candidates each
   * removed, and why, is in `excluded` (`stageActionIds` lists every stage's ids). Records written
   * before this form list `actionIds` for every stage.
   */
  readonly stages: readonly StageTrail[];
  readonly excluded: readonly ExcludedAction[];
  readonly chosen: readonly ChosenAction[];
  /** Probability of being chosen first, for every candidate that reached the bandit (OPE needs all of them). */
  readonly candidateProbabilities: Readonly<Record<string, number>>;
  /** The bandit's shared context vector at decision time (the learner learns from exactly this). */
  readonly banditContext: readonly number[];
  /** Offline propensity per candidate that reached the bandit (the arm's prior). */
  readonly priors: Readonly<Record<string, number>>;
  /**
   * The customer's feature values the models and rules saw, in the order of the feature plan named by
   * `featurePlan` (null for a missing value), so another model version can be replayed on the log.
   */
  readonly features?: readonly (number | null)[];
  /** `FeaturePlan.version` of `features`. */
  readonly featurePlan?: string;
  /** The churn score the rules saw (absent when the churn model did not answer). */
  readonly churn?: number;
  /** Set on a decision returned again for a repeated idempotency key (never stored). */
  readonly replayed?: boolean;
  /** Why each chosen action ranked where it did (so a replayed decision explains itself too). */
  readonly explanations?: Readonly<
    Record<
      string,
      {
        readonly name: string;
        readonly reasons: readonly string[];
        readonly priority: {
          readonly estimate: number;
          readonly value: number;
          readonly businessUnitWeight: number;
          readonly lever: number;
          readonly contextWeight: number;
        };
      }
    >
  >;
}

export interface JoinedReward {
  readonly decisionId: string;
  readonly actionId: string;
  readonly reward: number;
  readonly outcome?: string;
  /** `api`: posted to /v1/rewards; `default`: the window closed without one. */
  readonly source: "api" | "default";
  /** Probability with which the logging policy chose `actionId` (from the decision). */
  readonly probability: number;
  readonly banditContext: readonly number[];
  readonly prior: number;
  readonly algorithm: string;
  readonly snapshotVersion: string;
  readonly customerId: string;
  /** Epoch ms the reward was joined. */
  readonly joinedAt: number;
}

/**
 * Each stage's remaining action ids, in pipeline order: as listed, or the first stage's candidates
 * less those `excluded` by this stage or an earlier one.
 */
export function stageActionIds(
  record: Pick<DecisionRecord, "stages" | "excluded">,
): { stage: string; actionIds: string[] }[] {
  const first = record.stages[0]?.actionIds ?? [];
  const removed = new Set<string>();
  return record.stages.map(({ stage, actionIds }) => {
    for (const e of record.excluded) if (e.stage === stage) removed.add(e.actionId);
    return { stage, actionIds: actionIds ? [...actionIds] : first.filter((id) => !removed.has(id)) };
  });
}
