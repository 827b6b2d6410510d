/** Shared test helpers. */
import { AssertionError } from "node:assert/strict";

type NumArray = ArrayLike<number>;

/**
 * Asserts `|actual[i] − expected[i]| ≤ atol + rtol·|expected[i]|` for every i,
 * with equal lengths, and reports the first failing index.
 */
export function assertAllClose(
  actual: NumArray | number,
  expected: NumArray | number,
  { rtol = 1e-7, atol = 0 }: { rtol?: number; atol?: number } = {},
): void {
  const a = typeof actual === "number" ? [actual] : actual;
  const e = typeof expected === "number" ? [expected] : expected;
  if (a.length !== e.length) {
    throw new AssertionError({
      message: `length mismatch: actual ${a.length}, expected ${e.length}`,
    });
  }
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!, ei = e[i]!;
    const ok = Number.isNaN(ei)
      ? Number.isNaN(ai)
      : Math.abs(ai - ei) <= atol + rtol * Math.abs(ei);
    if (!ok) {
      throw new AssertionError({
        message: `arrays differ at index ${i}: actual ${ai}, expected ${ei} ` +
          `(|diff| ${Math.abs(ai - ei)}, rtol ${rtol}, atol ${atol})`,
      });
    }
  }
}

/** Sample mean and standard deviation (n − 1). */
export function meanSd(x: NumArray): { mean: number; sd: number } {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i]!;
  m /= x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i]! - m) ** 2;
  return { mean: m, sd: Math.sqrt(v / (x.length - 1)) };
}
