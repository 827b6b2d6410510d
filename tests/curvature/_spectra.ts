/** Shared fixtures of the curvature/ tests: matrices with known spectra and a logistic problem. */
import { EigenvalueDecomposition, Matrix, QrDecomposition } from "ml-matrix";
import type { MatVec } from "../../lib/curvature/hessian_vector.ts";
import { createPrng, type Prng, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

/** Random orthogonal matrix: Q of the QR decomposition of a Gaussian matrix (ml-matrix). */
export function randomOrthogonal(prng: Prng, n: number): Matrix {
  const g = new Matrix(n, n);
  const z = sampleNormal(prng, n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g.set(i, j, z[i * n + j]!);
  return new QrDecomposition(g).orthogonalMatrix;
}

/** A = Q diag(λ) Qᵀ, row-major, with eigenvector i the column i of Q. */
export function withSpectrum(prng: Prng, lambda: number[]) {
  const n = lambda.length, q = randomOrthogonal(prng, n);
  const a = q.mmul(Matrix.diag(lambda)).mmul(q.transpose());
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const s = 0.5 * (a.get(i, j) + a.get(j, i));
      data[i * n + j] = s;
      data[j * n + i] = s;
    }
  }
  return { a: data, q, n };
}

export function denseMatVec(a: Float64Array, n: number): MatVec {
  return (v, out = new Float64Array(n)) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j]! * v[j]!;
      out[i] = s;
    }
    return out;
  };
}

export function column(q: Matrix, i: number): Float64Array {
  return Float64Array.from(q.getColumn(i));
}

/** Eigenvector up to sign: |⟨y, q⟩| = 1 for unit vectors. */
export function assertSameDirection(y: ArrayLike<number>, q: ArrayLike<number>, tol: number) {
  let d = 0;
  for (let i = 0; i < q.length; i++) d += y[i]! * q[i]!;
  const s = d < 0 ? -1 : 1;
  assertAllClose(Array.from(y, (x) => s * x), q, { atol: tol });
}

export function logisticProblem(seed: number, n: number, d: number) {
  const prng = createPrng(seed);
  const x = { rows: n, cols: d, data: sampleNormal(prng, n * d) };
  const y = Float64Array.from({ length: n }, () => (prng() < 0.5 ? 1 : 0));
  return { x, y, theta: sampleNormal(prng, d, 0, 0.7), prng };
}

/** 45 geometrically decaying positive eigenvalues and 15 negative ones. */
export const SPECTRUM = [
  ...Array.from({ length: 45 }, (_, i) => 10 * 0.85 ** i),
  ...Array.from({ length: 15 }, (_, i) => -0.3 * (i + 1)),
];

/** Eigenvalues of a dense symmetric matrix, descending, by ml-matrix (independent of Lanczos). */
export function withEigen(a: Float64Array, n: number): number[] {
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m.set(i, j, a[i * n + j]!);
  const e = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  return [...e.realEigenvalues].sort((x, y) => y - x);
}

/** Closed-form variance of one Rademacher probe value zᵀAz: 2(‖A‖_F² − Σ A_ii²). */
export function rademacherVariance(a: Float64Array, n: number): number {
  let off = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) off += a[i * n + j]! ** 2;
  return 2 * off;
}
