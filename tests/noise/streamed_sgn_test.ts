import assert from "node:assert/strict";
import { streamedSgnShape } from "../../lib/noise/streamed_sgn.ts";
import { batchMeanKurtosis, centralMoments } from "../../lib/stats/sample_moments.ts";
import { createPrng, randomOrthonormalBasis, samplePermutation } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";
import { all, leastSquares } from "./_fixtures.ts";

/** A least-squares population away from θ* (heavy residuals), its float32 per-example rows as a source. */
function population(n: number, d: number) {
  const { oracle } = leastSquares(80, n, d, 1);
  oracle.setParams(new Float64Array(d));
  const rows = Float32Array.from(oracle.perExampleGradients(all(n)).data);
  let calls = 0;
  const source = {
    size: n,
    dim: d,
    rows: (lo: number, hi: number) => {
      calls++;
      return Promise.resolve(rows.slice(lo * d, hi * d));
    },
  };
  return { rows, source, calls: () => calls };
}

Deno.test("streamedSgnShape: SGN vectors, moments and followed values equal a direct computation from the rows", async () => {
  const n = 150, d = 120, S = [4, 30], k = 3, m = 2, cand = 6;
  const { rows, source, calls } = population(n, d);
  const r = await streamedSgnShape(source, {
    batchSizes: S,
    batches: 400,
    coordinates: k,
    projections: m,
    candidates: cand,
    resamples: 20,
    chunk: 7,
    prng: createPrng(81),
  });
  assert.equal(calls(), Math.ceil(n / 7));
  // replay the documented draws: directions, candidates, one minibatch per S
  const prng = createPrng(81);
  const basis = randomOrthonormalBasis(prng, m, d);
  const candidates = samplePermutation(prng, d, cand);
  const batches = S.map((s) => samplePermutation(prng, n, s));
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += rows[i * d + j]! / n;
  // every coordinate is noisy here: the followed ones are the first k candidates
  assert.deepEqual([...r.coordinates], [...candidates.subarray(0, k)]);
  assert.equal(r.live.length, d);
  batches.forEach((idx, b) => {
    const u = new Float64Array(d);
    for (const i of idx) for (let j = 0; j < d; j++) u[j]! += rows[i * d + j]! / S[b]!;
    const want = Float32Array.from(u, (v, j) => Math.abs(v - mean[j]!));
    // float64 sums in another order, then float32: relative 1e-6 of the largest entry
    assertAllClose(r.magnitudes[b]!, want, { rtol: 1e-5, atol: 1e-6 * Math.max(...want) });
  });
  const norms = Float64Array.from(
    { length: n },
    (_, i) => Math.hypot(...rows.subarray(i * d, (i + 1) * d)),
  );
  assertAllClose(r.exampleNorms, norms, { rtol: 1e-6 });
  assertAllClose([r.meanNorm], [Math.hypot(...mean)], { rtol: 1e-9 });
  let trace = 0;
  for (let j = 0; j < d; j++) {
    let v = 0;
    for (let i = 0; i < n; i++) v += (rows[i * d + j]! - mean[j]!) ** 2 / n;
    trace += v;
  }
  assertAllClose([r.traceSigma], [trace], { rtol: 1e-9 });
  // across batches: the predicted kurtosis is the finite-population formula of each functional's values
  const functional = (q: number) =>
    Float64Array.from({ length: n }, (_, i) => {
      const g = rows.subarray(i * d, (i + 1) * d);
      if (q < k) return g[r.coordinates[q]!]!;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += basis.data[(q - k) * d + j]! * g[j]!;
      return dot;
    });
  r.rows.forEach((row, b) => {
    assert.equal(row.S, S[b]);
    assert.equal(row.param.z.length, d);
    for (let q = 0; q < k + m; q++) {
      assertAllClose([row.batch.predicted[q]!], [
        batchMeanKurtosis(S[b]!, n, centralMoments(functional(q))),
      ], {
        rtol: 1e-9,
        atol: 1e-12,
      });
    }
  });
});

Deno.test("streamedSgnShape: the chunk size changes no number", async () => {
  const { source } = population(90, 110);
  const run = (chunk: number) =>
    streamedSgnShape(source, {
      batchSizes: [5],
      batches: 60,
      coordinates: 2,
      projections: 1,
      resamples: 20,
      chunk,
      prng: createPrng(82),
      controlPrng: createPrng(83),
    });
  const json = (x: unknown) =>
    JSON.stringify(x, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
  assert.equal(json(await run(1)), json(await run(64)));
});

Deno.test("streamedSgnShape: bad input and bad rows are errors naming the argument", async () => {
  const { source } = population(30, 110);
  const base = {
    batchSizes: [4],
    batches: 20,
    coordinates: 2,
    resamples: 20,
    prng: createPrng(84),
  };
  await assert.rejects(
    () => streamedSgnShape(source, { ...base, batchSizes: [30] }),
    /batchSizes\[0\]/,
  );
  await assert.rejects(() => streamedSgnShape(source, { ...base, candidates: 1 }), /candidates/);
  await assert.rejects(() => streamedSgnShape(source, { ...base, batches: 3 }), /batches/);
  const short = { ...source, rows: () => Promise.resolve(new Float32Array(3)) };
  await assert.rejects(() => streamedSgnShape(short, base), /returned 3 numbers, expected/);
  const bad = {
    ...source,
    rows: (lo: number, hi: number) => Promise.resolve(new Float32Array((hi - lo) * 110).fill(NaN)),
  };
  await assert.rejects(() => streamedSgnShape(bad, base), /example 0 is not finite/);
  // a coordinate with no noise is never followed: too few noisy candidates is an error
  const flat = {
    ...source,
    rows: (lo: number, hi: number) => Promise.resolve(new Float32Array((hi - lo) * 110).fill(1)),
  };
  await assert.rejects(() => streamedSgnShape(flat, base), /only 0 of 8 candidates are noisy/);
});
