/**
 * The covariance of stochastic gradient noise (SGN) and its comparison with
 * the Hessian: the post's Eq. 9–10 (corrected in ERRATA.md), after Zhu et
 * al. (2019, "The anisotropic noise in stochastic gradient descent") and
 * Xie, Sato & Sugiyama (2021, arXiv 2002.03495).
 *
 * Notation. Per-example gradients g_i = ∇ℓ_i(θ), i = 1..N; full gradient
 * ∇L = ḡ = (1/N) Σ g_i; the SGN of a minibatch of size S is
 * U = ∇L̂_S − ∇L (Eq. 5), with covariance C = E[U Uᵀ]. For a minibatch
 * drawn uniformly without replacement, C is exactly
 *
 *   C = (1/S) · (N − S)/(N − 1) · Σ_pop,  Σ_pop = (1/N) Σ_i (g_i − ḡ)(g_i − ḡ)ᵀ,
 *
 * (with replacement the factor (N − S)/(N − 1) is 1). Eq. 9 approximates
 * it by the Fisher form (1/(S m)) Σ_j g_j g_jᵀ, and near a minimum of a
 * negative log-likelihood the Fisher approaches the Hessian, C ≈ H/S
 * (Eq. 10).
 *
 * Matrices are returned as {@link DenseMatrix} (row-major `Float64Array`).
 * Every estimator takes an optional `basis`, a k × dim {@link RowMatrix} with
 * orthonormal rows V (top Hessian eigenvectors from `topEigenpairs`, or
 * `randomOrthonormalBasis` of stats/random.ts): vectors u are replaced by V u and the
 * result is the k × k matrix V C Vᵀ, so networks with ~10^5 parameters never
 * form a dim × dim matrix. Depends on stats/ and sgn.ts (the minibatch draws).
 *
 * @module
 *
 * @module
 */
import { checkOracle, type GradientOracle } from "./oracle.ts";
import {
  assertOrthonormalRows,
  assertRowMatrix,
  type DenseMatrix,
  projectOntoRows,
  type RowMatrix,
} from "../stats/matrix.ts";
import type { Prng } from "../stats/random.ts";
import {
  assertAllocation,
  assertInteger,
  assertNoOverflow,
  assertObject,
} from "../stats/validate.ts";
import { sampleSgn } from "./sgn.ts";

/** Largest dimension for which a dense dim × dim matrix is formed without a basis. */
const MAX_DENSE = 4096;
/** SGN vectors are sampled in chunks of about this many doubles (16 MiB). */
const SGN_CHUNK_DOUBLES = 2 ** 21;

function checkBatchSize(batchSize: number): void {
  assertInteger("batchSize", batchSize, 1);
}

/**
 * Projects each row of `rows` onto a basis: P = G Vᵀ, row j is V g_j. Use it
 * to reduce per-example gradients of a large network chunk by chunk, then
 * pass the concatenated m × k rows to {@link fisherCovariance} or
 * {@link empiricalSgnCovariance} without a basis.
 *
 * @param rows m × dim (e.g. per-example gradients or SGN vectors)
 * @param basis k × dim with orthonormal rows
 * @returns m × k {@link DenseMatrix}
 * @example
 * ```ts
 * import { projectRows } from "./covariance.ts";
 * const g = { rows: 1, cols: 2, data: new Float64Array([3, 4]) };
 * const v = { rows: 1, cols: 2, data: new Float64Array([0, 1]) };
 * if (projectRows(g, v).data[0] !== 4) throw new Error("projection on e₂");
 * ```
 */
export function projectRows(rows: RowMatrix, basis: RowMatrix): DenseMatrix {
  assertRowMatrix("rows", rows);
  assertOrthonormalRows(basis, rows.cols);
  const { rows: m, cols: dim } = rows, k = basis.rows;
  const out = new Float64Array(m * k);
  for (let r = 0; r < m; r++) {
    projectOntoRows(
      basis,
      rows.data.subarray(r * dim, (r + 1) * dim),
      out.subarray(r * k, (r + 1) * k),
    );
  }
  return { rows: m, cols: k, data: out };
}

/**
 * (scale) · Σ_r (u_r − c)(u_r − c)ᵀ over the rows u_r of `src`, with c the
 * row mean when `centre`, else 0. Symmetric by construction.
 */
