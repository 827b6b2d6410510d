/**
 * Is a mean zero? Student t statistics for several series at once, with a
 * Bonferroni-corrected critical value, used to test E[U] = 0 for the SGN.
 *
 * @module
 */
import jStat from "jstat";
import { assertFiniteArray, assertInInterval, assertNoOverflow } from "./validate.ts";

/** Result of {@link meanZeroTest}. */
export interface MeanZeroTest {
  /** t_r = mean_r / (sd_r / √n) for each series r */
  t: Float64Array;
  /** max_r |t_r| */
  maxAbsT: number;
  /** two-sided Bonferroni critical value t_{1 − α/(2K)}, n − 1 dof */
  critical: number;
  /** the family-wise level α used */
  alpha: number;
  /** number of observations per series */
  n: number;
}

/**
 * One-sample t statistics of K series of n observations each, stored
 * series-major (`series[r·n + i]`), against mean 0, with the two-sided
 * Bonferroni critical value at family-wise level α: under the null (all
 * means zero, Gaussian observations) P(max |t_r| > critical) ≤ α, whatever
 * the correlation between series.
 *
 * @param series K·n values, series-major
 * @param n observations per series (≥ 2)
 * @param alpha family-wise level (default 0.05)
 * @example
 * ```ts
 * import { meanZeroTest } from "./mean_test.ts";
 * const r = meanZeroTest(new Float64Array([1, -1, 2, -2]), 4);
 * if (r.t[0] !== 0) throw new Error();
 * ```
 */
export function meanZeroTest(series: ArrayLike<number>, n: number, alpha = 0.05): MeanZeroTest {
  assertFiniteArray("series", series);
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`n must be an integer >= 2, got ${n}`);
  if (series.length === 0 || series.length % n !== 0) {
    throw new RangeError(
      `series length must be a positive multiple of n = ${n}, got ${series.length}`,
    );
  }
  assertInInterval("alpha", alpha, 0, 1, "()");
  const k = series.length / n;
  const t = new Float64Array(k);
  let maxAbsT = 0;
  for (let r = 0; r < k; r++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += series[r * n + i]!;
    m /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (series[r * n + i]! - m) ** 2;
    assertNoOverflow("series", `Σ(x − x̄)² of series ${r}`, ss);
    const se = Math.sqrt(ss / (n - 1) / n);
    if (se === 0) {
      throw new RangeError(`series ${r} has zero variance: its t statistic is undefined`);
    }
    t[r] = m / se;
    maxAbsT = Math.max(maxAbsT, Math.abs(t[r]!));
  }
  const critical = jStat.studentt.inv(1 - alpha / (2 * k), n - 1) as number;
  if (!Number.isFinite(critical)) {
    throw new RangeError(
      `alpha ${alpha} is too small for ${k} series: the critical value is ${critical}`,
    );
  }
  return { t, maxAbsT, critical, alpha, n };
}
