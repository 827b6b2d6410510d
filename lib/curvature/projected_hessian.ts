/**
 * The Hessian restricted to a subspace, V H Vᵀ, from Hessian-vector products along the rows of
 * an orthonormal basis V (top Hessian eigenvectors, or a random frame): how the SGN covariance is
 * compared with H/S in k dimensions on networks with 10⁴–10⁶ parameters. Depends on stats/ and
 * the {@link MatVec} of hessian_vector.ts.
 *
 * @module
 */
import {
  assertOrthonormalRows,
  type DenseMatrix,
  projectOntoRows,
  type RowMatrix,
  symmetrise,
} from "../stats/matrix.ts";
import type { MatVec } from "./hessian_vector.ts";
import { assertFunction, assertObject } from "../stats/validate.ts";

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
 * import { projectedHessian } from "./projected_hessian.ts";
 * const hv = (v: Float64Array) => v.map((x, i) => (i + 1) * x); // H = diag(1, 2, 3)
 * const v = { rows: 1, cols: 3, data: new Float64Array([0, 0.6, 0.8]) };
 * const m = projectedHessian(hv, v); // 0.36·2 + 0.64·3 = 2.64
 * if (Math.abs(m.data[0]! - 2.64) > 1e-12) throw new Error("vᵀHv");
 * ```
 */
export function projectedHessian(matvec: MatVec, basis: RowMatrix): DenseMatrix {
  assertFunction("matvec", matvec);
  assertObject("basis", basis);
  assertOrthonormalRows(basis, basis.cols);
  const { rows: k, cols: dim } = basis;
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
    projectOntoRows(basis, r, col);
    for (let i = 0; i < k; i++) m[i * k + j] = col[i]!;
  }
  symmetrise(m, k);
  return { rows: k, cols: k, data: m };
}