function scatter(src: RowMatrix, centre: boolean, scale: number, name: string): DenseMatrix {
  const { rows: m, cols: p, data } = src;
  if (p > MAX_DENSE) {
    throw new RangeError(
      `dimension ${p} is too large for a dense ${p} × ${p} covariance (limit ${MAX_DENSE}); ` +
        `pass a basis`,
    );
  }
  const mean = new Float64Array(p);
  if (centre) {
    for (let r = 0; r < m; r++) for (let a = 0; a < p; a++) mean[a] = mean[a]! + data[r * p + a]!;
    for (let a = 0; a < p; a++) mean[a] = mean[a]! / m;
  }
  const out = new Float64Array(p * p), u = new Float64Array(p);
  for (let r = 0; r < m; r++) {
    for (let a = 0; a < p; a++) u[a] = data[r * p + a]! - mean[a]!;
    for (let a = 0; a < p; a++) {
      const ua = u[a]!, off = a * p;
      if (ua === 0) continue;
      for (let b = a; b < p; b++) out[off + b] = out[off + b]! + ua * u[b]!;
    }
  }
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      const s = out[a * p + b]! * scale;
      out[a * p + b] = s;
      out[b * p + a] = s;
    }
    assertNoOverflow(name, "the covariance diagonal", out[a * p + a]!);
  }
  return { rows: p, cols: p, data: out };
}

/** Options of {@link empiricalSgnCovariance} on given SGN vectors. */
export interface SgnRowsOptions {
  /** Project onto these orthonormal rows first (k × dim); the result is k × k. */
  basis?: RowMatrix;
  /**
   * Subtract the sample mean and divide by B − 1 (unbiased whatever the mean:
   * use it for raw minibatch gradients or an estimated full gradient).
   * Default false: the rows are U = ∇L̂_S − ∇L with the exact ∇L, mean zero,
   * and the estimate is (1/B) Σ U Uᵀ.
   */
  centred?: boolean;
}

/** Options of {@link empiricalSgnCovariance} sampling minibatches from an oracle. */
export interface SgnSamplingOptions extends SgnRowsOptions {
  /** Minibatch size S, 1 ≤ S ≤ N. */
  batchSize: number;
  /** Number of minibatches B ≥ 2. */
  batches: number;
  /** Uniform source for the minibatch draws. */
  prng: Prng;
}

/**
 * Empirical SGN covariance across minibatches, unbiased.
 *
 * From SGN vectors U_b = ∇L̂_{S,b} − ∇L (one per row, b = 1..B), whose mean is
 * zero when ∇L is exact: Ĉ = (1/B) Σ_b U_b U_bᵀ; with `centred`,
 * Ĉ = (1/(B − 1)) Σ_b (U_b − Ū)(U_b − Ū)ᵀ. Both have E Ĉ = C.
 *
 * From an oracle: at the oracle's current θ, draws B minibatches of S
 * distinct indices each (uniformly without replacement within a batch,
 * independently across batches) with `sampleSgn` of `sgn.ts`, which forms
 * U_b = batchGradient − fullGradient, and proceeds as above (uncentred
 * unless `centred`, since ∇L is exact). Its expectation is the exact
 * C = (1/S)(N − S)/(N − 1) Σ_pop (see {@link exactSgnCovariance}). The
 * vectors are drawn in chunks of max(2, ⌊2^21/dim⌋) batches (one `sampleSgn`
 * call each, continuing the same prng stream), so with a basis memory stays
 * at about 16 MiB plus the B·k projected numbers; the chunking does not
 * depend on the basis, so the same seed gives the same batches with or
 * without one.
 *
 * @param source SGN vectors as a B × dim {@link RowMatrix}, or a {@link GradientOracle}
 * @param options {@link SgnRowsOptions} / {@link SgnSamplingOptions}
 * @returns dim × dim (or k × k with a basis) {@link DenseMatrix}
 * @example
 * ```ts
 * import { empiricalSgnCovariance } from "./covariance.ts";
 * import { LeastSquaresOracle } from "./oracle.ts";
 * import { createPrng } from "../stats/random.ts";
 * const x = { rows: 4, cols: 1, data: new Float64Array([1, 1, 1, 1]) };
 * const o = new LeastSquaresOracle(x, [0, 1, 2, 3]); // g_i = −y_i at θ = 0
 * const c = empiricalSgnCovariance(o, { batchSize: 2, batches: 2000, prng: createPrng(1) });
 * // exact: (1/2)·(2/3)·Var(y) = (1/3)·1.25
 * if (Math.abs(c.data[0]! - 1.25 / 3) > 0.05) throw new Error("SGN variance");
 * ```
 */
