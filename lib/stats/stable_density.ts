/**
 * The symmetric α-stable law, the limit of the generalized central limit
 * theorem (Eq. 4 of the post): its density and upper quartile, a fit of it
 * to a centred sample (for overlaying fitted stable laws on histograms of
 * gradient noise), and the scale of the limit for sums of Pareto draws.
 *
 * The symmetric stable law S(α, 0, γ, δ) (Nolan's S1 parameterisation, the
 * default of `scipy.stats.levy_stable`, and of {@link sampleStable}) has
 * characteristic function exp(iδt − γ^α |t|^α), α ∈ (0, 2]. Its density is
 * f(x) = f₁((x − δ)/γ)/γ with, for z ≥ 0 (f₁ is even),
 *
 *   f₁(z) = (1/π) ∫₀^∞ cos(z t) exp(−t^α) dt                        (Fourier inversion)
 *         = (1/π) Σ_{k≥1} (−1)^{k+1} Γ(αk + 1)/k! · sin(kπα/2) · z^{−αk−1}   (Bergström 1952),
 *
 * the series converging for α < 1 and asymptotic as z → ∞ for α > 1. α = 2 is
 * the Gaussian N(δ, 2γ²), α = 1 the Cauchy law.
 *
 * @module
 */
import jStat from "jstat";
import { estimateTailIndex } from "./tail_index.ts";
import { assertFinite, assertFiniteArray, assertNotConstant, assertPositive } from "./validate.ts";

/** Nodes and weights of 8-point Gauss–Legendre quadrature on [−1, 1]. */
const GL_X = [
  -0.9602898564975363,
  -0.7966664774136267,
  -0.525532409916329,
  -0.1834346424956498,
  0.1834346424956498,
  0.525532409916329,
  0.7966664774136267,
  0.9602898564975363,
];
const GL_W = [
  0.1012285362903763,
  0.2223810344533745,
  0.3137066458778873,
  0.362683783378362,
  0.362683783378362,
  0.3137066458778873,
  0.2223810344533745,
  0.1012285362903763,
];

/** ∫ over [a, b] of cos(z t) exp(−t^α) by 8-point Gauss–Legendre. */
function panel(a: number, b: number, z: number, alpha: number): number {
  const h = 0.5 * (b - a), m = 0.5 * (a + b);
  let s = 0;
  for (let k = 0; k < 8; k++) {
    const t = m + h * GL_X[k]!;
    s += GL_W[k]! * Math.cos(z * t) * Math.exp(-Math.pow(t, alpha));
  }
  return s * h;
}

/**
 * (1/π) ∫₀^T cos(z t) e^{−t^α} dt, T where e^{−t^α} < 1e−18. Panels are graded
 * geometrically towards t = 0 (where t^α is not smooth) and are at most a
 * quarter period of cos(z t) wide elsewhere, so 8 nodes per panel resolve it.
 */
function fourierIntegral(z: number, alpha: number): number {
  const tMax = Math.pow(-Math.log(1e-18), 1 / alpha);
  const width = Math.min(0.5, Math.PI / (2 * Math.max(z, 1e-9)));
  let s = 0;
  let a = 0;
  // graded start: [0, 1e-6], [1e-6, 1e-5], …, up to `width`
  for (let b = 1e-6; b < width; b *= 10) {
    s += panel(a, b, z, alpha);
    a = b;
  }
  const n = Math.ceil((tMax - a) / width);
  const step = (tMax - a) / n;
  for (let i = 0; i < n; i++) s += panel(a + i * step, a + (i + 1) * step, z, alpha);
  return s / Math.PI;
}

/** Bergström's series at z > 0: summed until converged, or, for α > 1, until its terms grow. */
function bergstromSeries(z: number, alpha: number): number {
  const logZ = Math.log(z);
  let sum = 0, prev = Infinity;
  for (let k = 1; k <= 400; k++) {
    const s = Math.sin((k * Math.PI * alpha) / 2);
    const mag = Math.exp(
      jStat.gammaln(alpha * k + 1) - jStat.gammaln(k + 1) - (alpha * k + 1) * logZ,
    );
    if (alpha > 1 && mag > prev) break; // asymptotic: stop at the smallest term
    prev = mag;
    const term = (k % 2 === 1 ? 1 : -1) * s * mag;
    sum += term;
    if (mag < 1e-17 * Math.abs(sum)) break;
  }
  return sum / Math.PI;
}

