import assert from "node:assert/strict";
import { LeastSquaresOracle } from "../../lib/noise/oracle.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";
import { sampleSgn, sampleSgnRows } from "../../lib/noise/sgn.ts";
import {
  empiricalSgnCovariance,
  exactSgnCovariance,
  projectRows,
} from "../../lib/noise/covariance.ts";
import { randomOrthonormalBasis } from "../../lib/stats/random.ts";
import { all, leastSquares as lsqProblem } from "./_fixtures.ts";
import { assertAllClose } from "../_assert.ts";

function leastSquares(seed: number, n: number, d: number): LeastSquaresOracle {
  const prng = createPrng(seed);
  const x = { rows: n, cols: d, data: sampleNormal(prng, n * d) };
  return new LeastSquaresOracle(x, sampleNormal(prng, n), sampleNormal(prng, d));
}

/** (1/S)(N − S)/(N − 1)·Σ, Σ the population covariance of the N per-example gradients. */
function closedFormCovariance(o: LeastSquaresOracle, s: number): number[][] {
  const n = o.size, d = o.dim;
  const g = o.perExampleGradients(Array.from({ length: n }, (_, i) => i)).data;
  const mean = Array.from({ length: d }, (_, j) => {
    let m = 0;
    for (let i = 0; i < n; i++) m += g[i * d + j]!;
    return m / n;
  });
  const factor = (n - s) / ((n - 1) * s);
  return mean.map((_, a) =>
    mean.map((__, b) => {
      let c = 0;
      for (let i = 0; i < n; i++) c += (g[i * d + a]! - mean[a]!) * (g[i * d + b]! - mean[b]!);
      return (factor * c) / n;
    })
  );
}

/**
 * Mean of u·v over B draws and its standard error sd(u·v)/√B (products of a
 * zero-mean vector's coordinates: an unbiased covariance estimate).
 */
function meanProduct(u: Float64Array, v: Float64Array): { mean: number; se: number } {
  const b = u.length;
  let m = 0;
  for (let t = 0; t < b; t++) m += u[t]! * v[t]!;
  m /= b;
  let ss = 0;
  for (let t = 0; t < b; t++) ss += (u[t]! * v[t]! - m) ** 2;
  return { mean: m, se: Math.sqrt(ss / (b - 1) / b) };
}

Deno.test("sampleSgn: across-batch mean is 0 and covariance is (1/S)(N−S)/(N−1)·Σ within 5 standard errors", () => {
  const o = leastSquares(1, 50, 3);
  const batches = 10_000;
  for (const s of [1, 5, 20, 40]) {
    const sgn = sampleSgn(o, {
      batchSize: s,
      batches,
      prng: createPrng(100 + s),
      coordinates: [0, 1, 2],
      projections: 2,
    });
    const series = [0, 1, 2].map((c) =>
      sgn.coordinateSeries.subarray(c * batches, (c + 1) * batches)
    );
    const cov = closedFormCovariance(o, s);
    for (let a = 0; a < 3; a++) {
      // mean: sample mean within 5 standard errors sd/√B of 0
      const { mean, se } = meanProduct(series[a]!, new Float64Array(batches).fill(1));
      assert.ok(Math.abs(mean) <= 5 * se, `S ${s}: mean[${a}] ${mean}, se ${se}`);
      for (let c = 0; c < 3; c++) {
        // covariance: E[U_a U_c] estimated by the mean of products, 5 standard errors
        const est = meanProduct(series[a]!, series[c]!);
        assert.ok(
          Math.abs(est.mean - cov[a]![c]!) <= 5 * est.se,
          `S ${s}: cov[${a}][${c}] ${est.mean} vs closed form ${cov[a]![c]} (se ${est.se})`,
        );
      }
    }
    // projections: Var⟨U, v⟩ = vᵀ C v
    for (let r = 0; r < 2; r++) {
      const v = sgn.directions.subarray(r * 3, r * 3 + 3);
      let expected = 0;
      for (let a = 0; a < 3; a++) {
        for (let c = 0; c < 3; c++) expected += v[a]! * cov[a]![c]! * v[c]!;
      }
      const p = sgn.projectionSeries.subarray(r * batches, (r + 1) * batches);
      const est = meanProduct(p, p);
      assert.ok(Math.abs(est.mean - expected) <= 5 * est.se, `S ${s}: projection ${r}`);
    }
  }
});

