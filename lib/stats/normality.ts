/**
 * Normality diagnostics for one sample: moments, the Jarque–Bera,
 * Anderson–Darling and Lilliefors (Kolmogorov–Smirnov with estimated mean
 * and variance) tests, and the points of a normal QQ plot.
 *
 * Conventions follow scipy where scipy has the statistic (population moments
 * for skewness and kurtosis, `scipy.stats.jarque_bera`, `scipy.stats.anderson`,
 * `scipy.stats.probplot`), and R's `nortest` / statsmodels for the p-values of
 * the tests with estimated parameters. Normal quantiles come from `jstat`;
 * normal tail probabilities are computed here (the continued fraction of
 * Mills' ratio beyond 3σ) because `jstat`'s `erfc` underflows to 0 beyond
 * about 8σ, which heavy-tailed samples reach.
 *
 * @module
 */
import jStat from "jstat";
import { assertFiniteArray, assertNoOverflow } from "./validate.ts";

/** Smallest sample {@link normalityTests} accepts. */
const MIN_SAMPLES = 8;

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * log Φ(−t) for t ≥ 0. Below t = 3: log(½ erfc(t/√2)) with `jstat`'s erfc;
 * from t = 3: −t²/2 − log √(2π) + log R(t), with Mills' ratio
 * R(t) = 1/(t + 1/(t + 2/(t + 3/(t + …)))) evaluated backwards (Abramowitz &
 * Stegun 26.2.14), so it never underflows.
 */
function logUpperTail(t: number): number {
  if (t < 3) return Math.log(0.5 * jStat.erfc(t / Math.SQRT2));
  let r = t;
  for (let k = 200; k >= 1; k--) r = t + k / r;
  return -0.5 * t * t - LOG_SQRT_2PI - Math.log(r);
}

/** Checks finiteness and size; returns mean and the centred power sums. */
function summarize(x: ArrayLike<number>, minSamples: number, fourth: boolean) {
  assertFiniteArray("x", x, minSamples);
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  assertNoOverflow("x", "the mean", mean);
  let m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean, d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  if (m2 === 0) throw new RangeError(`x must not be constant, got all values equal to ${x[0]}`);
  assertNoOverflow("x", "Σ(x − x̄)²", m2);
  if (fourth) assertNoOverflow("x", "Σ(x − x̄)⁴", m4);
  return { n, mean, m2: m2 / n, m3: m3 / n, m4: m4 / n };
}

/** Sorted copy of (x − mean)/sd with the n − 1 standard deviation. */
function standardizedSorted(x: ArrayLike<number>, mean: number, sd: number): Float64Array {
  const z = new Float64Array(x.length);
  for (let i = 0; i < z.length; i++) z[i] = (x[i]! - mean) / sd;
  return z.sort();
}

/** Result of {@link normalityTests}. */
export interface NormalityTests {
  /** Sample size. */
  n: number;
  mean: number;
  /** Sample standard deviation with the n − 1 denominator. */
  sd: number;
  /** g1 = m3 / m2^{3/2}, population moments (`scipy.stats.skew`, bias = True). */
  skewness: number;
  /** g2 = m4 / m2² − 3 (`scipy.stats.kurtosis`, fisher = True, bias = True). */
  excessKurtosis: number;
  /**
   * Jarque & Bera (1980): JB = (n/6)(g1² + g2²/4), p-value from its
   * asymptotic χ²₂ law, P(χ²₂ > JB) = exp(−JB/2) (`scipy.stats.jarque_bera`).
   */
  jarqueBera: { statistic: number; pValue: number };
  /**
   * Anderson–Darling for normality with estimated mean and sd (case 3).
   * `statistic`: A² = −n − (1/n) Σ (2i − 1)[log Φ(z_(i)) + log(1 − Φ(z_(n+1−i)))]
   * on z = (x − mean)/sd (n − 1 denominator), exactly `scipy.stats.anderson`.
   * `criticalValues`: scipy's, Stephens' (1974) asymptotic values
   * [0.576, 0.656, 0.787, 0.918, 1.092] / (1 + 4/n − 25/n²) at the
   * significance levels [15, 10, 5, 2.5, 1] %. `adjusted`: A* = A²(1 + 0.75/n
   * + 2.25/n²); `pValue`: D'Agostino & Stephens (1986, Table 4.9), the
   * piecewise formula in A* used by statsmodels' `normal_ad` and R's
   * `nortest::ad.test`, reported as 0 for A* > 13 (p < 5e−31).
   */
  andersonDarling: {
    statistic: number;
    adjusted: number;
    pValue: number;
    criticalValues: { significance: number[]; values: number[] };
  };
  /**
   * Lilliefors (1967): the Kolmogorov–Smirnov distance D between the
   * empirical cdf of z = (x − mean)/sd (n − 1 denominator) and Φ, with the
   * p-value for estimated parameters from {@link lillieforsPValue}
   * (Dallal & Wilkinson 1986, as R's `nortest::lillie.test`).
   */
  lilliefors: { statistic: number; pValue: number };
}

