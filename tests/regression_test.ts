import assert from "node:assert/strict";
import { linearFit } from "../lib/regression.ts";
import { assertAllClose } from "./_assert.ts";

Deno.test("linearFit equals scipy.stats.linregress on committed fixtures (rtol 1e-9: same formulas, float64)", async () => {
  const fx = JSON.parse(await Deno.readTextFile(new URL("./fixtures/linregress/data.json", import.meta.url)));
  for (const c of fx.cases) {
    const f = linearFit(c.x, c.y);
    assertAllClose([f.slope, f.intercept, f.slopeStdErr, f.interceptStdErr, f.r2], [c.slope, c.intercept, c.stderr, c.intercept_stderr, c.r2], { rtol: 1e-9 });
    // jStat's Student-t inverse is iterative: 1e-6 relative
    assertAllClose(f.slopeInterval, c.ci, { rtol: 1e-6 });
  }
});

Deno.test("linearFit: exact line has zero standard error and R² = 1", () => {
  const f = linearFit([0, 1, 2, 3], [1, 3, 5, 7]);
  assert.equal(f.slope, 2);
  assert.equal(f.intercept, 1);
  assert.equal(f.slopeStdErr, 0);
  assert.equal(f.r2, 1);
});

Deno.test("linearFit: bad input names the argument", () => {
  assert.throws(() => linearFit([1, 2], [1, 2]), /linearFit needs at least 3 points, got 2/);
  assert.throws(() => linearFit([1, 2, 3], [1, 2]), /y must have the length of x \(3\), got 2/);
  assert.throws(() => linearFit([1, 1, 1], [1, 2, 3]), /x must not be constant/);
  assert.throws(() => linearFit([1, NaN, 3], [1, 2, 3]), /x\[1\] must be finite, got NaN/);
  assert.throws(() => linearFit([1, 2, 3], [1, 2, Infinity]), /y\[2\] must be finite, got Infinity/);
  assert.throws(() => linearFit([1, 2, 3], [1, 2, 3], 1), /level must be in \(0, 1\), got 1/);
});
