/**
 * Linear Thompson sampling over disjoint arms, reduced to one dimension: with θ_a ~ N(θ̂_a, v²A_a⁻¹),
 * the score m_a·x_aᵀθ_a is exactly N(m_a·μ_a, (m_a·v·w_a)²), w_a = sqrt(x_aᵀA_a⁻¹x_a). So a
 * posterior draw costs one normal per arm, not a Cholesky solve.
 *
 * Logistic arms draw on the log-odds scale instead: θ_a ~ N(θ̂_a, v²A_a⁻¹) makes the log-odds
 * x_aᵀθ_a exactly N(μ_a, (v·s_a)²), and the draw's P(accept) is σ of it, so every draw is a
 * probability and the arm's score m_a·σ(·) is ranked as such (a draw on the probability scale could
 * fall below 0 for a wide posterior, where a larger multiplier would then rank an arm lower).
 *
 * Each decision takes M posterior draws (rows of a cached table of standard normals, at a random
 * row offset and column rotation), counts how often each arm is the argmax, and then uses ONE of
 * those M draws, chosen uniformly, as the decision. The logged P(first) = count/M is therefore
 * exact for the policy actually run; against idealised infinite-draw Thompson sampling it is a Monte
 * Carlo estimate with standard error sqrt(p(1 − p)/M) (M = 1024: at most 0.016, 0.0068 at p = 0.05).
 */
import { createRandom, type Random } from "../../random/seeded-random.js";
import { SIGMOID_TABLE_OFFSET, SIGMOID_TABLE_SCALE, sigmoidAt, sigmoidFast } from "../sigmoid.js";
import type { ExploreInput, ExploreOutput, Explorer } from "./explorer.js";

const ROWS = 4096;
/** Table columns: arm a reads column (a + rotation) mod 32; arm a + 32 the same column M rows further on. */
const COLS = 32;

/** Rows per block of the per-column block maxima and minima (pruning bounds). */
const BLOCK = 64;
const BLOCKS_PER_COLUMN = ROWS / BLOCK;

interface NormalTable {
  readonly z: Float32Array;
  /**
   * Per column, the max and min of each block of BLOCK rows: the draws an arm reads in one decision
   * (M contiguous rows of one column) lie within the extremes of the blocks they touch, which bounds
   * the arm's best and worst draw far more tightly than the table's max |z| and keeps arm pruning exact.
   */
  readonly blockMax: Float32Array;
  readonly blockMin: Float32Array;
}

let table: NormalTable | undefined;

/**
 * 32 columns × 4096 standard normals from a fixed seed, built once per process (512 KB as float32).
 * Column-major: one arm's M draws are contiguous, so a decision streams M·4 bytes per arm.
 */
function normalTable(): NormalTable {
  if (!table) {
    const rng = createRandom(0x7a11).fork("thompson-normal-table");
    const z = new Float32Array(ROWS * COLS);
    for (let i = 0; i < z.length; i++) z[i] = rng.normal();
    const blockMax = new Float32Array(COLS * BLOCKS_PER_COLUMN).fill(Number.NEGATIVE_INFINITY);
    const blockMin = new Float32Array(COLS * BLOCKS_PER_COLUMN).fill(Number.POSITIVE_INFINITY);
    for (let i = 0; i < z.length; i++) {
      const b = Math.floor(i / BLOCK); // column-major: block b is rows (b mod 64)·64.. of column b/64
      if (z[i]! > blockMax[b]!) blockMax[b] = z[i]!;
      if (z[i]! < blockMin[b]!) blockMin[b] = z[i]!;
    }
    table = { z, blockMax, blockMin };
  }
  return table;
}

export class ThompsonExplorer implements Explorer {
  private capacity = 0;
  private center = new Float64Array(0);
  private spread = new Float64Array(0);
  private counts = new Int32Array(0);
  private offset = new Int32Array(0);
  private contenders = new Int32Array(0);
  private upper = new Float64Array(0);
  private best = new Float64Array(0);
  private arg = new Int32Array(0);
  private readonly table = normalTable();

  /**
   * `pruning: false` visits every draw of every arm: the same choices and probabilities, slower (the
   * test that proves the pruning exact compares the two).
   */
  constructor(
    private readonly posteriorScale: number,
    private readonly draws: number,
    private readonly pruning = true,
  ) {
    if (!Number.isInteger(draws) || draws < 1 || draws > ROWS)
      throw new RangeError(`draws must be an integer in 1..${ROWS}`);
  }

