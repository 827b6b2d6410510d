/**
 * Spearman's rank correlation within strata, with a stratified permutation test: the mean over
 * strata of the within-stratum ρ, tested against the null in which y is independent of x within
 * every stratum (y permuted within strata only). Used for "across seeds" claims: each seed (same
 * initialisation, different batch sizes) is a stratum, so differences between seeds cannot create a
 * correlation, and every seed enters one p-value.
 *
 * @module
 */
import type { Prng } from "./random.ts";
import { type Alternative, averageRanks } from "./rank_correlation.ts";
import {
  assertAllocation,
  assertArrayLike,
  assertFiniteArray,
  assertFunction,
  assertInteger,
  assertOneOf,
} from "./validate.ts";

/** Options of {@link stratifiedSpearmanTest}. */
export interface StratifiedSpearmanOptions {
  /** Uniform source for the Monte Carlo permutations (unused when exact). */
  prng: Prng;
  /** "less" (ρ < 0), "greater" (ρ > 0) or "two-sided" (default). */
  alternative?: Alternative;
  /** Monte Carlo permutations when the exact null is too large (default 99,999). */
  permutations?: number;
  /**
   * Enumerate every within-stratum permutation when their number Π n_g! is at most this
   * (default 200,000) and every stratum has at most 8 members.
   */
  exactUpTo?: number;
}

/** One stratum of a {@link StratifiedSpearmanTest}. */
export interface StratumCorrelation {
  /** The stratum's label, as given. */
  stratum: number | string;
  /** Its number of pairs. */
  n: number;
  /** Spearman's ρ within it. */
  rho: number;
}

/** Result of {@link stratifiedSpearmanTest}. */
export interface StratifiedSpearmanTest {
  /** Mean of the within-stratum ρ (each stratum weighs the same). */
  rho: number;
  /** Per-stratum ρ, in order of first appearance. */
  strata: StratumCorrelation[];
  /** Permutation p-value of `rho` for `alternative` under within-stratum independence. */
  pValue: number;
  /** "exact" (every within-stratum permutation) or "monte carlo". */
  method: "exact" | "monte carlo";
  /** Number of null values (including the observed pairing). */
  permutations: number;
  alternative: Alternative;
}

interface Group {
  stratum: number | string;
  rx: Float64Array;
  ry: Float64Array;
  norm: number;
}

/** Average ranks 1..n, centred; throws when all values are equal. */
function centredRanks(v: number[], what: string): { r: Float64Array; ss: number } {
  const r = averageRanks(v), mid = (v.length + 1) / 2;
  for (let i = 0; i < r.length; i++) r[i] = r[i]! - mid;
  let ss = 0;
  for (const x of r) ss += x * x;
  if (ss === 0) throw new RangeError(`${what} must not be constant`);
  return { r, ss };
}

function rhoOf(g: Group, ry: Float64Array): number {
  let s = 0;
  for (let i = 0; i < ry.length; i++) s += g.rx[i]! * ry[i]!;
  return Math.max(-1, Math.min(1, s / g.norm));
}

