/**
 * Spearman's rank correlation with a permutation test, used to test monotone
 * claims such as "larger η/S reaches flatter minima" from a handful of runs,
 * where neither linearity nor Gaussian errors can be assumed.
 *
 * @module
 */
import jStat from "jstat";
import { type Prng } from "./random.ts";
import {
  assertAllocation,
  assertFiniteArray,
  assertFunction,
  assertInInterval,
  assertInteger,
  assertOneOf,
} from "./validate.ts";

/**
 * Ranks 1..n of the values, ties getting the mean of the ranks they span
 * ("average" ranks, as `scipy.stats.rankdata`): [10, 20, 20, 5] ↦ [2, 3.5, 3.5, 1].
 *
 * @param x finite values
 * @returns the ranks, in the order of `x`
 * @example
 * ```ts
 * import { averageRanks } from "./rank_correlation.ts";
 * const r = averageRanks([10, 20, 20, 5]);
 * if (r.join() !== "2,3.5,3.5,1") throw new Error("average ranks");
 * ```
 */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  return ranksOf(x, "x");
}

function ranksOf(x: ArrayLike<number>, name: string): Float64Array {
  assertFiniteArray(name, x);
  const n = x.length, order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => x[a]! - x[b]!);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && x[order[j + 1]!] === x[order[i]!]) j++;
    const r = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[order[t]!] = r;
    i = j + 1;
  }
  return ranks;
}

/** Pearson correlation of two centred rank vectors given their norms. */
function rankCorrelation(rx: Float64Array, ry: Float64Array, nx: number, ny: number): number {
  let s = 0;
  for (let i = 0; i < rx.length; i++) s += rx[i]! * ry[i]!;
  return s / (nx * ny);
}

/** Centres ranks in place and returns their Euclidean norm. */
function centre(r: Float64Array, name: string): number {
  const m = (r.length + 1) / 2;
  let ss = 0;
  for (let i = 0; i < r.length; i++) {
    r[i] = r[i]! - m;
    ss += r[i]! * r[i]!;
  }
  if (ss === 0) throw new RangeError(`${name} must not be constant`);
  return Math.sqrt(ss);
}

function checkPair(x: ArrayLike<number>, y: ArrayLike<number>): void {
  assertFiniteArray("x", x);
  assertFiniteArray("y", y);
  if (y.length !== x.length) {
    throw new RangeError(`y must have the length of x (${x.length}), got ${y.length}`);
  }
  if (x.length < 3) throw new RangeError(`need at least 3 pairs, got ${x.length}`);
}

/**
 * Spearman's rank correlation ρ (Spearman 1904): the Pearson correlation of
 * the average ranks of x and of y (with ties, as `scipy.stats.spearmanr`);
 * without ties ρ = 1 − 6 Σ d_i² / (n(n² − 1)), d_i the rank differences.
 *
 * @param x finite values (not all equal)
 * @param y finite values (not all equal), same length ≥ 3
 * @returns ρ ∈ [−1, 1]
 * @example
 * ```ts
 * import { spearmanCorrelation } from "./rank_correlation.ts";
 * // any increasing transform keeps the ranks: ρ = 1
 * const rho = spearmanCorrelation([1, 2, 3, 4], [1, 8, 27, 64]);
 * if (Math.abs(rho - 1) > 1e-12) throw new Error("monotone");
 * ```
 */
export function spearmanCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPair(x, y);
  const rx = ranksOf(x, "x"), ry = ranksOf(y, "y");
  return clamp(rankCorrelation(rx, ry, centre(rx, "x"), centre(ry, "y")));
}

function clamp(r: number): number {
  return Math.max(-1, Math.min(1, r));
}

/** Which departure from independence a test looks for. */
export type Alternative = "less" | "greater" | "two-sided";