  private ensure(k: number): void {
    if (this.capacity >= k) return;
    this.capacity = k;
    this.center = new Float64Array(k);
    this.spread = new Float64Array(k);
    this.counts = new Int32Array(k);
    this.offset = new Int32Array(k);
    this.contenders = new Int32Array(k);
    this.upper = new Float64Array(k);
  }

  explore(input: ExploreInput, rng: Random, out: ExploreOutput): number {
    const { k, mean, width, multiplier, exploring, meanScore, logit } = input;
    this.ensure(k);
    const m = this.draws;
    const blocks = Math.ceil(k / COLS);
    // Too many arms for independent table columns: draw every normal from the generator instead.
    if (blocks * m > ROWS) return this.exploreFresh(input, rng, out);

    const { center, spread, counts, offset, contenders, upper } = this;
    const { blockMax, blockMin } = this.table;
    const pick = rng.int(m);
    const row0 = rng.int(ROWS - blocks * m + 1);
    const col0 = rng.int(COLS);
    // A draw of arm a is center + spread·z (linear arms: the multiplier folded in), or for logistic
    // arms multiplier·σ(μ + s·z), kept in the σ table's coordinates (center and spread scaled, so
    // multiplier·sigmoidAt(center + spread·z)): both increase with z, so z's extremes bound the draws.
    const draw = logit
      ? (a: number, z: number) => multiplier[a]! * sigmoidAt(center[a]! + spread[a]! * z)
      : (a: number, z: number) => center[a]! + spread[a]! * z;
    // Each arm's M draws are rows [o, o + M) of its column: bound its best and worst draw by the
    // extremes of the blocks that range touches (offsets are column-major, so o / BLOCK is the block).
    let bestLower = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < k; a++) {
      counts[a] = 0;
      const o = ((a + col0) % COLS) * ROWS + row0 + Math.floor(a / COLS) * m;
      offset[a] = o;
      if (logit) {
        center[a] = SIGMOID_TABLE_OFFSET + SIGMOID_TABLE_SCALE * logit.mean[a]!;
        spread[a] = exploring[a] ? SIGMOID_TABLE_SCALE * this.posteriorScale * logit.sd[a]! : 0;
      } else {
        center[a] = meanScore[a]!;
        spread[a] = exploring[a] ? multiplier[a]! * this.posteriorScale * width[a]! : 0;
      }
      let hi = Number.NEGATIVE_INFINITY;
      let lo = Number.POSITIVE_INFINITY;
      for (let b = Math.floor(o / BLOCK), last = Math.floor((o + m - 1) / BLOCK); b <= last; b++) {
        if (blockMax[b]! > hi) hi = blockMax[b]!;
        if (blockMin[b]! < lo) lo = blockMin[b]!;
      }
      upper[a] = draw(a, hi);
      const lower = draw(a, lo);
      if (lower > bestLower) bestLower = lower;
    }
    // An arm whose best draw is below another arm's worst draw (in this decision's draws) is never first.
    let nc = 0;
    for (let a = 0; a < k; a++) if (!this.pruning || upper[a]! >= bestLower) contenders[nc++] = a;
    // Highest mean score first: later arms then rarely beat the running best, so the comparison in the
    // hot loop is predictable (2-3x faster than index order when arms overlap). Insertion sort: k is small.
    for (let c = 1; c < nc; c++) {
      const a = contenders[c]!;
      let j = c - 1;
      while (j >= 0 && meanScore[contenders[j]!]! < meanScore[a]!) {
        contenders[j + 1] = contenders[j]!;
        j--;
      }
      contenders[j + 1] = a;
    }
    // One pass per contender over its M contiguous draws, keeping each draw's best so far.
    if (this.best.length < m) {
      this.best = new Float64Array(m);
      this.arg = new Int32Array(m);
    }
    const { arg } = this;
    if (logit) this.bestDrawsLogit(nc, multiplier, m);
    else this.bestDrawsLinear(nc, m);
    const z = this.table.z;
    for (let i = 0; i < m; i++) counts[arg[i]!] = counts[arg[i]!]! + 1;
    for (let a = 0; a < k; a++) {
      const zp = z[offset[a]! + pick]!;
      // The played draw, from the same center and spread (and the same σ) the counts were taken with.
      const estimate = logit
        ? sigmoidAt(center[a]! + spread[a]! * zp)
        : exploring[a]
          ? mean[a]! + this.posteriorScale * width[a]! * zp
          : mean[a]!;
      out.estimates[a] = estimate;
      out.scores[a] = multiplier[a]! * estimate;
    }
    for (let a = 0; a < k; a++) out.probabilities[a] = counts[a]! / m;
    return arg[pick]!;
  }

  /**
   * best[i], arg[i]: the highest draw i over the contenders and whose it is, draws center + spread·z.
   * Contenders whose best draw is below the lowest best so far (floor) cannot win a draw and are
   * skipped (exact; with wide posteriors most low-mean contenders end here). Two copies of this loop
   * (here and bestDrawsLogit) because a draw function passed in made it 3x slower.
   */
  private bestDrawsLinear(nc: number, m: number): void {
    const { contenders, offset, center, spread, upper, best, arg } = this;
    const z = this.table.z;
    let floor = Number.POSITIVE_INFINITY;
    for (let c = 0; c < nc; c++) {
      const a = contenders[c]!;
      if (this.pruning && c > 0 && upper[a]! < floor) continue;
      const o = offset[a]!;
      const cc = center[a]!;
      const sp = spread[a]!;
      let next = Number.POSITIVE_INFINITY;
      for (let i = 0; i < m; i++) {
        const v = cc + sp * z[o + i]!;
        if (c === 0 || v > best[i]!) {
          best[i] = v;
          arg[i] = a;
        }
        if (best[i]! < next) next = best[i]!;
      }
      floor = next;
    }
  }

  /** bestDrawsLinear for logistic arms: draws multiplier·sigmoidAt(center + spread·z) (table coordinates). */
  private bestDrawsLogit(nc: number, multiplier: Float64Array, m: number): void {
    const { contenders, offset, center, spread, upper, best, arg } = this;
    const z = this.table.z;
    let floor = Number.POSITIVE_INFINITY;
    for (let c = 0; c < nc; c++) {
      const a = contenders[c]!;
      if (this.pruning && c > 0 && upper[a]! < floor) continue;
      const o = offset[a]!;
      const cc = center[a]!;
      const sp = spread[a]!;
      const mult = multiplier[a]!;
      let next = Number.POSITIVE_INFINITY;
      // The first contender's draws start every best; the others' replace them where higher (two
      // loops, so the hot one has no test for the first contender).
      if (c === 0) {
        for (let i = 0; i < m; i++) {
          const v = mult * sigmoidAt(cc + sp * z[o + i]!);
          best[i] = v;
          arg[i] = a;
          if (v < next) next = v;
        }
      } else {
        for (let i = 0; i < m; i++) {
          const v = mult * sigmoidAt(cc + sp * z[o + i]!);
          const b = best[i]!;
          if (v > b) {
            best[i] = v;
            arg[i] = a;
            if (v < next) next = v;
          } else if (b < next) next = b;
        }
      }
      floor = next;
    }
  }

  /** Same policy with every normal drawn from `rng` (slow; only for very large arm sets). */
  private exploreFresh(input: ExploreInput, rng: Random, out: ExploreOutput): number {
    const { k, mean, width, multiplier, exploring, logit } = input;
    const m = this.draws;
    const pick = rng.int(m);
    const counts = this.counts;
    counts.fill(0, 0, k);
    const draw = new Float64Array(k);
    let first = 0;
    for (let i = 0; i < m; i++) {
      let best = Number.NEGATIVE_INFINITY;
      let arg = 0;
      for (let a = 0; a < k; a++) {
        draw[a] = rng.normal();
        const estimate = !exploring[a]
          ? mean[a]!
          : logit
            ? sigmoidFast(logit.mean[a]! + this.posteriorScale * logit.sd[a]! * draw[a]!)
            : mean[a]! + this.posteriorScale * width[a]! * draw[a]!;
        const v = multiplier[a]! * estimate;
        if (v > best) {
          best = v;
          arg = a;
        }
        if (i === pick) {
          out.estimates[a] = estimate;
          out.scores[a] = v;
        }
      }
      counts[arg] = counts[arg]! + 1;
      if (i === pick) first = arg;
    }
    for (let a = 0; a < k; a++) out.probabilities[a] = counts[a]! / m;
    return first;
  }
}
