/**
 * The one Bandit implementation: a scorer (ridge or prior) wrapped by an explorer (Thompson, LinUCB,
 * epsilon-greedy, softmax) and by the exploration limits. Scratch arrays are reused across calls, so
 * a decision allocates only the arrays it returns.
 */
import type { Random } from "../random/seeded-random.js";
import type {
  Arm,
  Bandit,
  BanditAlgorithm,
  BanditConfig,
  BanditState,
  Choice,
  ChooseOptions,
} from "./bandit.js";
import { limitExploration } from "./exploration-limits.js";
import type { Explorer } from "./explorers/explorer.js";
import { GreedyExplorer } from "./explorers/greedy-explorer.js";
import { SoftmaxExplorer } from "./explorers/softmax-explorer.js";
import { ThompsonExplorer } from "./explorers/thompson-explorer.js";
import { LogisticScorer, RidgeScorer } from "./ridge-scorer.js";
import { type LogitPosterior, PriorScorer, type Scorer } from "./scorer.js";

function explorerFor(config: BanditConfig): Explorer {
  const e = config.exploration;
  switch (e.algorithm) {
    case "thompson":
      return new ThompsonExplorer(e.posteriorScale, e.draws);
    case "linucb":
      return new GreedyExplorer(e.alpha, e.epsilon);
    case "epsilon_greedy":
      return new GreedyExplorer(0, e.epsilon);
    case "softmax":
      return new SoftmaxExplorer(e.temperature);
  }
}

export class LinearBandit implements Bandit {
  readonly algorithm: BanditAlgorithm;
  private readonly scorer: Scorer;
  private readonly explorer: Explorer;
  private capacity = 0;
  private mean = new Float64Array(0);
  private width = new Float64Array(0);
  private multiplier = new Float64Array(0);
  private meanScore = new Float64Array(0);
  private caps = new Float64Array(0);
  private exploring = new Uint8Array(0);
  private limited = new Float64Array(0);
  /** Logistic scorers only: each arm's log-odds posterior, for explorers that draw on that scale. */
  private logit: LogitPosterior | undefined;

  constructor(
    readonly config: BanditConfig,
    state: BanditState["arms"] = [],
  ) {
    this.algorithm = config.exploration.algorithm;
    this.scorer =
      config.scorer === "prior"
        ? new PriorScorer()
        : config.scorer === "logistic"
          ? new LogisticScorer(config.contextDim, config.ridge, state)
          : new RidgeScorer(config.contextDim, config.ridge, state);
    this.explorer = explorerFor(config);
  }

  private ensure(k: number): void {
    if (this.capacity >= k) return;
    this.capacity = Math.max(k, 2 * this.capacity);
    const n = this.capacity;
    this.mean = new Float64Array(n);
    this.width = new Float64Array(n);
    this.multiplier = new Float64Array(n);
    this.meanScore = new Float64Array(n);
    this.caps = new Float64Array(n);
    this.exploring = new Uint8Array(n);
    this.limited = new Float64Array(n);
    if (this.scorer.kind === "logistic") this.logit = { mean: new Float64Array(n), sd: new Float64Array(n) };
  }

  choose(x: ArrayLike<number>, arms: readonly Arm[], rng: Random, options: ChooseOptions = {}): Choice {
    const k = arms.length;
    if (k === 0) throw new RangeError("choose needs at least one arm");
    if (x.length !== this.config.contextDim)
      throw new RangeError(`context must have length ${this.config.contextDim}, got ${x.length}`);
    this.ensure(k);
    const { mean, width, multiplier, meanScore, caps, exploring, limited } = this;
    const logit = this.logit;
    this.scorer.estimate(x, arms, mean, width, logit);
    let greedy = 0;
    for (let a = 0; a < k; a++) {
      const arm = arms[a]!;
      const m = arm.multiplier > 0 ? arm.multiplier : 0;
      multiplier[a] = m;
      meanScore[a] = m * mean[a]!;
      const enabled = arm.explore?.enabled !== false;
      exploring[a] = enabled ? 1 : 0;
      caps[a] = enabled ? Math.min(1, Math.max(0, arm.explore?.maxProbability ?? 1)) : 0;
      if (meanScore[a]! > meanScore[greedy]!) greedy = a;
    }
    const probabilities = new Float64Array(k);
    const estimates = new Float64Array(k);
    const scores = new Float64Array(k);
    let first = this.explorer.explore({ k, mean, width, multiplier, exploring, meanScore, logit }, rng, {
      probabilities,
      estimates,
      scores,
    });
    const groupLimits = options.groupLimits;
    limitExploration(
      {
        k,
        greedy,
        probabilities,
        caps,
        ...(groupLimits ? { groupLimits, groups: arms.map((a) => a.group) } : {}),
      },
      limited,
    );
    let overruled: number | undefined;
    if (first !== greedy) {
      const keep = limited[first]! / probabilities[first]!;
      if (keep < 1 && !(rng.next() < keep)) {
        overruled = first;
        first = greedy;
        // The greedy arm leads because the draw's choice was held back, not because of its own draw
        // (which may be low): it is ranked and explained at its posterior mean.
        estimates[greedy] = mean[greedy]!;
        scores[greedy] = meanScore[greedy]!;
      }
    }
    probabilities.set(limited.subarray(0, k));
    const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => {
      if (a === first) return -1;
      if (b === first) return 1;
      return scores[b]! - scores[a]! || a - b;
    });
    return {
      order,
      probabilities,
      estimates,
      scores,
      means: mean.slice(0, k),
      greedy,
      explored: first !== greedy,
      ...(overruled === undefined ? {} : { overruled }),
    };
  }

  learn(x: ArrayLike<number>, actionId: string, prior: number, reward: number): void {
    if (x.length !== this.config.contextDim)
      throw new RangeError(`context must have length ${this.config.contextDim}, got ${x.length}`);
    this.scorer.learn(x, actionId, prior, reward);
  }

  snapshot(): BanditState {
    return { config: this.config, arms: this.scorer.armStates() };
  }
}
