/**
 * Statistics of the per-example gradients g_i = ∇ℓ_i(θ) of an oracle, streamed in chunks so that
 * networks with 10⁴–10⁶ parameters never hold all N × dim numbers: their projections onto
 * subspaces with the full-space mean and tr Σ_pop ({@link projectPerExampleGradients}), and the
 * per-coordinate variances Σ_jj with every example's value of chosen coordinates
 * ({@link perExampleCoordinates}). Depends on stats/ and the oracle.
 *
 * @module
 */
import { checkIndices, checkOracle, type GradientOracle, type RowMatrix } from "./oracle.ts";
import { assertOrthonormalRows, type DenseMatrix, projectOntoRows } from "../stats/matrix.ts";
import {
  assertAllocation,
  assertArrayLike,
  assertInteger,
  assertNoOverflow,
} from "../stats/validate.ts";

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
 * import { projectPerExampleGradients } from "./per_example.ts";
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
  checkOracle("oracle", oracle);
  if (!Array.isArray(bases)) {
    throw new TypeError(`bases must be an array of matrices, got ${bases}`);
  }
  const dim = oracle.dim, { chunk = 256 } = options;
  assertInteger("chunk", chunk, 1);
  for (const b of bases) assertOrthonormalRows(b, dim);
  assertAllocation("N·Σ basis rows", oracle.size * bases.reduce((a, b) => a + b.rows, 0));
  if (options.indices !== undefined) checkIndices(options.indices, oracle.size);
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
        projectOntoRows(
          b,
          data.subarray(off, off + dim),
          rows[q]!.subarray((s + r) * k, (s + r + 1) * k),
        );
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

/** Result of {@link perExampleCoordinates}. */
export interface PerExampleCoordinates {
  /** Σ_jj = max(0, (1/N) Σ_i g_ij² − ḡ_j²) for every coordinate j (length dim). */
  variance: Float64Array;
  /** k × N, series-major: `values[c·N + i]` = g_i[coordinates[c]]; only with `coordinates`. */
  values?: Float64Array;
}

/**
 * Streams the per-example gradients of all N examples of an oracle, in chunks of consecutive
 * indices, and returns the population variance Σ_jj of every coordinate and, for chosen
 * coordinates, every example's value (the population whose minibatch means the SGN is). Sums
 * are accumulated in float64 in example order; Σ_jj is a difference of second moments, clamped
 * at 0 against round-off.
 *
 * @param oracle per-example gradients at its current θ
 * @param options `coordinates` to keep (indices in [0, dim)), `chunk` examples per oracle call
 *   (default 256)
 * @returns {@link PerExampleCoordinates}
 * @example
 * ```ts
 * import { perExampleCoordinates } from "./per_example.ts";
 * import { LeastSquaresOracle } from "./oracle.ts";
 * const x = { rows: 2, cols: 1, data: new Float64Array([1, 1]) };
 * const o = new LeastSquaresOracle(x, [1, 3]); // g_i = −y_i at θ = 0: −1, −3, variance 1
 * const p = perExampleCoordinates(o, { coordinates: [0] });
 * if (p.variance[0] !== 1 || p.values!.join() !== "-1,-3") throw new Error("Σ₀₀ = 1");
 * ```
 */
export function perExampleCoordinates(
  oracle: GradientOracle,
  options: { coordinates?: ArrayLike<number>; chunk?: number } = {},
): PerExampleCoordinates {
  checkOracle("oracle", oracle);
  const { coordinates: coords, chunk = 256 } = options;
  assertInteger("chunk", chunk, 1);
  if (coords !== undefined) {
    assertArrayLike("coordinates", coords);
    assertAllocation("coordinates.length·N", coords.length * oracle.size);
  }
  const d = oracle.dim, n = oracle.size, sum = new Float64Array(d), sq = new Float64Array(d);
  if (coords) {
    for (let c = 0; c < coords.length; c++) {
      const j = coords[c]!;
      if (!Number.isInteger(j) || j < 0 || j >= d) {
        throw new RangeError(`coordinates[${c}] must be an integer in [0, ${d}), got ${j}`);
      }
    }
  }
  const values = coords ? new Float64Array(coords.length * n) : undefined;
  for (let s = 0; s < n; s += chunk) {
    const g = oracle.perExampleGradients(
      Int32Array.from({ length: Math.min(chunk, n - s) }, (_, i) => s + i),
    );
    for (let r = 0; r < g.rows; r++) {
      const off = r * d;
      for (let j = 0; j < d; j++) {
        const v = g.data[off + j]!;
        sum[j]! += v;
        sq[j]! += v * v;
      }
      if (values) {
        for (let c = 0; c < coords!.length; c++) values[c * n + s + r] = g.data[off + coords![c]!]!;
      }
    }
  }
  const variance = sum.map((v, j) => Math.max(0, sq[j]! / n - (v / n) ** 2));
  for (let j = 0; j < d; j++) {
    assertNoOverflow("oracle", `the second moment of per-example gradient coordinate ${j}`, sq[j]!);
  }
  return values ? { variance, values } : { variance };
}
