/**
 * Argument checks of the dynamics layer that lib/stats/validate.ts does not hold (yet): sizes
 * checked before allocating, with the stated limits of this layer, functions, option objects and
 * points inside an interval. Same wording as validate.ts: the message names the argument as the
 * caller wrote it and the value it got.
 *
 * @module
 */

/** Largest number of grid cells (1-D cells, or nx·ny in 2-D) a Fokker–Planck solver allocates. */
export const MAX_GRID_CELLS = 4_000_000;

/** Largest number of values (count · dim, or snapshots · count · dim) a particle run allocates. */
export const MAX_PARTICLE_VALUES = 50_000_000;

/** Largest step count of a particle run (first-passage steps are stored as 32-bit integers). */
export const MAX_STEPS = 2 ** 31 - 1;

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  return String(value);
}

/** Throws a RangeError naming `name` unless `value` is an integer in [min, max]. */
export function assertIntegerInRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${show(value)}`);
  }
  if (value > max) {
    throw new RangeError(`${name} must be at most ${max} (size limit), got ${show(value)}`);
  }
}

/** Throws a RangeError naming `name` unless `size` (a product of counts) is at most `max`. */
export function assertSize(name: string, size: number, max: number, what: string): void {
  if (!(size <= max)) {
    throw new RangeError(`${name} gives ${what} = ${size}, more than the limit ${max}`);
  }
}

/** Throws a TypeError naming `name` unless `value` is a function. */
export function assertFunction(name: string, value: unknown): void {
  if (typeof value !== "function") {
    throw new TypeError(`${name} must be a function, got ${show(value)}`);
  }
}

/** Throws a TypeError naming `name` unless `value` is a (non-null) object. */
export function assertObject(name: string, value: unknown): void {
  if (value === null || typeof value !== "object") {
    throw new TypeError(`${name} must be an object, got ${show(value)}`);
  }
}

/** Throws a TypeError naming `name` unless `value` is an array-like of some length. */
export function assertArrayLike(name: string, value: unknown): void {
  if (
    value === null || typeof value !== "object" ||
    typeof (value as ArrayLike<unknown>).length !== "number"
  ) {
    throw new TypeError(`${name} must be an array of numbers, got ${show(value)}`);
  }
}

/** Throws a RangeError naming `name` unless `value` is a finite number in the closed [a, b]. */
export function assertBetween(name: string, value: number, a: number, b: number): void {
  const lo = Math.min(a, b), hi = Math.max(a, b);
  if (typeof value !== "number" || !(value >= lo && value <= hi)) {
    throw new RangeError(`${name} must lie between ${a} and ${b}, got ${show(value)}`);
  }
}

/**
 * Throws a RangeError naming `name` unless `values` (finite, checked by the caller) increase
 * strictly.
 */
export function assertIncreasing(name: string, values: ArrayLike<number>): void {
  for (let i = 1; i < values.length; i++) {
    if (!(values[i]! > values[i - 1]!)) {
      throw new RangeError(
        `${name} must increase, got ${name}[${i - 1}] = ${values[i - 1]} and ${name}[${i}] = ${
          values[i]
        }`,
      );
    }
  }
}
