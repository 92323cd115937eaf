/**
 * The training rows as bins, in the two layouts the booster needs:
 *
 * - column-major bins (`bins[f * rows + r]`), to send a node's rows left or right on one column;
 * - per row, only the bins that are not the column's most frequent one (CSR, global bin ids), to
 *   build histograms. Most encoded columns are one-hot or spiky counts, so a row has few such bins;
 *   a column's most frequent bin is filled in afterwards as node total minus the other bins.
 *   On the generated propensity inputs a row has about 12 of its 55 cells off their column's most
 *   frequent bin, so a histogram costs a fifth of a dense pass (churn: 6 of 10).
 */
import type { Matrix } from "../prep/encode-table.js";
import { binOf, fitBoundaries } from "./bins.js";

export interface BinnedMatrix {
  readonly rows: number;
  readonly width: number;
  /** Per column, its float32 thresholds (bins - 1 of them). */
  readonly bounds: readonly Float32Array[];
  /** Per column, its first global bin id; `offsets[width]` is the total. */
  readonly offsets: Uint32Array;
  /** Per column, its most frequent bin (local id). */
  readonly defaultBin: Uint8Array;
  /** Column-major bin of every cell. */
  readonly bins: Uint8Array;
  /** Row r's non-default global bin ids are `entries[rowStart[r] .. rowStart[r + 1])`. */
  readonly rowStart: Uint32Array;
  readonly entries: Uint32Array;
}

export function binMatrix(x: Matrix, maxBins: number): BinnedMatrix {
  const { rows, width, data } = x;
  const bounds: Float32Array[] = [];
  const offsets = new Uint32Array(width + 1);
  const defaultBin = new Uint8Array(width);
  const bins = new Uint8Array(rows * width);
  const column = new Float32Array(rows);
  let nonDefault = 0;
  for (let f = 0; f < width; f++) {
    for (let r = 0; r < rows; r++) column[r] = data[r * width + f]!;
    const b = fitBoundaries(column, maxBins);
    bounds.push(b);
    offsets[f + 1] = offsets[f]! + b.length + 1;
    const counts = new Uint32Array(b.length + 1);
    const base = f * rows;
    for (let r = 0; r < rows; r++) {
      const bin = binOf(column[r]!, b);
      bins[base + r] = bin;
      counts[bin]!++;
    }
    let top = 0;
    for (let k = 1; k < counts.length; k++) if (counts[k]! > counts[top]!) top = k;
    defaultBin[f] = top;
    nonDefault += rows - counts[top]!;
  }
  const rowStart = new Uint32Array(rows + 1);
  const entries = new Uint32Array(nonDefault);
  let k = 0;
  for (let r = 0; r < rows; r++) {
    rowStart[r] = k;
    for (let f = 0; f < width; f++) {
      const bin = bins[f * rows + r]!;
      if (bin !== defaultBin[f]) entries[k++] = offsets[f]! + bin;
    }
  }
  rowStart[rows] = k;
  return { rows, width, bounds, offsets, defaultBin, bins, rowStart, entries };
}
