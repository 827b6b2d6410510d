/**
 * Two Fokker–Planck equations for one state-dependent diffusion D(θ), and how to move between
 * them. The Itô SDE dθ = −L'(θ) dt + √(2D(θ)) dB of the post (Eq. 6–8, ERRATA) has
 *
 *   ∂p/∂t = ∂_θ(L' p) + ∂_θ²(D p),
 *
 * while Xie, Sato & Sugiyama (2021) write the SGD diffusion as ∂p/∂t = ∇·(p∇L) + ∇·(D∇p)
 * (the "divergence" or Hänggi–Klimontovich form). The two differ by the drift D': the divergence
 * form is the Itô SDE with drift −L' + D'. In the low-temperature limit their mean escape times
 * differ in the prefactor by √(D_b/D_a)/√(D_a/D_b) = D_b/D_a (Laplace's method on the
 * double-integral formula): with D ∝ the curvature, 2π/h_a for Itô against 2π/|h_b| for the
 * divergence form. Depends on escape.ts (for the valley options only).
 *
 * @module
 */
import type { Mfpt1DOptions } from "./escape.ts";
import { assertFunction, assertObject } from "../stats/validate.ts";

/**
 * The Itô valley whose Fokker–Planck equation is the divergence form
 * ∂p/∂t = ∂(L'p) + ∂(D ∂p) of `valley`: the same ends and diffusion, with gradient L' − D'
 * (drift −L' + D'). Every 1-D escape routine of escape.ts then gives that form's escape time.
 *
 * @param valley the Itô valley (gradient L', diffusion D)
 * @param diffusionSlope D'(θ), the derivative of the diffusion
 * @returns the valley of the divergence form
 * @example
 * ```ts
 * import { divergenceFormValley } from "./divergence_form.ts";
 * const v = divergenceFormValley(
 *   { reflecting: -3, absorbing: 1, gradient: (x) => x, diffusion: (x) => 0.1 + 0.01 * x },
 *   () => 0.01,
 * );
 * if (v.gradient(2) !== 2 - 0.01) throw new Error();
 * ```
 */
export function divergenceFormValley(
  valley: Mfpt1DOptions,
  diffusionSlope: (x: number) => number,
): Mfpt1DOptions {
  assertObject("valley", valley);
  assertFunction("valley.gradient", valley.gradient);
  assertFunction("diffusionSlope", diffusionSlope);
  const g = valley.gradient;
  return {
    ...valley,
    gradient: (x: number) => {
      const d = diffusionSlope(x);
      if (typeof d !== "number" || !Number.isFinite(d)) {
        throw new RangeError(`diffusionSlope returned a non-finite value ${d} at x = ${x}`);
      }
      return g(x) - d;
    },
  };
}