/** Where f₁ switches from the Fourier integral to the series (checked against scipy). */
function seriesFrom(alpha: number): number {
  if (alpha < 1) return 4;
  if (alpha < 1.7) return 15;
  if (alpha < 1.9) return 30;
  return 60;
}

/** Standard symmetric stable density f₁(z), z any real. */
function standardDensity(z: number, alpha: number): number {
  const a = Math.abs(z);
  if (alpha === 2) return Math.exp(-a * a / 4) / (2 * Math.sqrt(Math.PI));
  if (alpha === 1) return 1 / (Math.PI * (1 + a * a));
  return a > seriesFrom(alpha) ? bergstromSeries(a, alpha) : fourierIntegral(a, alpha);
}

/** Parameters of a symmetric stable law S(α, 0, γ, δ). */
export interface SymmetricStableParams {
  /** Stability index α ∈ [0.5, 2]. */
  alpha: number;
  /** Scale γ > 0 (default 1). */
  scale?: number;
  /** Location δ (default 0). */
  loc?: number;
}

function checkParams(alpha: number, scale: number, loc: number): void {
  if (!(alpha >= 0.5 && alpha <= 2)) {
    throw new RangeError(`alpha must be in [0.5, 2], got ${alpha}`);
  }
  assertPositive("scale", scale);
  assertFinite("loc", loc);
}

/**
 * Density of the symmetric α-stable law S(α, 0, γ, δ) at each x (module doc
 * for the formulas): the Fourier integral by graded 8-point Gauss–Legendre
 * panels for |x − δ|/γ up to a switch point (4 for α < 1, 15–60 above), the
 * Bergström series beyond, closed forms at α = 1 (Cauchy) and α = 2
 * (Gaussian N(δ, 2γ²)). Agrees with `scipy.stats.levy_stable.pdf` to 2e−6
 * relative on α ∈ [0.6, 2], |x| ≤ 10³ (tests/fixtures/stable_pdf). Cost: up
 * to a few thousand exp/cos per point (more for α near 0.5).
 *
 * @param x points (finite)
 * @param params `{ alpha, scale = 1, loc = 0 }`, α restricted to [0.5, 2]
 *   (below, the integral needs too many panels; the series covers it only far out)
 * @returns the densities, a new Float64Array
 * @throws RangeError for α ∉ [0.5, 2], scale ≤ 0, non-finite loc or x
 * @example
 * ```ts
 * import { symmetricStablePdf } from "./stable_density.ts";
 * const [cauchy] = symmetricStablePdf([0], { alpha: 1 });
 * const [near] = symmetricStablePdf([0], { alpha: 1.0001 });
 * if (Math.abs(cauchy! - 1 / Math.PI) > 1e-15 || Math.abs(near! - cauchy!) > 1e-4) throw new Error();
 * ```
 */
export function symmetricStablePdf(
  x: ArrayLike<number>,
  { alpha, scale = 1, loc = 0 }: SymmetricStableParams,
): Float64Array {
  checkParams(alpha, scale, loc);
  assertFiniteArray("x", x);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    out[i] = standardDensity((x[i]! - loc) / scale, alpha) / scale;
    if (!Number.isFinite(out[i]!)) {
      throw new RangeError(`scale ${scale} is too small: the density at x[${i}] is ${out[i]}`);
    }
  }
  return out;
}

/**
 * Scale γ of the stable limit of Pareto sums (the generalized CLT, Gnedenko
 * & Kolmogorov 1954; Feller 1971, Vol. II, §XVII.5): if P(|X| > x) = x^{−α}
 * for x ≥ 1 with a symmetric sign and α ∈ (0, 2), α ≠ 1, then
 * n^{−1/α} (X₁ + … + X_n) → S(α, 0, γ, 0) with
 *
 *   γ^α = Γ(2 − α) cos(πα/2) / (1 − α).
 *
 * (the inverse of the constant C_α of Samorodnitsky & Taqqu 1994, §1.2;
 * at α = 1 the limit is the Cauchy law with γ = π/2).
 * Checked against normalised simulated sums in tests/stable_density_test.ts.
 *
 * @param alpha tail index α ∈ (0, 2)
 * @returns γ
 * @example
 * ```ts
 * import { paretoSumStableScale } from "./stable_density.ts";
 * if (Math.abs(paretoSumStableScale(1.5) - 1.84527) > 1e-5) throw new Error();
 * ```
 */
