/**
 * Distances between a cloud of particles and a density known on a grid (the
 * cell averages of a Fokker–Planck solution), and how large those distances
 * are from sampling alone: the yardstick of "the SDE / Fokker–Planck picture
 * matches SGD particles" (notebook 05).
 *
 * - {@link histogramMass}: fraction of the particles in each bin of a uniform
 *   grid, and the fractions below and above it;
 * - {@link cellMass}: the mass of groups of cells of a grid density, on the
 *   same bins;
 * - {@link l1Distance}: Σ_k |m̂_k − m_k| + (mass outside the bins), twice the
 *   total-variation distance between the two binned laws;
 * - {@link ksDistance}: the Kolmogorov–Smirnov distance sup_x |F_n(x) − F(x)|
 *   between the empirical CDF of the particles and the CDF of the
 *   piecewise-constant grid density;
 * - {@link expectedSamplingL1}: E Σ_k |m̂_k − m_k| when the n particles are
 *   drawn from the binned law itself, in closed form (de Moivre's mean
 *   absolute deviation of the binomial);
 * - {@link samplingL1}: the whole sampling distribution of that L1 distance by
 *   simulation (for quantiles, i.e. thresholds at a stated level).
 *
 * @module
 */
import jStat from "jstat";
import type { Prng } from "./random.ts";
import {
  assertAllocation,
  assertArrayLike,
  assertFinite,
  assertFiniteArray,
  assertInteger,
} from "./validate.ts";

/** Checks a vector of probabilities (finite, ≥ 0, summing to at most 1 + 1e-9). */
function checkMass(name: string, mass: ArrayLike<number>): number {
  assertFiniteArray(name, mass);
  if (mass.length === 0) throw new RangeError(`${name} must not be empty`);
  let s = 0;
  for (let k = 0; k < mass.length; k++) {
    const m = mass[k]!;
    if (!Number.isFinite(m) || m < 0) {
      throw new RangeError(`${name}[${k}] must be a finite number >= 0, got ${m}`);
    }
    s += m;
  }
  if (s > 1 + 1e-9) throw new RangeError(`${name} must sum to at most 1, got ${s}`);
  return s;
}

/** Fractions of a sample per bin of a uniform grid. */
export interface BinnedMass {
  /** Fraction of the values in bin k = [lower + k·w, lower + (k + 1)·w), w = (upper − lower)/bins (the last bin includes upper). */
  mass: Float64Array;
  /** Fraction below lower. */
  below: number;
  /** Fraction above upper. */
  above: number;
  /** Number of values. */
  count: number;
}

/**
 * Histogram of a sample as fractions (not densities) on `bins` equal bins of
 * [lower, upper], with the fractions that fall outside.
 *
 * @param values the sample (finite)
 * @param grid.lower, grid.upper the range (lower < upper), grid.bins the number of bins (≥ 1)
 * @returns {@link BinnedMass}
 * @example
 * ```ts
 * import { histogramMass } from "./density_distance.ts";
 * const h = histogramMass([0.1, 0.2, 0.7, 1.5], { lower: 0, upper: 1, bins: 2 });
 * if (h.mass[0] !== 0.5 || h.mass[1] !== 0.25 || h.above !== 0.25) throw new Error();
 * ```
 */
export function histogramMass(
  values: ArrayLike<number>,
  grid: { lower: number; upper: number; bins: number },
): BinnedMass {
  const { lower, upper, bins } = grid;
  assertFinite("lower", lower);
  assertFinite("upper", upper);
  if (!(upper > lower)) throw new RangeError(`upper must be > lower = ${lower}, got ${upper}`);
  assertInteger("bins", bins, 1);
  assertAllocation("bins", bins);
  assertFiniteArray("values", values);
  const n = values.length;
  if (n === 0) throw new RangeError("values must not be empty");
  // when upper − lower overflows (bounds near ±1e308), bin on halved values: exact up to subnormals
  const half = !Number.isFinite(upper - lower) ? 0.5 : 1;
  const counts = new Float64Array(bins), scale = bins / (half * upper - half * lower);
  let below = 0, above = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v < lower) below++;
    else if (v > upper) above++;
    else {
      const offset = half === 1 ? v - lower : half * v - half * lower;
      const k = Math.min(bins - 1, Math.floor(offset * scale));
      counts[k] = counts[k]! + 1;
    }
  }
  for (let k = 0; k < bins; k++) counts[k] = counts[k]! / n;
  return { mass: counts, below: below / n, above: above / n, count: n };
}

