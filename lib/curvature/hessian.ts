/**
 * Curvature of the training loss through Hessian-vector products: the
 * products themselves (central differences of oracle gradients), a dense
 * Hessian for small models, its top eigenpairs (Lanczos with full
 * reorthogonalisation), its trace (Hutchinson) and its spectral density
 * (stochastic Lanczos quadrature).
 *
 * Every routine after the first two takes a {@link MatVec}, `v ↦ A v` for a
 * symmetric `dim × dim` matrix A, so it runs the same on a dense test matrix
 * and on the Hessian of a network seen through {@link makeHvp}.
 *
 * Matrices are returned as {@link DenseMatrix}: row-major `Float64Array`
 * data, `data[r * cols + c]` (the {@link RowMatrix} layout of `oracle.ts`).
 *
 * @module
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { checkIndices, type GradientOracle, type RowMatrix } from "../noise/oracle.ts";
import { fillNormal, type Prng } from "../stats/random.ts";
import { assertFinite, assertInteger } from "../stats/validate.ts";

/**
 * A symmetric linear map `v ↦ A v` on vectors of length `dim`. It must not
 * modify `v`; it may write the result into `out` (when given) and return it.
 */
export type MatVec = (v: Float64Array, out?: Float64Array) => Float64Array;

/** A {@link RowMatrix} whose data is a `Float64Array` (row-major). */
export interface DenseMatrix extends RowMatrix {
  readonly data: Float64Array;
}

/** Options of {@link hessianVectorProduct} and {@link makeHvp}. */
export interface HvpOptions {
  /**
   * Difference step h (the gradients are taken at θ ± h v). Default
   * `cbrt(precision) · (1 + ‖θ‖) / ‖v‖`.
   */
  step?: number;
  /**
   * Length t of the difference step in parameter space, h = t / ‖v‖
   * (replaces the scale `cbrt(precision) · (1 + ‖θ‖)` of the default; the
   * product stays linear in v). Use it when ‖θ‖ is a poor guide to the
   * scale on which the loss varies, e.g. after a rescaling of the
   * parameters. Not together with `step`.
   */
  distance?: number;
  /**
   * Relative precision ε of the oracle's gradients, used by the default step:
   * `Number.EPSILON` (default) for float64 oracles, `2 ** -23` for float32
   * networks.
   */
  precision?: number;
  /** Differentiate the minibatch loss over these examples instead of the full loss. */
  indices?: ArrayLike<number>;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}

/** Throws a RangeError unless `v` has length `dim` and finite entries. */
function checkVector(name: string, v: ArrayLike<number>, dim: number): void {
  if (v.length !== dim) throw new RangeError(`${name} must have length ${dim}, got ${v.length}`);
  for (let i = 0; i < dim; i++) {
    if (!Number.isFinite(v[i]!)) throw new RangeError(`${name}[${i}] must be finite, got ${v[i]}`);
  }
}

