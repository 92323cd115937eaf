/**
 * Gradient histograms: per global bin, the sum of the gradients and of the hessians of a node's
 * rows, interleaved (`hist[2 · bin]` gradient, `hist[2 · bin + 1]` hessian), in float64 so that
 * subtracting one child from its parent loses nothing that matters.
 */
import type { BinnedMatrix } from "./binned-matrix.js";

export const histogramLength = (m: BinnedMatrix): number => 2 * m.offsets[m.width]!;

export interface NodeSums {
  readonly g: number;
  readonly h: number;
}

/**
 * Fills `hist` with the sums over `rows[from..to)` and returns the node's totals. Only the rows'
 * non-default bins are visited; each column's most frequent bin is then the node total minus the
 * column's other bins.
 */
export function buildHistogram(
  hist: Float64Array,
  m: BinnedMatrix,
  rows: Uint32Array,
  from: number,
  to: number,
  grad: Float64Array,
  hess: Float64Array,
): NodeSums {
  hist.fill(0);
  const { rowStart, entries } = m;
  let g = 0;
  let h = 0;
  for (let i = from; i < to; i++) {
    const r = rows[i]!;
    const gr = grad[r]!;
    const hr = hess[r]!;
    g += gr;
    h += hr;
    const end = rowStart[r + 1]!;
    for (let k = rowStart[r]!; k < end; k++) {
      const e = entries[k]! << 1;
      hist[e] = hist[e]! + gr;
      hist[e + 1] = hist[e + 1]! + hr;
    }
  }
  fillDefaultBins(hist, m, g, h);
  return { g, h };
}

/** Sets each column's most frequent bin to the node total minus the column's other bins. */
export function fillDefaultBins(hist: Float64Array, m: BinnedMatrix, g: number, h: number): void {
  const { offsets, defaultBin, width } = m;
  for (let f = 0; f < width; f++) {
    let sg = 0;
    let sh = 0;
    const start = offsets[f]!;
    const end = offsets[f + 1]!;
    for (let b = start; b < end; b++) {
      sg += hist[2 * b]!;
      sh += hist[2 * b + 1]!;
    }
    const d = 2 * (start + defaultBin[f]!);
    hist[d] = g - sg;
    hist[d + 1] = h - sh;
  }
}

/** parent ← parent − child: the sibling's histogram, without visiting its rows. */
export function subtractHistogram(parent: Float64Array, child: Float64Array): void {
  for (let i = 0; i < parent.length; i++) parent[i]! -= child[i]!;
}
