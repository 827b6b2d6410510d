/**
 * The {@link LogitOracle} seam: a {@link GradientOracle} of a softmax classifier that also gives its
 * logits and labels, so that the Gauss–Newton matrix and the true and empirical Fisher
 * (`lib/curvature/gauss_newton.ts`) run on an analytic model in tests and on a tfjs network in
 * notebooks. Depends on the oracle seam.
 *
 * @module
 */
import { checkOracle, type GradientOracle, type RowMatrix } from "./oracle.ts";
import { assertInteger } from "../stats/validate.ts";

/**
 * A {@link GradientOracle} whose loss is the softmax cross-entropy ℓ_i = −log softmax(z_i)_{y_i}
 * of a classifier, with access to its logits z and labels y.
 */
export interface LogitOracle extends GradientOracle {
  /** Number of classes c ≥ 2. */
  readonly classes: number;
  /** The observed labels y_i ∈ [0, classes), length `size`. */
  readonly labels: ArrayLike<number>;
  /** The logits z(θ) of the given examples (all when omitted), rows × classes. */
  logits(indices?: ArrayLike<number>): RowMatrix;
}

/**
 * Throws a TypeError naming `name` unless `oracle` is a {@link LogitOracle} (a gradient oracle with
 * a `logits` method and `size` labels), a RangeError for fewer than 2 classes.
 *
 * @example
 * ```ts
 * import { checkLogitOracle } from "./logit_oracle.ts";
 * try {
 *   checkLogitOracle("oracle", {} as never);
 *   throw new Error("accepted");
 * } catch (e) {
 *   if (!(e instanceof TypeError)) throw e;
 * }
 * ```
 */
export function checkLogitOracle(name: string, oracle: LogitOracle): void {
  checkOracle(name, oracle);
  if (typeof oracle.logits !== "function") {
    throw new TypeError(`${name} must have a logits(indices) method, got ${oracle.logits}`);
  }
  assertInteger(`${name}.classes`, oracle.classes, 2);
  const labels = oracle.labels;
  if (labels === null || typeof labels !== "object" || labels.length !== oracle.size) {
    throw new TypeError(
      `${name}.labels must have length ${name}.size = ${oracle.size}, got ${labels?.length}`,
    );
  }
}
