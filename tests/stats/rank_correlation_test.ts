import assert from "node:assert/strict";
import {
  averageRanks,
  spearmanCorrelation,
  spearmanTest,
} from "../../lib/stats/rank_correlation.ts";
import { createPrng } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

const fx = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/spearman/data.json", import.meta.url)),
);

Deno.test("averageRanks equals scipy.stats.rankdata (average ties) exactly", () => {
  for (const c of fx.cases) {
    assert.deepEqual(Array.from(averageRanks(c.x)), c.ranks_x);
    assert.deepEqual(Array.from(averageRanks(c.y)), c.ranks_y);
  }
  assert.deepEqual(Array.from(averageRanks([3, 3, 3])), [2, 2, 2]);
  assert.deepEqual(Array.from(averageRanks([])), []);
});

Deno.test("spearmanCorrelation equals scipy.stats.spearmanr, with and without ties (rtol 1e-12)", () => {
  for (const c of fx.cases) assertAllClose(spearmanCorrelation(c.x, c.y), c.rho, { rtol: 1e-12 });
});

Deno.test("spearmanCorrelation: no ties gives 1 − 6Σd²/(n(n²−1)); symmetric; monotone-invariant", () => {
  const x = [0.3, 1.2, -0.4, 2.2, 0.9, 1.7], y = [1, 3, 2, 6, 4, 5];
  // ranks of x: [2, 4, 1, 6, 3, 5]; d = [1, −1, 1, 0, 1, 0]; Σd² = 4
  assertAllClose(spearmanCorrelation(x, y), 1 - (6 * 4) / (6 * 35), { rtol: 1e-14 });
  assert.equal(spearmanCorrelation(x, y), spearmanCorrelation(y, x));
  assert.equal(
    spearmanCorrelation(x, y),
    spearmanCorrelation(x.map(Math.exp), y.map((v) => v ** 3)),
  );
});

Deno.test("spearmanTest: exact p-values equal scipy's exact permutation test (rtol 1e-12)", () => {
  const prng = createPrng(1);
  let checked = 0;
  for (const c of fx.cases) {
    for (const alt of ["less", "greater", "two-sided"] as const) {
      const want = c[`p_exact_${alt}`];
      if (want === undefined) continue;
      const t = spearmanTest(c.x, c.y, { prng, alternative: alt });
      assert.equal(t.method, "exact");
      assertAllClose(t.pValue, want, { rtol: 1e-12 });
      checked++;
    }
  }
  assert.equal(checked, 11);
});

Deno.test("spearmanTest: t-approximation p-values equal scipy.stats.spearmanr (rtol 1e-6, jStat's t cdf)", () => {
  for (const c of fx.cases) {
    for (const alt of ["less", "greater", "two-sided"] as const) {
      const t = spearmanTest(c.x, c.y, { prng: createPrng(2), alternative: alt, permutations: 10 });
      assertAllClose(t.pValueT, c[`p_t_${alt}`], { rtol: 1e-6, atol: 1e-14 });
    }
  }
});

Deno.test("spearmanTest: Monte Carlo p-value agrees with the exact one within 5 binomial sd", () => {
  const c = fx.cases.find((k: { x: number[] }) => k.x.length === 8);
  const exact = spearmanTest(c.x, c.y, { prng: createPrng(3), alternative: "less" });
  const permutations = 20_000;
  const mc = spearmanTest(c.x, c.y, {
    prng: createPrng(3),
    alternative: "less",
    permutations,
    exactUpTo: 0,
  });
  assert.equal(mc.method, "monte carlo");
  assert.equal(mc.permutations, permutations + 1);
  // the MC p-value is a binomial proportion around the exact p: 5σ = 5√(p(1−p)/P)
  const sd = Math.sqrt((exact.pValue * (1 - exact.pValue)) / permutations);
  assert.ok(
    Math.abs(mc.pValue - exact.pValue) <= 5 * sd + 1 / permutations,
    `${mc.pValue} vs ${exact.pValue}`,
  );
  // same seed, same numbers
  assert.equal(
    spearmanTest(c.x, c.y, { prng: createPrng(3), alternative: "less", permutations, exactUpTo: 0 })
      .pValue,
    mc.pValue,
  );
});

