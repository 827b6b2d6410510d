/**
 * Shared pieces of the property tests: seeded fast-check runs (CI reproducible) and the contract
 * every public function keeps on generated input — it returns a valid result, or it throws a
 * `RangeError`/`TypeError` whose message names the argument as the caller wrote it.
 */
import fc from "fast-check";
import { AssertionError } from "node:assert/strict";

export { fc };

/** fast-check parameters of every property test: a fixed seed, a modest number of runs. */
export const PROPERTY_RUNS = { seed: 20261130, numRuns: 150 } as const;

/** Numbers a careless caller passes: finite, huge, tiny, NaN, ±Infinity, -0, integers. */
export const anyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1e308, -1e308, 5e-324, 2 ** 32 + 1, 0.5, -1),
  fc.integer({ min: -5, max: 20 }),
);

/** Arrays of such numbers (possibly empty). */
export const anyArray: fc.Arbitrary<number[]> = fc.array(anyNumber, { maxLength: 12 });

/**
 * Calls `call`; when it throws, the error must be a RangeError or TypeError whose message
 * contains one of `names` (the arguments the caller wrote); when it returns, `valid(result)`
 * must hold (default: any result). Returns whether it threw.
 */
export function namedOrValid<T>(
  call: () => T,
  names: readonly string[],
  valid: (result: T) => boolean = () => true,
): boolean {
  let result: T;
  try {
    result = call();
  } catch (e) {
    if (!(e instanceof RangeError || e instanceof TypeError)) {
      throw new AssertionError({ message: `unnamed engine error: ${e}` });
    }
    if (!names.some((n) => e.message.includes(n))) {
      throw new AssertionError({
        message: `error does not name any of ${names.join(", ")}: ${e.message}`,
      });
    }
    return true;
  }
  if (!valid(result)) {
    throw new AssertionError({ message: `invalid result without an error: ${String(result)}` });
  }
  return false;
}

/** True when every number reachable in `v` (numbers, arrays, typed arrays, plain objects) is finite. */
export function allFinite(v: unknown, depth = 0): boolean {
  if (typeof v === "number") return Number.isFinite(v);
  if (depth > 4 || v === null || typeof v !== "object") return true;
  if (ArrayBuffer.isView(v)) {
    return Array.prototype.every.call(v, (x: number) => Number.isFinite(x)) as boolean;
  }
  return Object.values(v as Record<string, unknown>).every((x) => allFinite(x, depth + 1));
}

/**
 * Asserts the contract on generated arguments: `call(...args)` for tuples drawn from `arbs`
 * returns a result for which `valid` holds (default: every number in it finite) or throws a
 * named RangeError/TypeError mentioning one of `names`. Seeded like every property test.
 */
export function checkCalls(
  arbs: fc.Arbitrary<unknown>[],
  // deno-lint-ignore no-explicit-any
  call: (...args: any[]) => unknown,
  names: readonly string[],
  // deno-lint-ignore no-explicit-any
  valid: (result: any) => boolean = (r) => allFinite(r),
  runs: { seed: number; numRuns: number } = PROPERTY_RUNS,
): void {
  fc.assert(
    fc.property(fc.tuple(...arbs), (args) => void namedOrValid(() => call(...args), names, valid)),
    runs,
  );
}