/**
 * p-value of the Lilliefors test of normality (mean and variance estimated)
 * for a Kolmogorov–Smirnov distance `d` on `n` values, as R's
 * `nortest::lillie.test` computes it: the Dallal & Wilkinson (1986)
 * approximation
 * p = exp(−7.01256 D² (m + 2.78019) + 2.99587 D √(m + 2.78019) − 0.122119
 * + 0.974598/√m + 1.67997/m), with D = d (n/100)^0.49 and m = 100 when
 * n > 100 (else D = d, m = n); where that exceeds 0.1 (outside its range of
 * validity) the polynomials in Stephens' (1974) modified statistic
 * D* = d (√n − 0.01 + 0.85/√n) take over (1 for D* ≤ 0.302, 0 beyond 1.31).
 *
 * @param d Kolmogorov–Smirnov distance in [0, 1]
 * @param n sample size (≥ 5)
 * @returns the approximate p-value, clipped to [0, 1]
 */
export function lillieforsPValue(d: number, n: number): number {
  if (!(d >= 0 && d <= 1)) throw new RangeError(`d must be in [0, 1], got ${d}`);
  if (!Number.isInteger(n) || n < 5) throw new RangeError(`n must be an integer >= 5, got ${n}`);
  const kd = n > 100 ? d * (n / 100) ** 0.49 : d;
  const nd = n > 100 ? 100 : n;
  let p = Math.exp(
    -7.01256 * kd * kd * (nd + 2.78019) + 2.99587 * kd * Math.sqrt(nd + 2.78019) -
      0.122119 + 0.974598 / Math.sqrt(nd) + 1.67997 / nd,
  );
  if (p > 0.1) {
    const k = (Math.sqrt(n) - 0.01 + 0.85 / Math.sqrt(n)) * d;
    if (k <= 0.302) p = 1;
    else if (k <= 0.5) {
      p = 2.76773 - 19.828315 * k + 80.709644 * k ** 2 - 138.55152 * k ** 3 + 81.218052 * k ** 4;
    } else if (k <= 0.9) {
      p = -4.901232 + 40.662806 * k - 97.490286 * k ** 2 + 94.029866 * k ** 3 -
        32.355711 * k ** 4;
    } else if (k <= 1.31) {
      p = 6.198765 - 19.558097 * k + 23.186922 * k ** 2 - 12.234627 * k ** 3 + 2.423045 * k ** 4;
    } else p = 0;
  }
  return Math.min(1, Math.max(0, p));
}

/**
 * p-value of the Anderson–Darling test of normality with estimated mean and
 * variance (D'Agostino & Stephens 1986, Table 4.9; the formula of
 * statsmodels' `normal_ad` and R's `nortest::ad.test`), from
 * A* = A²(1 + 0.75/n + 2.25/n²):
 * 1 − exp(−13.436 + 101.14 A* − 223.73 A*²) for A* < 0.2;
 * 1 − exp(−8.318 + 42.796 A* − 59.938 A*²) for A* < 0.34;
 * exp(0.9177 − 4.279 A* − 1.38 A*²) for A* < 0.6;
 * exp(1.2937 − 5.709 A* + 0.0186 A*²) for A* ≤ 13; 0 beyond.
 *
 * @param a2 the statistic A² (≥ 0)
 * @param n sample size (≥ 1)
 * @returns the approximate p-value, clipped to [0, 1]
 */
