/**
 * Top eigenpairs of a symmetric matrix seen through its matvec (e.g. the Hessian of a network
 * through `makeHvp`) by the Lanczos method with full reorthogonalisation and restarts after a
 * breakdown. Depends on stats/ and the private Lanczos engine (_lanczos.ts).
 *
 * @module
 */
import type { DenseMatrix } from "../stats/matrix.ts";
import { fillNormal, type Prng } from "../stats/random.ts";
import {
  assertAllocation,
  assertFunction,
  assertInteger,
  assertOneOf,
  assertPositive,
} from "../stats/validate.ts";
import type { MatVec } from "./hessian_vector.ts";
import { Lanczos, tridiagonalEigen } from "./_lanczos.ts";
import { norm } from "./_vector.ts";

/** Indices of the k largest values (LA) or largest magnitudes (LM, ties: larger value first). */
function selectTop(vals: ArrayLike<number>, k: number, which: "LA" | "LM"): number[] {
  const order = Array.from({ length: vals.length }, (_, i) => i);
  if (which === "LA") order.sort((a, b) => vals[b]! - vals[a]!);
  else order.sort((a, b) => Math.abs(vals[b]!) - Math.abs(vals[a]!) || vals[b]! - vals[a]!);
  return order.slice(0, k);
}

/** Options of {@link topEigenpairs}. */
export interface EigenOptions {
  /** Uniform source for the random start vector (and restarts). */
  prng: Prng;
  /** Relative residual tolerance: stop when ‖A y − θ y‖ ≤ tol·|θ| for the top k. Default 1e-6. */
  tol?: number;
  /** Largest Krylov dimension (number of matvecs before the final k). Default min(dim, max(50, 10k)). */
  maxIter?: number;
  /** "LA": largest algebraic (default); "LM": largest magnitude. */
  which?: "LA" | "LM";
  /** Return a result flagged `converged: false` instead of throwing when maxIter is reached. */
  allowUnconverged?: boolean;
}

/** Result of {@link topEigenpairs}. */
export interface EigenResult {
  /** The k Ritz values, descending (LA) or by descending magnitude (LM). */
  values: Float64Array;
  /** k × dim, row i the unit Ritz vector of `values[i]`, sign: largest-magnitude entry positive. */
  vectors: DenseMatrix;
  /** True residual norms ‖A y_i − θ_i y_i‖ (k extra matvecs). */
  residuals: Float64Array;
  /** Dimension of the Krylov space built. */
  iterations: number;
  /** Total number of matvec calls. */
  matvecs: number;
  /** Whether the Lanczos residual estimates met the tolerance. */
  converged: boolean;
}

/**
 * The Ritz pairs (θ_i, Q s_i) of the selected eigenpairs of T, each Ritz vector normalised with its
 * largest-magnitude entry positive, and their true residuals ‖A y − θ y‖ (one matvec each).
 */
function ritzPairs(
  matvec: MatVec,
  dim: number,
  q: Float64Array[],
  eig: ReturnType<typeof tridiagonalEigen>,
  top: number[],
) {
  const k = top.length, m = q.length;
  const values = new Float64Array(k), vecs = new Float64Array(k * dim);
  const residuals = new Float64Array(k), av = new Float64Array(dim);
  for (let r = 0; r < k; r++) {
    const i = top[r]!;
    values[r] = eig.values[i]!;
    const y = vecs.subarray(r * dim, (r + 1) * dim);
    for (let j = 0; j < m; j++) {
      const s = eig.vectors.get(j, i), qj = q[j]!;
      for (let t = 0; t < dim; t++) y[t] = y[t]! + s * qj[t]!;
    }
    const n = norm(y);
    let big = 0;
    for (let t = 0; t < dim; t++) if (Math.abs(y[t]!) > Math.abs(y[big]!)) big = t;
    const f = (y[big]! < 0 ? -1 : 1) / n;
    for (let t = 0; t < dim; t++) y[t] = y[t]! * f;
    const ay = matvec(y, av);
    let res = 0;
    for (let t = 0; t < dim; t++) res += (ay[t]! - values[r]! * y[t]!) ** 2;
    residuals[r] = Math.sqrt(res);
  }
  return { values, vecs, residuals };
}

