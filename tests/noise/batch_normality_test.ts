import assert from "node:assert/strict";
import {
  batchMeanNormality,
  holdsFrom,
  seriesNormality,
  summariseBatchNormality,
} from "../../lib/noise/batch_normality.ts";
import { sampleSgnRows } from "../../lib/noise/sgn.ts";
import { createPrng, sampleNormal, sampleStable } from "../../lib/stats/random.ts";
import { batchMeanKurtosis, centralMoments } from "../../lib/stats/sample_moments.ts";
import { normalityTests } from "../../lib/stats/normality.ts";
import { assertAllClose } from "../_assert.ts";

function exponentialPopulation(seed: number, n: number, p: number) {
  const prng = createPrng(seed);
  return {
    rows: n,
    cols: p,
    data: Float64Array.from({ length: n * p }, () => -Math.log(1 - prng())),
  };
}

Deno.test("batchMeanNormality: the draws of sampleSgnRows, one batch for every functional; the exact prediction per column", () => {
  const pop = exponentialPopulation(1, 300, 4);
  pop.data.set(pop.data.subarray(0, 4).map(() => 0), 0); // any values; column 3 becomes a copy of 0 below
  for (let i = 0; i < 300; i++) pop.data[i * 4 + 3] = pop.data[i * 4]!;
  const rows = batchMeanNormality(pop, { batchSizes: [5, 40], batches: 50, prng: createPrng(2) });
  const prng = createPrng(2);
  rows.forEach((r, q) => {
    const u = sampleSgnRows(pop, { batchSize: [5, 40][q]!, batches: 50, prng });
    assert.deepEqual(r.series.data, u.data);
    for (let b = 0; b < 50; b++) assert.equal(r.series.data[b * 4]!, r.series.data[b * 4 + 3]!);
    for (let c = 0; c < 4; c++) {
      const col = Float64Array.from({ length: 300 }, (_, i) => pop.data[i * 4 + c]!);
      assert.equal(r.predicted[c], batchMeanKurtosis(r.S, 300, centralMoments(col)));
      const t = normalityTests(Float64Array.from({ length: 50 }, (_, b) => u.data[b * 4 + c]!));
      assert.equal(r.kurtosis[c], t.excessKurtosis);
      assert.equal(r.adPValues[c], t.andersonDarling.pValue);
      assert.equal(r.jbPValues[c], t.jarqueBera.pValue);
    }
  });
});

Deno.test("batchMeanNormality: measured excess kurtosis of batch means of exponential populations matches the finite-population prediction", () => {
  // 100 independent populations of N = 500 exponential draws (κ₁ = 6 for the law; a population of
  // 500 draws has a median κ₁ nearer 4.5, the fourth moment's sample being skewed); batch means of
  // S = 4 and 100 then have predicted κ ≈ 1.1 and ≈ 0.02 (finite-population correction at S/N = 0.2). Over B = 3000
  // batches the sample κ̂ of one column has sd ≈ 0.2 at S = 4 (heavier than the Gaussian √(24/B)
  // = 0.09), so the median over 100 columns has sd ≈ 0.03; tolerance 0.15 = 5 sd. A prediction
  // without the 1/S (κ₁ itself) would be off by > 3, a sign error in the correction by ~ 0.1 at S = 100.
  const pop = exponentialPopulation(3, 500, 100);
  const rows = batchMeanNormality(pop, {
    batchSizes: [4, 100],
    batches: 3000,
    prng: createPrng(4),
  });
  for (const r of rows) {
    const s = summariseBatchNormality(r);
    assertAllClose(s.medianKurtosis, s.medianPredicted, { atol: 0.15 });
  }
  const s4 = summariseBatchNormality(rows[0]!), s100 = summariseBatchNormality(rows[1]!);
  assert.ok(s4.medianPredicted > 0.8 && s4.medianPredicted < 1.5, `${s4.medianPredicted}`);
  assert.equal(s4.verdict, "not Gaussian");
  assert.ok(s4.adRate > 0.9, `AD detects κ = 1.45 in 3000 batches: rate ${s4.adRate}`);
  assert.ok(Math.abs(s100.medianPredicted) < 0.05);
});

