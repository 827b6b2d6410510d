/**
 * The reparametrisation of Dinh, Pascanu, Bengio & Bengio (2017, "Sharp
 * minima can generalize for deep nets", §4): a ReLU is positively
 * homogeneous, relu(α z) = α relu(z) for α > 0, so multiplying the weights
 * and biases into a hidden ReLU layer by α and the weights out of it by 1/α
 * leaves the network's function unchanged while the curvature of the loss
 * in the new coordinates changes by factors up to α² and 1/α².
 *
 * Works on the flat parameter vector of an MLP laid out as `createMlp`
 * flattens it: for each layer l = 0..L−1 (L = sizes.length − 1) the weights
 * W_l (sizes[l] × sizes[l+1], row-major) then the biases b_l (sizes[l+1]).
 * Depends on stats/validate.ts.
 *
 * @module
 */
import { assertAllocation, assertFinite, assertFiniteArray } from "../stats/validate.ts";

function checkSizes(sizes: readonly number[], min = 3): void {
  if (!Array.isArray(sizes)) {
    throw new TypeError(`sizes must be an array of layer widths, got ${sizes}`);
  }
  if (sizes.length < min || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new RangeError(
      `sizes must be >= ${min} positive integers (an MLP${
        min === 3 ? " with a hidden layer" : ""
      }), got [${sizes.join(", ")}]`,
    );
  }
}

/** Number of parameters of an MLP with these layer sizes. */
export function mlpParameterCount(sizes: readonly number[]): number {
  checkSizes(sizes, 2);
  let n = 0;
  for (let l = 0; l + 1 < sizes.length; l++) n += sizes[l]! * sizes[l + 1]! + sizes[l + 1]!;
  assertAllocation("the parameter count of sizes", n);
  return n;
}

/**
 * The diagonal of the rescaling T of Dinh et al. (2017): θ' = T θ with
 * T = α on W_{h−1} and b_{h−1} (into hidden layer h), 1/α on W_h (out of
 * it), 1 elsewhere. If L' is the loss in the new coordinates,
 * L'(θ') = L(T⁻¹ θ'), so ∇L'(θ') = T⁻¹ ∇L(θ) and H'(θ') = T⁻¹ H(θ) T⁻¹:
 * the curvature along the incoming weights is divided by α², along the
 * outgoing ones multiplied by α².
 *
 * @param sizes MLP layer widths, e.g. `[784, 32, 10]`
 * @param hidden the hidden layer h, an integer in [1, sizes.length − 2]
 * @param alpha the factor α > 0 (finite)
 * @returns the per-parameter factors t_j (length = parameter count)
 * @example
 * ```ts
 * import { reluRescalingFactors } from "./relu_rescaling.ts";
 * const t = reluRescalingFactors([1, 1, 1], 1, 4); // [W0, b0, W1, b1]
 * if (t.join() !== "4,4,0.25,1") throw new Error("layout");
 * ```
 */
export function reluRescalingFactors(
  sizes: readonly number[],
  hidden: number,
  alpha: number,
): Float64Array {
  checkSizes(sizes);
  if (!Number.isInteger(hidden) || hidden < 1 || hidden > sizes.length - 2) {
    throw new RangeError(
      `hidden must be an integer in [1, ${sizes.length - 2}] (a hidden layer), got ${hidden}`,
    );
  }
  assertFinite("alpha", alpha);
  if (alpha <= 0) {
    throw new RangeError(`alpha must be > 0 (ReLU is only positively homogeneous), got ${alpha}`);
  }
  const t = new Float64Array(mlpParameterCount(sizes)).fill(1);
  let off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const w = sizes[l]! * sizes[l + 1]!, b = sizes[l + 1]!;
    if (l === hidden - 1) t.fill(alpha, off, off + w + b);
    if (l === hidden) t.fill(1 / alpha, off, off + w);
    off += w + b;
  }
  return t;
}

/**
 * Rescales a hidden ReLU layer of an MLP (Dinh et al. 2017): θ' = T θ with
 * T from {@link reluRescalingFactors}. The network computes the same
 * function at θ' as at θ (exactly in real arithmetic; to rounding in
 * floating point), while its Hessian becomes T⁻¹ H T⁻¹.
 *
 * @param theta flat MLP parameters (length = parameter count of `sizes`, finite)
 * @param sizes MLP layer widths
 * @param hidden the hidden layer h in [1, sizes.length − 2]
 * @param alpha the factor α > 0
 * @returns θ' as a new Float64Array
 * @example
 * ```ts
 * import { rescaleReluLayer } from "./relu_rescaling.ts";
 * // 1-1-1 MLP: W0 = 2, b0 = −1, W1 = 3, b1 = 0.5
 * const t = rescaleReluLayer([2, -1, 3, 0.5], [1, 1, 1], 1, 10);
 * const f = (p: ArrayLike<number>, x: number) => p[2]! * Math.max(0, p[0]! * x + p[1]!) + p[3]!;
 * if (Math.abs(f(t, 1.5) - f([2, -1, 3, 0.5], 1.5)) > 1e-12) throw new Error("same function");
 * ```
 */
export function rescaleReluLayer(
  theta: ArrayLike<number>,
  sizes: readonly number[],
  hidden: number,
  alpha: number,
): Float64Array {
  const t = reluRescalingFactors(sizes, hidden, alpha);
  if (theta.length !== t.length) {
    throw new RangeError(
      `theta must have length ${t.length} (MLP [${sizes.join(", ")}]), got ${theta.length}`,
    );
  }
  assertFiniteArray("theta", theta);
  const out = new Float64Array(t.length);
  for (let j = 0; j < t.length; j++) out[j] = t[j]! * theta[j]!;
  return out;
}
