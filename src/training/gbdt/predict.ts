/**
 * Scoring with a tree ensemble, the way the exported ONNX graph does it: each tree is walked with
 * "x <= threshold goes left" on the float32 input (NaN goes right, as with the graph's missing
 * tracking off), the leaf values are summed onto the base score, and the sum goes through a sigmoid.
 */
import type { Matrix } from "../prep/encode-table.js";
import type { Tree } from "./tree.js";

export interface TreeEnsemble {
  /** Encoded columns the trees read (the ONNX input width). */
  readonly width: number;
  /** Margin every row starts from: the training rows' log-odds, float32. */
  readonly base: number;
  readonly trees: readonly Tree[];
  /** Total split gain per encoded column over the trees kept. */
  readonly importance: Float64Array;
}

/** The leaf value `tree` gives the row at `offset` of `data`. */
export function treeValue(tree: Tree, data: Float32Array, offset: number): number {
  let node = 0;
  let f = tree.feature[0]!;
  while (f >= 0) {
    node = data[offset + f]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
    f = tree.feature[node]!;
  }
  return tree.value[node]!;
}

/** Adds `tree`'s value to each row's margin. */
export function addTree(margins: Float64Array, tree: Tree, x: Matrix): void {
  for (let r = 0; r < x.rows; r++) margins[r]! += treeValue(tree, x.data, r * x.width);
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export function predictMargins(e: TreeEnsemble, x: Matrix): Float64Array {
  if (x.width !== e.width)
    throw new RangeError(`the trees read ${e.width} columns, the rows have ${x.width}`);
  const margins = new Float64Array(x.rows).fill(e.base);
  for (const tree of e.trees) addTree(margins, tree, x);
  return margins;
}

export function predictTreeProbabilities(e: TreeEnsemble, x: Matrix): Float32Array {
  const margins = predictMargins(e, x);
  return Float32Array.from(margins, sigmoid);
}
