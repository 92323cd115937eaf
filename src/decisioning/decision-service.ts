/**
 * The decision pipeline: candidates -> scoring -> eligibility -> contact policy -> arbitration ->
 * bandit -> top-k -> record impressions -> decision log. Stages are small functions over one
 * DecisionContext; this class only fetches what they need (features and contact history together,
 * both models in parallel), bounds every dependency by the time budget, and falls back to defaults
 * (flagging `fallback`) rather than failing: a journey engine always gets an answer.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Logger } from "pino";
import {
  type Arm,
  type Bandit,
  type BanditConfig,
  banditConfigFromPolicy,
  type ContextEncoder,
} from "../bandit/index.js";
import type { FieldProblem } from "../errors/app-error.js";
import { ConflictError } from "../errors/http-errors.js";
import { IdempotencyKeyReusedError } from "../errors/idempotency-key-reused-error.js";
import { ValidationError } from "../errors/validation-error.js";
import type { CustomerFeatures, FeatureService } from "../features/feature-service.js";
import { featureRecord } from "../features/feature-vector.js";
import { journeysOf, type Policy, type PolicyService, placementProblem } from "../policy/index.js";
import { createRandom, hashString } from "../random/seeded-random.js";
import type { ModelService } from "../scoring/model-service.js";
import {
  type ContactHistory,
  contactViolations,
  EMPTY_CONTACT_HISTORY,
  withImpressions,
} from "./contact-history.js";
import { type ContactRules, contactRulesOf } from "./contact-rules.js";
import type { CustomerInputsReader } from "./customer-inputs.js";
import { type DecisionContext, filterCandidates, markFallback, recordStage } from "./decision-context.js";
import { type DecisionLog, IDEMPOTENT_ID_PREFIX } from "./decision-log.js";
import type { ChosenAction, DecisionRecord } from "./decision-record.js";
import type { DecisionRequest } from "./decision-request.js";
import { type DecisionResponse, decisionResponse, type Explanations } from "./decision-response.js";
import type { DecisionWriter } from "./decision-writer.js";
import { ACTION_INPUTS, actionRow, customerRow } from "./model-rows.js";
import { estimateText, round } from "./reason-text.js";
import { applyEligibility } from "./stages/apply-eligibility.js";
import { arbitrate } from "./stages/arbitrate.js";
import { selectCandidates } from "./stages/select-candidates.js";
import { maxPerGroup, topK } from "./stages/top-k.js";
import { Deadline } from "./with-timeout.js";

/** How long a claim on an idempotent decision id holds if its request never logs a decision (it crashed). */
const CLAIM_TTL_MS = 5_000;

/** Used when the propensity model is unavailable: a modest prior the bandit then learns from. */
export const FALLBACK_PROPENSITY = 0.05;

export interface DecisionMetrics {
  decision(outcome: { fallback: boolean; actions: number; ms: number }): void;
  fallback(reason: string): void;
  logFailure(): void;
}

export interface BanditSource {
  current(): Bandit;
  version(): string | undefined;
  /** The serving arms (the latest snapshot's, or none yet) under other settings, e.g. a draft policy's. */
  withSettings(config: BanditConfig): Bandit;
}

/** Why every candidate is withheld when a request's idempotency key could not be checked. */
const IDEMPOTENCY_UNVERIFIED =
  "the idempotency key could not be checked (decision log unavailable): nothing is served, so a retry cannot serve a second decision";

/** Why every candidate is withheld when the contact history could not be read (the policy's choice). */
const HISTORY_UNAVAILABLE =
  "contact history unavailable, so no cap, cool-down or suppression could be checked (contactPolicy.whenHistoryUnavailable: withhold)";

export interface DecisionServiceDeps {
  readonly featureService: FeatureService;
  readonly policyService: PolicyService;
  readonly modelService: ModelService | undefined;
  /** Features and contact history in one read (RedisCustomerInputs), or one read per store. */
  readonly customerInputs: CustomerInputsReader;
  /** Impressions and log record in one write (RedisDecisionWriter), or one write per store. */
  readonly decisionWriter: DecisionWriter;
  /** Idempotent replays, claims, and the corrected record when an impression was refused. */
  readonly decisionLog: DecisionLog;
  readonly bandit: BanditSource;
  readonly encoder: ContextEncoder;
  readonly logger: Logger;
  readonly metrics: DecisionMetrics;
  readonly now: () => number;
  /** A decision's budget for its dependency calls (Redis, ONNX) together, ms; past it, defaults apply. */
  readonly timeoutMs: number;
  /** Seeds the per-decision random streams (with the decision id), for reproducible exploration. */
  readonly seed: number;
}

