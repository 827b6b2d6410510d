import assert from "node:assert/strict";
import { sgnShape, trimmedTailIndexInterval } from "../../lib/noise/sgn_shape.ts";
import { batchMeanKurtosis, centralMoments } from "../../lib/stats/sample_moments.ts";
import { createPrng, sampleStable } from "../../lib/stats/random.ts";
import { tailIndexInterval } from "../../lib/stats/tail_index.ts";
import { assertAllClose, meanSd } from "../_assert.ts";
import { all, leastSquares } from "./_fixtures.ts";

Deno.test("trimmedTailIndexInterval: tailIndexInterval with block size ⌊√n⌋ on the first ⌊√n⌋·⌊n/⌊√n⌋⌋ values", () => {
  const z = sampleStable(createPrng(1), 1013, { alpha: 1.5 }); // 1013 is prime: no divisor to use
  const r = trimmedTailIndexInterval(z, { prng: createPrng(2), resamples: 30 });
  const expected = tailIndexInterval(z.subarray(0, 31 * 32), {
    prng: createPrng(2),
    resamples: 30,
    blockSize: 31,
  });
  assert.deepEqual(r, expected);
  assert.equal(trimmedTailIndexInterval(z, { prng: createPrng(2) }).resamples, 200);
});

Deno.test("sgnShape: across-batch excess kurtosis matches the finite-population prediction; shapes and draws as documented", () => {
  const n = 200, d = 120, S = [5, 50], B = 3000, k = 3;
  const { oracle } = leastSquares(70, n, d, 1);
  oracle.setParams(new Float64Array(d)); // away from θ*: large residuals, heavy-tailed g_i
  const r = sgnShape(oracle, {
    batchSizes: S,
    batches: B,
    coordinates: k,
    resamples: 20,
    prng: createPrng(71),
  });
  assert.deepEqual([...r.live], all(d));
  assert.equal(r.coordinates.length, k);
  assert.equal(new Set(r.coordinates).size, k);
  const g = oracle.perExampleGradients(all(n));
  r.rows.forEach((row, q) => {
    assert.equal(row.S, S[q]);
    assert.equal(row.param.z.length, d);
    assert.equal(row.batch.z.length, k * B);
    assert.equal(row.batch.tests.length, k);
    const { mean, sd } = meanSd(row.param.z);
    assertAllClose([mean, sd], [0, 1], { atol: 1e-12 });
    // the prediction, recomputed here from the per-example gradients of the followed coordinates
    const kappa = [...r.coordinates].map((j) =>
      batchMeanKurtosis(row.S, n, centralMoments(all(n).map((i) => g.data[i * d + j]!)))
    ).sort((a, b) => a - b);
    assertAllClose(row.batch.predicted, kappa[1]!, { rtol: 1e-12 });
    // sample excess kurtosis of B draws has sd ≈ √(24/B) for near-Gaussian data; 5 sd
    assertAllClose(row.batch.kurtosis, row.batch.predicted, { atol: 5 * Math.sqrt(24 / B) });
    assert.ok(row.batch.adjusted.ad >= 0 && row.batch.adjusted.ad <= 1);
  });
  // same seed, same numbers
  const again = sgnShape(oracle, {
    batchSizes: S,
    batches: B,
    coordinates: k,
    resamples: 20,
    prng: createPrng(71),
  });
  assert.deepEqual(again.rows[1]!.batch.z, r.rows[1]!.batch.z);
  assert.deepEqual(again.rows[0]!.param.alpha, r.rows[0]!.param.alpha);
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
    /batches must be an integer >= 2, got 1/,
  );
  assert.throws(
    () => sgnShape(oracle, { batchSizes: [21], batches: 10, coordinates: 1, prng }),
    /batchSizes\[0\] must be an integer in \[1, 20\], got 21/,
  );
});

Deno.test("sgnShape: the negative control is Gaussian with the measured scales, drawn apart from every other draw", () => {
  const n = 300, d = 400;
  const { oracle } = leastSquares(72, n, d, 1);
  oracle.setParams(new Float64Array(d));
  const base = { batchSizes: [10], batches: 60, coordinates: 2, resamples: 30 };
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
  // the across-batch control: α = 1.8 stable draws have infinite kurtosis; the sample value is large
  const bc = withCtl.rows[0]!.batch.control!;
  assert.ok(bc > 1, `median excess kurtosis of the stable surrogate ${bc}`);
  assert.equal(without.rows[0]!.batch.control, undefined);
  assert.throws(
    () => sgnShape(oracle, { ...base, prng: createPrng(5), controlPrng: 3 as never }),
    /controlPrng must be a function/,
  );
});
