/**
 * Masses and moments of a density that is constant on the cells of a uniform grid (the densities
 * of the Fokker–Planck solvers): the mass beyond a point in 1-D, the variance in 1-D with each
 * cell's own spread h²/12, and in 2-D the mass and the mean and covariance over a region given as
 * a cell mask. Cells are indexed x fastest in 2-D, `c = j · nx + i`. No dependencies.
 *
 * @module
 */
import { assertFinite, assertFiniteArray, assertPositive } from "../stats/validate.ts";
import { assertFunction } from "../stats/validate.ts";

/**
 * Throws unless `density` holds finite values (at least `min` of them). Not checked for signs:
 * solver densities may hold round-off negatives within their negative tolerance.
 */
function checkDensity(density: ArrayLike<number>, min = 0): void {
  assertFiniteArray("density", density, min);
}

/**
 * The mass of a 1-D grid density to the right of x: Σ over cells [a_i, a_i + h) of p_i times
 * the length of the cell beyond x (a_i = lower + i·h).
 *
 * @param density p_i, one value per cell
 * @param lower the left edge of the grid
 * @param cellWidth h > 0
 * @param x the point
 * @returns ∫_x^∞ p
 * @example
 * ```ts
 * import { massAbove } from "./grid_density.ts";
 * const m = massAbove([0.5, 0.5], 0, 1, 1.5); // half of the second cell
 * if (m !== 0.25) throw new Error(String(m));
 * ```
 */
export function massAbove(
  density: ArrayLike<number>,
  lower: number,
  cellWidth: number,
  x: number,
): number {
  checkDensity(density);
  assertFinite("lower", lower);
  assertPositive("cellWidth", cellWidth);
  assertFinite("x", x);
  const h = cellWidth;
  let s = 0;
  for (let i = 0; i < density.length; i++) {
    const a = lower + i * h;
    if (a >= x) s += density[i]! * h;
    else if (a + h > x) s += density[i]! * (a + h - x);
  }
  if (!Number.isFinite(s)) {
    throw new RangeError(`the result overflows (${s}): density times cell size exceeds a double`);
  }
  return s;
}

/**
 * The variance of a 1-D grid density (normalised by its own mass): with the mean μ = Σ p_i h x_i
 * / m, Var = Σ p_i h ((x_i − μ)² + h²/12) / m, the h²/12 being the variance of the uniform law
 * on each cell.
 *
 * @param density p_i
 * @param centers cell centres x_i
 * @param cellWidth h > 0
 * @returns the variance
 * @example
 * ```ts
 * import { gridVariance } from "./grid_density.ts";
 * // uniform on [0, 2] in two cells: variance 4/12
 * if (Math.abs(gridVariance([0.5, 0.5], [0.5, 1.5], 1) - 1 / 3) > 1e-15) throw new Error();
 * ```
 */
export function gridVariance(
  density: ArrayLike<number>,
  centers: ArrayLike<number>,
  cellWidth: number,
): number {
  checkDensity(density, 1);
  assertFiniteArray("centers", centers);
  assertPositive("cellWidth", cellWidth);
  if (centers.length !== density.length) {
    throw new RangeError(
      `centers must have one value per cell (${density.length}), got ${centers.length}`,
    );
  }
  const h = cellWidth;
  let m = 0, mu = 0, v = 0;
  for (let i = 0; i < density.length; i++) {
    m += density[i]! * h;
    mu += density[i]! * h * centers[i]!;
  }
  if (!(m > 0) || !Number.isFinite(m)) {
    throw new RangeError(`density must have a positive, finite mass, got ${m}`);
  }
  mu /= m;
  for (let i = 0; i < density.length; i++) {
    v += density[i]! * h * ((centers[i]! - mu) ** 2 + (h * h) / 12);
  }
  const variance = v / m;
  if (!Number.isFinite(variance)) {
    throw new RangeError(
      `the result overflows (${variance}): density times cell size exceeds a double`,
    );
  }
  return variance;
}

/**
 * The cells of a 2-D grid whose centre satisfies `inside(x, y)`: 1 inside, 0 outside, indexed
 * `j · nx + i`.
 *
 * @example
 * ```ts
 * import { gridMask } from "./grid_density.ts";
 * const m = gridMask([0, 1], [0, 1], (x, y) => x > y);
 * if (m.join() !== "0,1,0,0") throw new Error(m.join());
 * ```
 */