Deno.test("sampleSgn: the finite-population factor is needed (without it, S = 40 of N = 50 fails)", () => {
  // guards the test above against being unable to fail: with-replacement
  // covariance Σ/S is 49/10 ≈ 4.9 times the true one at S = 40, N = 50
  const o = leastSquares(1, 50, 3);
  const batches = 10_000;
  const sgn = sampleSgn(o, { batchSize: 40, batches, prng: createPrng(7), coordinates: [0] });
  const est = meanProduct(sgn.coordinateSeries, sgn.coordinateSeries);
  const withReplacement = closedFormCovariance(o, 40)[0]![0]! * (49 / 10);
  assert.ok(Math.abs(est.mean - withReplacement) > 5 * est.se);
});

Deno.test("sampleSgn: batches are S distinct examples, each included with probability S/N", () => {
  const o = leastSquares(2, 30, 2);
  const seen: number[][] = [];
  const spy = Object.create(o) as LeastSquaresOracle;
  spy.batchGradient = (idx: ArrayLike<number>) => {
    seen.push(Array.from(idx));
    return o.batchGradient(idx);
  };
  const batches = 3000, s = 6;
  // the full gradient is passed in, so every batchGradient call is a minibatch
  sampleSgn(spy, { batchSize: s, batches, prng: createPrng(3), fullGradient: o.fullGradient() });
  assert.equal(seen.length, batches);
  const counts = new Float64Array(30);
  for (const idx of seen) {
    assert.equal(new Set(idx).size, s);
    for (const i of idx) counts[i]!++;
  }
  // inclusion count ~ Binomial(B, S/N): 5σ
  const p = s / 30, sd = Math.sqrt(batches * p * (1 - p));
  for (const c of counts) assert.ok(Math.abs(c - batches * p) <= 5 * sd, `count ${c}`);
});

Deno.test("sampleSgn: norms, coordinates, projections, pooled and kept vectors are consistent", () => {
  const o = leastSquares(4, 40, 6);
  const batches = 25;
  const sgn = sampleSgn(o, {
    batchSize: 7,
    batches,
    prng: createPrng(5),
    coordinates: 3,
    projections: 4,
    pooledVectors: 2,
    keepVectors: true,
  });
  const vectors = sgn.vectors!;
  assert.equal(vectors.length, batches * 6);
  assert.equal(sgn.coordinates.length, 3);
  assert.equal(new Set(sgn.coordinates).size, 3);
  assertAllClose(sgn.fullGradient, o.fullGradient(), { rtol: 0 });
  for (let r = 0; r < 4; r++) {
    const v = sgn.directions.subarray(r * 6, r * 6 + 6);
    assertAllClose(v.reduce((a, x) => a + x * x, 0), 1, { rtol: 1e-14 });
  }
  for (let t = 0; t < batches; t++) {
    const u = vectors.subarray(t * 6, t * 6 + 6);
    assertAllClose(sgn.norms[t]!, Math.hypot(...u), { rtol: 1e-14 });
    sgn.coordinates.forEach((j, c) => assert.equal(sgn.coordinateSeries[c * batches + t], u[j]));
    for (let r = 0; r < 4; r++) {
      let dot = 0;
      for (let j = 0; j < 6; j++) dot += u[j]! * sgn.directions[r * 6 + j]!;
      assertAllClose(sgn.projectionSeries[r * batches + t]!, dot, { rtol: 1e-14, atol: 1e-16 });
    }
  }
  assert.deepEqual(sgn.pooled, vectors.slice(0, 12));
});