Deno.test("summariseBatchNormality: Gaussian functionals are 'Gaussian' with rejection rates near the size; stable ones are 'not Gaussian'", () => {
  // N = 4000 Gaussian values per column, S = 50, B = 400, p = 300: batch means are Gaussian up to
  // κ ≈ 0 (predicted |κ| < 0.01), so AD rejects at about its size 0.05 (binomial sd over 300
  // tests 0.013; bound 0.05 + 3 sd = 0.088), and the median |κ̂| is about 0.67·√(24/400) = 0.16.
  const p = 300;
  const gauss = { rows: 4000, cols: p, data: sampleNormal(createPrng(5), 4000 * p) };
  const [g] = batchMeanNormality(gauss, { batchSizes: [50], batches: 400, prng: createPrng(6) });
  const sg = summariseBatchNormality(g!);
  assert.equal(sg.verdict, "Gaussian");
  assert.ok(sg.adRate < sg.rateBound && sg.jbRate < sg.rateBound, JSON.stringify(sg));
  assertAllClose(sg.rateBound, 0.05 + 3 * Math.sqrt(0.05 * 0.95 / p), { rtol: 1e-15 });
  assertAllClose(sg.medianAbsKurtosis, 0.67 * Math.sqrt(24 / 400), { atol: 0.05 });
  assert.ok(sg.quantiles.every((q, i) => i === 0 || q >= sg.quantiles[i - 1]!));
  // a matched heavy-tailed surrogate (symmetric stable α = 1.8 populations) through the same statistic
  const heavy = {
    rows: 4000,
    cols: 100,
    data: sampleStable(createPrng(7), 400_000, { alpha: 1.8 }),
  };
  const [h] = batchMeanNormality(heavy, { batchSizes: [50], batches: 400, prng: createPrng(8) });
  const sh = summariseBatchNormality(h!);
  assert.equal(sh.verdict, "not Gaussian");
  assert.ok(sh.medianAbsKurtosis > 1 && sh.adRate > 0.3, JSON.stringify(sh));
  // a column range summarises those columns only
  const first = summariseBatchNormality(g!, { columns: [0, 10] });
  assert.equal(first.count, 10);
  assertAllClose(
    first.medianKurtosis,
    [...g!.kurtosis.subarray(0, 10)].sort((a, b) => a - b).slice(4, 6).reduce((a, b) => a + b) / 2,
    { rtol: 1e-15 },
  );
  // a looser threshold turns "not Gaussian" into a rejection-rate verdict
  assert.equal(summariseBatchNormality(h!, { kurtosis: 1e6 }).verdict, "approximately Gaussian");
});

Deno.test("holdsFrom: the smallest S from which the condition holds at every larger S", () => {
  assert.equal(holdsFrom([16, 32, 64, 128], [true, true, true, true]), 16);
  assert.equal(holdsFrom([16, 32, 64, 128], [false, true, false, true]), 128);
  assert.equal(holdsFrom([16, 32, 64, 128], [true, true, true, false]), undefined);
  assert.throws(() => holdsFrom([16, 8], [true, true]), /sizes must increase, got 16 then 8/);
  assert.throws(() => holdsFrom([16, 32], [true]), /holds must be an array of 2 booleans/);
});

