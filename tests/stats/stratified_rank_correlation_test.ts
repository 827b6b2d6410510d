import assert from "node:assert/strict";
import { spearmanCorrelation, spearmanTest } from "../../lib/stats/rank_correlation.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";
import { stratifiedSpearmanTest } from "../../lib/stats/stratified_rank_correlation.ts";
import { assertAllClose } from "../_assert.ts";

/** Every permutation of 0..n−1. */
function permutationsOf(n: number): number[][] {
  if (n === 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutationsOf(n - 1)) {
    for (let k = 0; k <= p.length; k++) out.push([...p.slice(0, k), n - 1, ...p.slice(k)]);
  }
  return out;
}

/** Brute-force stratified null: every combination of within-stratum permutations of y. */
function bruteForceP(
  x: number[],
  y: number[],
  strata: number[],
  alternative: "less" | "greater" | "two-sided",
): { rho: number; p: number } {
  const keys = [...new Set(strata)];
  const idx = keys.map((k) => strata.flatMap((s, i) => (s === k ? [i] : [])));
  // spearmanCorrelation needs 3 pairs; with 2 (no ties), ρ is the sign of the order
  const rho = (a: number[], b: number[]) =>
    a.length === 2 ? Math.sign((a[1]! - a[0]!) * (b[1]! - b[0]!)) : spearmanCorrelation(a, b);
  const stat = (yy: number[]) =>
    idx.reduce((a, ii) => a + rho(ii.map((i) => x[i]!), ii.map((i) => yy[i]!)), 0) / keys.length;
  const orient = (r: number) =>
    alternative === "less" ? -r : alternative === "greater" ? r : Math.abs(r);
  const obs = stat(y);
  let count = 0, total = 0;
  const perms = idx.map((ii) => permutationsOf(ii.length));
  const rec = (g: number, yy: number[]) => {
    if (g === keys.length) {
      total++;
      if (orient(stat(yy)) >= orient(obs) - 1e-12) count++;
      return;
    }
    for (const p of perms[g]!) {
      const next = yy.slice();
      idx[g]!.forEach((i, k) => (next[i] = y[idx[g]![p[k]!]!]!));
      rec(g + 1, next);
    }
  };
  rec(0, y.slice());
  return { rho: obs, p: count / total };
}

Deno.test("stratifiedSpearmanTest: exact p-values equal brute-force enumeration of within-stratum permutations", () => {
  const prng = createPrng(7);
  for (const sizes of [[3, 3], [3, 3, 3], [4, 3], [2, 3, 4]]) {
    const strata = sizes.flatMap((n, g) => Array(n).fill(g) as number[]);
    const x = Array.from(sampleNormal(prng, strata.length));
    const y = x.map((v) => v + 1.5 * sampleNormal(prng, 1)[0]!);
    for (const alt of ["greater", "less", "two-sided"] as const) {
      const t = stratifiedSpearmanTest(x, y, strata, { prng: createPrng(1), alternative: alt });
      const b = bruteForceP(x, y, strata, alt);
      assert.equal(t.method, "exact");
      assertAllClose(t.rho, b.rho, { rtol: 1e-12 });
      assertAllClose(t.pValue, b.p, { rtol: 1e-12 });
    }
  }
});

Deno.test("stratifiedSpearmanTest: per-stratum ρ; one stratum is spearmanTest; perfect order in 5 strata of 3 gives p = 6⁻⁵", () => {
  const x = [1, 2, 3, 4, 5], y = [2, 1, 4, 3, 5];
  const one = stratifiedSpearmanTest(x, y, [0, 0, 0, 0, 0], {
    prng: createPrng(1),
    alternative: "greater",
  });
  const ref = spearmanTest(x, y, { prng: createPrng(1), alternative: "greater" });
  assertAllClose(one.rho, ref.rho, { rtol: 1e-12 });
  assertAllClose(one.pValue, ref.pValue, { rtol: 1e-12 });
  const strata = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4];
  const xs = [1, 2, 3, 9, 8, 7, 0.1, 0.2, 0.3, 5, 6, 7, 30, 10, 20];
  // y increasing with x inside every stratum, but decreasing across strata (a seed effect)
  const ys = [51, 52, 53, 43, 42, 41, 31, 32, 33, 21, 22, 23, 13, 11, 12];
  const t = stratifiedSpearmanTest(xs, ys, strata, { prng: createPrng(2), alternative: "greater" });
  assert.equal(t.rho, 1);
  assert.deepEqual(
    t.strata.map((s) => [s.stratum, s.n, s.rho]),
    [0, 1, 2, 3, 4].map((g) => [g, 3, 1]),
  );
  assertAllClose(t.pValue, 1 / 6 ** 5, { rtol: 1e-12 });
  assert.equal(t.permutations, 7776);
  // pooled, the seed effect hides it: the pooled ρ is negative
  assert.ok(spearmanCorrelation(xs, ys) < 0);
  const less = stratifiedSpearmanTest(xs, ys, strata, { prng: createPrng(2), alternative: "less" });
  assert.equal(less.pValue, 1);
});

