import assert from "node:assert/strict";
import { sgnShape, trimmedTailIndexInterval } from "../../lib/noise/sgn_shape.ts";
import { estimateTailIndex, subsampledTailIndexInterval } from "../../lib/stats/tail_index.ts";
import { batchMeanKurtosis, centralMoments } from "../../lib/stats/sample_moments.ts";
import { createPrng, randomOrthonormalBasis, sampleStable } from "../../lib/stats/random.ts";
import { projectPerExampleGradients } from "../../lib/noise/per_example.ts";
import { assertAllClose, meanSd } from "../_assert.ts";
import { all, leastSquares } from "./_fixtures.ts";

Deno.test("trimmedTailIndexInterval: the subsampling interval (m = ⌈n^{2/3}⌉) with block size ⌊√n⌋", () => {
  const z = sampleStable(createPrng(1), 1013, { alpha: 1.5 }); // 1013 is prime: no divisor to use
  const r = trimmedTailIndexInterval(z, { prng: createPrng(2), resamples: 30 });
  const expected = subsampledTailIndexInterval(z, { prng: createPrng(2), resamples: 30 });
  assert.deepEqual(r, expected);
  assert.equal(r.blockSize, 31);
  assert.equal(r.subsample, 101);
  assert.equal(r.estimate, estimateTailIndex(z.subarray(0, 31 * 32), { blockSize: 31 }));
  assert.equal(trimmedTailIndexInterval(z, { prng: createPrng(2) }).resamples, 200);
});

Deno.test("sgnShape: across-batch excess kurtosis of coordinates and projections matches the finite-population prediction; shapes and draws as documented", () => {
  const n = 200, d = 120, S = [5, 50], B = 3000, k = 3, m = 2;
  const { oracle } = leastSquares(70, n, d, 1);
  oracle.setParams(new Float64Array(d)); // away from θ*: large residuals, heavy-tailed g_i
  const options = { batchSizes: S, batches: B, coordinates: k, projections: m, resamples: 20 };
  const r = sgnShape(oracle, { ...options, prng: createPrng(71) });
  assert.deepEqual([...r.live], all(d));
  assert.equal(r.coordinates.length, k);
  assert.equal(r.projections, m);
  assert.equal(new Set(r.coordinates).size, k);
  const g = oracle.perExampleGradients(all(n));
  r.rows.forEach((row, q) => {
    assert.equal(row.S, S[q]);
    assert.equal(row.param.z.length, d);
    assert.equal(row.batch.z.length, k * B);
    assert.equal(row.batch.kurtosis.length, k + m);
    assert.equal(row.batch.summary.coordinates.count, k);
    assert.equal(row.batch.summary.projections!.count, m);
    const { mean, sd } = meanSd(row.param.z);
    assertAllClose([mean, sd], [0, 1], { atol: 1e-12 });
    // the prediction, recomputed here from the per-example gradients of the followed coordinates
    const kappa = [...r.coordinates].map((j) =>
      batchMeanKurtosis(row.S, n, centralMoments(all(n).map((i) => g.data[i * d + j]!)))
    );
    assertAllClose(row.batch.predicted.subarray(0, k), kappa, { rtol: 1e-12 });
    // sample excess kurtosis of B draws has sd ≈ √(24/B) for near-Gaussian data (more for heavier
    // tails: up to ~2.5× here at S = 5); 5 Gaussian sd on the median over coordinates and on each
    // projection, which mixes all 120 coordinates and is closer to Gaussian
    assertAllClose(
      row.batch.summary.coordinates.medianKurtosis,
      row.batch.summary.coordinates.medianPredicted,
      { atol: 5 * Math.sqrt(24 / B) },
    );
    assertAllClose(row.batch.kurtosis.subarray(k), row.batch.predicted.subarray(k), {
      atol: 5 * Math.sqrt(24 / B),
    });
    assert.ok(row.batch.adPValues.every((v) => v >= 0 && v <= 1));
  });
  // projections are predicted from g_i projected on unit vectors: at S = 5 heavy-tailed, not 0
  assert.ok(r.rows[0]!.batch.predicted.subarray(k).every((v) => v > 0.05));
  // the basis is the first draw of prng; the one-pass projections equal projectPerExampleGradients'
  const basis = randomOrthonormalBasis(createPrng(71), m, d);
  const proj = projectPerExampleGradients(oracle, [basis]).rows[0]!;
  const expected = Array.from({ length: m }, (_, q) =>
    batchMeanKurtosis(
      S[0]!,
      n,
      centralMoments(all(n).map((i) => proj.data[i * m + q]!)),
    ));
  assertAllClose(r.rows[0]!.batch.predicted.subarray(k), expected, { rtol: 1e-9 });
  // same seed, same numbers
  const again = sgnShape(oracle, { ...options, prng: createPrng(71) });
  assert.deepEqual(again.rows[1]!.batch.z, r.rows[1]!.batch.z);
  assert.deepEqual(again.rows[0]!.param.alpha, r.rows[0]!.param.alpha);
  assert.deepEqual(again.rows[0]!.batch.kurtosis, r.rows[0]!.batch.kurtosis);
});