Deno.test("batchMeanNormality / summariseBatchNormality: bad input names the argument and value", () => {
  const pop = exponentialPopulation(9, 20, 2);
  const prng = createPrng(1);
  assert.throws(
    () => batchMeanNormality(pop, { batchSizes: [20], batches: 10, prng }),
    /batchSizes\[0\] must be an integer in \[1, 19\], got 20/,
  );
  assert.throws(
    () => batchMeanNormality(pop, { batchSizes: [2], batches: 7, prng }),
    /batches must be an integer >= 8, got 7/,
  );
  const flat = { rows: 20, cols: 2, data: pop.data.map((v, i) => (i % 2 ? 1 : v)) };
  assert.throws(
    () => batchMeanNormality(flat, { batchSizes: [2], batches: 10, prng }),
    /population column 1 must vary/,
  );
  const nan = { rows: 20, cols: 2, data: pop.data.map((v, i) => (i === 5 ? NaN : v)) };
  assert.throws(
    () => batchMeanNormality(nan, { batchSizes: [2], batches: 10, prng }),
    /population/,
  );
  assert.throws(
    () =>
      batchMeanNormality({ rows: 3, cols: 1, data: new Float64Array(3) }, {
        batchSizes: [1],
        batches: 10,
        prng,
      }),
    /population must have at least 4 rows, got 3/,
  );
  assert.throws(() => batchMeanNormality(pop, null as never), TypeError);
  const [row] = batchMeanNormality(pop, { batchSizes: [2], batches: 10, prng });
  assert.throws(() => summariseBatchNormality(row!, { kurtosis: -1 }), /kurtosis/);
  assert.throws(() => summariseBatchNormality(row!, { level: 1 }), /level/);
  assert.throws(() => summariseBatchNormality(row!, { columns: [1, 1] }), /columns\[1\]/);
});

Deno.test("seriesNormality: the statistics of batchMeanNormality on given series; bad input named", () => {
  const pop = exponentialPopulation(11, 100, 3);
  const [r] = batchMeanNormality(pop, { batchSizes: [7], batches: 40, prng: createPrng(12) });
  const again = seriesNormality(7, r!.series, r!.predicted);
  assert.deepEqual(again, r);
  // an infinite prediction (a stable law) survives the summary's medians
  const inf = seriesNormality(7, r!.series, new Float64Array(3).fill(Infinity));
  assert.equal(summariseBatchNormality(inf).medianPredicted, Infinity);
  assert.throws(() => seriesNormality(7, r!.series, [0, 0]), /predicted must have 3 values, got 2/);
  assert.throws(
    () => seriesNormality(7, r!.series, [0, NaN, 0]),
    /predicted\[1\] must be a number/,
  );
  assert.throws(
    () => seriesNormality(0, r!.series, r!.predicted),
    /S must be an integer >= 1, got 0/,
  );
  const short = { rows: 7, cols: 1, data: new Float64Array(7).map((_, i) => i) };
  assert.throws(() => seriesNormality(7, short, [0]), /series.rows must be an integer in \[8/);
  // a column with no spread (a functional nonzero for one example that no batch drew) is a point
  // mass: κ̂ = +∞ and both tests reject; the summary's medians stay defined
  const flat = {
    rows: 8,
    cols: 2,
    data: Float64Array.from({ length: 16 }, (_, i) => (i % 2 ? i : -0.5)),
  };
  const f = seriesNormality(7, flat, [0, 0]);
  assert.deepEqual([f.kurtosis[0], f.adPValues[0], f.jbPValues[0]], [Infinity, 0, 0]);
  assert.ok(Number.isFinite(f.kurtosis[1]!));
  const sf = summariseBatchNormality(f);
  assert.equal(sf.adRate, f.adPValues[1]! < 0.05 ? 1 : 0.5);
  assert.ok(!Number.isNaN(sf.medianAbsKurtosis) && sf.quantiles.every((q) => !Number.isNaN(q)));
  const sparse = new Float64Array(1000);
  sparse[3] = 1; // one example of 1000: batches of 4 miss it with probability 0.996
  const [sp] = batchMeanNormality({ rows: 1000, cols: 1, data: sparse }, {
    batchSizes: [4],
    batches: 20,
    prng: createPrng(13),
  });
  assert.equal(sp!.kurtosis[0], Infinity);
  assert.equal(summariseBatchNormality(sp!).verdict, "not Gaussian");
});