/**
 * Builds the Hessian-vector product of an oracle's loss at a fixed θ as a
 * {@link MatVec}, by central differences of gradients:
 *
 *   H v ≈ [∇L(θ + h v) − ∇L(θ − h v)] / (2h).
 *
 * Step rule: the error of a central difference of a gradient computed to
 * relative precision ε along the direction v/‖v‖ with step t = h‖v‖ is about
 * t² |∇³L| / 6 + ε |∇L| / t, smallest at t ∝ ε^{1/3} (Nocedal & Wright,
 * "Numerical Optimization", 2nd ed., §8.1). Taking the scale of the problem
 * from the parameters gives t = ε^{1/3} (1 + ‖θ‖), i.e.
 * h = ε^{1/3} (1 + ‖θ‖) / ‖v‖ (ε = 2^{-52}: a relative perturbation of θ
 * of about 6e-6; the error is O(ε^{2/3}) ≈ 4e-11 relative for float64
 * gradients). The step length does not depend on ‖v‖, so the product is
 * linear in v up to that error. The gradient is exact in the quadratic case
 * (least squares), where only roundoff remains.
 *
 * Why not exact double backprop (Pearlmutter 1994): the {@link GradientOracle}
 * exposes gradients only, and the tfjs models behind it would need a second
 * differentiation through custom-gradient kernels; two gradient calls per
 * product work for every oracle.
 *
 * The oracle's own parameters are saved before and restored after every
 * product (also when it throws).
 *
 * @param oracle gradient oracle
 * @param theta the point θ (length `oracle.dim`, finite); copied
 * @param options step, distance, precision, or minibatch indices (see {@link HvpOptions})
 * @returns `(v, out?) => H v`; `v = 0` gives zeros without calling the oracle
 * @example
 * ```ts
 * import { makeHvp } from "./hessian.ts";
 * import { LeastSquaresOracle } from "../noise/oracle.ts";
 * const x = { rows: 2, cols: 2, data: new Float64Array([1, 0, 0, 2]) };
 * const hvp = makeHvp(new LeastSquaresOracle(x, [0, 0]), [0, 0]);
 * const hv = hvp(new Float64Array([1, 1])); // H = XᵀX/2 = diag(0.5, 2)
 * if (Math.abs(hv[1]! - 2) > 1e-8) throw new Error("wrong product");
 * ```
 */
export function makeHvp(
  oracle: GradientOracle,
  theta: ArrayLike<number>,
  options: HvpOptions = {},
): MatVec {
  const dim = oracle.dim;
  checkVector("theta", theta, dim);
  const { step, distance, precision = Number.EPSILON, indices } = options;
  if (step !== undefined) {
    assertFinite("step", step);
    if (step <= 0) throw new RangeError(`step must be > 0, got ${step}`);
  }
  if (distance !== undefined) {
    if (step !== undefined) throw new TypeError("pass step or distance, not both");
    assertFinite("distance", distance);
    if (distance <= 0) throw new RangeError(`distance must be > 0, got ${distance}`);
  }
  assertFinite("precision", precision);
  if (precision <= 0 || precision >= 1) {
    throw new RangeError(`precision must be in (0, 1), got ${precision}`);
  }
  let batch: Int32Array | null = null;
  if (indices !== undefined) {
    checkIndices(indices, oracle.size);
    batch = Int32Array.from(indices);
  }
  const th = Float64Array.from(theta);
  const scale = distance ?? Math.cbrt(precision) * (1 + norm(th));
  const tp = new Float64Array(dim), tm = new Float64Array(dim);
  return (v: Float64Array, out?: Float64Array): Float64Array => {
    checkVector("v", v, dim);
    if (out !== undefined && out.length !== dim) {
      throw new RangeError(`out must have length ${dim}, got ${out.length}`);
    }
    const vn = norm(v);
    const res = out ?? new Float64Array(dim);
    if (vn === 0) return res.fill(0);
    const h = step ?? scale / vn;
    for (let j = 0; j < dim; j++) {
      tp[j] = th[j]! + h * v[j]!;
      tm[j] = th[j]! - h * v[j]!;
    }
    const saved = oracle.getParams();
    try {
      oracle.setParams(tp);
      const gp = batch ? oracle.batchGradient(batch) : oracle.fullGradient();
      oracle.setParams(tm);
      const gm = batch ? oracle.batchGradient(batch) : oracle.fullGradient();
      const inv = 1 / (2 * h);
      for (let j = 0; j < dim; j++) {
        const r = (gp[j]! - gm[j]!) * inv;
        if (!Number.isFinite(r)) {
          throw new RangeError(
            `Hessian-vector product is not finite at index ${j} (step ${h}): ` +
              `gradients ${gp[j]} and ${gm[j]}`,
          );
        }
        res[j] = r;
      }
    } finally {
      oracle.setParams(saved);
    }
    return res;
  };
}

