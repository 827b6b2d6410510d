/**
 * Argument checks shared by every layer of the library, with one wording: each throws a
 * `RangeError` (a `TypeError` for a value of the wrong type) whose message names the argument and
 * the value it got, so bad input never runs on into a NaN.
 *
 * @module
 */

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** Throws a RangeError naming `name` unless `value` is a finite number. */
export function assertFinite(name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number, got ${show(value)}`);
  }
}

/** Throws a RangeError naming `name` unless `value` is a finite number > 0. */
export function assertPositive(name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || !(value > 0)) {
    throw new RangeError(`${name} must be a finite number > 0, got ${show(value)}`);
  }
}

/** Throws a RangeError naming `name` unless `value` is an integer ≥ `min`. */
export function assertInteger(name: string, value: number, min = 0): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${show(value)}`);
  }
}

/**
 * Throws a RangeError naming `name` unless `value` is one of `options`; returns it typed.
 *
 * @example
 * ```ts
 * import { assertOneOf } from "./validate.ts";
 * const rule = assertOneOf("rule", "sgd", ["sgd", "langevin"] as const);
 * ```
 */
export function assertOneOf<T extends string>(
  name: string,
  value: string,
  options: readonly T[],
): T {
  if (!(options as readonly string[]).includes(value)) {
    const list = options.map((o) => JSON.stringify(o));
    const expected = list.length > 1
      ? `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}`
      : list.join("");
    throw new RangeError(`${name} must be ${expected}, got ${show(value)}`);
  }
  return value as T;
}

/**
 * Throws a RangeError naming `name` unless `values` holds at least `minLength` values, all
 * finite; the message gives the index of the first bad one.
 */
export function assertFiniteArray(name: string, values: ArrayLike<number>, minLength = 0): void {
  assertArrayLike(name, values);
  if (values.length < minLength) {
    throw new RangeError(`${name} must have at least ${minLength} values, got ${values.length}`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`${name}[${i}] must be finite, got ${show(v)}`);
    }
  }
}

/**
 * The most values one call may allocate in one array: 2^27 (1 GiB of doubles). Sizes computed
 * from arguments (counts, dimensions, their products) are checked against it before allocating,
 * so an absurd size is a named RangeError instead of an engine error or a machine out of memory.
 */
export const MAX_ELEMENTS = 2 ** 27;

/**
 * Throws a RangeError naming `name` unless `value` is an integer in [`min`, `max`]; `max`
 * defaults to {@link MAX_ELEMENTS}, the allocation limit.
 *
 * @example
 * ```ts
 * import { assertIntegerInRange } from "./validate.ts";
 * assertIntegerInRange("k", 3, 1, 10);
 * ```
 */
export function assertIntegerInRange(
  name: string,
  value: number,
  min: number,
  max: number = MAX_ELEMENTS,
): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${show(value)}`);
  }
}

/**
 * Throws a RangeError unless `count`, the number of values that `name` asks to allocate, is at
 * most `max` (default {@link MAX_ELEMENTS}; a layer may state a smaller limit of its own). `name`
 * says how the count comes from the arguments (e.g. "k·dim").
 */
export function assertAllocation(name: string, count: number, max: number = MAX_ELEMENTS): void {
  if (!(count <= max)) {
    const limit = max === MAX_ELEMENTS ? `${max} (2^27)` : `${max}`;
    throw new RangeError(
      `${name} = ${show(count)} values exceeds the allocation limit of ${limit}`,
    );
  }
}

/**
 * Throws a RangeError naming `name` unless `value` is a finite number in the interval from
 * `lower` to `upper`; `ends` says which ends are closed ("[]", "[)", "(]" or "()").
 *
 * @example
 * ```ts
 * import { assertInInterval } from "./validate.ts";
 * assertInInterval("level", 0.95, 0, 1, "()");
 * ```
 */
export function assertInInterval(
  name: string,
  value: number,
  lower: number,
  upper: number,
  ends: "[]" | "[)" | "(]" | "()" = "[]",
): void {
  const aboveLower = ends[0] === "[" ? value >= lower : value > lower;
  const belowUpper = ends[1] === "]" ? value <= upper : value < upper;
  if (typeof value !== "number" || !Number.isFinite(value) || !aboveLower || !belowUpper) {
    throw new RangeError(
      `${name} must be in ${ends[0]}${lower}, ${upper}${ends[1]}, got ${show(value)}`,
    );
  }
}

/** Throws a TypeError naming `name` unless `values` is array-like, a RangeError unless it has `length` values. */
export function assertLength(name: string, values: ArrayLike<unknown>, length: number): void {
  assertArrayLike(name, values);
  if (values.length !== length) {
    throw new RangeError(`${name} must have length ${length}, got ${values.length}`);
  }
}

/** Throws a TypeError naming `name` unless `value` is a function (a `Prng`, a callback). */
export function assertFunction(name: string, value: unknown): void {
  if (typeof value !== "function") {
    throw new TypeError(`${name} must be a function, got ${show(value)}`);
  }
}

/**
 * Throws a RangeError naming `name` when every value of `values` is equal (a degenerate sample:
 * constant, all zeros), for estimators whose statistic is then undefined or meaningless.
 */
export function assertNotConstant(name: string, values: ArrayLike<number>): void {
  const first = values[0];
  for (let i = 1; i < values.length; i++) if (values[i] !== first) return;
  throw new RangeError(`${name} must not be constant, got all values equal to ${show(first)}`);
}

/**
 * Throws a RangeError naming the input `name` when `value`, a quantity computed from it, is not
 * finite: the input overflows double precision (e.g. values near 1e200 whose squares are
 * Infinity). `quantity` says which quantity overflowed.
 */
export function assertNoOverflow(name: string, quantity: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new RangeError(
      `${name} overflows double precision: ${quantity} is ${show(value)}; rescale ${name}`,
    );
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

/** Throws a TypeError naming `name` unless `value` is a string (a title, a label, a colour). */
export function assertString(name: string, value: unknown): void {
  if (typeof value !== "string") {
    throw new TypeError(`${name} must be a string, got ${show(value)}`);
  }
}

/**
 * Throws a TypeError naming `name` unless `values` is array-like, a RangeError naming the first
 * entry that is not a finite number or NaN: for plotted values, where NaN marks a gap (a blank
 * heat-map cell, a missing point) and ±Infinity or a non-number would be drawn silently wrong.
 */
export function assertFiniteOrNaNArray(name: string, values: ArrayLike<number>): void {
  assertArrayLike(name, values);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v !== "number" || v === Infinity || v === -Infinity) {
      throw new RangeError(`${name}[${i}] must be finite or NaN (a gap), got ${show(v)}`);
    }
  }
}