/**
 * Top-k eigenpairs of a symmetric matrix seen through its matvec, by the
 * Lanczos method (Lanczos 1950) with full reorthogonalisation (Golub & Van
 * Loan, "Matrix Computations", 4th ed., §10.3) and no restarts: the Krylov
 * space grows one vector per matvec up to `maxIter`. From a Gaussian start
 * vector q₁, m steps give A Q_m = Q_m T_m + β_m q_{m+1} e_mᵀ; the Ritz pairs
 * (θ_i, Q_m s_i) of the tridiagonal T_m (solved by ml-matrix's symmetric
 * `EigenvalueDecomposition`) have residual ‖A y_i − θ_i y_i‖ = β_m |e_mᵀ s_i|.
 * Iteration stops when that residual is ≤ tol·max(|θ_i|, ε·max_j |θ_j|) for
 * the top k Ritz values (checked after every step up to 40, then every
 * ⌈m/20⌉ steps). If the Krylov space becomes invariant (β_m ≤ 1e-10·‖T‖,
 * e.g. few distinct eigenvalues or low rank), it continues from a new random
 * vector orthogonal to Q_m (a new block of T, decoupled from the previous
 * ones). A block started from a random vector of the complement of the
 * earlier, invariant blocks finds the largest eigenvalue of A on that
 * complement, so after a breakdown convergence also requires the last
 * block's extreme Ritz value to be converged and, if that block is itself
 * invariant, to lie outside the top k (otherwise a further copy of an
 * eigenvalue could hide in the complement). This finds repeated eigenvalues
 * with their multiplicity when the Krylov space breaks down. Limitation of
 * single-vector Lanczos: an eigenvalue of exact multiplicity > 1 among many
 * distinct ones appears once in a Krylov space that never becomes invariant,
 * so the top k may skip its further copies (block Lanczos would not).
 * Memory: m vectors of length dim.
 *
 * @param matvec symmetric `v ↦ A v`
 * @param dim dimension of A
 * @param k number of eigenpairs, 1 ≤ k ≤ dim
 * @param options {@link EigenOptions}
 * @returns {@link EigenResult}; throws an Error if not converged within
 *   `maxIter` unless `allowUnconverged`
 * @example
 * ```ts
 * import { topEigenpairs } from "./eigenpairs.ts";
 * import { createPrng } from "../stats/random.ts";
 * const diag = new Float64Array([1, 5, 3, 2]);
 * const matvec = (v: Float64Array) => v.map((x, i) => diag[i]! * x);
 * const { values } = topEigenpairs(matvec, 4, 2, { prng: createPrng(0), tol: 1e-10 });
 * if (Math.abs(values[0]! - 5) > 1e-9 || Math.abs(values[1]! - 3) > 1e-9) throw new Error("top-2");
 * ```
 */
