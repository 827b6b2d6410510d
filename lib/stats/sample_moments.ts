/**
 * Moments of a finite population and of the mean of a batch drawn from it
 * without replacement: the population central moments μ₂, μ₄, standardising a
 * sample, and the exact excess kurtosis of a batch mean, which is how the
 * central limit theorem's "approach to Gaussian" is predicted for minibatch
 * gradient noise (Eq. 5 of the post: a minibatch gradient is the mean of S
 * distinct per-example gradients out of N).
 *
 * @module
 */
import { assertFiniteArray, assertNoOverflow } from "./validate.ts";

/** Population central moments, see {@link centralMoments}. */
export interface CentralMoments {
  /** μ₂ = (1/n) Σ (x_i − x̄)². */
  m2: number;
  /** μ₄ = (1/n) Σ (x_i − x̄)⁴. */
  m4: number;
}

/**
 * Standardises a sample by its own mean and standard deviation:
 * z_i = (x_i − x̄)/s, s² = Σ (x_i − x̄)²/(n − 1) (two passes).
 *
 * @param x the sample (at least 2 finite values, not all equal); not modified
 * @returns z, a new Float64Array with mean 0 and sample standard deviation 1
 * @throws RangeError for fewer than 2 values, a non-finite value or a zero standard deviation
 * @example
 * ```ts
 * import { standardise } from "./sample_moments.ts";
 * const z = standardise([1, 2, 3]);
 * if (z[0] !== -1 || z[1] !== 0 || z[2] !== 1) throw new Error();
 * ```
 */
export function standardise(x: ArrayLike<number>): Float64Array {
  assertFiniteArray("x", x, 2);
  let m = 0, v = 0;
  for (let i = 0; i < x.length; i++) m += x[i]!;
  m /= x.length;
  assertNoOverflow("x", "the mean", m);
  for (let i = 0; i < x.length; i++) v += (x[i]! - m) ** 2;
  assertNoOverflow("x", "Σ(x − x̄)²", v);
  const sd = Math.sqrt(v / (x.length - 1));
  if (!(sd > 0)) throw new RangeError(`x must not be constant, got all values equal to ${x[0]}`);
  return Float64Array.from(x, (u) => (u - m) / sd);
}

/**
 * Population central moments (divisor n, two passes):
 * μ₂ = (1/n) Σ (x_i − x̄)², μ₄ = (1/n) Σ (x_i − x̄)⁴.
 *
 * @param x the population (at least 1 finite value)
 * @returns `{ m2, m4 }`
 * @throws RangeError for an empty input or a non-finite value
 * @example
 * ```ts
 * import { centralMoments } from "./sample_moments.ts";
 * const { m2, m4 } = centralMoments([1, 2, 3, 4]);
 * if (m2 !== 1.25 || m4 !== 2.5625) throw new Error();
 * ```
 */
export function centralMoments(x: ArrayLike<number>): CentralMoments {
  assertFiniteArray("x", x, 1);
  let m = 0, m2 = 0, m4 = 0;
  for (let i = 0; i < x.length; i++) m += x[i]!;
  m /= x.length;
  assertNoOverflow("x", "the mean", m);
  for (let i = 0; i < x.length; i++) {
    const e = (x[i]! - m) ** 2;
    m2 += e;
    m4 += e * e;
  }
  assertNoOverflow("x", "Σ(x − x̄)⁴", m4);
  return { m2: m2 / x.length, m4: m4 / x.length };
}

/**
 * Exact excess kurtosis of the mean ḡ_S of a batch of S values drawn
 * uniformly without replacement from a population of N values with central
 * moments μ₂, μ₄ (the classical finite-population moments of the mean
 * under simple random sampling without replacement; the tests check them
 * against full enumeration of every batch of small populations):
 *
 *   Var ḡ_S = (N − S)/(S (N − 1)) · μ₂,
 *   E (ḡ_S − ḡ)⁴ = (N − S)/(S³ (N − 1)(N − 2)(N − 3)) ·
 *                  [(N² + N − 6SN + 6S²) μ₄ + 3N (S − 1)(N − S − 1) μ₂²],
 *
 * and the result is E (ḡ_S − ḡ)⁴ / (Var ḡ_S)² − 3. For N → ∞ it tends to the
 * with-replacement value κ₁/S, κ₁ = μ₄/μ₂² − 3; at S = 1 and S = N − 1 it is
 * κ₁ exactly; it turns slightly negative as S/N grows.
 *
 * @param batchSize S, an integer in [1, N − 1] (at S = N the mean has no spread)
 * @param populationSize N, an integer ≥ 4
 * @param moments `{ m2, m4 }` of the population ({@link centralMoments}), μ₂ > 0
 * @returns the excess kurtosis of ḡ_S
 * @throws RangeError for S or N out of range, μ₂ ≤ 0 or μ₄ < 0 or non-finite
 * @example
 * ```ts
 * import { batchMeanKurtosis, centralMoments } from "./sample_moments.ts";
 * const m = centralMoments([0, 0, 0, 0, 0, 0, 0, 10]);
 * const kappa1 = m.m4 / m.m2 ** 2 - 3;
 * // one draw is the population itself
 * if (Math.abs(batchMeanKurtosis(1, 8, m) - kappa1) > 1e-12) throw new Error();
 * ```
 */
export function batchMeanKurtosis(
  batchSize: number,
  populationSize: number,
  { m2, m4 }: CentralMoments,
): number {
  const N = populationSize, S = batchSize;
  if (!Number.isInteger(N) || N < 4) {
    throw new RangeError(`populationSize must be an integer >= 4, got ${N}`);
  }
  if (!Number.isInteger(S) || S < 1 || S >= N) {
    throw new RangeError(`batchSize must be an integer in [1, ${N - 1}], got ${S}`);
  }
  if (!(m2 > 0) || !Number.isFinite(m2)) {
    throw new RangeError(`moments.m2 must be finite and > 0, got ${m2}`);
  }
  if (!(m4 >= 0) || !Number.isFinite(m4)) {
    throw new RangeError(`moments.m4 must be finite and >= 0, got ${m4}`);
  }
  const variance = ((N - S) / (S * (N - 1))) * m2;
  const fourth = ((N - S) / (S ** 3 * (N - 1) * (N - 2) * (N - 3))) *
    ((N * N + N - 6 * S * N + 6 * S * S) * m4 + 3 * N * (S - 1) * (N - S - 1) * m2 * m2);
  const kurtosis = fourth / variance ** 2 - 3;
  if (!Number.isFinite(kurtosis)) {
    throw new RangeError(
      `batchMeanKurtosis overflows for batchSize ${S}, populationSize ${N} and moments ` +
        `{ m2: ${m2}, m4: ${m4} }: got ${kurtosis}`,
    );
  }
  return kurtosis;
}
