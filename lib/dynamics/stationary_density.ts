/**
 * The closed-form stationary law of a 1-D Itô diffusion dθ = −L'(θ) dt + √(2D(θ)) dB with
 * reflecting walls (zero flux):
 *
 *   p∞(θ) ∝ (1/D(θ)) exp(−∫^θ L'(s)/D(s) ds),
 *
 * which is the Gibbs law e^{−L/D} only for constant D (Gardiner, Handbook of Stochastic Methods,
 * §5.2.2; Itô convention: D inside both derivatives of the Fokker–Planck equation). Evaluated on
 * the cell centres of a grid, independently of any solver. Depends on stats/validate.ts.
 *
 * @module
 */
import { assertFiniteArray, assertPositive } from "../stats/validate.ts";
import { assertFunction, assertIncreasing, assertObject } from "../stats/validate.ts";

/**
 * The stationary density p∞ ∝ D⁻¹ exp(−Φ), Φ(θ) = ∫ L'/D, at the cell centres x_i of a uniform
 * grid of cell width h: Φ by Simpson's rule on each interval [x_i − h, x_i] (error O(h⁴)),
 * shifted so that min Φ = 0 (no overflow at low temperature), then normalised so that
 * Σ_i p_i h = 1 (a piecewise-constant density on the cells).
 *
 * @param sde.gradient L'(θ)
 * @param sde.diffusion D(θ) > 0, a number or a function
 * @param centers cell centres x_0 < x_1 < … spaced by `cellWidth`
 * @param cellWidth h > 0
 * @returns p∞ at each centre
 * @example
 * ```ts
 * import { stationaryDensity1D } from "./stationary_density.ts";
 * // Ornstein–Uhlenbeck L = θ²/2, D = 0.5: N(0, 0.5)
 * const h = 0.01, xs = Array.from({ length: 801 }, (_, i) => -4 + i * h);
 * const p = stationaryDensity1D({ gradient: (x) => x, diffusion: 0.5 }, xs, h);
 * if (Math.abs(p[400]! - 1 / Math.sqrt(Math.PI)) > 1e-3) throw new Error(String(p[400]));
 * ```
 */
export function stationaryDensity1D(
  sde: { gradient: (theta: number) => number; diffusion: number | ((theta: number) => number) },
  centers: ArrayLike<number>,
  cellWidth: number,
): Float64Array {
  assertObject("sde", sde);
  assertFiniteArray("centers", centers, 1);
  assertIncreasing("centers", centers);
  assertPositive("cellWidth", cellWidth);
  const { gradient, diffusion } = sde;
  assertFunction("gradient", gradient);
  if (typeof diffusion === "number") assertPositive("diffusion", diffusion);
  else assertFunction("diffusion", diffusion);
  const D = typeof diffusion === "number" ? () => diffusion : diffusion;
  const h = cellWidth, n = centers.length;
  const phiPrime = (x: number) => gradient(x) / D(x);
  const p = new Float64Array(n);
  let phi = 0;
  for (let i = 0; i < n; i++) {
    const x = centers[i]!;
    if (i > 0) phi += (h / 6) * (phiPrime(x - h) + 4 * phiPrime(x - h / 2) + phiPrime(x));
    p[i] = phi;
  }
  let phiMin = Infinity; // a loop, not Math.min(...p): no call-stack limit on long grids
  for (let i = 0; i < n; i++) phiMin = Math.min(phiMin, p[i]!);
  for (let i = 0; i < n; i++) p[i] = Math.exp(-(p[i]! - phiMin)) / D(centers[i]!);
  const norm = p.reduce((s, v) => s + v * h, 0);
  p.forEach((v, i) => (p[i] = v / norm));
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(p[i]!) || p[i]! < 0) {
      throw new RangeError(
        `stationary density not finite and positive at x = ${centers[i]}: p = ${p[i]}; ` +
          `D must be > 0 and L'/D finite on the grid`,
      );
    }
  }
  return p;
}
