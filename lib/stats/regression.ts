/**
 * Ordinary least-squares line fits with standard errors, used wherever the
 * post predicts a slope (SGN size vs S on log–log axes, log τ vs S/η).
 *
 * @module
 */
import jStat from "jstat";
import { assertFiniteArray, assertInInterval, assertNoOverflow } from "./validate.ts";

/** Throws a RangeError naming x and y when a fitted quantity is not finite (overflow, or x nearly constant). */
function checkFit(fn: string, values: number[]): void {
  if (!values.every(Number.isFinite)) {
    throw new RangeError(
      `${fn} of y on x is not finite (${values.join(", ")}): x, y (or w) overflow double ` +
        `precision or x is nearly constant; rescale them`,
    );
  }
}

/** Result of {@link linearFit}. */
export interface LinearFit {
  slope: number;
  intercept: number;
  /** standard error of the slope, s / √Σ(x − x̄)² */
  slopeStdErr: number;
  interceptStdErr: number;
  /** coefficient of determination */
  r2: number;
  /** two-sided confidence interval of the slope at `level` (Student t, n − 2 dof) */
  slopeInterval: [number, number];
  n: number;
}

/**
 * Fits y ≈ a + b x by least squares (as `scipy.stats.linregress`).
 *
 * @param x abscissae (finite, not all equal)
 * @param y ordinates (finite), same length, at least 3 points
 * @param level confidence level of the slope interval (default 0.95)
 * @returns slope, intercept, their standard errors, R² and the slope interval
 * @example
 * ```ts
 * import { linearFit } from "./regression.ts";
 * const f = linearFit([1, 2, 3, 4], [3, 5, 7, 9]);
 * if (Math.abs(f.slope - 2) > 1e-12) throw new Error();
 * ```
 */
export function linearFit(x: ArrayLike<number>, y: ArrayLike<number>, level = 0.95): LinearFit {
  assertFiniteArray("x", x);
  assertFiniteArray("y", y);
  const n = x.length;
  if (y.length !== n) throw new RangeError(`y must have the length of x (${n}), got ${y.length}`);
  if (n < 3) throw new RangeError(`linearFit needs at least 3 points, got ${n}`);
  assertInInterval("level", level, 0, 1, "()");
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx, dy = y[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  assertNoOverflow("x", "Σ(x − x̄)²", sxx);
  assertNoOverflow("y", "Σ(y − ȳ)²", syy);
  assertNoOverflow("x", "Σ(x − x̄)(y − ȳ)", sxy);
  if (sxx === 0) throw new RangeError("x must not be constant");
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const rss = Math.max(0, syy - slope * sxy);
  const s2 = rss / (n - 2);
  const slopeStdErr = Math.sqrt(s2 / sxx);
  let sumX2 = 0;
  for (let i = 0; i < n; i++) sumX2 += x[i]! * x[i]!;
  const interceptStdErr = Math.sqrt((s2 * sumX2) / (n * sxx));
  assertNoOverflow("x", "Σx²", sumX2);
  const t = jStat.studentt.inv(0.5 + level / 2, n - 2) as number;
  checkFit("linearFit", [slope, intercept, slopeStdErr, interceptStdErr, t]);
  return {
    slope,
    intercept,
    slopeStdErr,
    interceptStdErr,
    r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy),
    slopeInterval: [slope - t * slopeStdErr, slope + t * slopeStdErr],
    n,
  };
}

/** Result of {@link weightedLinearFit}. */
export interface WeightedLinearFit {
  slope: number;
  intercept: number;
  /** 1/√(Σ w (x − x̄_w)²): the slope's standard error when w_i = 1/σ_i² are exact inverse variances */
  slopeStdErr: number;
  /** Σ w (y − a − b x)² */
  chi2: number;
  /** n − 2 */
  dof: number;
}

/**
 * Weighted least squares line y ≈ a + b x with weights w_i = 1/σ_i² (known
 * measurement variances; the standard error is not rescaled by χ², compare
 * χ²/dof with 1 to judge the fit).
 *
 * @param x abscissae, y ordinates, w positive weights (same length ≥ 3)
 * @example
 * ```ts
 * import { weightedLinearFit } from "./regression.ts";
 * const f = weightedLinearFit([0, 1, 2], [1, 3, 5], [1, 4, 1]);
 * if (Math.abs(f.slope - 2) > 1e-12 || f.chi2 > 1e-20) throw new Error();
 * ```
 */
export function weightedLinearFit(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  w: ArrayLike<number>,
): WeightedLinearFit {
  assertFiniteArray("x", x);
  assertFiniteArray("y", y);
  assertFiniteArray("w", w);
  const n = x.length;
  if (y.length !== n || w.length !== n) {
    throw new RangeError(`x, y and w must have one length, got ${n}, ${y.length} and ${w.length}`);
  }
  if (n < 3) throw new RangeError(`weightedLinearFit needs at least 3 points, got ${n}`);
  let sw = 0, mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    if (!(w[i]! > 0) || !Number.isFinite(w[i]!)) {
      throw new RangeError(`w[${i}] must be a finite number > 0, got ${w[i]}`);
    }
    sw += w[i]!;
    mx += w[i]! * x[i]!;
    my += w[i]! * y[i]!;
  }
  mx /= sw;
  my /= sw;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += w[i]! * (x[i]! - mx) ** 2;
    sxy += w[i]! * (x[i]! - mx) * (y[i]! - my);
  }
  assertNoOverflow("w", "Σw", sw);
  assertNoOverflow("x", "Σw(x − x̄)²", sxx);
  assertNoOverflow("y", "Σw(x − x̄)(y − ȳ)", sxy);
  if (sxx === 0) throw new RangeError("x must not be constant");
  const slope = sxy / sxx, intercept = my - slope * mx;
  let chi2 = 0;
  for (let i = 0; i < n; i++) chi2 += w[i]! * (y[i]! - intercept - slope * x[i]!) ** 2;
  checkFit("weightedLinearFit", [slope, intercept, 1 / Math.sqrt(sxx), chi2]);
  return { slope, intercept, slopeStdErr: 1 / Math.sqrt(sxx), chi2, dof: n - 2 };
}
