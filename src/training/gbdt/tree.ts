/**
 * One regression tree on the gradients, grown best-first: the leaf whose best split gains most is
 * split next, until `maxLeaves` leaves or no split gains anything; no branch goes below `maxDepth`.
 *
 * Why best-first rather than level by level: with the same number of leaves it spends them where
 * the loss falls most (a deep branch for a rare, well-separated segment, a stump elsewhere), which is
 * what lets 31 leaves do the work of depth 6's 64; `maxDepth` still bounds how narrow a rule gets.
 * With `maxLeaves = 2^maxDepth` it grows the same tree as depth-wise growth.
 *
 * Each node's rows are a contiguous range of one index buffer, partitioned in place (stably, so
 * rows stay ascending and histogram building walks memory forwards). Only the smaller child's
 * histogram is built from its rows; the larger one is the parent's minus it.
 */
import type { BinnedMatrix } from "./binned-matrix.js";
import { buildHistogram, histogramLength, subtractHistogram } from "./histogram.js";
import { bestSplit, leafWeight, type SplitChoice, type SplitRules } from "./split.js";

/** A tree as flat arrays, node 0 the root; a node with `feature[i] < 0` is a leaf. */
export interface Tree {
  readonly feature: Int32Array;
  /** float32 split value: x <= threshold goes to `left`. */
  readonly threshold: Float32Array;
  /** The split as a bin of the training columns (bins <= this go left); training only. */
  readonly bin: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Leaf values (learning rate applied), float32 like the ONNX weights. */
  readonly value: Float32Array;
  /** Loss reduction of each split (0 at leaves), for feature importance. */
  readonly gain: Float64Array;
}

export interface GrowOptions extends SplitRules {
  readonly maxDepth: number;
  readonly maxLeaves: number;
  readonly learningRate: number;
}

interface OpenLeaf {
  readonly node: number;
  readonly from: number;
  readonly to: number;
  readonly depth: number;
  readonly g: number;
  readonly h: number;
  readonly hist: Float64Array;
  readonly split: SplitChoice | undefined;
}

/** Reusable buffers across trees (histograms are the big ones: 2 · total bins float64 each). */
export class TreeWorkspace {
  private readonly free: Float64Array[] = [];
  readonly scratch: Uint32Array;
  constructor(
    private readonly length: number,
    rows: number,
  ) {
    this.scratch = new Uint32Array(rows);
  }
  take(): Float64Array {
    return this.free.pop() ?? new Float64Array(this.length);
  }
  give(h: Float64Array): void {
    this.free.push(h);
  }
}

export function createWorkspace(m: BinnedMatrix): TreeWorkspace {
  return new TreeWorkspace(histogramLength(m), m.rows);
}

/** Moves rows[from..to) whose bin on `feature` is <= `bin` to the front, keeping order; returns the cut. */
function partition(
  m: BinnedMatrix,
  rows: Uint32Array,
  from: number,
  to: number,
  feature: number,
  bin: number,
  scratch: Uint32Array,
): number {
  const bins = m.bins;
  const base = feature * m.rows;
  let l = from;
  let s = 0;
  for (let i = from; i < to; i++) {
    const r = rows[i]!;
    if (bins[base + r]! <= bin) rows[l++] = r;
    else scratch[s++] = r;
  }
  rows.set(scratch.subarray(0, s), l);
  return l;
}

export function growTree(
  m: BinnedMatrix,
  rows: Uint32Array,
  rowCount: number,
  grad: Float64Array,
  hess: Float64Array,
  features: Int32Array,
  o: GrowOptions,
  work: TreeWorkspace,
): Tree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const bin: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const gain: number[] = [];
  const addNode = (): number => {
    feature.push(-1);
    threshold.push(0);
    bin.push(0);
    left.push(-1);
    right.push(-1);
    value.push(0);
    gain.push(0);
    return feature.length - 1;
  };
  const open = (
    node: number,
    from: number,
    to: number,
    depth: number,
    hist: Float64Array,
    g: number,
    h: number,
  ) => {
    const split = depth < o.maxDepth ? bestSplit(hist, m, features, g, h, o) : undefined;
    return { node, from, to, depth, g, h, hist, split };
  };
  const rootHist = work.take();
  const sums = buildHistogram(rootHist, m, rows, 0, rowCount, grad, hess);
  const leaves: OpenLeaf[] = [open(addNode(), 0, rowCount, 0, rootHist, sums.g, sums.h)];
  while (leaves.length < o.maxLeaves) {
    let pick = -1;
    for (let i = 0; i < leaves.length; i++) {
      const s = leaves[i]!.split;
      if (s && (pick < 0 || s.gain > leaves[pick]!.split!.gain)) pick = i;
    }
    if (pick < 0) break;
    const p = leaves[pick]!;
    const s = p.split!;
    const cut = partition(m, rows, p.from, p.to, s.feature, s.bin, work.scratch);
    const l = addNode();
    const r = addNode();
    feature[p.node] = s.feature;
    threshold[p.node] = m.bounds[s.feature]![s.bin]!;
    bin[p.node] = s.bin;
    left[p.node] = l;
    right[p.node] = r;
    gain[p.node] = s.gain;
    const leftSmaller = cut - p.from <= p.to - cut;
    const small = work.take();
    if (leftSmaller) buildHistogram(small, m, rows, p.from, cut, grad, hess);
    else buildHistogram(small, m, rows, cut, p.to, grad, hess);
    // The parent's histogram becomes the larger child's.
    subtractHistogram(p.hist, small);
    const large = p.hist;
    const [lh, rh] = leftSmaller ? [small, large] : [large, small];
    // Totals from the split scan, not the rebuilt sums, so both children agree with the parent.
    const lg = s.leftG;
    const lH = s.leftH;
    leaves.splice(
      pick,
      1,
      open(l, p.from, cut, p.depth + 1, lh, lg, lH),
      open(r, cut, p.to, p.depth + 1, rh, p.g - lg, p.h - lH),
    );
  }
  for (const leaf of leaves) {
    value[leaf.node] = Math.fround(o.learningRate * leafWeight(leaf.g, leaf.h, o.lambda));
    work.give(leaf.hist);
  }
  return {
    feature: Int32Array.from(feature),
    threshold: Float32Array.from(threshold),
    bin: Uint8Array.from(bin),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float32Array.from(value),
    gain: Float64Array.from(gain),
  };
}
