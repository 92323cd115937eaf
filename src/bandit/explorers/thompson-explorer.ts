/**
 * Linear Thompson sampling over disjoint arms, reduced to one dimension: with θ_a ~ N(θ̂_a, v²A_a⁻¹),
 * the score m_a·x_aᵀθ_a is exactly N(m_a·μ_a, (m_a·v·w_a)²), w_a = sqrt(x_aᵀA_a⁻¹x_a). So a
 * posterior draw costs one normal per arm, not a Cholesky solve.
 *
 * Each decision takes M posterior draws (rows of a cached table of standard normals, at a random
 * row offset and column rotation), counts how often each arm is the argmax, and then uses ONE of
 * those M draws, chosen uniformly, as the decision. The logged P(first) = count/M is therefore
 * exact for the policy actually run; against idealised infinite-draw Thompson sampling it is a Monte
 * Carlo estimate with standard error sqrt(p(1 − p)/M) (M = 1024: at most 0.016, 0.0068 at p = 0.05).
 */
import { createRandom, type Random } from "../../random/seeded-random.js";
import type { ExploreInput, ExploreOutput, Explorer } from "./explorer.js";

const ROWS = 4096;
/** Table columns: arm a reads column (a + rotation) mod 32; arm a + 32 the same column M rows further on. */
const COLS = 32;

interface NormalTable {
  readonly z: Float32Array;
  /** max |z| over the table: bounds every draw, which makes arm pruning exact. */
  readonly zmax: number;
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
    let zmax = 0;
    for (let i = 0; i < z.length; i++) {
      z[i] = rng.normal();
      if (Math.abs(z[i]!) > zmax) zmax = Math.abs(z[i]!);
    }
    table = { z, zmax };
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
  private best = new Float64Array(0);
  private arg = new Int32Array(0);
  private readonly table = normalTable();

  constructor(
    private readonly posteriorScale: number,
    private readonly draws: number,
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
  }

  explore(input: ExploreInput, rng: Random, out: ExploreOutput): number {
    const { k, mean, width, multiplier, exploring, meanScore } = input;
    this.ensure(k);
    const m = this.draws;
    const blocks = Math.ceil(k / COLS);
    // Too many arms for independent table columns: draw every normal from the generator instead.
    if (blocks * m > ROWS) return this.exploreFresh(input, rng, out);

    const { center, spread, counts, offset, contenders } = this;
    const zmax = this.table.zmax;
    let bestLower = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < k; a++) {
      center[a] = meanScore[a]!;
      spread[a] = exploring[a] ? multiplier[a]! * this.posteriorScale * width[a]! : 0;
      const lower = center[a]! - spread[a]! * zmax;
      if (lower > bestLower) bestLower = lower;
    }
    const pick = rng.int(m);
    const row0 = rng.int(ROWS - blocks * m + 1);
    const col0 = rng.int(COLS);
    // An arm whose best possible draw is below another arm's worst possible draw is never first.
    let nc = 0;
    for (let a = 0; a < k; a++) {
      counts[a] = 0;
      offset[a] = ((a + col0) % COLS) * ROWS + row0 + Math.floor(a / COLS) * m;
      if (center[a]! + spread[a]! * zmax >= bestLower) contenders[nc++] = a;
    }
    // Highest mean score first: later arms then rarely beat the running best, so the comparison in the
    // hot loop is predictable (2-3x faster than index order when arms overlap). Insertion sort: k is small.
    for (let c = 1; c < nc; c++) {
      const a = contenders[c]!;
      let j = c - 1;
      while (j >= 0 && center[contenders[j]!]! < center[a]!) {
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
    const { best, arg } = this;
    const z = this.table.z;
    {
      const a = contenders[0]!;
      const o = offset[a]!;
      const cc = center[a]!;
      const sp = spread[a]!;
      for (let i = 0; i < m; i++) {
        best[i] = cc + sp * z[o + i]!;
        arg[i] = a;
      }
    }
    for (let c = 1; c < nc; c++) {
      const a = contenders[c]!;
      const o = offset[a]!;
      const cc = center[a]!;
      const sp = spread[a]!;
      for (let i = 0; i < m; i++) {
        const v = cc + sp * z[o + i]!;
        if (v > best[i]!) {
          best[i] = v;
          arg[i] = a;
        }
      }
    }
    for (let i = 0; i < m; i++) counts[arg[i]!] = counts[arg[i]!]! + 1;
    for (let a = 0; a < k; a++) {
      const draw = z[offset[a]! + pick]!;
      const estimate = exploring[a] ? mean[a]! + this.posteriorScale * width[a]! * draw : mean[a]!;
      out.estimates[a] = estimate;
      out.scores[a] = multiplier[a]! * estimate;
    }
    for (let a = 0; a < k; a++) out.probabilities[a] = counts[a]! / m;
    return arg[pick]!;
  }

  /** Same policy with every normal drawn from `rng` (slow; only for very large arm sets). */
  private exploreFresh(input: ExploreInput, rng: Random, out: ExploreOutput): number {
    const { k, mean, width, multiplier, exploring } = input;
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
        const estimate = exploring[a] ? mean[a]! + this.posteriorScale * width[a]! * draw[a]! : mean[a]!;
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
