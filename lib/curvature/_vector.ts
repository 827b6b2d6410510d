/**
 * Vector helpers private to curvature/: dot product, Euclidean norm (both summed in index
 * order) and the length-and-finiteness check of a vector argument. Depends on stats/validate.ts.
 *
 * @module
 */
import { assertArrayLike, assertFiniteArray } from "../stats/validate.ts";

/** Σ_i a_i b_i, summed in index order. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** √(Σ_i a_i²), summed in index order. */
export function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}

/** Throws a RangeError unless `v` has length `dim` and finite entries. */
export function checkVector(name: string, v: ArrayLike<number>, dim: number): void {
  assertArrayLike(name, v);
  if (v.length !== dim) throw new RangeError(`${name} must have length ${dim}, got ${v.length}`);
  assertFiniteArray(name, v);
}