/**
 * One Hessian-vector product H(θ) v of the oracle's loss (full loss, or the
 * minibatch loss over `options.indices`), by central differences of
 * gradients with the step rule of {@link makeHvp}: h = ε^{1/3} (1 + ‖θ‖) / ‖v‖.
 * Costs two gradient evaluations; the oracle's parameters are restored.
 *
 * @param oracle gradient oracle
 * @param theta the point θ (length `oracle.dim`, finite)
 * @param v the direction (length `oracle.dim`, finite)
 * @param options step, precision, minibatch indices
 * @returns H v as a new Float64Array
 * @example
 * ```ts
 * import { hessianVectorProduct } from "./hessian.ts";
 * import { LeastSquaresOracle } from "../noise/oracle.ts";
 * const x = { rows: 1, cols: 2, data: new Float64Array([1, 2]) };
 * const hv = hessianVectorProduct(new LeastSquaresOracle(x, [1]), [0, 0], [1, 0]);
 * // H = x xᵀ = [[1, 2], [2, 4]], so H e₁ = (1, 2)
 * if (Math.abs(hv[1]! - 2) > 1e-8) throw new Error("wrong product");
 * ```
 */
export function hessianVectorProduct(
  oracle: GradientOracle,
  theta: ArrayLike<number>,
  v: ArrayLike<number>,
  options: HvpOptions = {},
): Float64Array {
  const hvp = makeHvp(oracle, theta, options);
  return hvp(v instanceof Float64Array ? v : Float64Array.from(v));
}

/**
 * Dense Hessian of the oracle's loss for small models: `dim` products
 * H e_j (each column by {@link makeHvp}), then symmetrised, (H + Hᵀ)/2.
 * Costs 2·dim gradient evaluations and dim² doubles.
 *
 * @param oracle gradient oracle
 * @param theta the point θ
 * @param options {@link HvpOptions}, plus `maxDim` (default 4096): larger
 *   models throw instead of allocating a huge matrix
 * @returns the symmetric `dim × dim` {@link DenseMatrix}
 * @example
 * ```ts
 * import { hessianMatrix } from "./hessian.ts";
 * import { LeastSquaresOracle } from "../noise/oracle.ts";
 * const x = { rows: 1, cols: 2, data: new Float64Array([1, 2]) };
 * const h = hessianMatrix(new LeastSquaresOracle(x, [1]), [0.5, 0.5]);
 * if (Math.abs(h.data[3]! - 4) > 1e-8) throw new Error("H₂₂ = 4");
 * ```
 */
export function hessianMatrix(
  oracle: GradientOracle,
  theta: ArrayLike<number>,
  options: HvpOptions & { maxDim?: number } = {},
): DenseMatrix {
  const dim = oracle.dim, { maxDim = 4096 } = options;
  if (dim > maxDim) {
    throw new RangeError(
      `oracle.dim must be <= maxDim (${maxDim}) for a dense Hessian, got ${dim}`,
    );
  }
  const hvp = makeHvp(oracle, theta, options);
  const h = new Float64Array(dim * dim);
  const e = new Float64Array(dim), col = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    e[j] = 1;
    hvp(e, col);
    e[j] = 0;
    for (let i = 0; i < dim; i++) h[i * dim + j] = col[i]!;
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i + 1; j < dim; j++) {
      const s = 0.5 * (h[i * dim + j]! + h[j * dim + i]!);
      h[i * dim + j] = s;
      h[j * dim + i] = s;
    }
  }
  return { rows: dim, cols: dim, data: h };
}

/**
 * Fills `out` with Rademacher draws, each entry −1 or +1 with probability ½,
 * one `prng()` call per entry (`prng() < 0.5 ? -1 : 1`).
 *
 * @param prng uniform source
 * @param out array to fill in place
 * @returns `out`
 */
export function fillRademacher(prng: Prng, out: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = prng() < 0.5 ? -1 : 1;
  return out;
}

