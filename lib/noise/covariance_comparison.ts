/**
 * Compares an SGN covariance C with the Hessian, the post's Eq. 10 (C ≈ H/S): the least-squares
 * scale c in C ≈ c·H/S, the relative error after it, the Frobenius cosine and the overlap of the
 * top eigenspaces. Depends on stats/ and ml-matrix (symmetric eigen-decomposition).
 *
 * @module
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { assertRowMatrix, type RowMatrix } from "../stats/matrix.ts";
import { assertFinite, assertInteger, assertNoOverflow } from "../stats/validate.ts";

/** Result of {@link compareCovariance}. */
export interface CovarianceComparison {
  /** Least-squares scale c = ⟨C, H/S⟩_F / ‖H/S‖_F²: the best fit of C ≈ c·H/S. */
  scale: number;
  /** ‖C − c·H/S‖_F / ‖C‖_F (0 when C is exactly proportional to H; equals √(1 − cosine²)). */
  relativeError: number;
  /** Frobenius cosine ⟨C, H⟩_F / (‖C‖_F ‖H‖_F) ∈ [−1, 1]. */
  cosine: number;
  /** ‖V_C V_Hᵀ‖_F² / k ∈ [0, 1] for the top-k eigenvectors (rows of V_C, V_H). */
  overlap: number;
  /** The k used. */
  k: number;
  /** Eigenvalues of C, descending. */
  eigenvaluesC: Float64Array;
  /** Eigenvalues of H/S, descending. */
  eigenvaluesH: Float64Array;
}

/** Checks squareness, finiteness and symmetry (|A_ij − A_ji| ≤ 1e-8·max|A|). */
function checkSymmetric(name: string, a: RowMatrix): void {
  assertRowMatrix(name, a);
  const n = a.rows;
  if (a.cols !== n) throw new RangeError(`${name} must be square, got ${a.rows}×${a.cols}`);
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i]!));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const x = a.data[i * n + j]!, y = a.data[j * n + i]!;
      if (Math.abs(x - y) > 1e-8 * max) {
        throw new RangeError(
          `${name} must be symmetric: ${name}[${i}][${j}] = ${x} but ${name}[${j}][${i}] = ${y}`,
        );
      }
    }
  }
}

/** Eigenvalues (descending) and the matching unit eigenvectors as rows. */
function eigenDescending(a: RowMatrix, factor: number) {
  const n = a.rows, m = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      m.set(i, j, 0.5 * factor * (a.data[i * n + j]! + a.data[j * n + i]!));
    }
  }
  const e = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const vals = e.realEigenvalues, vecs = e.eigenvectorMatrix;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => vals[y]! - vals[x]!);
  const values = Float64Array.from(order, (i) => vals[i]!);
  const rows = new Float64Array(n * n);
  order.forEach((i, r) => {
    for (let t = 0; t < n; t++) rows[r * n + t] = vecs.get(t, i);
  });
  return { values, rows };
}

/**
 * Compares an SGN covariance C with H/S (the post's Eq. 10, C ≈ H/S):
 *
 * - `scale` c minimising ‖C − c·H/S‖_F: c = ⟨C, H/S⟩_F / ‖H/S‖_F²
 *   (c = 1 for C = H/S; c = σ² for least squares with Gaussian noise of
 *   variance σ² at the optimum);
 * - `relativeError` ‖C − c·H/S‖_F / ‖C‖_F after that scaling;
 * - `cosine` ⟨C, H⟩_F / (‖C‖_F ‖H‖_F), scale free;
 * - `overlap` ‖V_C V_Hᵀ‖_F² / k of the top-k (largest algebraic) eigenvectors
 *   (rows of V_C and V_H): 1 when the top-k eigenspaces coincide, k/n on
 *   average for unrelated random subspaces, 0 when orthogonal. The top-k
 *   eigenspace is ill-defined if λ_k = λ_{k+1}; with k = n it is always 1.
 *
 * Both matrices must be square, of equal size, finite and symmetric; they
 * are symmetrised before the eigen-decompositions (ml-matrix).
 *
 * @param c SGN covariance (n × n), e.g. from {@link empiricalSgnCovariance}
 * @param h Hessian (n × n), e.g. `hessianMatrix` or {@link projectedHessian}
 * @param batchSize S ≥ 1
 * @param options k (default min(5, n)), 1 ≤ k ≤ n
 * @returns {@link CovarianceComparison}
 * @example
 * ```ts
 * import { compareCovariance } from "./covariance_comparison.ts";
 * const h = { rows: 2, cols: 2, data: new Float64Array([2, 0, 0, 1]) };
 * const c = { rows: 2, cols: 2, data: new Float64Array([1, 0, 0, 0.5]) }; // = H/2
 * const r = compareCovariance(c, h, 2, { k: 1 });
 * if (Math.abs(r.scale - 1) > 1e-12 || r.relativeError > 1e-12) throw new Error("C = H/S");
 * ```
 */
export function compareCovariance(
  c: RowMatrix,
  h: RowMatrix,
  batchSize: number,
  options: { k?: number } = {},
): CovarianceComparison {
  checkSymmetric("C", c);
  checkSymmetric("H", h);
  if (h.rows !== c.rows) {
    throw new RangeError(
      `H must have the shape of C (${c.rows}×${c.cols}), got ${h.rows}×${h.cols}`,
    );
  }
  assertInteger("batchSize", batchSize, 1);
  const n = c.rows, { k = Math.min(5, n) } = options;
  assertInteger("k", k, 1);
  if (k > n) throw new RangeError(`k must be <= ${n}, got ${k}`);
  let ch = 0, cc = 0, hh = 0;
  for (let i = 0; i < n * n; i++) {
    const x = c.data[i]!, y = h.data[i]! / batchSize;
    ch += x * y;
    cc += x * x;
    hh += y * y;
  }
  assertNoOverflow("C", "Σ C²", cc);
  assertNoOverflow("H", "Σ (H/batchSize)²", hh);
  if (hh === 0) throw new RangeError("H must not be zero");
  if (cc === 0) throw new RangeError("C must not be zero");
  const scale = ch / hh;
  let err = 0;
  for (let i = 0; i < n * n; i++) err += (c.data[i]! - scale * (h.data[i]! / batchSize)) ** 2;
  const ec = eigenDescending(c, 1), eh = eigenDescending(h, 1 / batchSize);
  let ov = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let d = 0;
      for (let t = 0; t < n; t++) d += ec.rows[i * n + t]! * eh.rows[j * n + t]!;
      ov += d * d;
    }
  }
  const result = {
    scale,
    relativeError: Math.sqrt(err / cc),
    cosine: ch / Math.sqrt(cc * hh),
    overlap: ov / k,
    k,
    eigenvaluesC: ec.values,
    eigenvaluesH: eh.values,
  };
  assertFinite("scale", result.scale);
  if (![result.relativeError, result.cosine, result.overlap].every(Number.isFinite)) {
    throw new RangeError(
      `C and H/batchSize overflow double precision (cosine ${result.cosine}); rescale them`,
    );
  }
  return result;
}