/**
 * Masses of consecutive groups of `group` cells of a grid density given by
 * cell averages p_i on cells of width h: m_k = h Σ_{i in group k} p_i. With
 * `group` = 1 these are the cell masses.
 *
 * @param density cell averages (finite, ≥ 0)
 * @param cellWidth h > 0
 * @param group cells per bin (divides the number of cells; default 1)
 * @returns the bin masses (length cells / group)
 * @example
 * ```ts
 * import { cellMass } from "./density_distance.ts";
 * const m = cellMass([1, 1, 2, 0], 0.25, 2); // [0.5, 0.5]
 * if (m[0] !== 0.5 || m[1] !== 0.5) throw new Error();
 * ```
 */
export function cellMass(density: ArrayLike<number>, cellWidth: number, group = 1): Float64Array {
  assertFinite("cellWidth", cellWidth);
  if (!(cellWidth > 0)) throw new RangeError(`cellWidth must be > 0, got ${cellWidth}`);
  assertInteger("group", group, 1);
  assertArrayLike("density", density);
  const n = density.length;
  if (n === 0 || n % group !== 0) {
    throw new RangeError(`group (${group}) must divide the number of cells (${n})`);
  }
  const out = new Float64Array(n / group);
  for (let i = 0; i < n; i++) {
    const p = density[i]!;
    if (!Number.isFinite(p) || p < 0) {
      throw new RangeError(`density[${i}] must be a finite number >= 0, got ${p}`);
    }
    const k = Math.floor(i / group);
    out[k] = out[k]! + p * cellWidth;
  }
  return out;
}

/**
 * L1 distance between a binned sample and a binned law on the same bins,
 *
 *   d = Σ_k |m̂_k − m_k| + below + above,
 *
 * i.e. twice the total-variation distance between the two laws coarsened to
 * the bins (the sample's mass outside the bins counts in full). Between 0 and
 * 2.
 *
 * @param sample from {@link histogramMass}
 * @param reference bin masses m_k (e.g. {@link cellMass} of a Fokker–Planck density)
 * @returns d
 * @example
 * ```ts
 * import { histogramMass, l1Distance } from "./density_distance.ts";
 * const h = histogramMass([0.1, 0.6], { lower: 0, upper: 1, bins: 2 });
 * if (l1Distance(h, [0.5, 0.5]) !== 0 || l1Distance(h, [1, 0]) !== 1) throw new Error();
 * ```
 */
export function l1Distance(sample: BinnedMass, reference: ArrayLike<number>): number {
  if (sample === null || typeof sample !== "object") {
    throw new TypeError(`sample must be a BinnedMass, got ${sample}`);
  }
  const m = sample.mass;
  checkMass("sample.mass", m);
  assertFinite("sample.below", sample.below);
  assertFinite("sample.above", sample.above);
  assertFiniteArray("reference", reference);
  if (reference.length !== m.length) {
    throw new RangeError(
      `reference must have one mass per bin (${m.length}), got ${reference.length}`,
    );
  }
  checkMass("reference", reference);
  let d = sample.below + sample.above;
  for (let k = 0; k < m.length; k++) d += Math.abs(m[k]! - reference[k]!);
  return d;
}