export function andersonDarlingPValue(a2: number, n: number): number {
  if (!(a2 >= 0) || a2 === Infinity) {
    throw new RangeError(`a2 must be a finite number >= 0, got ${a2}`);
  }
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1, got ${n}`);
  const a = a2 * (1 + 0.75 / n + 2.25 / (n * n));
  let p: number;
  if (a < 0.2) p = 1 - Math.exp(-13.436 + 101.14 * a - 223.73 * a * a);
  else if (a < 0.34) p = 1 - Math.exp(-8.318 + 42.796 * a - 59.938 * a * a);
  else if (a < 0.6) p = Math.exp(0.9177 - 4.279 * a - 1.38 * a * a);
  else if (a <= 13) p = Math.exp(1.2937 - 5.709 * a + 0.0186 * a * a);
  else p = 0;
  return Math.min(1, Math.max(0, p));
}

/**
 * Moments and three tests of normality of one sample (see
 * {@link NormalityTests} for every formula): skewness and excess kurtosis
 * (population moments), Jarque–Bera with its χ²₂ p-value, Anderson–Darling
 * with scipy's critical values and the D'Agostino–Stephens p-value, and
 * Lilliefors' Kolmogorov–Smirnov test with the Dallal–Wilkinson p-value.
 * All three test the composite hypothesis "normal with some mean and
 * variance"; small p-values reject it.
 *
 * @param x the sample (at least 8 finite values, not all equal); not modified
 * @returns a {@link NormalityTests} record
 * @throws RangeError for fewer than 8 values, a non-finite value or a
 *   constant sample
 * @example
 * ```ts
 * import { createPrng, sampleNormal, sampleStable } from "./random.ts";
 * import { normalityTests } from "./normality.ts";
 * const gauss = normalityTests(sampleNormal(createPrng(1), 500));
 * const cauchy = normalityTests(sampleStable(createPrng(1), 500, { alpha: 1 }));
 * if (!(cauchy.andersonDarling.pValue < 0.001 && gauss.skewness < 1)) throw new Error("?");
 * ```
 */
export function normalityTests(x: ArrayLike<number>): NormalityTests {
  const { n, mean, m2, m3, m4 } = summarize(x, MIN_SAMPLES, true);
  const skewness = m3 / m2 ** 1.5;
  const excessKurtosis = m4 / (m2 * m2) - 3;
  const jb = (n / 6) * (skewness ** 2 + excessKurtosis ** 2 / 4);
  const sd = Math.sqrt((m2 * n) / (n - 1));
  const z = standardizedSorted(x, mean, sd);

  // log Φ(z_i) and log(1 − Φ(z_i)) from one tail evaluation each
  const logCdf = new Float64Array(n), logSf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const zi = z[i]!, tail = logUpperTail(Math.abs(zi)), body = Math.log1p(-Math.exp(tail));
    logCdf[i] = zi <= 0 ? tail : body;
    logSf[i] = zi <= 0 ? body : tail;
  }
  let s = 0, dPlus = 0, dMinus = 0;
  for (let i = 0; i < n; i++) {
    s += (2 * i + 1) * (logCdf[i]! + logSf[n - 1 - i]!);
    const f = Math.exp(logCdf[i]!);
    dPlus = Math.max(dPlus, (i + 1) / n - f);
    dMinus = Math.max(dMinus, f - i / n);
  }
  const a2 = -n - s / n;
  const d = Math.max(dPlus, dMinus);
  if (![skewness, excessKurtosis, jb, a2, d].every(Number.isFinite)) {
    throw new RangeError(
      `x under- or overflows double precision: skewness ${skewness}, excess kurtosis ` +
        `${excessKurtosis}, A² ${a2}; rescale x`,
    );
  }
  const factor = 1 + 4 / n - 25 / (n * n);
  return {
    n,
    mean,
    sd,
    skewness,
    excessKurtosis,
    jarqueBera: { statistic: jb, pValue: Math.exp(-jb / 2) },
    andersonDarling: {
      statistic: a2,
      adjusted: a2 * (1 + 0.75 / n + 2.25 / (n * n)),
      pValue: andersonDarlingPValue(Math.max(0, a2), n),
      criticalValues: {
        significance: [15, 10, 5, 2.5, 1],
        values: [0.576, 0.656, 0.787, 0.918, 1.092].map((v) => v / factor),
      },
    },
    lilliefors: { statistic: d, pValue: lillieforsPValue(Math.min(1, d), n) },
  };
}

/** Points of a normal QQ plot, see {@link qqPoints}. */
export interface QqPoints {
  /** Φ⁻¹ of Filliben's uniform order-statistic medians, increasing. */
  theoretical: Float64Array;
  /** The sorted standardized sample (x − mean)/sd, sd with n − 1. */
  sample: Float64Array;
}

/**
 * Points of a normal QQ plot: the sorted standardized sample
 * z_(i) = (x_(i) − mean)/sd (n − 1 denominator) against the normal quantiles
 * Φ⁻¹(m_i) of Filliben's (1975) medians of the uniform order statistics,
 * m_n = 0.5^{1/n}, m_1 = 1 − m_n, m_i = (i − 0.3175)/(n + 0.365) otherwise
 * (the positions of `scipy.stats.probplot`). Under normality the points lie
 * near the diagonal; heavy tails bend the ends away from it (an S shape).
 *
 * @param x the sample (at least 3 finite values, not all equal)
 * @returns `{ theoretical, sample }`, each of length n
 * @example
 * ```ts
 * import { qqPoints } from "./normality.ts";
 * const { theoretical, sample } = qqPoints([3, 1, 2]);
 * if (theoretical[1] !== 0 || sample[1] !== 0) throw new Error("median at 0");
 * ```
 */
export function qqPoints(x: ArrayLike<number>): QqPoints {
  const { n, mean, m2 } = summarize(x, 3, false);
  const sample = standardizedSorted(x, mean, Math.sqrt((m2 * n) / (n - 1)));
  const theoretical = new Float64Array(n);
  const last = 0.5 ** (1 / n);
  for (let i = 0; i < n; i++) {
    const m = i === 0 ? 1 - last : i === n - 1 ? last : (i + 1 - 0.3175) / (n + 0.365);
    theoretical[i] = jStat.normal.inv(m, 0, 1);
  }
  // the middle of an odd sample is exactly 0 by symmetry; jstat's inverse gives ~1e−17
  if (n % 2 === 1) theoretical[(n - 1) / 2] = 0;
  return { theoretical, sample };
}