export function empiricalSgnCovariance(noise: RowMatrix, options?: SgnRowsOptions): DenseMatrix;
export function empiricalSgnCovariance(
  oracle: GradientOracle,
  options: SgnSamplingOptions,
): DenseMatrix;
export function empiricalSgnCovariance(
  source: RowMatrix | GradientOracle,
  options: SgnRowsOptions | SgnSamplingOptions = {},
): DenseMatrix {
  assertObject("source", source);
  assertObject("options", options);
  const { basis, centred = false } = options;
  let rows: RowMatrix;
  if ("fullGradient" in source) {
    checkOracle("oracle", source);
    const { batchSize, batches, prng } = options as SgnSamplingOptions;
    const oracle = source, dim = oracle.dim, n = oracle.size;
    checkBatchSize(batchSize);
    if (batchSize > n) throw new RangeError(`batchSize must be <= N (${n}), got ${batchSize}`);
    assertInteger("batches", batches, 2);
    if (basis) assertOrthonormalRows(basis, dim);
    else if (dim > MAX_DENSE) {
      throw new RangeError(
        `oracle.dim = ${dim} is too large for a dense covariance (limit ${MAX_DENSE}); pass a basis`,
      );
    }
    const p = basis ? basis.rows : dim;
    assertAllocation("batches·cols", batches * p);
    const full = oracle.fullGradient(), out = new Float64Array(batches * p);
    // sampleSgn keeps its chunk of SGN vectors (chunk × dim): bound that memory
    const chunk = Math.max(2, Math.floor(SGN_CHUNK_DOUBLES / dim));
    for (let done = 0; done < batches;) {
      // every call needs ≥ 2 batches: a remainder of 1 joins the last chunk
      const left = batches - done, count = left <= chunk + 1 ? left : chunk;
      const { vectors } = sampleSgn(oracle, {
        batchSize,
        batches: count,
        prng,
        fullGradient: full,
        coordinates: 0,
        projections: 0,
        pooledVectors: 0,
        keepVectors: true,
      });
      for (let b = 0; b < count; b++) {
        const u = vectors!.subarray(b * dim, (b + 1) * dim);
        const row = out.subarray((done + b) * p, (done + b + 1) * p);
        if (basis) projectOntoRows(basis, u, row);
        else row.set(u);
      }
      done += count;
    }
    rows = { rows: batches, cols: p, data: out };
  } else {
    assertRowMatrix("noise", source);
    rows = basis ? projectRows(source, basis) : source;
  }
  const b = rows.rows;
  if (centred && b < 2) {
    throw new RangeError(
      `noise must have at least 2 SGN vectors (rows) for a centred estimate, got ${b}`,
    );
  }
  for (let i = 0; i < rows.data.length; i++) {
    if (!Number.isFinite(rows.data[i]!)) {
      throw new RangeError(
        `SGN vector ${Math.floor(i / rows.cols)} is not finite: ${rows.data[i]}`,
      );
    }
  }
  return scatter(
    rows,
    centred,
    1 / (centred ? b - 1 : b),
    "fullGradient" in source ? "oracle" : "noise",
  );
}

/** Options of {@link fisherCovariance}. */
export interface FisherOptions {
  /** Subtract the mean outer product ḡḡᵀ (default false). */
  centred?: boolean;
  /** Project onto these orthonormal rows first; the result is k × k. */
  basis?: RowMatrix;
}