Deno.test("sampleSgn: U_b = batch gradient − full gradient (Eq. 5 sign), S = N gives U = 0", () => {
  const o = leastSquares(6, 20, 3);
  const seen: number[][] = [];
  const spy = Object.create(o) as LeastSquaresOracle;
  spy.batchGradient = (idx: ArrayLike<number>) => {
    seen.push(Array.from(idx));
    return o.batchGradient(idx);
  };
  const full = o.fullGradient();
  const sgn = sampleSgn(spy, {
    batchSize: 4,
    batches: 3,
    prng: createPrng(1),
    pooledVectors: 3,
    fullGradient: full,
  });
  seen.forEach((idx, t) => {
    const g = o.batchGradient(idx);
    assertAllClose(sgn.pooled.subarray(t * 3, t * 3 + 3), g.map((v, j) => v - full[j]!), {
      rtol: 0,
    });
  });
  const all = sampleSgn(o, { batchSize: 20, batches: 4, prng: createPrng(1) });
  const scale = Math.hypot(...full) + 1;
  for (const v of all.norms) assert.ok(v <= 1e-14 * scale, `norm ${v}`);
});

Deno.test("sampleSgn: reproducible; a precomputed full gradient gives the same numbers", () => {
  const o = leastSquares(8, 60, 4);
  const opts = { batchSize: 9, batches: 20, coordinates: 2, projections: 3, pooledVectors: 2 };
  const a = sampleSgn(o, { ...opts, prng: createPrng(11) });
  const b = sampleSgn(o, { ...opts, prng: createPrng(11), fullGradient: o.fullGradient() });
  assert.deepEqual(a, b);
  const c = sampleSgn(o, { ...opts, prng: createPrng(12) });
  assert.notDeepEqual(a.norms, c.norms);
});

Deno.test("sampleSgn: bad arguments name the argument and value", () => {
  const o = leastSquares(9, 10, 3);
  const prng = createPrng(1);
  assert.throws(() => sampleSgn(o, { batchSize: 11, batches: 5, prng }), {
    name: "RangeError",
    message: "batchSize must be an integer in [1, 10], got 11",
  });
  assert.throws(
    () => sampleSgn(o, { batchSize: 0, batches: 5, prng }),
    /batchSize must be an integer in \[1, 10\], got 0/,
  );
  assert.throws(
    () => sampleSgn(o, { batchSize: 2, batches: 1, prng }),
    /batches must be an integer >= 2, got 1/,
  );
  assert.throws(
    () => sampleSgn(o, { batchSize: 2, batches: 5, prng, fullGradient: [1, 2] }),
    /fullGradient must have length 3, got 2/,
  );
  assert.throws(
    () => sampleSgn(o, { batchSize: 2, batches: 5, prng, fullGradient: [1, NaN, 2] }),
    /fullGradient\[1\] must be finite, got NaN/,
  );
  assert.throws(
    () => sampleSgn(o, { batchSize: 2, batches: 5, prng, coordinates: [0, 3] }),
    /coordinates\[1\] must be an integer in \[0, 3\), got 3/,
  );
  assert.throws(
    () => sampleSgn(o, { batchSize: 2, batches: 5, prng, coordinates: 4 }),
    /coordinates must be an integer in \[0, 3\], got 4/,
  );
  assert.throws(
    () => sampleSgn(o, { batchSize: 2, batches: 5, prng, projections: -1 }),
    /projections must be an integer >= 0, got -1/,
  );
  assert.throws(
    () => sampleSgn(o, { batchSize: 2, batches: 5, prng, pooledVectors: 6 }),
    /pooledVectors must be an integer in \[0, 5\], got 6/,
  );
  const bad = Object.create(o) as LeastSquaresOracle;
  bad.batchGradient = () => new Float64Array([0, Infinity, 0]);
  assert.throws(
    () => sampleSgn(bad, { batchSize: 2, batches: 5, prng, fullGradient: [0, 0, 0] }),
    /batch 0: gradient\[1\] must be finite, got Infinity/,
  );
});

