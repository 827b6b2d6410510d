/**
 * A 1-D particle cloud against a Fokker–Planck density at the same times: per snapshot, the
 * histogram and its L1 distance to the density's bin masses, √n times the Kolmogorov–Smirnov
 * distance to the density, the fraction beyond a point (e.g. past the barrier) and the sample
 * variance with its standard error. The statistics notebook 05 uses to ask whether SGD particles
 * follow the density of their SDE (Eq. 6–8). Depends on stats/.
 *
 * @module
 */
import {
  type BinnedMass,
  histogramMass,
  ksDistance,
  l1Distance,
} from "../stats/density_distance.ts";
import { assertFinite, assertFiniteArray, assertPositive } from "../stats/validate.ts";
import { assertObject } from "../stats/validate.ts";

/** The grid of {@link cloudAgainstDensity}. */
export interface CloudGrid {
  /** Left end of the density's grid and of the histogram. */
  lower: number;
  /** Right end of the histogram (= the density grid's right end). */
  upper: number;
  /** Histogram bins on [lower, upper). */
  bins: number;
  /** Cell width of the density grid. */
  cellWidth: number;
  /** Count the particles with θ > threshold (e.g. the barrier top). */
  threshold: number;
}

/** The sample variance of one snapshot. */
export interface CloudSpread {
  /** m₂ = (1/n) Σ (θ − θ̄)². */
  variance: number;
  /** Its relative standard error √((m₄/m₂² − 1)/n). */
  relativeSe: number;
}

/** Result of {@link cloudAgainstDensity}: one entry per snapshot. */
export interface CloudComparison {
  /** Particles per snapshot. */
  n: number;
  /** The histograms (`histogramMass`). */
  hist: BinnedMass[];
  /** L1 distance of each histogram to the bin masses (out-of-range mass counts). */
  l1: number[];
  /** √n · KS distance of each snapshot to the density. */
  ksRootN: number[];
  /** Fraction of particles with θ > threshold. */
  above: number[];
  /** Sample variance and its relative standard error. */
  spread: CloudSpread[];
}

/**
 * Compares snapshots of a particle cloud with densities on a grid, snapshot k against density k:
 * histogram masses in `bins` bins and their L1 distance to `binMasses[k]` (e.g. `cellMass` of the
 * density), √n · KS against the piecewise-constant density (`ksDistance`), the fraction beyond
 * `threshold`, and the variance m₂ with the relative standard error √((m₄/m₂² − 1)/n) of a
 * sample variance (large-n, any law with a fourth moment).
 *
 * @param snapshots particle positions, one array per time (equal lengths)
 * @param densities the density at each time on cells of `cellWidth` from `lower`
 * @param binMasses the density's mass in each histogram bin at each time
 * @param grid {@link CloudGrid}
 * @returns {@link CloudComparison}
 * @throws RangeError when the three lists differ in length (and the checks of the distances)
 * @example
 * ```ts
 * import { cloudAgainstDensity } from "./cloud_against_density.ts";
 * const c = cloudAgainstDensity([new Float64Array([0.25, 0.75])], [new Float64Array([1])], [[1]], {
 *   lower: 0, upper: 1, bins: 1, cellWidth: 1, threshold: 0.5,
 * });
 * if (c.l1[0] !== 0 || c.above[0] !== 0.5 || c.spread[0]!.variance !== 0.0625) throw new Error();
 * ```
 */
export function cloudAgainstDensity(
  snapshots: readonly Float64Array[],
  densities: readonly ArrayLike<number>[],
  binMasses: readonly ArrayLike<number>[],
  grid: CloudGrid,
): CloudComparison {
  assertObject("grid", grid);
  for (
    const [name, v] of [["snapshots", snapshots], ["densities", densities], [
      "binMasses",
      binMasses,
    ]] as const
  ) {
    if (!Array.isArray(v)) throw new TypeError(`${name} must be an array, got ${v}`);
  }
  const { lower, upper, bins, cellWidth, threshold } = grid;
  assertPositive("cellWidth", cellWidth);
  assertFinite("threshold", threshold);
  if (densities.length !== snapshots.length || binMasses.length !== snapshots.length) {
    throw new RangeError(
      `densities and binMasses must have one entry per snapshot (${snapshots.length}), got ${densities.length} and ${binMasses.length}`,
    );
  }
  const n = snapshots[0]?.length ?? 0;
  if (n < 2) throw new RangeError(`snapshots must hold at least 2 particles, got ${n}`);
  snapshots.forEach((s, k) => {
    assertFiniteArray(`snapshots[${k}]`, s);
    if (s.length !== n) {
      throw new RangeError(`snapshots[${k}] must hold n = ${n} particles, got ${s.length}`);
    }
    if (s.every((x) => x === s[0])) {
      throw new RangeError(
        `snapshots[${k}] is constant (all ${n} particles at ${s[0]}): a degenerate sample ` +
          `has no spread to compare`,
      );
    }
  });
  const hist = snapshots.map((s) => histogramMass(s, { lower, upper, bins }));
  const result = {
    n,
    hist,
    l1: hist.map((hk, k) => l1Distance(hk, binMasses[k]!)),
    ksRootN: snapshots.map((s, k) =>
      Math.sqrt(n) * ksDistance(s, densities[k]!, { lower, cellWidth })
    ),
    above: snapshots.map((s) => s.reduce((c, x) => c + (x > threshold ? 1 : 0), 0) / n),
    spread: snapshots.map((s) => sampleVariance(s, n)),
  };
  result.spread.forEach((sp, k) => {
    if (!Number.isFinite(sp.variance) || !Number.isFinite(sp.relativeSe)) {
      throw new RangeError(
        `snapshots[${k}] spread overflows (variance ${sp.variance}, relative SE ${sp.relativeSe})`,
      );
    }
  });
  return result;
}

/** m₂ and the relative standard error of a sample variance, accumulated term by term after the mean. */
function sampleVariance(s: Float64Array, n: number): CloudSpread {
  const mean = s.reduce((a, x) => a + x, 0) / n;
  let m2 = 0, m4 = 0;
  for (const x of s) {
    const d2 = (x - mean) ** 2;
    m2 += d2 / n;
    m4 += (d2 * d2) / n;
  }
  return { variance: m2, relativeSe: Math.sqrt((m4 / (m2 * m2) - 1) / n) };
}
