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
 * {@link randomOrthonormalBasis}): vectors u are replaced by V u and the
 * result is the k × k matrix V C Vᵀ, so networks with ~10^5 parameters never
 * form a dim × dim matrix.
 *
 * @module
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import type { DenseMatrix, MatVec } from "../curvature/hessian.ts";
import type { GradientOracle, RowMatrix } from "./oracle.ts";
import { fillNormal, type Prng } from "../stats/random.ts";
import { assertFinite, assertInteger } from "../stats/validate.ts";
import { sampleSgn } from "./sgn.ts";

/** Largest dimension for which a dense dim × dim matrix is formed without a basis. */
const MAX_DENSE = 4096;
/** SGN vectors are sampled in chunks of about this many doubles (16 MiB). */
const SGN_CHUNK_DOUBLES = 2 ** 21;

/** Throws unless `m` is a well-formed RowMatrix with finite entries. */
function checkMatrix(name: string, m: RowMatrix): void {
  if (!Number.isInteger(m.rows) || m.rows < 1 || !Number.isInteger(m.cols) || m.cols < 1) {
    throw new RangeError(`${name} must have rows, cols >= 1, got ${m.rows}×${m.cols}`);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new RangeError(
      `${name}.data must have length rows·cols = ${m.rows * m.cols}, got ${m.data.length}`,
    );
  }
  for (let i = 0; i < m.data.length; i++) {
    if (!Number.isFinite(m.data[i]!)) {
      throw new RangeError(`${name}.data[${i}] must be finite, got ${m.data[i]}`);
    }
  }
}

/** Throws unless `basis` is k × dim with orthonormal rows (|V Vᵀ − I| ≤ 1e-6 entrywise). */
function checkBasis(basis: RowMatrix, dim: number): void {
  checkMatrix("basis", basis);
  if (basis.cols !== dim) {
    throw new RangeError(`basis must have ${dim} columns, got ${basis.cols}`);
  }
  if (basis.rows > dim) {
    throw new RangeError(`basis must have at most ${dim} rows, got ${basis.rows}`);
  }
  const { rows: k, data } = basis;
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      let s = 0;
      for (let t = 0; t < dim; t++) s += data[i * dim + t]! * data[j * dim + t]!;
      const dev = Math.abs(s - (i === j ? 1 : 0));
      if (dev > 1e-6) {
        throw new RangeError(
          `basis rows must be orthonormal: <v_${i}, v_${j}> = ${s} (tolerance 1e-6)`,
        );
      }
    }
  }
}

function checkBatchSize(batchSize: number): void {
  assertInteger("batchSize", batchSize, 1);
}

/** y = V u for a basis V (k × dim), into `out` (length k). */
function project(basis: RowMatrix, u: ArrayLike<number>, out: Float64Array): Float64Array {
  const { rows: k, cols: dim, data } = basis;
  for (let i = 0; i < k; i++) {
    let s = 0;
    const off = i * dim;
    for (let t = 0; t < dim; t++) s += data[off + t]! * u[t]!;
    out[i] = s;
  }
  return out;
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
  checkMatrix("rows", rows);
  checkBasis(basis, rows.cols);
  const { rows: m, cols: dim } = rows, k = basis.rows;
  const out = new Float64Array(m * k);
  for (let r = 0; r < m; r++) {
    project(basis, rows.data.subarray(r * dim, (r + 1) * dim), out.subarray(r * k, (r + 1) * k));
  }
  return { rows: m, cols: k, data: out };
}

/**
 * (scale) · Σ_r (u_r − c)(u_r − c)ᵀ over the rows u_r of `src`, with c the
 * row mean when `centre`, else 0. Symmetric by construction.
 */
function scatter(src: RowMatrix, centre: boolean, scale: number): DenseMatrix {
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
  const { basis, centred = false } = options;
  let rows: RowMatrix;
  if ("fullGradient" in source) {
    const { batchSize, batches, prng } = options as SgnSamplingOptions;
    const oracle = source, dim = oracle.dim, n = oracle.size;
    checkBatchSize(batchSize);
    if (batchSize > n) throw new RangeError(`batchSize must be <= N (${n}), got ${batchSize}`);
    assertInteger("batches", batches, 2);
    if (basis) checkBasis(basis, dim);
    else if (dim > MAX_DENSE) {
      throw new RangeError(
        `oracle.dim = ${dim} is too large for a dense covariance (limit ${MAX_DENSE}); pass a basis`,
      );
    }
    const p = basis ? basis.rows : dim;
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
        if (basis) project(basis, u, row);
        else row.set(u);
      }
      done += count;
    }
    rows = { rows: batches, cols: p, data: out };
  } else {
    checkMatrix("noise", source);
    rows = basis ? projectRows(source, basis) : source;
  }
  const b = rows.rows;
  if (centred && b < 2) {
    throw new RangeError(`centred estimate needs at least 2 SGN vectors, got ${b}`);
  }
  for (let i = 0; i < rows.data.length; i++) {
    if (!Number.isFinite(rows.data[i]!)) {
      throw new RangeError(
        `SGN vector ${Math.floor(i / rows.cols)} is not finite: ${rows.data[i]}`,
      );
    }
  }
  return scatter(rows, centred, 1 / (centred ? b - 1 : b));
}

