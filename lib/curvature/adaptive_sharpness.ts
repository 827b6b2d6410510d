/**
 * Adaptive (elementwise-normalised) sharpness, a sharpness that does not change under the ReLU
 * rescaling of Dinh et al. (2017): the curvature of the loss measured in units of each parameter's
 * own size, i.e. of the matrix
 *
 *   H̃ = diag(|θ|) H diag(|θ|),   H̃_ij = |θ_i| H_ij |θ_j|.
 *
 * Its largest eigenvalue is the second-order limit of the adaptive worst-case sharpness of Kwon,
 * Kim, Park & Choi (2021, "ASAM", the perturbation δ constrained by ‖δ / |θ|‖₂ ≤ ρ:
 * max L(θ + δ) − L(θ) ≈ ρ² λ_max(H̃) / 2 at a minimum), and its trace Σ_i θ_i² H_ii is the
 * second-order limit of the adaptive average-case sharpness (Andriushchenko et al. 2023, "A modern
 * look at the relationship between sharpness and generalization"). Any positive diagonal
 * reparametrisation θ' = T θ with L'(θ') = L(T⁻¹θ') has H' = T⁻¹ H T⁻¹ and |θ'| = T |θ|, so
 * H̃' = H̃: invariant under the layer rescaling of {@link rescaleReluLayer} and also under
 * rescaling each hidden neuron separately. Depends on sharpness.ts and stats/validate.ts.
 *
 * @module
 */
import { assertFiniteArray } from "../stats/validate.ts";
import type { MatVec } from "./hessian_vector.ts";
import { hessianSharpness, type Sharpness, type SharpnessOptions } from "./sharpness.ts";

/**
 * The matvec of diag(s) A diag(s), v ↦ s ⊙ A(s ⊙ v), for a symmetric `v ↦ A v`.
 *
 * @param matvec symmetric `v ↦ A v`
 * @param scale the diagonal s (finite; its length is the dimension)
 * @returns the symmetric matvec of diag(s) A diag(s) (does not modify its input)
 * @example
 * ```ts
 * import { scaledMatVec } from "./adaptive_sharpness.ts";
 * const a = (v: Float64Array) => Float64Array.from([2 * v[0]! + v[1]!, v[0]! + 3 * v[1]!]);
 * const b = scaledMatVec(a, [2, 1]); // [[8, 2], [2, 3]]
 * if (b(new Float64Array([1, 0])).join() !== "8,2") throw new Error("first column");
 * ```
 */
export function scaledMatVec(matvec: MatVec, scale: ArrayLike<number>): MatVec {
  if (typeof matvec !== "function") {
    throw new TypeError(`matvec must be a function v ↦ A v, got ${typeof matvec}`);
  }
  assertFiniteArray("scale", scale);
  const s = Float64Array.from(scale), n = s.length;
  if (n < 1) throw new RangeError("scale must not be empty, got length 0");
  const sv = new Float64Array(n);
  return (v, out = new Float64Array(n)) => {
    if (v.length !== n) {
      throw new RangeError(`v must have the length of scale (${n}), got ${v.length}`);
    }
    for (let i = 0; i < n; i++) sv[i] = s[i]! * v[i]!;
    const av = matvec(sv);
    if (av.length !== n) {
      throw new RangeError(`matvec must return length ${n}, got ${av.length}`);
    }
    for (let i = 0; i < n; i++) out[i] = s[i]! * av[i]!;
    return out;
  };
}

/**
 * Adaptive sharpness of a minimum θ: {@link hessianSharpness} of H̃ = diag(|θ|) H diag(|θ|), so
 * `lambdaMax` = λ_max(H̃) and, with `traceProbes`, `trace` ≈ Σ_i θ_i² H_ii (Hutchinson). Unchanged
 * when θ and H come from a positively rescaled parametrisation (θ' = Tθ, H' = T⁻¹HT⁻¹, T diagonal
 * and positive), e.g. the ReLU rescaling of Dinh et al. (2017), where λ_max(H) and tr H change by
 * up to α².
 *
 * @param matvec the Hessian's matvec at θ, e.g. `makeHvp(oracle, θ, …)`
 * @param theta the parameters θ (finite; its length is the dimension)
 * @param options {@link SharpnessOptions} (as `hessianSharpness`)
 * @returns {@link Sharpness} of H̃
 * @example
 * ```ts
 * import { adaptiveSharpness } from "./adaptive_sharpness.ts";
 * import { createPrng } from "../stats/random.ts";
 * // H = diag(1, 4), θ = (3, 1): H̃ = diag(9, 4), λ_max 9, trace 13
 * const h = (v: Float64Array) => Float64Array.from([v[0]!, 4 * v[1]!]);
 * const s = adaptiveSharpness(h, [3, 1], { prng: createPrng(0), tol: 1e-10, traceProbes: 2 });
 * if (Math.abs(s.lambdaMax - 9) > 1e-9 || Math.abs(s.trace!.estimate - 13) > 1e-9) throw new Error("H̃");
 * ```
 */
export function adaptiveSharpness(
  matvec: MatVec,
  theta: ArrayLike<number>,
  options: SharpnessOptions,
): Sharpness {
  assertFiniteArray("theta", theta);
  const scale = Float64Array.from(theta, Math.abs);
  return hessianSharpness(scaledMatVec(matvec, scale), scale.length, options);
}
