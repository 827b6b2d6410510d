/**
 * Statistics of the per-example gradients g_i = ∇ℓ_i(θ) of an oracle, streamed in chunks so that
 * networks with 10⁴–10⁶ parameters never hold all N × dim numbers: their projections onto
 * subspaces with the full-space mean and tr Σ_pop ({@link projectPerExampleGradients}), and the
 * per-coordinate variances Σ_jj with every example's value of chosen coordinates
 * ({@link perExampleCoordinates}). Depends on stats/ and the oracle.
 *
 * @module
 */
import type { GradientOracle, RowMatrix } from "./oracle.ts";
import { assertOrthonormalRows, type DenseMatrix, projectOntoRows } from "../stats/matrix.ts";
import { assertInteger } from "../stats/validate.ts";

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
  const dim = oracle.dim, { chunk = 256 } = options;
  assertInteger("chunk", chunk, 1);
  for (const b of bases) assertOrthonormalRows(b, dim);
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