Deno.test("sampleSgnRows: the vectors of sampleSgn (same draws) from per-example rows; linear in the rows", () => {
  const n = 40, d = 5;
  const { oracle } = lsqProblem(40, n, d, 1);
  const opts = { batchSize: 7, batches: 30 };
  const { vectors } = sampleSgn(oracle, {
    ...opts,
    prng: createPrng(41),
    coordinates: 0,
    projections: 0,
    pooledVectors: 0,
    keepVectors: true,
  });
  const grads = oracle.perExampleGradients(all(n));
  const rows = sampleSgnRows(grads, { ...opts, prng: createPrng(41) });
  assert.equal(rows.rows, 30);
  assert.equal(rows.cols, d);
  // same indices, same sums in the same order up to the mean's rounding
  assertAllClose(rows.data, vectors!, { rtol: 1e-12, atol: 1e-14 });
  // projecting first is projecting after (V U_b from V g_i)
  const basis = randomOrthonormalBasis(createPrng(42), 2, d);
  const sub = sampleSgnRows(projectRows(grads, basis), { ...opts, prng: createPrng(41) });
  assertAllClose(sub.data, projectRows(rows, basis).data, { rtol: 1e-10, atol: 1e-13 });
  // S = N: every batch is the whole population, no noise; same seed, same numbers
  const whole = sampleSgnRows(grads, { batchSize: n, batches: 3, prng: createPrng(43) });
  assertAllClose(whole.data, new Float64Array(3 * d), { atol: 1e-13 });
  assert.deepEqual(sampleSgnRows(grads, { ...opts, prng: createPrng(41) }).data, rows.data);
});

Deno.test("sampleSgnRows: its covariance converges to the exact finite-population C within 5 sd", () => {
  const n = 12, s = 5, batches = 40000;
  const g = { rows: n, cols: 2, data: sampleNormal(createPrng(44), 2 * n) };
  const rows = sampleSgnRows(g, { batchSize: s, batches, prng: createPrng(45) });
  const c = empiricalSgnCovariance(rows), exact = exactSgnCovariance(g, s);
  for (let e = 0; e < 4; e++) {
    const a = Math.floor(e / 2), b = e % 2;
    // sd of the mean of U_a U_b over B batches, estimated from the draws; 5 sd
    let m1 = 0, m2 = 0;
    for (let r = 0; r < batches; r++) {
      const p = rows.data[r * 2 + a]! * rows.data[r * 2 + b]!;
      m1 += p / batches;
      m2 += (p * p) / batches;
    }
    assertAllClose(c.data[e]!, exact.data[e]!, { atol: 5 * Math.sqrt((m2 - m1 * m1) / batches) });
  }
});

Deno.test("sampleSgnRows: bad input names the argument and value", () => {
  const g = { rows: 3, cols: 2, data: new Float64Array(6) };
  const prng = createPrng(46);
  assert.throws(
    () => sampleSgnRows(g, { batchSize: 4, batches: 2, prng }),
    /batchSize must be an integer in \[1, 3\], got 4/,
  );
  assert.throws(
    () => sampleSgnRows(g, { batchSize: 0, batches: 2, prng }),
    /batchSize must be an integer in \[1, 3\], got 0/,
  );
  assert.throws(
    () => sampleSgnRows(g, { batchSize: 2, batches: 1, prng }),
    /batches must be an integer >= 2, got 1/,
  );
  const bad = { rows: 3, cols: 2, data: new Float64Array([0, 0, NaN, 0, 0, 0]) };
  assert.throws(
    () => sampleSgnRows(bad, { batchSize: 2, batches: 2, prng }),
    /perExampleRows.data\[2\] must be finite, got NaN/,
  );
});