/**
 * Kolmogorov–Smirnov distance between a sample and a grid density:
 *
 *   D = sup_x |F_n(x) − F(x)|,
 *
 * F_n the empirical CDF, F the CDF of the density that is constant on each
 * cell [lower + i h, lower + (i + 1) h) with value p_i (so F is piecewise
 * linear; F = 0 below the grid and F = h Σ p_i, normally 1, above it). The
 * supremum is attained at a sample point, from the left or the right:
 * D = max_i max(i/n − F(x_(i)), F(x_(i)) − (i − 1)/n) over the sorted sample.
 * Under the null (sample drawn from F) √n D follows Kolmogorov's law for large
 * n: P(√n D > 1.358) ≈ 0.05, P(√n D > 1.628) ≈ 0.01.
 *
 * @param values the sample (finite; not modified)
 * @param density cell averages p_i (finite, ≥ 0)
 * @param grid.lower the left end of cell 0, grid.cellWidth h > 0
 * @returns D
 * @example
 * ```ts
 * import { ksDistance } from "./density_distance.ts";
 * // uniform on [0, 1] as 4 cells; the sample {0.5}: F_n jumps 0 → 1 where F = 0.5
 * const d = ksDistance([0.5], [1, 1, 1, 1], { lower: 0, cellWidth: 0.25 });
 * if (Math.abs(d - 0.5) > 1e-15) throw new Error();
 * ```
 */