Deno.test("sgnShape: bad input names the argument and value", () => {
  const { oracle } = leastSquares(72, 20, 3, 1);
  const prng = createPrng(73);
  assert.throws(
    () => sgnShape(oracle, { batchSizes: [2], batches: 10, coordinates: 4, prng }),
    /coordinates must be <= the 3 noisy coordinates, got 4/,
  );
  assert.throws(
    () => sgnShape(oracle, { batchSizes: [2], batches: 1, coordinates: 1, prng }),
    /batches must be an integer >= 8, got 1/,
  );
  assert.throws(
    () => sgnShape(oracle, { batchSizes: [21], batches: 10, coordinates: 1, prng }),
    /batchSizes\[0\] must be an integer in \[1, 19\], got 21/,
  );
  assert.throws(
    () => sgnShape(oracle, { batchSizes: [4, 2], batches: 10, coordinates: 1, prng }),
    /sizes must increase, got 4 then 2/,
  );
  assert.throws(
    () => sgnShape(oracle, { batchSizes: [2], batches: 10, coordinates: 1, projections: 4, prng }),
    /projections must be an integer in \[0, 3\], got 4/,
  );
});

Deno.test("sgnShape: the negative control is Gaussian with the measured scales, drawn apart from every other draw", () => {
  const n = 300, d = 400;
  const { oracle } = leastSquares(72, n, d, 1);
  oracle.setParams(new Float64Array(d));
  const base = { batchSizes: [10], batches: 400, coordinates: 20, projections: 4, resamples: 30 };
  const without = sgnShape(oracle, { ...base, prng: createPrng(5) });
  const withCtl = sgnShape(oracle, { ...base, prng: createPrng(5), controlPrng: createPrng(6) });
  // the control changes nothing else, and is absent without its prng
  assert.equal(without.rows[0]!.param.control, undefined);
  assert.deepEqual(withCtl.rows[0]!.param.alpha, without.rows[0]!.param.alpha);
  assert.deepEqual(withCtl.rows[0]!.batch.z, without.rows[0]!.batch.z);
  const ctl = withCtl.rows[0]!.param.control!;
  // it is the estimator run on N(0, factor·Σ_jj) draws: with the same draws made here, identical
  const again = sgnShape(oracle, { ...base, prng: createPrng(5), controlPrng: createPrng(6) });
  assert.deepEqual(again.rows[0]!.param.control, ctl);
  // finite variance: the estimate sits near 2 (block-sum estimator on 400 Gaussian values; the
  // interval is wide, so only a loose band is a fair check), well above a stable α = 1.2 sample's
  assert.ok(ctl.estimate > 1.5 && ctl.estimate < 2.4, JSON.stringify(ctl));
  // the across-batch control: 400 α = 1.8 stable draws per series (infinite kurtosis; the sample
  // value is large); the Gaussian reference's median |κ̂| is the B = 400 noise floor (≈ 0.16)
  const bc = withCtl.rows[0]!.batch.control!, gr = withCtl.rows[0]!.batch.gaussian!;
  assert.ok(bc.coordinates.medianAbsKurtosis > 1, JSON.stringify(bc.coordinates));
  assert.equal(bc.coordinates.verdict, "not Gaussian");
  assert.equal(bc.coordinates.medianPredicted, Infinity);
  assert.ok(gr.coordinates.medianAbsKurtosis < 0.35, JSON.stringify(gr.coordinates));
  assert.equal(gr.coordinates.medianPredicted, 0);
  assert.equal(gr.projections!.count, 4);
  assert.equal(without.rows[0]!.batch.control, undefined);
  assert.equal(without.rows[0]!.batch.gaussian, undefined);
  assert.deepEqual(withCtl.rows[0]!.batch.kurtosis, without.rows[0]!.batch.kurtosis);
  assert.throws(
    () => sgnShape(oracle, { ...base, prng: createPrng(5), controlPrng: 3 as never }),
    /controlPrng must be a function/,
  );
});
