import assert from "node:assert/strict";
import {
  assertStepDensity,
  formatNumber,
  isMonotone,
  restoreMassBalance,
  type StepContext,
} from "../../../lib/dynamics/fokker_planck/density_checks.ts";
import { CsrBuilder } from "../../../lib/dynamics/fokker_planck/sparse.ts";
import { assertAllClose } from "../../_assert.ts";

const ctx = (monotone = true): StepContext => ({
  step: 3,
  time: 0.25,
  negativeTolerance: 1e-5,
  monotone,
  describeCell: (i) => `cell #${i}`,
});

Deno.test("formatNumber: integers as they are, other numbers to 6 significant digits", () => {
  assert.equal(formatNumber(3), "3");
  assert.equal(formatNumber(-0.9), "-0.900000");
  assert.equal(formatNumber(1 / 3), "0.333333");
});

Deno.test("assertStepDensity: passes p ≥ −tol·max p; names step, time and cell for negative or non-finite values", () => {
  assertStepDensity(Float64Array.of(2, 0, -1.9e-5), ctx()); // −1.9e-5 ≥ −1e-5 · 2
  assert.throws(() => assertStepDensity(Float64Array.of(2, -3e-5, 1), ctx()), {
    name: "RangeError",
    message: "density became negative at step 3 (t = 0.250000): p = -3.000e-5 at cell #1 " +
      '(max p = 2.000e+0); reduce dt or use scheme "backward-euler"',
  });
  assert.throws(() => assertStepDensity(Float64Array.of(1, -1), ctx(false)), {
    name: "RangeError",
    message: /p = -1\.000e\+0 at cell #1 .*the operator is not monotone/,
  });
  for (const bad of [NaN, Infinity, -Infinity]) {
    assert.throws(() => assertStepDensity(Float64Array.of(1, 0, bad), ctx()), {
      name: "RangeError",
      message: `density became non-finite at step 3 (t = 0.250000): p = ${bad} at cell #2`,
    });
  }
});

Deno.test("restoreMassBalance: Σ x_i (1 + c o_i) = Σ b_i afterwards; nothing done for non-positive masses", () => {
  const b = Float64Array.of(1, 2, 3), o = Float64Array.of(0, 0.5, 4), c = 0.1;
  const x = Float64Array.of(0.9, 1.8, 2.2);
  restoreMassBalance(b, x, c, o);
  assertAllClose(x.reduce((s, v, i) => s + v * (1 + c * o[i]!), 0), 6, { rtol: 1e-15 });
  // the factor is a common rescaling: ratios kept
  assertAllClose(x[1]! / x[0]!, 2, { rtol: 1e-15 });
  const y = Float64Array.of(-1, 0.5);
  restoreMassBalance(Float64Array.of(1, 1), y, c, Float64Array.of(0, 0));
  assert.deepEqual(Array.from(y), [-1, 0.5]);
});

Deno.test("isMonotone: off-diagonal entries ≥ −1e-12·|diagonal|", () => {
  const b = new CsrBuilder(2, 2);
  b.add(0, 0, -2);
  b.add(0, 1, 1);
  b.add(1, 1, -1);
  b.add(1, 0, -1e-13); // within round-off of the diagonal
  const a = b.toCsr(), diag = Int32Array.of(0, 3);
  assert.equal(isMonotone(a, diag), true);
  a.values[2] = -1e-11;
  assert.equal(isMonotone(a, diag), false);
});