Deno.test("stratifiedSpearmanTest: Monte Carlo p within 5 binomial sd of the exact one; uniform-ish under the null", () => {
  const prng = createPrng(9);
  const strata = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
  const x = Array.from(sampleNormal(prng, 12)), y = x.map((v) => v + sampleNormal(prng, 1)[0]!);
  const exact = stratifiedSpearmanTest(x, y, strata, {
    prng: createPrng(1),
    alternative: "greater",
  });
  assert.equal(exact.method, "exact"); // 24³ = 13,824
  const mc = stratifiedSpearmanTest(x, y, strata, {
    prng: createPrng(3),
    alternative: "greater",
    exactUpTo: 0,
    permutations: 20000,
  });
  assert.equal(mc.method, "monte carlo");
  assert.equal(mc.permutations, 20001);
  const sd = Math.sqrt(exact.pValue * (1 - exact.pValue) / 20000);
  assertAllClose(mc.pValue, exact.pValue, { atol: 5 * sd + 1e-4 });
  // under independence, p ≤ 0.05 in about 5% of 400 data sets (binomial sd 1.1%; a rate of 0 or 20%
  // would mean a wrong null)
  let rejections = 0;
  for (let r = 0; r < 400; r++) {
    const a = Array.from(sampleNormal(prng, 9)), b = Array.from(sampleNormal(prng, 9));
    const p = stratifiedSpearmanTest(a, b, [0, 0, 0, 1, 1, 1, 2, 2, 2], {
      prng,
      alternative: "greater",
    }).pValue;
    if (p <= 0.05) rejections++;
  }
  assert.ok(rejections >= 8 && rejections <= 36, `rejections ${rejections} of 400`);
});

Deno.test("stratifiedSpearmanTest: bad input names the argument", () => {
  const p = { prng: createPrng(1) };
  assert.throws(
    () => stratifiedSpearmanTest([1, NaN], [1, 2], [0, 0], p),
    /x\[1\] must be finite, got NaN/,
  );
  assert.throws(
    () => stratifiedSpearmanTest([1, 2], [1, 2, 3], [0, 0], p),
    /y must have the length of x \(2\), got 3/,
  );
  assert.throws(
    () => stratifiedSpearmanTest([1, 2], [1, 2], [0], p),
    /strata must have the length of x \(2\), got 1/,
  );
  assert.throws(
    () => stratifiedSpearmanTest([1, 2, 3], [1, 2, 3], [0, 0, 1], p),
    /stratum 1 must have at least 2 pairs, got 1/,
  );
  assert.throws(
    () => stratifiedSpearmanTest([1, 1, 3, 4], [1, 2, 3, 4], [0, 0, 1, 1], p),
    /x within stratum 0 must not be constant/,
  );
  assert.throws(
    () => stratifiedSpearmanTest([1, 2], [1, 2], [0, NaN], p),
    /strata\[1\] must be a finite number or a string, got NaN/,
  );
  assert.throws(
    () => stratifiedSpearmanTest([1, 2], [1, 2], [0, 0], { ...p, alternative: "up" as "less" }),
    /alternative/,
  );
  assert.throws(
    () => stratifiedSpearmanTest([1, 2], [1, 2], [0, 0], { ...p, permutations: 0 }),
    /permutations/,
  );
});