export function gridMask(
  xCenters: ArrayLike<number>,
  yCenters: ArrayLike<number>,
  inside: (x: number, y: number) => boolean,
): Uint8Array {
  assertFiniteArray("xCenters", xCenters, 1);
  assertFiniteArray("yCenters", yCenters, 1);
  assertFunction("inside", inside);
  if (!(xCenters.length * yCenters.length <= 50_000_000)) {
    throw new RangeError(
      `xCenters and yCenters give ${xCenters.length * yCenters.length} cells, more than the ` +
        `limit 50000000`,
    );
  }
  const nx = xCenters.length;
  return Uint8Array.from(
    { length: nx * yCenters.length },
    (_, c) => (inside(xCenters[c % nx]!, yCenters[Math.floor(c / nx)]!) ? 1 : 0),
  );
}

/**
 * The mass of a 2-D grid density over the cells of a mask: Σ_{mask} p_c · cellVolume.
 *
 * @example
 * ```ts
 * import { regionMass } from "./grid_density.ts";
 * if (regionMass([1, 2, 3, 4], 0.5, Uint8Array.of(1, 0, 0, 1)) !== 2.5) throw new Error();
 * ```
 */
export function regionMass(
  density: ArrayLike<number>,
  cellVolume: number,
  mask: ArrayLike<number>,
): number {
  checkDensity(density);
  assertPositive("cellVolume", cellVolume);
  checkMask(mask, density.length);
  let s = 0;
  for (let c = 0; c < density.length; c++) if (mask[c]) s += density[c]! * cellVolume;
  if (!Number.isFinite(s)) {
    throw new RangeError(`the result overflows (${s}): density times cell size exceeds a double`);
  }
  return s;
}

/** Mass, mean and covariance of a 2-D density restricted to a region. */
export interface RegionMoments {
  mass: number;
  mean: [number, number];
  /** [c_xx, c_xy, c_yy], normalised by the region's mass. */
  covariance: [number, number, number];
}

/**
 * The mass of a 2-D grid density over the cells of a mask and its mean and covariance there
 * (normalised by that mass; cell centres as the points, without the within-cell spread).
 *
 * @param density p_c, `c = j · nx + i`
 * @param xCenters the nx cell centres along x
 * @param yCenters the ny cell centres along y
 * @param cellVolume h_x · h_y
 * @param mask 1 for the cells of the region
 * @returns mass, mean and covariance of the region
 * @example
 * ```ts
 * import { regionMoments } from "./grid_density.ts";
 * const r = regionMoments([1, 1, 1, 1], [0, 2], [0, 2], 1, Uint8Array.of(1, 1, 1, 1));
 * if (r.mass !== 4 || r.mean[0] !== 1 || r.covariance[0] !== 1 || r.covariance[1] !== 0) {
 *   throw new Error(JSON.stringify(r));
 * }
 * ```
 */
export function regionMoments(
  density: ArrayLike<number>,
  xCenters: ArrayLike<number>,
  yCenters: ArrayLike<number>,
  cellVolume: number,
  mask: ArrayLike<number>,
): RegionMoments {
  checkDensity(density);
  assertFiniteArray("xCenters", xCenters);
  assertFiniteArray("yCenters", yCenters);
  assertPositive("cellVolume", cellVolume);
  const nx = xCenters.length;
  if (nx * yCenters.length !== density.length) {
    throw new RangeError(
      `density must have nx·ny = ${nx * yCenters.length} values, got ${density.length}`,
    );
  }
  checkMask(mask, density.length);
  let mass = 0, mx = 0, my = 0;
  for (let c = 0; c < density.length; c++) {
    if (!mask[c]) continue;
    const v = density[c]!, x = xCenters[c % nx]!, y = yCenters[Math.floor(c / nx)]!;
    mass += v * cellVolume;
    mx += v * x * cellVolume;
    my += v * y * cellVolume;
  }
  if (!(mass > 0) || !Number.isFinite(mass)) {
    throw new RangeError(`the region must hold a positive mass, got ${mass}`);
  }
  mx /= mass;
  my /= mass;
  let cxx = 0, cyy = 0, cxy = 0;
  for (let c = 0; c < density.length; c++) {
    if (!mask[c]) continue;
    const x = xCenters[c % nx]! - mx, y = yCenters[Math.floor(c / nx)]! - my;
    const w = density[c]! * cellVolume / mass;
    cxx += w * x * x;
    cyy += w * y * y;
    cxy += w * x * y;
  }
  for (const v of [mass, mx, my, cxx, cxy, cyy]) {
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `the moments overflow (${v}): density times cell volume or the centres exceed a double`,
      );
    }
  }
  return { mass, mean: [mx, my], covariance: [cxx, cxy, cyy] };
}

function checkMask(mask: ArrayLike<number>, n: number): void {
  if (mask === null || typeof mask !== "object" || typeof mask.length !== "number") {
    throw new TypeError(`mask must be an array of 0/1 entries, got ${mask}`);
  }
  if (mask.length !== n) {
    throw new RangeError(`mask must have one entry per cell (${n}), got ${mask.length}`);
  }
}
