/** Log-odds are clamped here before σ (a diverged θ must not produce NaN or a 0 weight). */
const Z_LIMIT = 30;

/** σ(z) = 1 / (1 + e^−z), with z clamped to ±30: the logistic arms' link, in their updates and draws. */
export function sigmoid(z: number): number {
  const c = z > Z_LIMIT ? Z_LIMIT : z < -Z_LIMIT ? -Z_LIMIT : z;
  return 1 / (1 + Math.exp(-c));
}

/** Table steps per unit of log-odds: linear interpolation between them is within 1e-6 of σ. */
const STEPS = 128;
let table: Float64Array | undefined;

/**
 * σ(z) from a table with linear interpolation (z clamped to ±30), for Thompson sampling's draw loop,
 * where an exp per draw would cost more than the rest of a decision's exploration. Monotone, and the
 * one function the draws and the played estimate both use, so the logged probabilities stay exact
 * for the policy run. Within 1e-6 of `sigmoid`.
 */
export function sigmoidFast(z: number): number {
  if (!table) {
    table = new Float64Array(2 * Z_LIMIT * STEPS + 2);
    for (let i = 0; i < table.length; i++) table[i] = sigmoid(i / STEPS - Z_LIMIT);
  }
  const c = z > Z_LIMIT ? Z_LIMIT : z < -Z_LIMIT ? -Z_LIMIT : z;
  const u = (c + Z_LIMIT) * STEPS;
  const i = Math.floor(u);
  const lo = table[i]!;
  return lo + (table[i + 1]! - lo) * (u - i);
}
