/**
 * Zeroes the first-layer weights of input columns that were never non-zero in training (a
 * category's unseen column, a constant feature). No gradient ever reached them, so they still hold
 * their random initial values; left in place, a new category at serving time would shift the score
 * by that noise. Zero means "no evidence": the unseen value scores like the reference level.
 */
import type { Matrix } from "../prep/encode-table.js";
import type { DenseLayer } from "../tf/build-network.js";

export function unusedColumns(x: Matrix): number[] {
  const used = new Uint8Array(x.width);
  for (let i = 0; i < x.data.length; i++) if (x.data[i] !== 0) used[i % x.width] = 1;
  const out: number[] = [];
  used.forEach((u, c) => {
    if (u === 0) out.push(c);
  });
  return out;
}

export function zeroUnusedInputs(layers: readonly DenseLayer[], x: Matrix): DenseLayer[] {
  const [first, ...rest] = layers;
  if (!first) return [];
  const kernel = Float32Array.from(first.kernel);
  for (const c of unusedColumns(x)) kernel.fill(0, c * first.units, (c + 1) * first.units);
  return [{ ...first, kernel }, ...rest];
}
