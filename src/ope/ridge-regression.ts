/** Small dense ridge-regression helpers: accumulate XᵀX and Xᵀy, then solve by Cholesky. */

/** Adds z zᵀ·c to the upper triangle of the d×d row-major matrix `a`, and z·y·c to `b`. */
export function accumulate(a: Float64Array, b: Float64Array, z: Float64Array, y: number, c = 1): void {
  const d = z.length;
  for (let i = 0; i < d; i++) {
    const zi = z[i]!;
    if (zi === 0) continue;
    const ci = c * zi;
    b[i] = b[i]! + ci * y;
    const row = i * d;
    for (let j = i; j < d; j++) {
      const zj = z[j]!;
      if (zj !== 0) a[row + j] = a[row + j]! + ci * zj;
    }
  }
}

/**
 * Solves (A + λI) θ = b for a symmetric positive semi-definite A given by its upper triangle
 * (row-major d×d); λ > 0 makes it definite. Returns θ; A and b are left untouched.
 */
export function solveRidge(a: Float64Array, b: Float64Array, lambda: number): Float64Array {
  const d = b.length;
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[j * d + i]! + (i === j ? lambda : 0);
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      l[i * d + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j * d + j]!;
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * y[k]!;
    y[i] = s / l[i * d + i]!;
  }
  const theta = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * theta[k]!;
    theta[i] = s / l[i * d + i]!;
  }
  return theta;
}