/** Result of {@link projectPerExampleGradients}. */
export interface ProjectedGradients {
  /** One N × k_b matrix per basis V_b: row i is V_b g_i. */
  rows: DenseMatrix[];
  /** The mean gradient ḡ = (1/N) Σ g_i (length dim). */
  mean: Float64Array;
  /** tr Σ_pop = (1/N) Σ ‖g_i‖² − ‖ḡ‖², in the full space. */
  traceSigma: number;
  /** N, the number of examples. */
  count: number;
}

/**
 * Streams the per-example gradients g_i of an oracle (all examples, or
 * `indices`) in chunks and keeps only their projections V_b g_i onto each
 * basis, plus the full-space mean ḡ and tr Σ_pop: the low-memory path to
 * {@link fisherCovariance}, {@link exactSgnCovariance} and
 * {@link sampleSgnRows} in k-dimensional subspaces for networks with 10⁴–10⁶
 * parameters. Memory: `chunk`·dim numbers for one chunk of gradients plus
 * N·Σ_b k_b for the projections. Sums are accumulated in float64;
 * tr Σ_pop is formed as a difference of second moments, so it loses
 * relative precision when ‖ḡ‖² ≫ tr Σ_pop.
 *
 * @param oracle per-example gradients at its current θ
 * @param bases k_b × dim matrices with orthonormal rows (may be empty)
 * @param options `indices` (default all N examples), `chunk` examples per
 *   oracle call (default 256)
 * @returns {@link ProjectedGradients}
 * @example
 * ```ts
 * import { projectPerExampleGradients } from "./covariance.ts";
 * import { LeastSquaresOracle } from "./oracle.ts";
 * const x = { rows: 3, cols: 2, data: new Float64Array([1, 0, 0, 1, 1, 1]) };
 * const o = new LeastSquaresOracle(x, [1, 2, 3]); // g_i = −y_i x_i at θ = 0
 * const e1 = { rows: 1, cols: 2, data: new Float64Array([1, 0]) };
 * const p = projectPerExampleGradients(o, [e1], { chunk: 2 });
 * if (p.rows[0]!.data.join() !== "-1,0,-3") throw new Error("first coordinates");
 * ```
 */
export function projectPerExampleGradients(
  oracle: GradientOracle,
  bases: RowMatrix[],
  options: { indices?: ArrayLike<number>; chunk?: number } = {},
): ProjectedGradients {
  const dim = oracle.dim, { chunk = 256 } = options;
  assertInteger("chunk", chunk, 1);
  for (const b of bases) checkBasis(b, dim);
  const idx = options.indices === undefined
    ? Int32Array.from({ length: oracle.size }, (_, i) => i)
    : Int32Array.from(options.indices);
  const n = idx.length;
  if (n < 1) throw new RangeError("indices must not be empty");
  const rows = bases.map((b) => new Float64Array(n * b.rows));
  const mean = new Float64Array(dim);
  let sumSq = 0;
  for (let s = 0; s < n; s += chunk) {
    const pe = oracle.perExampleGradients(idx.subarray(s, Math.min(n, s + chunk)));
    const data = pe.data;
    if (pe.cols !== dim || data.length !== pe.rows * dim) {
      throw new RangeError(
        `perExampleGradients returned ${pe.rows}×${pe.cols}, expected rows × ${dim}`,
      );
    }
    for (let r = 0; r < pe.rows; r++) {
      const off = r * dim;
      for (let j = 0; j < dim; j++) {
        const g = data[off + j]!;
        if (!Number.isFinite(g)) {
          throw new RangeError(
            `per-example gradient of example ${idx[s + r]} is not finite at ${j}: ${g}`,
          );
        }
        sumSq += g * g;
        mean[j] = mean[j]! + g;
      }
      bases.forEach((b, q) => {
        const k = b.rows;
        project(b, data.subarray(off, off + dim), rows[q]!.subarray((s + r) * k, (s + r + 1) * k));
      });
    }
  }
  let gg = 0;
  for (let j = 0; j < dim; j++) {
    mean[j] = mean[j]! / n;
    gg += mean[j]! * mean[j]!;
  }
  return {
    rows: bases.map((b, q) => ({ rows: n, cols: b.rows, data: rows[q]! })),
    mean,
    traceSigma: sumSq / n - gg,
    count: n,
  };
}

