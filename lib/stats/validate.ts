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
  if (values === null || typeof values !== "object" || typeof values.length !== "number") {
    throw new TypeError(`${name} must be an array of numbers, got ${show(values)}`);
  }
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