/** Relative size of the residual below which the Krylov space counts as invariant. */
const BREAKDOWN = 1e-10;

/**
 * Lanczos recurrence with full reorthogonalisation (two passes of modified
 * Gram–Schmidt against every stored vector, "twice is enough").
 * After m steps, A Q_m = Q_m T_m + β_m q_{m+1} e_mᵀ with T_m tridiagonal
 * (diagonal `alpha`, off-diagonal `offdiag`).
 */
class Lanczos {
  readonly q: Float64Array[] = [];
  readonly alpha: number[] = [];
  /** Coupling between q_j and q_{j+1} in T (0 after a restart). */
  readonly offdiag: number[] = [];
  /** Norm of the residual vector after step j. */
  readonly beta: number[] = [];
  /** Index of the first vector of each Krylov block (a new block starts at each restart). */
  readonly blocks: number[] = [0];
  matvecs = 0;
  private anorm = 0;
  private next: Float64Array | null;
  private readonly w: Float64Array;

  constructor(
    private readonly matvec: MatVec,
    private readonly dim: number,
    start: Float64Array,
  ) {
    this.w = new Float64Array(dim);
    const n = norm(start);
    for (let i = 0; i < dim; i++) start[i] = start[i]! / n;
    this.next = start;
  }

  /** One step; false when no next vector exists (invariant subspace or dim reached). */
  step(): boolean {
    const { dim, q, w } = this;
    const j = q.length, qj = this.next!;
    q.push(qj);
    const r = this.matvec(qj, w);
    this.matvecs++;
    if (r.length !== dim) throw new RangeError(`matvec must return length ${dim}, got ${r.length}`);
    if (r !== w) w.set(r);
    for (let i = 0; i < dim; i++) {
      if (!Number.isFinite(w[i]!)) {
        throw new RangeError(`matvec returned a non-finite value at Lanczos step ${j}: ${w[i]}`);
      }
    }
    const a = dot(qj, w);
    const bPrev = j > 0 ? this.offdiag[j - 1]! : 0;
    const qPrev = j > 0 ? q[j - 1]! : null;
    for (let i = 0; i < dim; i++) {
      w[i] = w[i]! - a * qj[i]! - (qPrev ? bPrev * qPrev[i]! : 0);
    }
    for (let pass = 0; pass < 2; pass++) {
      for (const qi of q) {
        const c = dot(qi, w);
        for (let i = 0; i < dim; i++) w[i] = w[i]! - c * qi[i]!;
      }
    }
    const b = norm(w);
    this.alpha.push(a);
    this.beta.push(b);
    this.anorm = Math.max(this.anorm, Math.abs(a) + b + bPrev);
    if (j + 1 >= dim || b <= BREAKDOWN * this.anorm) {
      this.offdiag.push(0);
      this.next = null;
      return false;
    }
    this.offdiag.push(b);
    const nx = new Float64Array(dim);
    for (let i = 0; i < dim; i++) nx[i] = w[i]! / b;
    this.next = nx;
    return true;
  }

  /** After a breakdown: continue from a random vector orthogonal to all stored ones. */
  restart(prng: Prng): boolean {
    const { dim, q } = this;
    if (q.length >= dim) return false;
    for (let attempt = 0; attempt < 10; attempt++) {
      const v = fillNormal(prng, new Float64Array(dim));
      const n0 = norm(v);
      for (let pass = 0; pass < 2; pass++) {
        for (const qi of q) {
          const c = dot(qi, v);
          for (let i = 0; i < dim; i++) v[i] = v[i]! - c * qi[i]!;
        }
      }
      const n = norm(v);
      if (n > 1e-8 * n0) {
        for (let i = 0; i < dim; i++) v[i] = v[i]! / n;
        this.next = v;
        this.blocks.push(q.length);
        return true;
      }
    }
    return false;
  }
}