export function paretoSumStableScale(alpha: number): number {
  if (!(alpha > 0 && alpha < 2)) throw new RangeError(`alpha must be in (0, 2), got ${alpha}`);
  if (alpha === 1) return Math.PI / 2;
  const scale = Math.pow(
    (Math.exp(jStat.gammaln(2 - alpha)) * Math.cos((Math.PI * alpha) / 2)) / (1 - alpha),
    1 / alpha,
  );
  if (!(scale > 0 && scale < Infinity)) {
    throw new RangeError(`alpha ${alpha} is too small: the scale under- or overflows to ${scale}`);
  }
  return scale;
}

/** ∫₀^q f₁(z) dz by 8-point Gauss–Legendre on 32 panels (f₁ is smooth there). */
function halfCdf(q: number, alpha: number): number {
  const n = 32, h = q / n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const a = i * h, m = a + h / 2;
    for (let k = 0; k < 8; k++) s += GL_W[k]! * standardDensity(m + (h / 2) * GL_X[k]!, alpha);
  }
  return (s * h) / 2;
}

/**
 * Upper quartile q of the standard symmetric stable law S(α, 0, 1, 0), i.e.
 * P(X ≤ q) = 3/4: Newton's method on ∫₀^q f₁ = 1/4 from q = 1 (the Cauchy
 * quartile), the integral by Gauss–Legendre quadrature of
 * {@link symmetricStablePdf}. q = √2 Φ⁻¹(3/4) ≈ 0.9539 at α = 2, 1 at α = 1.
 *
 * @param alpha α ∈ [0.5, 2]
 * @returns q
 * @example
 * ```ts
 * import { symmetricStableQuartile } from "./stable_density.ts";
 * if (Math.abs(symmetricStableQuartile(1) - 1) > 1e-9) throw new Error("Cauchy quartile is 1");
 * ```
 */
export function symmetricStableQuartile(alpha: number): number {
  checkParams(alpha, 1, 0);
  let q = 1;
  for (let it = 0; it < 50; it++) {
    const step = (halfCdf(q, alpha) - 0.25) / standardDensity(q, alpha);
    q -= step;
    if (Math.abs(step) < 1e-12 * q) return q;
  }
  throw new RangeError(`symmetricStableQuartile did not converge for alpha ${alpha}`);
}

/** A symmetric stable law fitted by {@link fitSymmetricStable}. */
export interface SymmetricStableFit {
  /** α̂ ∈ [0.5, 2]. */
  alpha: number;
  /** γ̂ > 0. */
  scale: number;
  /** The block-sum estimate before clipping to [0.5, 2]. */
  rawAlpha: number;
}

/**
 * Fits a centred symmetric stable law S(α, 0, γ, 0) to a sample whose
 * centre is known to be 0 (gradient noise): α̂ is the block-sum tail index
 * ({@link estimateTailIndex}, block size ⌊√N⌋ on the first ⌊√N⌋² values)
 * clipped to [0.5, 2]; γ̂ matches the median of |x| to the law's upper
 * quartile, γ̂ = median|x| / q_{3/4}(α̂) (a quantile-matching estimator in the
 * spirit of McCulloch 1986, with the location fixed).
 *
 * @param x the sample (≥ 100 finite values, not all 0)
 * @returns `{ alpha, scale, rawAlpha }`
 * @throws RangeError for fewer than 100 values, non-finite values or a zero median |x|
 * @example
 * ```ts
 * import { createPrng, sampleStable } from "./random.ts";
 * import { fitSymmetricStable } from "./stable_density.ts";
 * const fit = fitSymmetricStable(sampleStable(createPrng(1), 10_000, { alpha: 1.5, scale: 2 }));
 * if (Math.abs(fit.alpha - 1.5) > 0.3 || Math.abs(fit.scale - 2) > 0.2) throw new Error();
 * ```
 */
export function fitSymmetricStable(x: ArrayLike<number>): SymmetricStableFit {
  assertFiniteArray("x", x, 100);
  assertNotConstant("x", x);
  const k = Math.floor(Math.sqrt(x.length));
  const head = Float64Array.from({ length: k * k }, (_, i) => x[i]!);
  const rawAlpha = estimateTailIndex(head, { blockSize: k });
  const alpha = Math.min(2, Math.max(0.5, rawAlpha));
  const mag = Float64Array.from(x, Math.abs).sort();
  const n = mag.length;
  const median = n % 2 ? mag[(n - 1) / 2]! : (mag[n / 2 - 1]! + mag[n / 2]!) / 2;
  if (!(median > 0)) throw new RangeError(`median |x| must be > 0, got ${median}`);
  return { alpha, scale: median / symmetricStableQuartile(alpha), rawAlpha };
}