/**
 * A what-if run: decide with `policy` (e.g. a draft) without recording impressions, touching
 * counters or logging; `features` skips the store read (e.g. a generated sample).
 */
export interface DryRun {
  readonly policy: Policy;
  readonly features?: CustomerFeatures;
  readonly history?: ContactHistory;
  /** Fixes the decision id, so a simulation is reproducible. */
  readonly decisionId: string;
  /**
   * Model scores kept across dry runs that share a decision id, customer and placement (a simulation
   * runs the draft and the current policy on the same ones): a candidate with the same attributes is
   * not scored twice by the same model version.
   */
  readonly scoreMemo?: Map<string, number>;
  /** The bandit to choose with (a draft policy's settings over the serving arms); default the serving one. */
  readonly bandit?: Bandit;
}

export class DecisionService {
  /** Writes an answer did not wait for (log-only writes, corrected records, writes past the budget). */
  private readonly background = new Set<Promise<unknown>>();
  /** Decisions answered before their write finished (fallback answers), by id, until it settles. */
  private readonly unstored = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: DecisionServiceDeps) {}

  /**
   * Waits for the writes decisions already answered left behind: shutdown calls it before closing
   * the stores, so the last decisions' log records are not lost with the connection.
   */
  async settle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private inBackground(write: Promise<unknown>, onError: (err: unknown) => void, decisionId?: string): void {
    const settled = write.catch(onError).finally(() => {
      this.background.delete(settled);
      if (decisionId !== undefined && this.unstored.get(decisionId) === settled)
        this.unstored.delete(decisionId);
    });
    this.background.add(settled);
    if (decisionId !== undefined) this.unstored.set(decisionId, settled);
  }

  /** Writes an answer did not wait for that have not finished yet (reported when a shutdown gives up). */
  pendingWrites(): number {
    return this.background.size;
  }

  /**
   * Settles when the write of a decision this process answered before storing it has finished
   * (undefined when there is none): a reward posted right after such an answer waits for it rather
   * than finding no decision.
   */
  whenStored(decisionId: string): Promise<unknown> | undefined {
    return this.unstored.get(decisionId);
  }

  /** The bandit `policy` would choose with: its exploration settings over the serving arms. */
  banditFor(policy: Policy): Bandit {
    return this.deps.bandit.withSettings(banditConfigFromPolicy(policy.document.bandit, this.deps.encoder));
  }

  /** Decides, records the impressions and logs the decision. */
  async decide(request: DecisionRequest): Promise<DecisionResponse> {
    return decisionResponse(await this.run(request));
  }

  /**
   * Runs the whole pipeline `rounds` times as dry runs on default features, every action a candidate,
   * on each channel the policy uses: a process that has just started then answers its first real
   * decisions with compiled code rather than spending their budget on JIT warm-up. No store is read
   * or written.
   */
  async warmUp(rounds = 40): Promise<void> {
    const { policy } = this.deps.policyService.current();
    const actions = [...policy.actionById.values()].filter((a) => a.enabled);
    const channels = [...new Set(actions.flatMap((a) => [...a.channels]))];
    if (channels.length === 0) return;
    for (let i = 0; i < rounds; i++) {
      const channel = channels[i % channels.length]!;
      const request: DecisionRequest = {
        customerId: `warm-up-${i}`,
        journey: "warm_up",
        step: "warm_up",
        channel,
        context: {},
        candidates: actions.filter((a) => a.channels.has(channel)).map((a) => a.id),
        limit: 3,
      };
      await this.dryRun(request, {
        policy,
        features: this.deps.featureService.defaults(request.customerId),
        decisionId: request.customerId,
      });
    }
  }

  /** Decides without side effects; the record says what would have been served and why. */
  async dryRun(request: DecisionRequest, options: DryRun): Promise<DecisionRecord> {
    return this.run(request, options);
  }

  private async run(request: DecisionRequest, dry?: DryRun): Promise<DecisionRecord> {
    const deadline = new Deadline(this.deps.timeoutMs);
    try {
      return await this.decideWithin(deadline, request, dry);
    } finally {
      deadline.clear();
    }
  }

  private async decideWithin(
    deadline: Deadline,
    request: DecisionRequest,
    dry?: DryRun,
  ): Promise<DecisionRecord> {
    const started = performance.now();
    const { deps } = this;
    const now = deps.now();
    const decisionId =
      dry?.decisionId ??
      (request.idempotencyKey ? idempotentId(request.customerId, request.idempotencyKey) : randomUUID());
    const policy = dry?.policy ?? deps.policyService.current().policy;
    // Under an idempotency key the placement is checked once no earlier decision was found: a retry
    // replays its decision even if the policy has since dropped the journey.
    if (!dry && !request.idempotencyKey) checkPlacement(policy, request);
    let unverified: string | undefined;
    if (request.idempotencyKey && !dry) {
      const earlier = await this.replayOrClaim(deadline, decisionId, request, policy);
      if (earlier && "unverified" in earlier) unverified = earlier.unverified;
      else if (earlier) return earlier;
    }
    const rules = contactRulesOf(policy);

    const { features, history, failure } = await this.readCustomer(deadline, request.customerId, now, dry);
    const customer = features ?? deps.featureService.defaults(request.customerId, now);
    const context = {
      ...request.context,
      journey: request.journey,
      step: request.step,
      channel: request.channel,
    };
    const ctx: DecisionContext = {
      decisionId,
      request,
      now,
      policy,
      features: customer,
      ruleData: {
        features: featureRecord(deps.featureService.plan, customer.vector),
        profile: (customer.profile ?? {}) as Record<string, unknown>,
        context,
        scores: {},
      },
      candidates: [],
      excluded: [],
      stages: [],
      fallback: false,
      fallbackReasons: [],
    };
    if (failure) markFallback(ctx, failure);
    if (unverified) markFallback(ctx, unverified);

    selectCandidates(ctx);
    const modelVersions = await this.score(ctx, deadline, dry !== undefined, dry?.scoreMemo);
    applyEligibility(ctx);
    const withheld =
      unverified !== undefined
        ? IDEMPOTENCY_UNVERIFIED
        : failure !== undefined && policy.document.contactPolicy.whenHistoryUnavailable === "withhold"
          ? HISTORY_UNAVAILABLE
          : undefined;
    filterCandidates(
      ctx,
      "contact_policy",
      (c) =>
        withheld ??
        contactViolations(
          history,
          { actionId: c.action.id, businessUnit: c.action.businessUnit, channel: request.channel },
          rules,
          now,
        ),
    );
    arbitrate(ctx);

    // A simulation brings the draft's bandit settings; a live decision the serving bandit.
    const bandit = dry?.bandit ?? deps.bandit.current();
    const chosen = ctx.candidates.length > 0 ? this.choose(ctx, history, bandit) : undefined;
    const record = this.record(ctx, chosen, modelVersions, customer.vector, bandit);
    if (dry) return record;
    // Nothing served and nothing logged: a retry, once the store answers, decides under the key.
    const served = unverified ? record : await this.write(deadline, ctx, rules, record);
    for (const reason of ctx.fallbackReasons) deps.metrics.fallback(reason.split(":")[0]!);
    deps.metrics.decision({
      fallback: ctx.fallback,
      actions: served.chosen.length,
      ms: performance.now() - started,
    });
    return served;
  }

  /** The decision as made: what a dry run returns, and what is logged when every impression is recorded. */
  private record(
    ctx: DecisionContext,
    chosen: ReturnType<DecisionService["choose"]> | undefined,
    modelVersions: Record<string, string>,
    vector: ArrayLike<number>,
    bandit: Bandit,
  ): DecisionRecord {
    const { deps } = this;
    const { request, policy, now } = ctx;
    return {
      decisionId: ctx.decisionId,
      customerId: request.customerId,
      journey: request.journey,
      step: request.step,
      channel: request.channel,
      context: request.context,
      createdAt: now,
      rewardDeadline: now + policy.document.bandit.rewardWindowHours * 3_600_000,
      defaultReward: policy.document.bandit.defaultReward,
      policyVersion: policy.version,
      modelVersions,
      snapshotVersion: deps.bandit.version() ?? "cold",
      algorithm: bandit.algorithm,
      fallback: ctx.fallback,
      stages: ctx.stages,
      excluded: [...ctx.excluded],
      chosen: chosen?.actions ?? [],
      candidateProbabilities: chosen?.probabilities ?? {},
      banditContext: chosen ? Array.from(chosen.x) : [],
      priors: chosen?.priors ?? {},
      features: Array.from(vector, (v) => (Number.isFinite(v) ? v : null)),
      featurePlan: deps.featureService.plan.version,
      ...(ctx.ruleData.scores.churn !== undefined ? { churn: ctx.ruleData.scores.churn } : {}),
      explanations: chosen?.explanations ?? {},
    };
  }

  /**
   * Records the served impressions (every contact rule re-checked at write time) and logs the
   * decision, in one write; returns what was served. An impression another decision for the customer
   * got to first is dropped from the answer, and that corrected record is logged instead. When the
   * write fails or runs out of time the customer still gets the answer, marked `fallback`.
   */
  private async write(
    deadline: Deadline,
    ctx: DecisionContext,
    rules: ContactRules,
    record: DecisionRecord,
  ): Promise<DecisionRecord> {
    const { deps } = this;
    const logFailed = (err: unknown) => {
      deps.metrics.logFailure();
      deps.logger.warn({ err, decisionId: record.decisionId }, "decision log append failed");
    };
    const write = deps.decisionWriter.write({
      customerId: record.customerId,
      impressions: record.chosen.map((a) => ({
        actionId: a.actionId,
        businessUnit: a.businessUnit,
        channel: record.channel,
      })),
      rules,
      now: record.createdAt,
      record,
    });
    if (record.chosen.length === 0) {
      // Nothing to cap: the answer need not wait for the log.
      this.inBackground(write, logFailed);
      return record;
    }
    const written = await deadline.orFallback(write, "decision write", undefined);
    if (!written.value) {
      markFallback(ctx, written.failure ?? "decision write: no answer");
      // The answer serves every chosen action, so the log must keep them all: a late write that
      // refused one (another decision for the customer got there first) did not log the decision.
      const late = write.then((outcome) => (outcome.logged ? undefined : deps.decisionLog.append(record)));
      this.inBackground(late, logFailed, record.decisionId);
      return { ...record, fallback: true };
    }
    if (written.value.logged) return record;
    const kept = new Set(written.value.recorded);
    const excluded = [...record.excluded];
    for (const refused of written.value.refused) {
      excluded.push({
        actionId: refused.actionId,
        stage: "contact_policy",
        reason: `${refused.reason} (another decision got there first)`,
      });
    }
    const corrected: DecisionRecord = {
      ...record,
      excluded,
      // Ranks stay the policy's: a refused first choice leaves rank 1 out of the log, so off-policy
      // evaluation does not take the action ranked second for the one chosen with P(first).
      chosen: record.chosen.filter((a) => kept.has(a.actionId)),
      // The trail's last stage lists what was served.
      stages: record.stages.map((s) =>
        s.stage === "top_k" && s.actionIds
          ? { ...s, actionIds: s.actionIds.filter((id) => kept.has(id)) }
          : s,
      ),
    };
    // Tracked by id: a reward for a kept action, posted as soon as this answer arrives, waits for it.
    this.inBackground(deps.decisionLog.append(corrected), logFailed, record.decisionId);
    return corrected;
  }

  /**
   * The customer's features and contact history: one read of both (a failure falls back to defaults
   * for both), or for a dry run the given ones (features from the store when not given).
   */
  private async readCustomer(
    deadline: Deadline,
    customerId: string,
    now: number,
    dry?: DryRun,
  ): Promise<{ features: CustomerFeatures | null; history: ContactHistory; failure?: string }> {
    const { deps } = this;
    if (dry) {
      const history = dry.history ?? EMPTY_CONTACT_HISTORY;
      if (dry.features) return { features: dry.features, history };
      const read = await deadline.orFallback(
        deps.featureService.getFeatures(customerId, now),
        "feature store",
        null,
      );
      return { features: read.value, history, ...(read.failure ? { failure: read.failure } : {}) };
    }
    const read = await deadline.orFallback(deps.customerInputs.read(customerId, now), "customer read", null);
    return {
      features: read.value?.features ?? null,
      history: read.value?.history ?? EMPTY_CONTACT_HISTORY,
      ...(read.failure ? { failure: read.failure } : {}),
    };
  }

  /**
   * For a request with an idempotency key: the decision already made under it (marked `replayed`), or
   * null once this request holds the claim on the id and may decide. When a concurrent request with
   * the same key holds the claim, waits for its decision rather than making a second one (which would
   * count a second set of impressions against the caps); 409 if it does not come in time.
   */
  private async replayOrClaim(
    deadline: Deadline,
    decisionId: string,
    request: DecisionRequest,
    policy: Policy,
  ): Promise<DecisionRecord | { unverified: string } | null> {
    const log = this.deps.decisionLog;
    const key = request.idempotencyKey!;
    const found = await deadline.orFallback(log.get(decisionId), "decision log read", null);
    if (found.value) return replayFor(found.value, request);
    // Before the claim, so a refused request leaves no claim behind.
    checkPlacement(policy, request);
    // Without the store's answer a decision under this key may exist: deciding anew could serve a
    // second, different one under the same id. The caller answers with nothing instead.
    if (found.failure !== undefined) return { unverified: found.failure };
    const claimed = await deadline.orFallback(
      log.claim(decisionId, CLAIM_TTL_MS),
      "decision claim",
      undefined,
    );
    if (claimed.value === undefined) return { unverified: claimed.failure ?? "decision claim: no answer" };
    if (claimed.value) return null;
    const waitUntil = performance.now() + 2 * this.deps.timeoutMs + 100;
    // Each read is bounded too: a store that stays connected but stalls must not hold the request.
    const waiting = new Deadline(Math.max(1, waitUntil - performance.now()));
    try {
      while (performance.now() < waitUntil) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        const made = await waiting.orFallback(log.get(decisionId), "decision log read", null);
        if (made.value) return replayFor(made.value, request);
      }
    } finally {
      waiting.clear();
    }
    throw new ConflictError(
      `A decision for idempotency key ${JSON.stringify(key)} is still being made by another request; retry in a moment`,
    );
  }

  /**
   * Churn for the customer and propensity for every candidate, each in one batched ONNX run. Returns
   * the versions of the model instances it scored with (a hot swap may land during the decision).
   */
  private async score(
    ctx: DecisionContext,
    deadline: Deadline,
    dry: boolean,
    memo?: Map<string, number>,
  ): Promise<Record<string, string>> {
    const models = this.deps.modelService;
    const rowSource = ctx.ruleData;
    const churnModel = models?.get("churn");
    const propensityModel = models?.get("propensity");
    // Memo keys only for dry runs that share scores (a simulation): no string work on a live decision.
    const churnKey = memo && churnModel && `${ctx.decisionId}|${churnModel.name}/${churnModel.version}`;
    const propensityKeys =
      memo &&
      propensityModel &&
      ctx.candidates.map(
        (c) =>
          `${ctx.decisionId}|${propensityModel.name}/${propensityModel.version}|${c.action.id}|${c.action.businessUnit}|${c.action.value}`,
      );
    const remembered = (keys: string[]) =>
      memo && keys.every((k) => memo.has(k)) ? Float64Array.from(keys, (k) => memo.get(k)!) : undefined;
    const churnKnown = churnKey ? remembered([churnKey]) : undefined;
    const propensityKnown = propensityKeys ? remembered(propensityKeys) : undefined;
    // A dry run (simulation, warm-up) leaves the scoring metrics as they were.
    const scoring = { metered: !dry };
    const [churn, propensity] = await Promise.all([
      churnKnown
        ? { value: churnKnown, failure: undefined }
        : churnModel
          ? deadline.orFallback(
              churnModel.predict([customerRow(rowSource)], scoring),
              "churn model",
              undefined,
            )
          : { value: undefined, failure: "churn model: not loaded" },
      propensityKnown
        ? { value: propensityKnown, failure: undefined }
        : propensityModel && ctx.candidates.length > 0
          ? deadline.orFallback(
              propensityModel.predictShared(
                customerRow(rowSource),
                ctx.candidates.map((c) => actionRow(rowSource, c.action)),
                ACTION_INPUTS,
                scoring,
              ),
              "propensity model",
              undefined,
            )
          : { value: undefined, failure: propensityModel ? undefined : "propensity model: not loaded" },
    ]);
    if (memo) {
      if (churnKey && churn.value) memo.set(churnKey, churn.value[0]!);
      propensityKeys?.forEach((k, i) => {
        if (propensity.value) memo.set(k, propensity.value[i]!);
      });
    }
    if (churn.value) ctx.ruleData.scores.churn = churn.value[0];
    else if (churn.failure) markFallback(ctx, churn.failure);
    ctx.candidates.forEach((c, i) => {
      c.propensity = propensity.value?.[i] ?? FALLBACK_PROPENSITY;
    });
    if (!propensity.value && propensity.failure) markFallback(ctx, propensity.failure);
    recordStage(ctx, "scoring");
    const used: Record<string, string> = {};
    if (churn.value && churnModel) used.churn = churnModel.version;
    if (propensity.value && propensityModel) used.propensity = propensityModel.version;
    return used;
  }

  /** The bandit's ranking over the arbitrated candidates, then top-k with diversity and contact caps. */
  private choose(ctx: DecisionContext, history: ContactHistory, bandit: Bandit) {
    const { deps } = this;
    const { request, policy } = ctx;
    const x = deps.encoder.encode({
      features: ctx.features.known ? ctx.features.vector : null,
      context: request.context,
      journey: request.journey,
      step: request.step,
      channel: request.channel,
    });
    const arms: Arm[] = ctx.candidates.map((c) => {
      const p = c.priority!;
      return {
        actionId: c.action.id,
        prior: c.propensity,
        multiplier: p.value * p.businessUnitWeight * p.lever * p.contextWeight,
        explore: c.action.exploration,
        group: c.action.businessUnit,
      };
    });
    const groupLimits: Record<string, number> = {};
    for (const [id, unit] of policy.businessUnits)
      if (unit.maxExplorationShare !== undefined) groupLimits[id] = unit.maxExplorationShare;
    // The policy's seed, when it sets one, wins over DECISION_SEED: a product owner can re-seed
    // exploration (or replay a simulation) without a deployment.
    const seed = policy.document.bandit.seed ?? deps.seed;
    const rng = createRandom((hashString(ctx.decisionId) ^ seed) >>> 0);
    const choice = bandit.choose(x, arms, rng, { groupLimits });
    recordStage(ctx, "bandit");

    const limit = request.limit ?? policy.document.topK.defaultLimit;
    const diversity = maxPerGroup(
      (i) => ctx.candidates[i]!.action.businessUnit,
      policy.document.topK.maxPerBusinessUnit,
    );
    const rules = contactRulesOf(policy);
    // A candidate the bandit ranked within reach of the limit but the response could not take is
    // excluded with its reason; those simply past the limit are not (they were never in reach).
    const passOver = (i: number, reason: string): false => {
      ctx.excluded.push({ actionId: arms[i]!.actionId, stage: "top_k", reason });
      return false;
    };
    const kept = topK(choice.order, limit, (i, picked) => {
      if (!diversity(i, picked))
        return passOver(
          i,
          `diversity: at most ${policy.document.topK.maxPerBusinessUnit} ${arms[i]!.group} action(s) per response`,
        );
      // Caps count the actions already picked for this response (e.g. 3 offers a week).
      const shown = picked.map((k) => ({
        actionId: arms[k]!.actionId,
        businessUnit: arms[k]!.group!,
        channel: request.channel,
      }));
      const violation = contactViolations(
        withImpressions(history, shown, ctx.now),
        { actionId: arms[i]!.actionId, businessUnit: arms[i]!.group!, channel: request.channel },
        rules,
        ctx.now,
      );
      return violation === undefined || passOver(i, `${violation}, counting this response's earlier picks`);
    });
    const probabilities: Record<string, number> = {};
    const priors: Record<string, number> = {};
    arms.forEach((a, i) => {
      probabilities[a.actionId] = choice.probabilities[i]!;
      priors[a.actionId] = a.prior;
    });
    const explanations: Record<string, Explanations[string]> = {};
    const actions: ChosenAction[] = kept.map((i, rank) => {
      const c = ctx.candidates[i]!;
      const p = c.priority!;
      // A linear arm's Gaussian draw or bound can fall outside [0, 1]; the bandit ranks by the raw
      // value (which keeps its logged probabilities exact), the answer shows it as a probability.
      const estimate = Math.min(1, Math.max(0, choice.estimates[i]!));
      const score = estimate * (p.value * p.businessUnitWeight * p.lever * p.contextWeight);
      const reasons = [
        `priority ${round(score)} = ${estimateText(bandit.algorithm, estimate, choice.means[i]!)} x value ${p.value} x ${c.action.businessUnit} weight ${p.businessUnitWeight} x lever ${p.lever} x context weight ${round(p.contextWeight)}`,
        ...c.reasons,
        i === choice.greedy
          ? choice.overruled !== undefined && rank === 0
            ? `${bandit.algorithm}: the best expected priority, first because the exploration limit held back ${arms[choice.overruled]!.actionId}, which the draw put first (P(first) ${round(choice.probabilities[i]!)})`
            : `${bandit.algorithm}: the best expected priority (P(first) ${round(choice.probabilities[i]!)})`
          : rank === 0
            ? `${bandit.algorithm}: explored (P(first) ${round(choice.probabilities[i]!)}; greedy choice was ${arms[choice.greedy]!.actionId})`
            : `${bandit.algorithm}: ranked ${rank + 1} (P(first) ${round(choice.probabilities[i]!)})`,
      ];
      explanations[c.action.id] = {
        name: c.action.name,
        reasons,
        priority: {
          estimate,
          value: p.value,
          businessUnitWeight: p.businessUnitWeight,
          lever: p.lever,
          contextWeight: p.contextWeight,
        },
      };
      return {
        actionId: c.action.id,
        businessUnit: c.action.businessUnit,
        rank: rank + 1,
        score,
        propensity: c.propensity,
        probability: choice.probabilities[i]!,
        value: p.value,
      };
    });
    ctx.stages.push({ stage: "top_k", actionIds: actions.map((a) => a.actionId) });
    return { actions, probabilities, priors, explanations, x };
  }
}

