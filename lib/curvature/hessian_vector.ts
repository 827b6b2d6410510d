/**
 * Hessian-vector products of an oracle's loss by central differences of its gradients
 * ({@link makeHvp}, {@link hessianVectorProduct}) and the dense Hessian of a small model built
 * from them ({@link hessianMatrix}). Every other curvature routine takes a {@link MatVec},
 * `v ↦ A v` for a symmetric `dim × dim` matrix A, so it runs the same on a dense test matrix and
 * on the Hessian of a network seen through {@link makeHvp}. Depends on stats/ and noise/'s oracle.
 *
 * @module
 */
import { checkIndices, checkOracle, type GradientOracle } from "../noise/oracle.ts";
import { type DenseMatrix, symmetrise } from "../stats/matrix.ts";
import { assertFinite, assertPositive } from "../stats/validate.ts";
import { checkVector, norm } from "./_vector.ts";

/**
 * A symmetric linear map `v ↦ A v` on vectors of length `dim`. It must not
 * modify `v`; it may write the result into `out` (when given) and return it.
 */
export type MatVec = (v: Float64Array, out?: Float64Array) => Float64Array;

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
 * import { makeHvp } from "./hessian_vector.ts";
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
  checkOracle("oracle", oracle);
  const dim = oracle.dim;
  checkVector("theta", theta, dim);
  const { step, distance, precision = Number.EPSILON, indices } = options;
  if (step !== undefined) assertPositive("step", step);
  if (distance !== undefined) {
    if (step !== undefined) throw new TypeError("pass step or distance, not both");
    assertPositive("distance", distance);
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
 * import { hessianVectorProduct } from "./hessian_vector.ts";
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
 * import { hessianMatrix } from "./hessian_vector.ts";
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
  checkOracle("oracle", oracle);
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
  symmetrise(h, dim);
  return { rows: dim, cols: dim, data: h };
}