/** Eigen-decomposition of the tridiagonal T_m: values ascending, vectors as columns. */
function tridiagonalEigen(alpha: number[], offdiag: number[], m: number) {
  const t = new Matrix(m, m);
  for (let i = 0; i < m; i++) {
    t.set(i, i, alpha[i]!);
    if (i + 1 < m) {
      t.set(i, i + 1, offdiag[i]!);
      t.set(i + 1, i, offdiag[i]!);
    }
  }
  const e = new EigenvalueDecomposition(t, { assumeSymmetric: true });
  return { values: e.realEigenvalues, vectors: e.eigenvectorMatrix };
}

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
 * import { topEigenpairs } from "./hessian.ts";
 * import { createPrng } from "../stats/random.ts";
 * const diag = new Float64Array([1, 5, 3, 2]);
 * const matvec = (v: Float64Array) => v.map((x, i) => diag[i]! * x);
 * const { values } = topEigenpairs(matvec, 4, 2, { prng: createPrng(0), tol: 1e-10 });
 * if (Math.abs(values[0]! - 5) > 1e-9 || Math.abs(values[1]! - 3) > 1e-9) throw new Error("top-2");
 * ```
 */
export function topEigenpairs(
  matvec: MatVec,
  dim: number,
  k: number,
  options: EigenOptions,
): EigenResult {
  assertInteger("dim", dim, 1);
  assertInteger("k", k, 1);
  if (k > dim) throw new RangeError(`k must be <= dim (${dim}), got ${k}`);
  const { prng, tol = 1e-6, which = "LA", allowUnconverged = false } = options;
  assertFinite("tol", tol);
  if (tol <= 0) throw new RangeError(`tol must be > 0, got ${tol}`);
  if (which !== "LA" && which !== "LM") {
    throw new RangeError(`which must be "LA" or "LM", got ${which}`);
  }
  const maxIter = options.maxIter ?? Math.min(dim, Math.max(50, 10 * k));
  assertInteger("maxIter", maxIter, 1);
  if (maxIter < k) throw new RangeError(`maxIter must be >= k (${k}), got ${maxIter}`);
  const cap = Math.min(maxIter, dim);

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
  if (!converged && !allowUnconverged) {
    throw new Error(
      hidden
        ? `topEigenpairs did not converge in maxIter = ${maxIter} Lanczos steps: the Krylov ` +
          `space became invariant and its complement is not yet explored (raise maxIter)`
        : `topEigenpairs did not converge in maxIter = ${maxIter} Lanczos steps: worst ` +
          `relative residual ${worst} > tol = ${tol} (raise maxIter or tol, or pass allowUnconverged)`,
    );
  }
  const m = lz.q.length;
  const values = new Float64Array(k), vecs = new Float64Array(k * dim);
  const residuals = new Float64Array(k), av = new Float64Array(dim);
  for (let r = 0; r < k; r++) {
    const i = top[r]!;
    values[r] = eig!.values[i]!;
    const y = vecs.subarray(r * dim, (r + 1) * dim);
    for (let j = 0; j < m; j++) {
      const s = eig!.vectors.get(j, i), qj = lz.q[j]!;
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
  return {
    values,
    vectors: { rows: k, cols: dim, data: vecs },
    residuals,
    iterations: m,
    matvecs: lz.matvecs + k,
    converged,
  };
}

/** Options of {@link hutchinsonTrace}. */
export interface TraceOptions {
  /** Uniform source of the Rademacher probes. */
  prng: Prng;
  /** Number of probes m ≥ 2. */
  samples: number;
}

/** Result of {@link hutchinsonTrace}. */
export interface TraceEstimate {
  /** Mean of the probe values, an unbiased estimate of tr(A). */
  estimate: number;
  /** Sample standard deviation of the probe values over √m. */
  standardError: number;
  /** The m probe values zᵀ A z. */
  samples: Float64Array;
}

/**
 * Hutchinson's trace estimator (Hutchinson 1989) with Rademacher probes:
 * tr(A) ≈ (1/m) Σ_{s=1}^m z_sᵀ A z_s, z_s with independent ±1 entries
 * ({@link fillRademacher}). Each term is unbiased; for symmetric A its
 * variance is 2(‖A‖_F² − Σ_i A_ii²), the smallest among probes with i.i.d.
 * entries. The standard error is estimated from the probe values.
 *
 * @param matvec symmetric `v ↦ A v`
 * @param dim dimension of A
 * @param options prng and number of probes
 * @returns {@link TraceEstimate}
 * @example
 * ```ts
 * import { hutchinsonTrace } from "./hessian.ts";
 * import { createPrng } from "../stats/random.ts";
 * const matvec = (v: Float64Array) => v.map((x) => 3 * x); // A = 3 I, variance 0
 * const t = hutchinsonTrace(matvec, 10, { prng: createPrng(1), samples: 4 });
 * if (t.estimate !== 30 || t.standardError !== 0) throw new Error("tr(3 I₁₀) = 30");
 * ```
 */
export function hutchinsonTrace(matvec: MatVec, dim: number, options: TraceOptions): TraceEstimate {
  assertInteger("dim", dim, 1);
  const { prng, samples } = options;
  assertInteger("samples", samples, 2);
  const z = new Float64Array(dim), az = new Float64Array(dim), vals = new Float64Array(samples);
  for (let s = 0; s < samples; s++) {
    fillRademacher(prng, z);
    const r = matvec(z, az);
    if (r.length !== dim) throw new RangeError(`matvec must return length ${dim}, got ${r.length}`);
    const q = dot(z, r);
    if (!Number.isFinite(q)) {
      throw new RangeError(`matvec gave a non-finite quadratic form at probe ${s}: ${q}`);
    }
    vals[s] = q;
  }
  let mean = 0;
  for (let s = 0; s < samples; s++) mean += vals[s]!;
  mean /= samples;
  let v = 0;
  for (let s = 0; s < samples; s++) v += (vals[s]! - mean) ** 2;
  return { estimate: mean, standardError: Math.sqrt(v / (samples - 1) / samples), samples: vals };
}

/** Options of {@link spectralDensity}. */
export interface SlqOptions {
  /** Uniform source of the Rademacher probes. */
  prng: Prng;
  /** Lanczos steps per probe, 1 ≤ steps ≤ dim. */
  steps: number;
  /** Number of probes ≥ 1. */
  probes: number;
}

/** Result of {@link spectralDensity}: a discrete measure Σ w_i δ(λ − λ_i). */
export interface SpectralDensity {
  /** Ritz values of all probes, concatenated. */
  nodes: Float64Array;
  /** Their weights (squared first components / probes); they sum to 1. */
  weights: Float64Array;
}

/**
 * Spectral density of a symmetric matrix by stochastic Lanczos quadrature
 * (Golub & Meurant 1994; Ubaru, Chen & Saad 2017; for Hessians of networks
 * Ghorbani, Krishnan & Xiao 2019). For each probe u = z/√dim, z Rademacher,
 * `steps` Lanczos steps with full reorthogonalisation give T with
 * eigenpairs (θ_i, s_i); the Gauss quadrature
 * uᵀ f(A) u ≈ Σ_i s_{1i}² f(θ_i) is exact for polynomials of degree
 * ≤ 2·steps − 1. Averaging over probes, the measure with nodes θ_i and
 * weights s_{1i}²/probes estimates the spectral density
 * φ(λ) = (1/dim) Σ_j δ(λ − λ_j): E[Σ w_i f(θ_i)] = tr f(A)/dim for such f
 * (because ‖z‖² = dim exactly). A probe whose Krylov space becomes invariant
 * earlier stops there (its quadrature is then exact for every f).
 *
 * @param matvec symmetric `v ↦ A v`
 * @param dim dimension of A
 * @param options prng, steps, probes
 * @returns {@link SpectralDensity}
 * @example
 * ```ts
 * import { spectralDensity } from "./hessian.ts";
 * import { createPrng } from "../stats/random.ts";
 * const diag = Float64Array.from({ length: 20 }, (_, i) => (i < 10 ? 1 : 4));
 * const matvec = (v: Float64Array) => v.map((x, i) => diag[i]! * x);
 * const d = spectralDensity(matvec, 20, { prng: createPrng(2), steps: 5, probes: 3 });
 * const mean = d.nodes.reduce((s, x, i) => s + x * d.weights[i]!, 0);
 * if (d.nodes.length !== 6) throw new Error("two distinct eigenvalues per probe");
 * if (mean < 1 || mean > 4) throw new Error("mean eigenvalue");
 * ```
 */
export function spectralDensity(
  matvec: MatVec,
  dim: number,
  options: SlqOptions,
): SpectralDensity {
  assertInteger("dim", dim, 1);
  const { prng, steps, probes } = options;
  assertInteger("steps", steps, 1);
  if (steps > dim) throw new RangeError(`steps must be <= dim (${dim}), got ${steps}`);
  assertInteger("probes", probes, 1);
  const nodes: number[] = [], weights: number[] = [];
  for (let p = 0; p < probes; p++) {
    const lz = new Lanczos(matvec, dim, fillRademacher(prng, new Float64Array(dim)));
    while (lz.q.length < steps && lz.step());
    const m = lz.q.length;
    const eig = tridiagonalEigen(lz.alpha, lz.offdiag, m);
    for (let i = 0; i < m; i++) {
      nodes.push(eig.values[i]!);
      weights.push(eig.vectors.get(0, i) ** 2 / probes);
    }
  }
  return { nodes: Float64Array.from(nodes), weights: Float64Array.from(weights) };
}

/**
 * Smooths a discrete spectral measure into a density on a grid by Gaussian
 * broadening: φ_σ(x) = Σ_i w_i exp(−(x − λ_i)²/(2σ²)) / (σ√(2π)). Its
 * integral is Σ w_i (1 for {@link spectralDensity}) when the grid covers
 * the nodes by a few σ. Ghorbani et al. (2019) smooth the same way; a width
 * of about 1% of the spectral range resolves the bulk without showing the
 * individual Ritz values.
 *
 * @param density nodes and weights
 * @param grid points x at which to evaluate (finite)
 * @param sigma broadening width σ > 0
 * @returns φ_σ on the grid
 * @example
 * ```ts
 * import { broadenedDensity } from "./hessian.ts";
 * const phi = broadenedDensity({ nodes: new Float64Array([0]), weights: new Float64Array([1]) }, [0], 1);
 * if (Math.abs(phi[0]! - 1 / Math.sqrt(2 * Math.PI)) > 1e-15) throw new Error("N(0, 1) at 0");
 * ```
 */
export function broadenedDensity(
  density: SpectralDensity,
  grid: ArrayLike<number>,
  sigma: number,
): Float64Array {
  assertFinite("sigma", sigma);
  if (sigma <= 0) throw new RangeError(`sigma must be > 0, got ${sigma}`);
  const { nodes, weights } = density;
  if (nodes.length !== weights.length) {
    throw new RangeError(
      `weights must have length nodes.length = ${nodes.length}, got ${weights.length}`,
    );
  }
  checkVector("nodes", nodes, nodes.length);
  checkVector("weights", weights, weights.length);
  checkVector("grid", grid, grid.length);
  const out = new Float64Array(grid.length), c = 1 / (sigma * Math.sqrt(2 * Math.PI));
  const inv = 1 / (2 * sigma * sigma);
  for (let g = 0; g < grid.length; g++) {
    const x = grid[g]!;
    let s = 0;
    for (let i = 0; i < nodes.length; i++) {
      s += weights[i]! * Math.exp(-((x - nodes[i]!) ** 2) * inv);
    }
    out[g] = c * s;
  }
  return out;
}