/** Options of {@link sampleSgnRows}. */
export interface SgnRowsSampling {
  /** Minibatch size S, 1 ≤ S ≤ N. */
  batchSize: number;
  /** Number of minibatches B ≥ 2. */
  batches: number;
  /** Uniform source for the minibatch draws (S uniforms per batch). */
  prng: Prng;
}

/**
 * SGN vectors from fixed per-example gradients, the post's Eq. 5 verbatim:
 *
 *   U_b = (1/S) Σ_{i ∈ b} g_i − ḡ,  ḡ = (1/N) Σ_i g_i,
 *
 * for B minibatches b of S distinct rows each (uniform without replacement
 * within a batch, independent across batches). A minibatch gradient is the
 * mean of its examples' gradients, so with g_i = ∇ℓ_i(θ) these are the SGN
 * vectors of SGD at θ; because the map is linear, rows projected onto a
 * basis first (`projectRows`, k × dim) give V U_b at O(B·S·k) cost, which is
 * how thousands of minibatches of a large network are affordable. The draws
 * are those of `sampleSgn` in `sgn.ts` (a partial Fisher–Yates shuffle, S
 * uniforms per batch), so on the same prng stream the vectors equal
 * `sampleSgn(oracle, { coordinates: 0, projections: 0, pooledVectors: 0,
 * keepVectors: true }).vectors` for an oracle with these per-example
 * gradients.
 *
 * @param perExampleRows N × p rows g_i (Float32 or Float64, finite)
 * @param options batch size, number of batches, prng
 * @returns B × p {@link DenseMatrix}, row b = U_b (pass it to
 *   {@link empiricalSgnCovariance})
 * @example
 * ```ts
 * import { sampleSgnRows } from "./covariance.ts";
 * import { createPrng } from "../stats/random.ts";
 * const g = { rows: 4, cols: 1, data: new Float64Array([0, 1, 2, 3]) };
 * const u = sampleSgnRows(g, { batchSize: 4, batches: 2, prng: createPrng(1) });
 * if (u.data.some((x) => Math.abs(x) > 1e-15)) throw new Error("S = N: no noise");
 * ```
 */
export function sampleSgnRows(perExampleRows: RowMatrix, options: SgnRowsSampling): DenseMatrix {
  checkMatrix("perExampleRows", perExampleRows);
  const { batchSize: s, batches: b, prng } = options;
  const { rows: n, cols: p, data } = perExampleRows;
  if (!Number.isInteger(s) || s < 1 || s > n) {
    throw new RangeError(`batchSize must be an integer in [1, ${n}], got ${s}`);
  }
  assertInteger("batches", b, 2);
  const mean = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const off = i * p;
    for (let a = 0; a < p; a++) mean[a] = mean[a]! + data[off + a]!;
  }
  for (let a = 0; a < p; a++) mean[a] = mean[a]! / n;
  const out = new Float64Array(b * p), perm = new Int32Array(n), acc = new Float64Array(p);
  for (let i = 0; i < n; i++) perm[i] = i;
  const inv = 1 / s;
  for (let t = 0; t < b; t++) {
    for (let i = 0; i < s; i++) {
      const j = i + Math.floor(prng() * (n - i));
      const tmp = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = tmp;
    }
    acc.fill(0);
    for (let i = 0; i < s; i++) {
      const off = perm[i]! * p;
      for (let a = 0; a < p; a++) acc[a] = acc[a]! + data[off + a]!;
    }
    const row = t * p;
    for (let a = 0; a < p; a++) out[row + a] = acc[a]! * inv - mean[a]!;
  }
  return { rows: b, cols: p, data: out };
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
  checkMatrix("perExampleGrads", perExampleGrads);
  checkBatchSize(batchSize);
  const { centred = false, basis } = options;
  const src = basis ? projectRows(perExampleGrads, basis) : perExampleGrads;
  return scatter(src, centred, 1 / (batchSize * src.rows));
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
  checkMatrix("perExampleGrads", perExampleGrads);
  checkBatchSize(batchSize);
  const { basis, replacement = false } = options, n = perExampleGrads.rows;
  if (!replacement && batchSize > n) {
    throw new RangeError(`batchSize must be <= N (${n}) without replacement, got ${batchSize}`);
  }
  const fpc = replacement ? 1 : batchSize === n ? 0 : (n - batchSize) / (n - 1);
  const src = basis ? projectRows(perExampleGrads, basis) : perExampleGrads;
  return scatter(src, true, fpc / (batchSize * n));
}

