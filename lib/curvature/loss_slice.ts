/**
 * One-dimensional slices of a loss landscape, L(θ + t d) along a direction d
 * (e.g. the top Hessian eigenvector): the measured version of the post's
 * "flat vs sharp minima" picture (Hochreiter & Schmidhuber 1997; the
 * slices of Keskar et al. 2017 and Li et al. 2018 use the same construction).
 * Depends on stats/ and noise/'s oracle.
 *
 * @module
 */
import { checkIndices, checkOracle, type GradientOracle } from "../noise/oracle.ts";
import { assertFiniteArray } from "../stats/validate.ts";
import { checkVector } from "./_vector.ts";

/** Options of {@link lossSlice}. */
export interface LossSliceOptions {
  /** Evaluate the mean loss over these examples only (default: all). */
  indices?: ArrayLike<number>;
  /** Divide d by its Euclidean norm first, so t is a distance in parameter space (default true). */
  normalize?: boolean;
}

/**
 * The loss along a line through θ: values L(θ + t_k d) for each offset t_k.
 * The oracle's parameters are saved before and restored afterwards (also
 * when it throws); a non-finite loss throws a RangeError naming the offset.
 *
 * @param oracle loss oracle
 * @param theta the centre θ (length `oracle.dim`, finite)
 * @param direction d (length `oracle.dim`, finite, not zero)
 * @param offsets the t_k (finite)
 * @param options {@link LossSliceOptions}
 * @returns L(θ + t_k d̂) for each k (d̂ = d/‖d‖ unless `normalize: false`)
 * @example
 * ```ts
 * import { lossSlice } from "./loss_slice.ts";
 * import { LeastSquaresOracle } from "../noise/oracle.ts";
 * // one example x = 1, y = 0: L(θ) = θ²/2
 * const o = new LeastSquaresOracle({ rows: 1, cols: 1, data: new Float64Array([1]) }, [0]);
 * const l = lossSlice(o, [0], [2], [-1, 0, 3]);
 * if (l.join() !== "0.5,0,4.5") throw new Error("θ²/2 along a unit direction");
 * ```
 */
export function lossSlice(
  oracle: GradientOracle,
  theta: ArrayLike<number>,
  direction: ArrayLike<number>,
  offsets: ArrayLike<number>,
  options: LossSliceOptions = {},
): Float64Array {
  checkOracle("oracle", oracle);
  const dim = oracle.dim, { indices, normalize = true } = options;
  checkVector("theta", theta, dim);
  checkVector("direction", direction, dim);
  assertFiniteArray("offsets", offsets);
  if (indices !== undefined) checkIndices(indices, oracle.size);
  let n2 = 0;
  for (let j = 0; j < dim; j++) n2 += direction[j]! * direction[j]!;
  if (n2 === 0) throw new RangeError("direction must not be zero");
  const f = normalize ? 1 / Math.sqrt(n2) : 1;
  const out = new Float64Array(offsets.length), point = new Float64Array(dim);
  const saved = oracle.getParams();
  try {
    for (let k = 0; k < offsets.length; k++) {
      const t = offsets[k]! * f;
      for (let j = 0; j < dim; j++) point[j] = theta[j]! + t * direction[j]!;
      oracle.setParams(point);
      let l: number;
      try {
        l = oracle.loss(indices);
      } catch (e) {
        const prefix = "loss is not finite: ";
        if (!(e instanceof RangeError && e.message.startsWith(prefix))) throw e;
        throw new RangeError(
          `loss is not finite at offset ${offsets[k]}: ${e.message.slice(prefix.length)}`,
        );
      }
      if (!Number.isFinite(l)) {
        throw new RangeError(`loss is not finite at offset ${offsets[k]}: ${l}`);
      }
      out[k] = l;
    }
  } finally {
    oracle.setParams(saved);
  }
  return out;
}