export function ksDistance(
  values: ArrayLike<number>,
  density: ArrayLike<number>,
  grid: { lower: number; cellWidth: number },
): number {
  const { lower, cellWidth: h } = grid;
  assertFinite("lower", lower);
  assertFinite("cellWidth", h);
  if (!(h > 0)) throw new RangeError(`cellWidth must be > 0, got ${h}`);
  assertArrayLike("density", density);
  assertFiniteArray("values", values);
  const cells = density.length;
  if (cells === 0) throw new RangeError("density must not be empty");
  const cdf = new Float64Array(cells + 1);
  for (let i = 0; i < cells; i++) {
    const p = density[i]!;
    if (!Number.isFinite(p) || p < 0) {
      throw new RangeError(`density[${i}] must be a finite number >= 0, got ${p}`);
    }
    cdf[i + 1] = cdf[i]! + p * h;
  }
  if (!Number.isFinite(cdf[cells]!)) {
    throw new RangeError(`density times cellWidth ${h} overflows: its total mass is ${cdf[cells]}`);
  }
  const n = values.length;
  if (n === 0) throw new RangeError("values must not be empty");
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new RangeError(`values[${i}] must be finite, got ${v}`);
    x[i] = v;
  }
  x.sort();
  let d = 0;
  for (let i = 0; i < n; i++) {
    const u = (x[i]! - lower) / h;
    let f: number;
    if (u <= 0) f = 0;
    else if (u >= cells) f = cdf[cells]!;
    else {
      const c = Math.floor(u);
      f = cdf[c]! + (u - c) * (cdf[c + 1]! - cdf[c]!);
    }
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/**
 * Expected L1 distance between the histogram of n independent draws from a
 * binned law and that law,
 *
 *   E Σ_k |X_k/n − m_k| = (1/n) Σ_k E|X_k − n m_k|,  X_k ~ Binomial(n, m_k),
 *
 * with de Moivre's closed form for the mean absolute deviation of a binomial
 * (Diaconis & Zabell 1991, "Closed form summation for classical
 * distributions: variations on a theme of de Moivre", Stat. Sci. 6(3)):
 *
 *   E|X − n m| = 2 v C(n, v) m^v (1 − m)^{n − v + 1},  v = ⌊n m⌋ + 1,
 *
 * evaluated in log space. For large n m this is ≈ √(2 n m (1 − m)/π). Mass of
 * the law outside the bins (1 − Σ m_k) is not counted.
 *
 * @param mass bin probabilities m_k (≥ 0, Σ ≤ 1)
 * @param n sample size (integer ≥ 1)
 * @returns the expected L1 distance
 * @example
 * ```ts
 * import { expectedSamplingL1 } from "./density_distance.ts";
 * // one draw from a fair coin: the histogram is (1, 0) or (0, 1), L1 = 1 either way
 * if (Math.abs(expectedSamplingL1([0.5, 0.5], 1) - 1) > 1e-12) throw new Error();
 * ```
 */
export function expectedSamplingL1(mass: ArrayLike<number>, n: number): number {
  assertInteger("n", n, 1);
  checkMass("mass", mass);
  let s = 0;
  for (let k = 0; k < mass.length; k++) {
    const m = mass[k]!;
    if (m <= 0 || m >= 1) continue; // X = n m exactly
    const v = Math.floor(n * m) + 1;
    if (v > n) continue;
    const logTerm = Math.log(2 * v) + jStat.gammaln(n + 1) - jStat.gammaln(v + 1) -
      jStat.gammaln(n - v + 1) + v * Math.log(m) + (n - v + 1) * Math.log1p(-m);
    s += Math.exp(logTerm);
  }
  if (!Number.isFinite(s)) {
    throw new RangeError(`n ${n} is too large for the gamma function: the sum is ${s}`);
  }
  return s / n;
}

/** Result of {@link samplingL1}. */
export interface SamplingL1 {
  /** The simulated L1 distances, sorted ascending. */
  values: Float64Array;
  /** Their mean. */
  mean: number;
}

/**
 * The sampling distribution of the L1 distance between the histogram of n
 * draws from a binned law and that law, by simulation: `replicates`
 * histograms of n draws each (inverse-CDF sampling by binary search). Use it
 * for quantile thresholds; the mean is {@link expectedSamplingL1}. If the
 * masses sum to s < 1, a draw lands outside the bins with probability 1 − s
 * and counts as in {@link l1Distance}.
 *
 * @param mass bin probabilities m_k (≥ 0, Σ ≤ 1)
 * @param n draws per histogram (integer ≥ 1)
 * @param prng uniform source
 * @param replicates number of histograms (integer ≥ 1, default 200)
 * @returns the sorted distances and their mean
 * @example
 * ```ts
 * import { samplingL1 } from "./density_distance.ts";
 * import { createPrng } from "./random.ts";
 * const s = samplingL1([0.25, 0.25, 0.5], 1000, createPrng(1), 100);
 * if (!(s.values[0]! <= s.values[99]! && s.mean > 0 && s.mean < 0.1)) throw new Error();
 * ```
 */
export function samplingL1(
  mass: ArrayLike<number>,
  n: number,
  prng: Prng,
  replicates = 200,
): SamplingL1 {
  assertInteger("n", n, 1);
  assertInteger("replicates", replicates, 1);
  assertAllocation("n·replicates", n * replicates);
  if (typeof prng !== "function") throw new TypeError(`prng must be a function, got ${prng}`);
  const total = checkMass("mass", mass);
  const k = mass.length, cum = new Float64Array(k);
  let c = 0;
  for (let i = 0; i < k; i++) {
    c += mass[i]!;
    cum[i] = c;
  }
  const counts = new Float64Array(k + 1); // last slot: outside the bins
  const values = new Float64Array(replicates);
  let sum = 0;
  for (let r = 0; r < replicates; r++) {
    counts.fill(0);
    for (let j = 0; j < n; j++) {
      const u = prng();
      if (!(u >= 0 && u < 1)) throw new RangeError(`prng must return numbers in [0, 1), got ${u}`);
      let idx: number;
      if (u >= total) idx = k;
      else {
        let lo = 0, hi = k - 1; // first i with cum[i] > u
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cum[mid]! > u) hi = mid;
          else lo = mid + 1;
        }
        idx = lo;
      }
      counts[idx] = counts[idx]! + 1;
    }
    let d = counts[k]! / n;
    for (let i = 0; i < k; i++) d += Math.abs(counts[i]! / n - mass[i]!);
    values[r] = d;
    sum += d;
  }
  values.sort();
  return { values, mean: sum / replicates };
}
