/**
 * Pure maths over Float64Array for the ridge arms: symmetric matrices in packed upper-triangular,
 * row-major storage (row i holds columns i..n-1), so a quadratic form and a rank-1 update each touch
 * n(n+1)/2 numbers instead of n². Nothing here allocates except the explicit full-matrix helpers.
 */

/** Entries of a packed symmetric n×n matrix. */
export function packedSize(n: number): number {
  return (n * (n + 1)) / 2;
}

/** Offset of row i in packed storage; entry (i, j) with j >= i lives at `rowOffset(n, i) + j - i`. */
export function rowOffset(n: number, i: number): number {
  return i * n - (i * (i - 1)) / 2;
}

/** Writes `scale · I` into `out` (packed). */
export function packedIdentity(n: number, scale: number, out: Float64Array): Float64Array {
  out.fill(0);
  for (let i = 0; i < n; i++) out[rowOffset(n, i)] = scale;
  return out;
}

/** out = P x for a packed symmetric P. */
export function packedMatVec(
  p: Float64Array,
  n: number,
  x: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  out.fill(0, 0, n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    let acc = p[k]! * xi;
    k++;
    for (let j = i + 1; j < n; j++, k++) {
      const pij = p[k]!;
      acc += pij * x[j]!;
      out[j] = out[j]! + pij * xi;
    }
    out[i] = out[i]! + acc;
  }
  return out;
}

/**
 * xᵀ P x over the coordinates listed in `nz` (ascending, the first `count` entries); coordinates not
 * listed must be zero in x. A context vector is mostly zeros, so this is usually far below n²/2.
 */
export function packedQuadForm(
  p: Float64Array,
  n: number,
  x: ArrayLike<number>,
  nz: Int32Array,
  count: number,
): number {
  let total = 0;
  for (let a = 0; a < count; a++) {
    const i = nz[a]!;
    const base = rowOffset(n, i) - i;
    let acc = 0;
    for (let b = a + 1; b < count; b++) {
      const j = nz[b]!;
      acc += p[base + j]! * x[j]!;
    }
    const xi = x[i]!;
    total += xi * (p[base + i]! * xi + 2 * acc);
  }
  return total;
}

/** Σ θ_i x_i over the listed coordinates. */
export function sparseDot(theta: Float64Array, x: ArrayLike<number>, nz: Int32Array, count: number): number {
  let acc = 0;
  for (let a = 0; a < count; a++) {
    const i = nz[a]!;
    acc += theta[i]! * x[i]!;
  }
  return acc;
}

/**
 * Sherman-Morrison: replaces P = A⁻¹ with (A + w·x xᵀ)⁻¹ = P − w(P x)(P x)ᵀ / (1 + w·xᵀ P x), in
 * place (w = 1: an ordinary observation; a logistic arm's weight is p(1 − p)). `u` (length n)
 * receives P x (before the update). Returns 1 + w·xᵀ P x, which is >= 1 while P is positive definite
 * and w >= 0; the updated P times x is then u / that.
 */
export function shermanMorrisonUpdate(
  p: Float64Array,
  n: number,
  x: ArrayLike<number>,
  u: Float64Array,
  w = 1,
): number {
  packedMatVec(p, n, x, u);
  let xu = 0;
  for (let i = 0; i < n; i++) xu += x[i]! * u[i]!;
  const denominator = 1 + w * xu;
  const inv = w / denominator;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const ui = u[i]! * inv;
    for (let j = i; j < n; j++, k++) p[k] = p[k]! - ui * u[j]!;
  }
  return denominator;
}

/** Packed -> full n×n row-major (for tests and the occasional exact re-inversion). */
export function unpack(p: Float64Array, n: number): Float64Array {
  const full = new Float64Array(n * n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++, k++) {
      full[i * n + j] = p[k]!;
      full[j * n + i] = p[k]!;
    }
  }
  return full;
}

/** Full symmetric n×n -> packed (upper triangle). */
export function pack(
  full: ArrayLike<number>,
  n: number,
  out = new Float64Array(packedSize(n)),
): Float64Array {
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++, k++) out[k] = full[i * n + j]!;
  return out;
}

/**
 * Inverse of a symmetric positive-definite full matrix through its Cholesky factor; throws when the
 * matrix is not positive definite (a corrupt or diverged state).
 */
export function invertSpd(full: ArrayLike<number>, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = full[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) throw new RangeError("matrix is not positive definite");
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  // inv(L), lower triangular, then A⁻¹ = inv(L)ᵀ inv(L).
  const li = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    li[i * n + i] = 1 / l[i * n + i]!;
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i * n + k]! * li[k * n + j]!;
      li[i * n + j] = s / l[i * n + i]!;
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += li[k * n + i]! * li[k * n + j]!;
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
  return inv;
}
