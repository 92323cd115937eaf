/**
 * Platt scaling folded into the network. Class weights help a rare class get learned but shift the
 * predicted probabilities upward; arbitration multiplies propensity by value, so probabilities must
 * be honest. A two-parameter logistic fit p = σ(a·z + c) of the labels on the model's logit z, on
 * validation rows, is then folded into the last dense layer (W' = aW, b' = ab + c): the exported
 * graph stays Gemm + Sigmoid and needs no extra node.
 */
import type { DenseLayer } from "./build-network.js";

export interface Platt {
  readonly a: number;
  readonly c: number;
}

const logit = (p: number): number => {
  const q = Math.min(1 - 1e-7, Math.max(1e-7, p));
  return Math.log(q / (1 - q));
};

/** Newton-Raphson on the 2-parameter log-likelihood, with a tiny ridge so separable data cannot diverge. */
export function fitPlatt(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  iterations = 50,
): Platt {
  const z = Float64Array.from({ length: probabilities.length }, (_, i) => logit(probabilities[i]!));
  let a = 1;
  let c = 0;
  const ridge = 1e-6;
  for (let it = 0; it < iterations; it++) {
    let ga = -ridge * (a - 1);
    let gc = -ridge * c;
    let haa = ridge;
    let hac = 0;
    let hcc = ridge;
    for (let i = 0; i < z.length; i++) {
      const p = 1 / (1 + Math.exp(-(a * z[i]! + c)));
      const r = (labels[i] === 1 ? 1 : 0) - p;
      const w = p * (1 - p);
      ga += r * z[i]!;
      gc += r;
      haa += w * z[i]! * z[i]!;
      hac += w * z[i]!;
      hcc += w;
    }
    const det = haa * hcc - hac * hac;
    if (!(det > 0)) break;
    const da = (hcc * ga - hac * gc) / det;
    const dc = (haa * gc - hac * ga) / det;
    a += da;
    c += dc;
    if (Math.abs(da) + Math.abs(dc) < 1e-10) break;
  }
  return { a, c };
}

/** The last layer with the calibration folded in. */
export function foldPlatt(layer: DenseLayer, { a, c }: Platt): DenseLayer {
  return {
    ...layer,
    kernel: layer.kernel.map((w) => w * a),
    bias: layer.bias.map((b) => b * a + c),
  };
}
