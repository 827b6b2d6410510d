/**
 * Interpolation of values given at the cell centres of a uniform grid (the solutions of the
 * Fokker–Planck and backward equations): linear in 1-D, bilinear in 2-D (Press et al., Numerical
 * Recipes, §3.6), each exact for functions affine in each coordinate, and constant beyond the
 * outermost centres. 2-D values are indexed x fastest, `j · nx + i`. No dependencies.
 *
 * @module
 */
import { assertFinite, assertFiniteArray } from "../stats/validate.ts";
import { assertArrayLike, assertIncreasing } from "../stats/validate.ts";

/**
 * The linear interpolant of `values` at the uniformly spaced `centers`, at x (the end value
 * beyond either end).
 *
 * @example
 * ```ts
 * import { linearAt } from "./grid_interpolation.ts";
 * if (linearAt([0, 1, 2], [0, 10, 30], 1.5) !== 20) throw new Error();
 * ```
 */
export function linearAt(centers: ArrayLike<number>, values: ArrayLike<number>, x: number): number {
  assertArrayLike("centers", centers);
  assertArrayLike("values", values);
  const n = centers.length;
  if (n < 2 || values.length !== n) {
    throw new RangeError(
      `centers (≥ 2) and values must have equal lengths, got ${n} and ${values.length}`,
    );
  }
  assertFiniteArray("centers", centers);
  assertIncreasing("centers", centers);
  assertFiniteArray("values", values);
  assertFinite("x", x);
  if (x <= centers[0]!) return values[0]!;
  if (x >= centers[n - 1]!) return values[n - 1]!;
  const h = centers[1]! - centers[0]!;
  const i = Math.min(n - 2, Math.floor((x - centers[0]!) / h));
  const t = (x - centers[i]!) / h;
  return values[i]! * (1 - t) + values[i + 1]! * t;
}

/**
 * The bilinear interpolant of `values` (nx × ny, x fastest) at (x, y): with the fractional
 * positions a, b inside the cell of centres (i, j) … (i + 1, j + 1),
 * (1 − a)(1 − b) v_{i,j} + a(1 − b) v_{i+1,j} + (1 − a) b v_{i,j+1} + a b v_{i+1,j+1}.
 * A point beyond the outermost centres takes the value at the nearest point of their box.
 *
 * @param xCenters nx ≥ 2 uniformly spaced centres
 * @param yCenters ny ≥ 2 uniformly spaced centres
 * @param values nx · ny values
 * @returns the interpolated value
 * @example
 * ```ts
 * import { bilinearAt } from "./grid_interpolation.ts";
 * // f = x + 10 y on the centres {0, 1} × {0, 1}
 * if (bilinearAt([0, 1], [0, 1], [0, 1, 10, 11], 0.25, 0.5) !== 5.25) throw new Error();
 * ```
 */
export function bilinearAt(
  xCenters: ArrayLike<number>,
  yCenters: ArrayLike<number>,
  values: ArrayLike<number>,
  x: number,
  y: number,
): number {
  assertArrayLike("xCenters", xCenters);
  assertArrayLike("yCenters", yCenters);
  assertArrayLike("values", values);
  const nx = xCenters.length, ny = yCenters.length;
  if (nx < 2 || ny < 2 || values.length !== nx * ny) {
    throw new RangeError(
      `values must have nx·ny values for nx, ny ≥ 2, got ${values.length} for ${nx} × ${ny}`,
    );
  }
  assertFiniteArray("xCenters", xCenters);
  assertIncreasing("xCenters", xCenters);
  assertFiniteArray("yCenters", yCenters);
  assertIncreasing("yCenters", yCenters);
  assertFiniteArray("values", values);
  assertFinite("x", x);
  assertFinite("y", y);
  const cx = Math.min(Math.max(x, xCenters[0]!), xCenters[nx - 1]!);
  const cy = Math.min(Math.max(y, yCenters[0]!), yCenters[ny - 1]!);
  const fx = (cx - xCenters[0]!) / (xCenters[1]! - xCenters[0]!);
  const fy = (cy - yCenters[0]!) / (yCenters[1]! - yCenters[0]!);
  const i = Math.min(nx - 2, Math.floor(fx)), j = Math.min(ny - 2, Math.floor(fy));
  const a = fx - i, b = fy - j;
  return (1 - a) * (1 - b) * values[j * nx + i]! + a * (1 - b) * values[j * nx + i + 1]! +
    (1 - a) * b * values[(j + 1) * nx + i]! + a * b * values[(j + 1) * nx + i + 1]!;
}
