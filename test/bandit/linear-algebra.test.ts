import { describe, expect, it } from "vitest";
import {
  invertSpd,
  pack,
  packedIdentity,
  packedMatVec,
  packedQuadForm,
  packedSize,
  shermanMorrisonUpdate,
  unpack,
} from "../../src/bandit/linear-algebra.js";
import { createRandom } from "../../src/random/seeded-random.js";

const n = 12;

function randomVector(rng: ReturnType<typeof createRandom>, sparse = false): Float64Array {
  return new Float64Array(n).map(() => (sparse && rng.next() < 0.5 ? 0 : rng.normal()));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe("packed symmetric matrices", () => {
  it("round-trips between packed and full storage", () => {
    const rng = createRandom(1);
    const p = new Float64Array(packedSize(n)).map(() => rng.normal());
    expect(pack(unpack(p, n), n)).toEqual(p);
  });

  it("multiplies and takes sparse quadratic forms like the full matrix", () => {
    const rng = createRandom(2);
    const p = new Float64Array(packedSize(n)).map(() => rng.normal());
    const full = unpack(p, n);
    const x = randomVector(rng, true);
    const expected = new Float64Array(n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) expected[i] = expected[i]! + full[i * n + j]! * x[j]!;
    expect(maxAbsDiff(packedMatVec(p, n, x, new Float64Array(n)), expected)).toBeLessThan(1e-12);
    const nz = Int32Array.from([...x.keys()].filter((i) => x[i] !== 0));
    const quad = expected.reduce((s, v, i) => s + v * x[i]!, 0);
    expect(packedQuadForm(p, n, x, nz, nz.length)).toBeCloseTo(quad, 10);
  });
});

describe("Sherman-Morrison", () => {
  it("matches the direct inverse of λI + Σ x xᵀ after many updates", () => {
    const rng = createRandom(3);
    const lambda = 0.5;
    const aInv = packedIdentity(n, 1 / lambda, new Float64Array(packedSize(n)));
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) a[i * n + i] = lambda;
    const u = new Float64Array(n);
    for (let t = 0; t < 500; t++) {
      const x = randomVector(rng, true);
      const denominator = shermanMorrisonUpdate(aInv, n, x, u);
      expect(denominator).toBeGreaterThanOrEqual(1);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = a[i * n + j]! + x[i]! * x[j]!;
    }
    const direct = invertSpd(a, n);
    const scale = Math.max(...direct.map(Math.abs));
    expect(maxAbsDiff(unpack(aInv, n), direct) / scale).toBeLessThan(1e-10);
  });

  it("stays accurate over 100,000 updates (no drift worth a periodic re-inversion)", () => {
    const rng = createRandom(4);
    const aInv = packedIdentity(n, 1, new Float64Array(packedSize(n)));
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) a[i * n + i] = 1;
    const u = new Float64Array(n);
    for (let t = 0; t < 100_000; t++) {
      const x = randomVector(rng, true).map((v) => v * 0.5);
      shermanMorrisonUpdate(aInv, n, x, u);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = a[i * n + j]! + x[i]! * x[j]!;
    }
    const direct = invertSpd(a, n);
    const scale = Math.max(...direct.map(Math.abs));
    expect(maxAbsDiff(unpack(aInv, n), direct) / scale).toBeLessThan(1e-8);
  });

  it("invertSpd refuses a matrix that is not positive definite", () => {
    expect(() => invertSpd([1, 2, 2, 1], 2)).toThrow(/positive definite/);
  });
});