/**
 * The Hessian restricted to a subspace, V H Vᵀ (k × k), from k
 * Hessian-vector products H v_i (e.g. `makeHvp`), symmetrised
 * ((M + Mᵀ)/2, which removes the finite-difference asymmetry). With V the
 * top-k eigenvectors of H it is diag(λ_1..λ_k) up to the eigen-solver's
 * accuracy.
 *
 * @param matvec v ↦ H v on vectors of length dim
 * @param basis k × dim with orthonormal rows
 * @returns k × k {@link DenseMatrix}
 * @example
 * ```ts
 * import { projectedHessian } from "./covariance.ts";
 * const hv = (v: Float64Array) => v.map((x, i) => (i + 1) * x); // H = diag(1, 2, 3)
 * const v = { rows: 1, cols: 3, data: new Float64Array([0, 0.6, 0.8]) };
 * const m = projectedHessian(hv, v); // 0.36·2 + 0.64·3 = 2.64
 * if (Math.abs(m.data[0]! - 2.64) > 1e-12) throw new Error("vᵀHv");
 * ```
 */
export function projectedHessian(matvec: MatVec, basis: RowMatrix): DenseMatrix {
  checkMatrix("basis", basis);
  const { rows: k, cols: dim } = basis;
  checkBasis(basis, dim);
  const m = new Float64Array(k * k), v = new Float64Array(dim), hv = new Float64Array(dim);
  const col = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    for (let t = 0; t < dim; t++) v[t] = basis.data[j * dim + t]!;
    const r = matvec(v, hv);
    if (r.length !== dim) throw new RangeError(`matvec must return length ${dim}, got ${r.length}`);
    for (let t = 0; t < dim; t++) {
      if (!Number.isFinite(r[t]!)) {
        throw new RangeError(`matvec returned a non-finite value for basis row ${j}: ${r[t]}`);
      }
    }
    project(basis, r, col);
    for (let i = 0; i < k; i++) m[i * k + j] = col[i]!;
  }
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const s = 0.5 * (m[i * k + j]! + m[j * k + i]!);
      m[i * k + j] = s;
      m[j * k + i] = s;
    }
  }
  return { rows: k, cols: k, data: m };
}

/**
 * A uniformly random k-dimensional orthonormal frame in R^dim (Haar measure
 * on the Stiefel manifold): k standard Gaussian rows orthonormalised by
 * modified Gram–Schmidt, applied twice for stability. For random-projection
 * estimates of covariance matrices: E ‖V x‖² = (k/dim) ‖x‖².
 *
 * @param prng uniform source
 * @param k number of rows, 1 ≤ k ≤ dim
 * @param dim ambient dimension
 * @returns k × dim {@link DenseMatrix} with orthonormal rows
 * @example
 * ```ts
 * import { randomOrthonormalBasis } from "./covariance.ts";
 * import { createPrng } from "../stats/random.ts";
 * const v = randomOrthonormalBasis(createPrng(3), 2, 5);
 * const d = v.data.subarray(0, 5).reduce((s, x, i) => s + x * v.data[5 + i]!, 0);
 * if (Math.abs(d) > 1e-12) throw new Error("rows orthogonal");
 * ```
 */
export function randomOrthonormalBasis(prng: Prng, k: number, dim: number): DenseMatrix {
  assertInteger("dim", dim, 1);
  assertInteger("k", k, 1);
  if (k > dim) throw new RangeError(`k must be <= dim (${dim}), got ${k}`);
  const data = new Float64Array(k * dim);
  for (let i = 0; i < k; i++) {
    const v = data.subarray(i * dim, (i + 1) * dim);
    for (;;) {
      fillNormal(prng, v);
      let n0 = 0;
      for (let t = 0; t < dim; t++) n0 += v[t]! * v[t]!;
      for (let pass = 0; pass < 2; pass++) {
        for (let j = 0; j < i; j++) {
          const w = data.subarray(j * dim, (j + 1) * dim);
          let c = 0;
          for (let t = 0; t < dim; t++) c += w[t]! * v[t]!;
          for (let t = 0; t < dim; t++) v[t] = v[t]! - c * w[t]!;
        }
      }
      let n = 0;
      for (let t = 0; t < dim; t++) n += v[t]! * v[t]!;
      if (n > 1e-16 * n0) {
        const f = 1 / Math.sqrt(n);
        for (let t = 0; t < dim; t++) v[t] = v[t]! * f;
        break;
      }
    }
  }
  return { rows: k, cols: dim, data };
}

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
  checkMatrix(name, a);
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
 * import { compareCovariance } from "./covariance.ts";
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
  checkBatchSize(batchSize);
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
  return result;
}