/** Options of {@link spearmanTest}. */
export interface SpearmanTestOptions {
  /** Uniform source for the Monte Carlo permutations (unused when exact). */
  prng: Prng;
  /** "less" (ρ < 0), "greater" (ρ > 0) or "two-sided" (default). */
  alternative?: Alternative;
  /** Level α of the critical value (default 0.05). */
  alpha?: number;
  /** Monte Carlo permutations when n > `exactUpTo` (default 99,999). */
  permutations?: number;
  /** Enumerate all n! permutations when n ≤ this (default 8: 40,320 permutations). */
  exactUpTo?: number;
}

/** Result of {@link spearmanTest}. */
export interface SpearmanTest {
  /** Spearman's ρ. */
  rho: number;
  /** Permutation p-value of ρ under independence, for `alternative`. */
  pValue: number;
  /**
   * Rejection bound at level α, consistent with `pValue`: the test rejects
   * (pValue ≤ α) exactly when ρ ≤ critical ("less"), ρ ≥ critical
   * ("greater") or |ρ| ≥ critical ("two-sided"). −∞ ("less") or +∞ (the
   * others) when no outcome is significant at α with n this small.
   */
  critical: number;
  /** p-value of the t approximation t = ρ √((n − 2)/(1 − ρ²)), n − 2 dof (as scipy). */
  pValueT: number;
  /** "exact" (all n! permutations) or "monte carlo". */
  method: "exact" | "monte carlo";
  /** Number of permutations in the null distribution (including the identity). */
  permutations: number;
  alternative: Alternative;
  alpha: number;
  n: number;
}

/**
 * Permutation test of independence with Spearman's ρ as the statistic
 * (the exact test of Hotelling & Pabst 1936; Monte Carlo for larger n).
 * Under independence every pairing of the y ranks with the x ranks is
 * equally likely. For n ≤ `exactUpTo` all n! pairings are enumerated
 * (Heap's algorithm) and p = #{ρ_π ⪯ ρ} / n!; otherwise `permutations`
 * random pairings (Fisher–Yates with `prng`) are drawn and the observed
 * pairing is counted among them, p = (1 + #{ρ_π ⪯ ρ}) / (1 + P)
 * (Phipson & Smyth 2010), which keeps the test exact at level α. "⪯" is
 * ≤ for "less", ≥ for "greater" and |ρ_π| ≥ |ρ| for "two-sided", with a
 * tolerance of 1e-12 so that pairings giving the same ρ in exact arithmetic
 * count. The critical value is the most extreme attained null value with
 * tail mass ≤ α, so that `pValue ≤ alpha` ⟺ ρ is at or beyond `critical`.
 *
 * @param x finite values (not all equal)
 * @param y finite values (not all equal), same length n ≥ 3
 * @param options {@link SpearmanTestOptions}
 * @returns {@link SpearmanTest}
 * @example
 * ```ts
 * import { spearmanTest } from "./rank_correlation.ts";
 * import { createPrng } from "./random.ts";
 * const t = spearmanTest([1, 2, 3, 4, 5], [5, 4, 3, 2, 1], { prng: createPrng(1), alternative: "less" });
 * // the reversed order is 1 of the 5! = 120 pairings
 * if (Math.abs(t.rho + 1) > 1e-12 || Math.abs(t.pValue - 1 / 120) > 1e-15) throw new Error("exact p");
 * ```
 */
