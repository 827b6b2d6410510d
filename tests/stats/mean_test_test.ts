import assert from "node:assert/strict";
import { meanZeroTest } from "../../lib/stats/mean_test.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

Deno.test("meanZeroTest: t statistic and Bonferroni critical value equal closed forms", () => {
  // series 0: [1, 2, 3] → mean 2, sd 1, se 1/√3, t = 2√3
  const r = meanZeroTest([1, 2, 3, -1, 0, 1], 3);
  assertAllClose(r.t, [2 * Math.sqrt(3), 0], { rtol: 1e-12 });
  assertAllClose(r.maxAbsT, 2 * Math.sqrt(3), { rtol: 1e-12 });
  // K = 2, α = 0.05 → t_{0.9875, 2} = 6.2053 (scipy.stats.t.ppf(0.9875, 2))
  assertAllClose(r.critical, 6.205346816, { rtol: 1e-6 });
});

Deno.test("meanZeroTest: family-wise rejection rate under the null is at most α (1,000 seeded repetitions)", () => {
  const prng = createPrng(12);
  let reject = 0;
  const reps = 1000;
  for (let i = 0; i < reps; i++) {
    const r = meanZeroTest(sampleNormal(prng, 5 * 30), 30, 0.05);
    if (r.maxAbsT > r.critical) reject++;
  }
  // independent series: exact rate 1 − (1 − 0.01)^5 = 0.049; sd over 1,000 reps ≈ 0.0068 → 5σ band
  assert.ok(Math.abs(reject / reps - 0.049) < 5 * 0.0068, `rate ${reject / reps}`);
});

Deno.test("meanZeroTest: detects a shifted mean", () => {
  const x = sampleNormal(createPrng(3), 200, 0.5, 1);
  const r = meanZeroTest(x, 200);
  assert.ok(r.maxAbsT > r.critical);
});

Deno.test("meanZeroTest: bad input", () => {
  assert.throws(
    () => meanZeroTest([1, 2, 3], 2),
    /series length must be a positive multiple of n = 2, got 3/,
  );
  assert.throws(() => meanZeroTest([1], 1), /n must be an integer >= 2, got 1/);
  assert.throws(() => meanZeroTest([1, NaN], 2), /series\[1\] must be finite, got NaN/);
  assert.throws(() => meanZeroTest([1, 1], 2), /series 0 has zero variance/);
  assert.throws(() => meanZeroTest([1, 2], 2, 0), /alpha must be in \(0, 1\), got 0/);
});