// About 90 lines: the Lanczos loop and its stopping rule (with the check after a breakdown) read best together.
export function topEigenpairs(
  matvec: MatVec,
  dim: number,
  k: number,
  options: EigenOptions,
): EigenResult {
  assertInteger("dim", dim, 1);
  assertInteger("k", k, 1);
  if (k > dim) throw new RangeError(`k must be <= dim (${dim}), got ${k}`);
  const { prng, tol = 1e-6, allowUnconverged = false } = options;
  assertPositive("tol", tol);
  const which = assertOneOf("which", options.which ?? "LA", ["LA", "LM"] as const);
  const maxIter = options.maxIter ?? Math.min(dim, Math.max(50, 10 * k));
  assertInteger("maxIter", maxIter, 1);
  if (maxIter < k) throw new RangeError(`maxIter must be >= k (${k}), got ${maxIter}`);
  const cap = Math.min(maxIter, dim);
  assertFunction("matvec", matvec);
  assertFunction("prng", prng);
  assertAllocation("min(maxIter, dim)·dim", cap * dim);

  const lz = new Lanczos(matvec, dim, fillNormal(prng, new Float64Array(dim)));
  let lastCheck = 0, converged = false, worst = Infinity, hidden = false;
  let top: number[] = [];
  let eig: ReturnType<typeof tridiagonalEigen> | null = null;
  for (;;) {
    const grew = lz.step();
    const m = lz.q.length;
    const more = grew || (m < cap && lz.restart(prng));
    const interval = m <= 40 ? 1 : Math.ceil(m / 20);
    if (m >= k && (m >= cap || !more || !grew || m - lastCheck >= interval)) {
      lastCheck = m;
      eig = tridiagonalEigen(lz.alpha, lz.offdiag, m);
      const vals = eig.values;
      top = selectTop(vals, k, which);
      let maxAbs = 0;
      for (let i = 0; i < m; i++) maxAbs = Math.max(maxAbs, Math.abs(vals[i]!));
      const bm = lz.beta[m - 1]!;
      const relRes = (est: number, theta: number) => {
        const bound = Math.max(Math.abs(theta), Number.EPSILON * maxAbs);
        return bound > 0 ? est / bound : est > 0 ? Infinity : 0;
      };
      worst = 0;
      for (const i of top) {
        worst = Math.max(worst, relRes(bm * Math.abs(eig.vectors.get(m - 1, i)), vals[i]!));
      }
      hidden = false;
      if (worst <= tol && m < dim && (lz.blocks.length > 1 || !grew)) {
        // After a breakdown, also certify the rest of the spectrum: the last block's
        // extreme Ritz values bound the eigenvalues of A on the complement of the
        // earlier (invariant) blocks.
        const b0 = lz.blocks.findLast((b) => b < m)!;
        const sub = tridiagonalEigen(lz.alpha.slice(b0), lz.offdiag.slice(b0), m - b0);
        const ends = which === "LA" ? [sub.values.length - 1] : [0, sub.values.length - 1];
        const kth = which === "LA" ? vals[top[k - 1]!]! : Math.abs(vals[top[k - 1]!]!);
        for (const e of ends) {
          const theta = sub.values[e]!;
          if (grew) {
            // Block still growing: its extreme must have converged.
            worst = Math.max(worst, relRes(bm * Math.abs(sub.vectors.get(m - b0 - 1, e)), theta));
          } else if ((which === "LA" ? theta : Math.abs(theta)) > kth) {
            // Invariant block whose extreme is inside the top k: further copies of it
            // may hide in the complement, so explore the next block.
            hidden = true;
          }
        }
      }
      if (worst <= tol && !hidden) {
        converged = true;
        break;
      }
    }
    if (m >= cap || !more) break;
  }
  if (!converged && Number.isNaN(worst)) {
    throw new RangeError(`matvec gave non-finite values: the Lanczos residual estimate is NaN`);
  }
  if (!converged && !allowUnconverged) {
    throw new RangeError(
      hidden
        ? `topEigenpairs did not converge in maxIter = ${maxIter} Lanczos steps: the Krylov ` +
          `space became invariant and its complement is not yet explored (raise maxIter)`
        : `topEigenpairs did not converge in maxIter = ${maxIter} Lanczos steps: worst ` +
          `relative residual ${worst} > tol = ${tol} (raise maxIter or tol, or pass allowUnconverged)`,
    );
  }
  const m = lz.q.length;
  const { values, vecs, residuals } = ritzPairs(matvec, dim, lz.q, eig!, top);
  if (!values.every(Number.isFinite) || !residuals.every(Number.isFinite)) {
    throw new RangeError(
      `matvec gave non-finite values: Ritz values ${Array.from(values).join(", ")}, ` +
        `residuals ${Array.from(residuals).join(", ")}`,
    );
  }
  return {
    values,
    vectors: { rows: k, cols: dim, data: vecs },
    residuals,
    iterations: m,
    matvecs: lz.matvecs + k,
    converged,
  };
}
