import assert from "node:assert/strict";
import { linearFit } from "../../lib/stats/regression.ts";
import { assertAllClose } from "../_assert.ts";

Deno.test("linearFit equals scipy.stats.linregress on committed fixtures (rtol 1e-9: same formulas, float64)", async () => {
  const fx = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/linregress/data.json", import.meta.url)),
  );
  for (const c of fx.cases) {
    const f = linearFit(c.x, c.y);
    assertAllClose([f.slope, f.intercept, f.slopeStdErr, f.interceptStdErr, f.r2], [
      c.slope,
      c.intercept,
      c.stderr,
      c.intercept_stderr,
      c.r2,
    ], { rtol: 1e-9 });
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
  assert.throws(
    () => linearFit([1, 2, 3], [1, 2, Infinity]),
    /y\[2\] must be finite, got Infinity/,
  );
  assert.throws(() => linearFit([1, 2, 3], [1, 2, 3], 1), /level must be in \(0, 1\), got 1/);
});

Deno.test("weightedLinearFit: equal weights give the ordinary fit; SE = σ/√Sxx; coverage of the stated SE", async () => {
  const { weightedLinearFit } = await import("../../lib/stats/regression.ts");
  const x = [0, 1, 2, 3, 5], y = [0.9, 3.2, 4.8, 7.1, 11.2];
  const ols = linearFit(x, y), wls = weightedLinearFit(x, y, x.map(() => 4));
  assertAllClose([wls.slope, wls.intercept], [ols.slope, ols.intercept], { rtol: 1e-12 });
  // σ = 1/2: SE = σ/√Σ(x − x̄)² = 0.5/√14.8
  assertAllClose(wls.slopeStdErr, 0.5 / Math.sqrt(14.8), { rtol: 1e-12 });
  // heteroscedastic data, σ_i known: the slope lands within 2 SE in ~95% of 400 repetitions
  const { createPrng, sampleNormal } = await import("../../lib/stats/random.ts");
  const prng = createPrng(21);
  const xs = [1, 2, 3, 4, 5, 6], sd = [0.1, 0.3, 0.2, 0.5, 0.4, 1];
  let inside = 0;
  for (let r = 0; r < 400; r++) {
    const z = sampleNormal(prng, 6);
    const f = weightedLinearFit(
      xs,
      xs.map((v, i) => 2 - 0.7 * v + sd[i]! * z[i]!),
      sd.map((s) => 1 / (s * s)),
    );
    if (Math.abs(f.slope + 0.7) <= 1.96 * f.slopeStdErr) inside++;
  }
  // binomial sd over 400 reps ≈ 0.011: 0.95 ± 0.045
  assert.ok(Math.abs(inside / 400 - 0.95) < 0.045, `coverage ${inside / 400}`);
  assert.throws(
    () => weightedLinearFit([1, 2, 3], [1, 2, 3], [1, 0, 1]),
    /w\[1\] must be a finite number > 0, got 0/,
  );
  assert.throws(() => weightedLinearFit([1, 2], [1, 2], [1, 1]), /needs at least 3 points, got 2/);
});