/**
 * The Fisher approximation of the SGN covariance, the post's Eq. 9 as
 * corrected in ERRATA.md (gradient on both factors):
 *
 *   F_S = (1/(S m)) Σ_{j=1}^m ∇ℓ_j ∇ℓ_jᵀ,
 *
 * m = the number of rows (per-example gradients, e.g. a subsample of the
 * data). The centred form is (1/(S m)) Σ_j (∇ℓ_j − ḡ)(∇ℓ_j − ḡ)ᵀ
 * = F_S − ḡḡᵀ/S with ḡ the row mean; the two agree at a minimum (ḡ = ∇L = 0).
 * Relation to the exact SGN covariance: when the rows are all N examples,
 * centred F_S = Σ_pop/S, and sampling S of N without replacement gives
 * C = (N − S)/(N − 1) · centred F_S ({@link exactSgnCovariance}); the factor
 * is ≈ 1 for S ≪ N.
 *
 * @param perExampleGrads m × dim rows ∇ℓ_j (Float32 or Float64)
 * @param batchSize S ≥ 1
 * @param options centred, basis
 * @returns dim × dim (or k × k) {@link DenseMatrix}
 * @example
 * ```ts
 * import { fisherCovariance } from "./covariance.ts";
 * const g = { rows: 2, cols: 1, data: new Float64Array([1, 3]) };
 * const f = fisherCovariance(g, 2);                    // (1 + 9)/(2·2) = 2.5
 * const fc = fisherCovariance(g, 2, { centred: true }); // (1 + 1)/(2·2) = 0.5
 * if (f.data[0] !== 2.5 || fc.data[0] !== 0.5) throw new Error("Eq. 9");
 * ```
 */
export function fisherCovariance(
  perExampleGrads: RowMatrix,
  batchSize: number,
  options: FisherOptions = {},
): DenseMatrix {
  assertRowMatrix("perExampleGrads", perExampleGrads);
  checkBatchSize(batchSize);
  const { centred = false, basis } = options;
  const src = basis ? projectRows(perExampleGrads, basis) : perExampleGrads;
  return scatter(src, centred, 1 / (batchSize * src.rows), "perExampleGrads");
}

/** Options of {@link exactSgnCovariance}. */
export interface ExactSgnOptions {
  /** Project onto these orthonormal rows first; the result is k × k. */
  basis?: RowMatrix;
  /** Minibatches drawn with replacement (default false: S distinct examples). */
  replacement?: boolean;
}

/**
 * The exact covariance of the SGN U = ∇L̂_S − ∇L when the rows are the
 * per-example gradients of the whole data set (N rows) and a minibatch is S
 * examples drawn uniformly:
 *
 *   C = (1/S) · (N − S)/(N − 1) · Σ_pop   (without replacement),
 *   C = (1/S) · Σ_pop                     (with replacement),
 *
 * Σ_pop = (1/N) Σ_i (g_i − ḡ)(g_i − ḡ)ᵀ (the finite-population correction
 * of sampling without replacement, e.g. Cochran, "Sampling Techniques", §2.8).
 *
 * @param perExampleGrads N × dim, all examples
 * @param batchSize S (≤ N without replacement)
 * @param options basis, replacement
 * @returns dim × dim (or k × k) {@link DenseMatrix}
 * @example
 * ```ts
 * import { exactSgnCovariance } from "./covariance.ts";
 * const g = { rows: 3, cols: 1, data: new Float64Array([0, 1, 2]) };
 * const c = exactSgnCovariance(g, 2); // Σ_pop = 2/3; (1/2)·(1/2)·(2/3) = 1/6
 * if (Math.abs(c.data[0]! - 1 / 6) > 1e-15) throw new Error("finite population");
 * ```
 */
export function exactSgnCovariance(
  perExampleGrads: RowMatrix,
  batchSize: number,
  options: ExactSgnOptions = {},
): DenseMatrix {
  assertRowMatrix("perExampleGrads", perExampleGrads);
  checkBatchSize(batchSize);
  const { basis, replacement = false } = options, n = perExampleGrads.rows;
  if (!replacement && batchSize > n) {
    throw new RangeError(`batchSize must be <= N (${n}) without replacement, got ${batchSize}`);
  }
  const fpc = replacement ? 1 : batchSize === n ? 0 : (n - batchSize) / (n - 1);
  const src = basis ? projectRows(perExampleGrads, basis) : perExampleGrads;
  return scatter(src, true, fpc / (batchSize * n), "perExampleGrads");
}