Deno.test("spearmanTest: critical values of the exact null law (n = 5: 1/120 at ρ = −1, 4/120 at −0.9)", () => {
  const x = [1, 2, 3, 4, 5], y = [2, 1, 3, 5, 4];
  const prng = createPrng(4);
  // P(ρ ≤ −0.9) = 5/120 ≤ 0.05 < P(ρ ≤ −0.8) = 8/120 (the classical table value 0.900)
  // (ρ is computed from ranks in floating point: equal to the table value to 1e-14)
  assertAllClose(spearmanTest(x, y, { prng, alternative: "less" }).critical, -0.9, { rtol: 1e-14 });
  assertAllClose(spearmanTest(x, y, { prng, alternative: "greater" }).critical, 0.9, {
    rtol: 1e-14,
  });
  // two-sided: P(|ρ| ≥ 1) = 2/120 ≤ 0.05 < P(|ρ| ≥ 0.9) = 10/120
  assertAllClose(spearmanTest(x, y, { prng, alternative: "two-sided" }).critical, 1, {
    rtol: 1e-14,
  });
  // n = 3: the smallest tail mass is 1/6 > 0.05, nothing can be significant
  assert.equal(
    spearmanTest([1, 2, 3], [3, 2, 1], { prng, alternative: "less" }).critical,
    -Infinity,
  );
  assert.equal(
    spearmanTest([1, 2, 3], [1, 2, 3], { prng, alternative: "greater" }).critical,
    Infinity,
  );
});

Deno.test("spearmanTest: p ≤ α exactly when ρ is at or beyond the critical value", () => {
  const prng = createPrng(5);
  for (let rep = 0; rep < 40; rep++) {
    const n = 4 + (rep % 9);
    const x = Array.from({ length: n }, () => prng());
    const y = x.map((v) => -v + 0.8 * prng());
    for (const alternative of ["less", "greater", "two-sided"] as const) {
      const t = spearmanTest(x, y, { prng, alternative, permutations: 999 });
      const beyond = alternative === "less"
        ? t.rho <= t.critical
        : alternative === "greater"
        ? t.rho >= t.critical
        : Math.abs(t.rho) >= t.critical;
      assert.equal(
        t.pValue <= t.alpha,
        beyond,
        `n ${n} ${alternative} ρ ${t.rho} p ${t.pValue} crit ${t.critical}`,
      );
    }
  }
});

Deno.test("spearmanTest: bad input names the argument", () => {
  const prng = createPrng(6);
  assert.throws(() => spearmanTest([1, 2], [1, 2], { prng }), /need at least 3 pairs, got 2/);
  assert.throws(
    () => spearmanTest([1, 2, 3], [1, 2], { prng }),
    /y must have the length of x \(3\), got 2/,
  );
  assert.throws(
    () => spearmanTest([1, NaN, 3], [1, 2, 3], { prng }),
    /x\[1\] must be finite, got NaN/,
  );
  assert.throws(
    () => spearmanTest([1, 2, 3], [1, 2, -Infinity], { prng }),
    /y\[2\] must be finite, got -Infinity/,
  );
  assert.throws(() => spearmanTest([2, 2, 2], [1, 2, 3], { prng }), /x must not be constant/);
  assert.throws(() => spearmanCorrelation([1, 2, 3], [0, 0, 0]), /y must not be constant/);
  assert.throws(
    () => spearmanTest([1, 2, 3], [1, 2, 3], { prng, alternative: "both" as never }),
    /alternative must be "less", "greater" or "two-sided", got "both"/,
  );
  assert.throws(
    () => spearmanTest([1, 2, 3], [1, 2, 3], { prng, alpha: 0 }),
    /alpha must be in \(0, 1\), got 0/,
  );
  assert.throws(
    () => spearmanTest([1, 2, 3], [1, 2, 3], { prng, permutations: 0 }),
    /permutations must be an integer >= 1, got 0/,
  );
  assert.throws(
    () => spearmanTest([1, 2, 3], [1, 2, 3], { prng, exactUpTo: 11 }),
    /exactUpTo must be <= 10, got 11/,
  );
  const x = [3, 1, 2], y = [1, 2, 3];
  spearmanTest(x, y, { prng });
  assert.deepEqual(x, [3, 1, 2], "inputs left unmodified");
});