/** ρ over every permutation of a group's y ranks (Heap's algorithm). */
function allRhos(g: Group): Float64Array {
  const n = g.ry.length, perm = Float64Array.from(g.ry), c = new Int32Array(n);
  const out: number[] = [rhoOf(g, perm)];
  for (let i = 1; i < n;) {
    if (c[i]! < i) {
      const j = i % 2 === 0 ? 0 : c[i]!;
      const t = perm[j]!;
      perm[j] = perm[i]!;
      perm[i] = t;
      out.push(rhoOf(g, perm));
      c[i] = c[i]! + 1;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return Float64Array.from(out);
}

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/**
 * Stratified permutation test of Spearman's ρ: within each stratum g, ρ_g between x and y; the
 * statistic is their mean ρ̄ = (1/G) Σ_g ρ_g. Under the null, the y values are exchangeable within
 * each stratum, so every combination of within-stratum permutations is equally likely. When
 * Π_g n_g! ≤ `exactUpTo` (and n_g ≤ 8) all combinations are enumerated and
 * p = #{ρ̄_π ⪯ ρ̄} / Π n_g!; otherwise `permutations` random combinations are drawn (Fisher–Yates
 * within each stratum) and p = (1 + #{ρ̄_π ⪯ ρ̄}) / (1 + P) (Phipson & Smyth 2010). "⪯" is ≥ for
 * "greater", ≤ for "less", |·| ≥ for "two-sided", with a tolerance of 1e-12. With one stratum this
 * is `spearmanTest`'s permutation test.
 *
 * @param x finite values
 * @param y finite values, same length
 * @param strata the stratum of each pair (numbers or strings); each stratum needs ≥ 2 pairs, and
 *   x and y must each take at least two values in it
 * @param options {@link StratifiedSpearmanOptions}
 * @returns {@link StratifiedSpearmanTest}
 * @example
 * ```ts
 * import { stratifiedSpearmanTest } from "./stratified_rank_correlation.ts";
 * import { createPrng } from "./random.ts";
 * // two strata of 3, increasing in both: 1 of the 3!·3! = 36 combinations gives ρ̄ = 1
 * const t = stratifiedSpearmanTest([1, 2, 3, 10, 20, 30], [5, 6, 7, 1, 2, 3], [0, 0, 0, 1, 1, 1], {
 *   prng: createPrng(1), alternative: "greater",
 * });
 * if (t.rho !== 1 || Math.abs(t.pValue - 1 / 36) > 1e-15) throw new Error("exact p");
 * ```
 */
export function stratifiedSpearmanTest(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  strata: ArrayLike<number | string>,
  options: StratifiedSpearmanOptions,
): StratifiedSpearmanTest {
  assertFiniteArray("x", x);
  assertFiniteArray("y", y);
  assertArrayLike("strata", strata);
  if (y.length !== x.length) {
    throw new RangeError(`y must have the length of x (${x.length}), got ${y.length}`);
  }
  if (strata.length !== x.length) {
    throw new RangeError(`strata must have the length of x (${x.length}), got ${strata.length}`);
  }
  if (x.length < 2) throw new RangeError(`need at least 2 pairs, got ${x.length}`);
  const {
    prng,
    alternative = "two-sided",
    permutations = 99_999,
    exactUpTo = 200_000,
  } = options ?? {};
  assertOneOf("alternative", alternative, ["less", "greater", "two-sided"]);
  assertInteger("permutations", permutations, 1);
  assertAllocation("permutations", permutations);
  assertInteger("exactUpTo", exactUpTo, 0);
  const members = new Map<number | string, number[]>();
  for (let i = 0; i < strata.length; i++) {
    const s = strata[i]!;
    if (!(typeof s === "string" || (typeof s === "number" && Number.isFinite(s)))) {
      throw new TypeError(`strata[${i}] must be a finite number or a string, got ${String(s)}`);
    }
    const m = members.get(s);
    if (m) m.push(i);
    else members.set(s, [i]);
  }
  const groups: Group[] = [];
  for (const [stratum, idx] of members) {
    if (idx.length < 2) {
      throw new RangeError(`stratum ${stratum} must have at least 2 pairs, got ${idx.length}`);
    }
    const gx = centredRanks(idx.map((i) => x[i]!), `x within stratum ${stratum}`);
    const gy = centredRanks(idx.map((i) => y[i]!), `y within stratum ${stratum}`);
    groups.push({ stratum, rx: gx.r, ry: gy.r, norm: Math.sqrt(gx.ss * gy.ss) });
  }
  const G = groups.length;
  const orient = (r: number) =>
    alternative === "less" ? -r : alternative === "greater" ? r : Math.abs(r);
  const per = groups.map((g) => rhoOf(g, g.ry));
  const rho = per.reduce((a, b) => a + b, 0) / G;
  const obs = orient(rho), tol = 1e-12;
  let combos = 1;
  for (const g of groups) combos *= factorial(g.ry.length);
  const exact = groups.every((g) => g.ry.length <= 8) && combos <= exactUpTo;
  let extreme = 0, total = 0;
  if (exact) {
    const tables = groups.map(allRhos);
    const digit = new Int32Array(G);
    for (;;) {
      let s = 0;
      for (let g = 0; g < G; g++) s += tables[g]![digit[g]!]!;
      if (orient(s / G) >= obs - tol) extreme++;
      total++;
      let g = 0;
      while (g < G && ++digit[g]! === tables[g]!.length) digit[g++] = 0;
      if (g === G) break;
    }
  } else {
    assertFunction("prng", prng);
    const perms = groups.map((g) => Float64Array.from(g.ry));
    extreme = 1;
    total = 1;
    for (let p = 0; p < permutations; p++) {
      let s = 0;
      for (let g = 0; g < G; g++) {
        const perm = perms[g]!;
        for (let i = perm.length - 1; i > 0; i--) {
          const u = prng();
          if (!(u >= 0 && u < 1)) {
            throw new RangeError(`prng must return numbers in [0, 1), got ${u}`);
          }
          const j = Math.floor(u * (i + 1));
          const t = perm[j]!;
          perm[j] = perm[i]!;
          perm[i] = t;
        }
        s += rhoOf(groups[g]!, perm);
      }
      if (orient(s / G) >= obs - tol) extreme++;
      total++;
    }
  }
  return {
    rho,
    strata: groups.map((g, k) => ({ stratum: g.stratum, n: g.ry.length, rho: per[k]! })),
    pValue: extreme / total,
    method: exact ? "exact" : "monte carlo",
    permutations: total,
    alternative,
  };
}