/**
 * Refuses a journey or step the policy does not know: it places no action, and a typo would answer an
 * empty decision that reads as a customer with nothing to offer. A caller that lists its candidates
 * (Rank-API style) needs no placement.
 */
function checkPlacement(policy: Policy, request: DecisionRequest): void {
  if (request.candidates) return;
  const problem = placementProblem(journeysOf(policy), request, `policy ${policy.name} (${policy.version})`);
  if (problem) throw new ValidationError([problem], "request body");
}

/**
 * The decision made earlier under the request's key, as a replay. A key reused at another placement
 * is refused: replaying would answer a retention step with, say, a cross-sell decision.
 */
function replayFor(earlier: DecisionRecord, request: DecisionRequest): DecisionRecord {
  const problems: FieldProblem[] = [];
  for (const field of ["journey", "step", "channel"] as const) {
    if (earlier[field] !== request[field])
      problems.push({
        field,
        reason: `is "${request[field]}", but the key's decision is for "${earlier[field]}"`,
      });
  }
  if (problems.length > 0) throw new IdempotencyKeyReusedError(request.idempotencyKey!, problems);
  return { ...earlier, replayed: true };
}

/** Same customer and key -> same decision id, so a retried request finds its first answer. */
function idempotentId(customerId: string, key: string): string {
  return `${IDEMPOTENT_ID_PREFIX}${createHash("sha256").update(`${customerId}\u0000${key}`).digest("hex").slice(0, 32)}`;
}