export function spearmanTest(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: SpearmanTestOptions,
): SpearmanTest {
  checkPair(x, y);
  const {
    prng,
    alternative = "two-sided",
    alpha = 0.05,
    permutations = 99_999,
    exactUpTo = 8,
  } = options;
  assertOneOf("alternative", alternative, ["less", "greater", "two-sided"]);
  assertInInterval("alpha", alpha, 0, 1, "()");
  assertInteger("permutations", permutations, 1);
  assertAllocation("permutations", permutations);
  assertInteger("exactUpTo", exactUpTo, 0);
  if (exactUpTo > 10) throw new RangeError(`exactUpTo must be <= 10, got ${exactUpTo}`);
  const n = x.length;
  const rx = ranksOf(x, "x"), ry = ranksOf(y, "y");
  const nx = centre(rx, "x"), ny = centre(ry, "y");
  const rho = clamp(rankCorrelation(rx, ry, nx, ny));
  // statistic oriented so that "more extreme" is "larger"
  const orient = (r: number) => {
    const c = clamp(r);
    return alternative === "less" ? -c : alternative === "greater" ? c : Math.abs(c);
  };
  const obs = orient(rho);
  const exact = n <= exactUpTo;
  if (!exact) assertFunction("prng", prng);
  const statistic = (perm: Float64Array) => orient(rankCorrelation(rx, perm, nx, ny));
  const nulls = exact
    ? exactNull(ry, statistic)
    : monteCarloNull(ry, statistic, obs, permutations, prng);
  const total = nulls.length, tol = 1e-12;
  let extreme = 0;
  for (const v of nulls) if (v >= obs - tol) extreme++;
  const pValue = extreme / total;
  const crit = criticalValue(nulls, alpha, tol);
  const critical = alternative === "less" ? -crit : crit;
  const tStat = rho * Math.sqrt((n - 2) / Math.max(1e-300, 1 - rho * rho));
  const cdf = (t: number) => jStat.studentt.cdf(t, n - 2) as number;
  const pValueT = alternative === "less"
    ? cdf(tStat)
    : alternative === "greater"
    ? 1 - cdf(tStat)
    : Math.min(1, 2 * (1 - cdf(Math.abs(tStat))));
  return {
    rho,
    pValue,
    critical,
    pValueT,
    method: exact ? "exact" : "monte carlo",
    permutations: total,
    alternative,
    alpha,
    n,
  };
}

/** The statistic over all n! pairings of the y ranks (Heap's algorithm over their positions). */
function exactNull(ry: Float64Array, statistic: (perm: Float64Array) => number): number[] {
  const n = ry.length, perm = Float64Array.from(ry), c = new Int32Array(n);
  const nulls = [statistic(perm)];
  for (let i = 1; i < n;) {
    if (c[i]! < i) {
      const j = i % 2 === 0 ? 0 : c[i]!;
      const t = perm[j]!;
      perm[j] = perm[i]!;
      perm[i] = t;
      nulls.push(statistic(perm));
      c[i] = c[i]! + 1;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return nulls;
}

/**
 * The observed statistic followed by its values over `permutations` random pairings (each a
 * Fisher–Yates shuffle of the previous one, drawn with `prng`).
 */
function monteCarloNull(
  ry: Float64Array,
  statistic: (perm: Float64Array) => number,
  observed: number,
  permutations: number,
  prng: Prng,
): number[] {
  const n = ry.length, perm = Float64Array.from(ry);
  const nulls = [observed];
  for (let p = 0; p < permutations; p++) {
    for (let i = n - 1; i > 0; i--) {
      const u = prng();
      if (!(u >= 0 && u < 1)) throw new RangeError(`prng must return numbers in [0, 1), got ${u}`);
      const j = Math.floor(u * (i + 1));
      const t = perm[j]!;
      perm[j] = perm[i]!;
      perm[i] = t;
    }
    nulls.push(statistic(perm));
  }
  return nulls;
}

/**
 * The smallest attained (oriented) null value v with #{w ≥ v − tol}/total ≤ α, or Infinity when
 * even the largest has more mass than α. Sorts `nulls` in place (descending).
 */
function criticalValue(nulls: number[], alpha: number, tol: number): number {
  const total = nulls.length;
  nulls.sort((a, b) => b - a);
  let crit = Infinity;
  for (let i = 0; i < total;) {
    let j = i;
    while (j + 1 < total && nulls[j + 1]! >= nulls[i]! - tol) j++;
    if ((j + 1) / total > alpha) break;
    crit = nulls[j]!;
    i = j + 1;
  }
  return crit;
}
