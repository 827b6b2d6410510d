import assert from "node:assert/strict";
import { Matrix, solve } from "ml-matrix";
import {
  empiricalSgnCovariance,
  exactSgnCovariance,
  fisherCovariance,
  projectRows,
} from "../../lib/noise/covariance.ts";
import { compareCovariance } from "../../lib/noise/covariance_comparison.ts";
import { sampleSgn } from "../../lib/noise/sgn.ts";
import { LeastSquaresOracle, LogisticRegressionOracle } from "../../lib/noise/oracle.ts";
import type { RowMatrix } from "../../lib/stats/matrix.ts";
import {
  createPrng,
  type Prng,
  randomOrthonormalBasis,
  sampleNormal,
  samplePermutation,
} from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";
import { all, flat, leastSquares, sym, toMatrix } from "./_fixtures.ts";

// ---------------------------------------------------------------- Fisher and exact covariance

Deno.test("fisherCovariance: (1/(S m)) GᵀG and its centred form, against ml-matrix", () => {
  const prng = createPrng(1);
  const g = { rows: 30, cols: 4, data: sampleNormal(prng, 120, 0.5, 1) };
  const gm = toMatrix(g), s = 8;
  const expected = gm.transpose().mmul(gm).div(s * 30);
  assertAllClose(fisherCovariance(g, s).data, flat(expected), { rtol: 1e-12, atol: 1e-15 });
  const mean = Matrix.rowVector(gm.mean("column"));
  const centred = expected.clone().sub(mean.transpose().mmul(mean).div(s));
  assertAllClose(fisherCovariance(g, s, { centred: true }).data, flat(centred), {
    rtol: 1e-10,
    atol: 1e-14,
  });
  // Float32 input is accepted
  const g32 = { rows: 30, cols: 4, data: Float32Array.from(g.data) };
  assertAllClose(fisherCovariance(g32, s).data, flat(expected), { rtol: 1e-6 });
});

/** Exact covariance of the minibatch mean by enumerating every batch (with equal probability). */
function enumeratedCovariance(g: RowMatrix, batches: number[][]): Float64Array {
  const d = g.cols, mean = new Float64Array(d), second = new Float64Array(d * d);
  for (const b of batches) {
    const m = new Float64Array(d);
    for (const i of b) for (let a = 0; a < d; a++) m[a]! += g.data[i * d + a]! / b.length;
    for (let a = 0; a < d; a++) {
      mean[a]! += m[a]! / batches.length;
      for (let c = 0; c < d; c++) second[a * d + c]! += (m[a]! * m[c]!) / batches.length;
    }
  }
  for (let a = 0; a < d; a++) for (let c = 0; c < d; c++) second[a * d + c]! -= mean[a]! * mean[c]!;
  return second;
}

function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (let i = k - 1; i < n; i++) for (const s of subsets(i, k - 1)) out.push([...s, i]);
  return out;
}

function tuples(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  return tuples(n, k - 1).flatMap((t) => all(n).map((i) => [...t, i]));
}

Deno.test("exactSgnCovariance: equals the covariance over all C(6,3) batches, and all 6³ with replacement", () => {
  const g = { rows: 6, cols: 3, data: sampleNormal(createPrng(2), 18) };
  assertAllClose(exactSgnCovariance(g, 3).data, enumeratedCovariance(g, subsets(6, 3)), {
    rtol: 1e-12,
    atol: 1e-15,
  });
  assertAllClose(
    exactSgnCovariance(g, 3, { replacement: true }).data,
    enumeratedCovariance(g, tuples(6, 3)),
    { rtol: 1e-12, atol: 1e-15 },
  );
  // S = N: the batch is the whole data set, no noise
  assert.deepEqual(exactSgnCovariance(g, 6).data, new Float64Array(9));
  // relation stated in the docs: exact = (N − S)/(N − 1) · centred Fisher over all N rows
  assertAllClose(
    exactSgnCovariance(g, 2).data,
    fisherCovariance(g, 2, { centred: true }).data.map((x) => (x * 4) / 5),
    { rtol: 1e-12, atol: 1e-15 },
  );
});

Deno.test("least squares at θ* with Gaussian noise: Fisher ≈ σ² H/S within sampling error", () => {
  const n = 2000, d = 4, sigma = 0.5, s = 32;
  const { oracle, x } = leastSquares(3, n, d, sigma);
  const grads = oracle.perExampleGradients(all(n));
  const f = fisherCovariance(grads, s), h = oracle.hessian();
  // S·F − σ²H = (σ²/N) Σ (ε_i² − 1) x_i x_iᵀ; given X, Var(ε²) = 2, so entry (a, b)
  // has sd σ² sqrt(2 Σ_i (x_ia x_ib)²)/N; tolerance 5 sd (divided by S here)
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let q = 0;
      for (let i = 0; i < n; i++) q += (x.data[i * d + a]! * x.data[i * d + b]!) ** 2;
      const sd = (sigma ** 2 * Math.sqrt(2 * q)) / n / s;
      assertAllClose(f.data[a * d + b]!, (sigma ** 2 * h[a * d + b]!) / s, { atol: 5 * sd });
    }
  }
  // the fitted scale is σ²: c − σ² = (σ²/N) Σ (ε_i² − 1) x_iᵀHx_i / ‖H‖_F², sd from Var(ε²) = 2
  const r = compareCovariance(f, { rows: d, cols: d, data: h }, s);
  let q = 0, hh = 0;
  for (let i = 0; i < n; i++) {
    let xhx = 0;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) xhx += x.data[i * d + a]! * h[a * d + b]! * x.data[i * d + b]!;
    }
    q += xhx ** 2;
  }
  for (const v of h) hh += v * v;
  assertAllClose(r.scale, sigma ** 2, { atol: (5 * sigma ** 2 * Math.sqrt(2 * q)) / n / hh });
});

// ---------------------------------------------------------------- empirical SGN covariance

/** SGN vectors U_b = ∇L̂_S − ∇L drawn here, independently of the library's sampler. */
function sgnRows(oracle: LeastSquaresOracle, prng: Prng, s: number, batches: number): RowMatrix {
  const d = oracle.dim, full = oracle.fullGradient(), out = new Float64Array(batches * d);
  for (let b = 0; b < batches; b++) {
    const g = oracle.batchGradient(samplePermutation(prng, oracle.size, s));
    for (let t = 0; t < d; t++) out[b * d + t] = g[t]! - full[t]!;
  }
  return { rows: batches, cols: d, data: out };
}

Deno.test("empiricalSgnCovariance: matches the exact (1/S)(N−S)/(N−1)Σ_pop within sampling error", () => {
  const n = 60, d = 3, s = 8, batches = 20000;
  const { oracle, thetaStar } = leastSquares(4, n, d, 1);
  oracle.setParams(thetaStar.map((t) => t + 0.5)); // away from θ*: the mean gradient is not zero
  const grads = oracle.perExampleGradients(all(n));
  // closed form, computed with ml-matrix: Σ_pop = (1/N) Σ (g − ḡ)(g − ḡ)ᵀ
  const gm = toMatrix(grads), mean = Matrix.rowVector(gm.mean("column"));
  const centred = gm.clone().subRowVector(mean.to1DArray());
  const exact = flat(centred.transpose().mmul(centred).div(n).mul((n - s) / (n - 1) / s));
  const fromOracle = empiricalSgnCovariance(oracle, { batchSize: s, batches, prng: createPrng(5) });
  // independent draws made here give both the rows-path estimate and the sampling sd
  const rows = sgnRows(oracle, createPrng(6), s, batches);
  const fromRows = empiricalSgnCovariance(rows);
  const um = toMatrix(rows);
  assertAllClose(fromRows.data, flat(um.transpose().mmul(um).div(batches)), {
    rtol: 1e-12,
    atol: 1e-15,
  });
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      // sd of the mean of U_a U_b over B batches, estimated from the independent rows; 5 sd
      let m1 = 0, m2 = 0;
      for (let r = 0; r < batches; r++) {
        const p = rows.data[r * d + a]! * rows.data[r * d + b]!;
        m1 += p / batches;
        m2 += (p * p) / batches;
      }
      const tol = 5 * Math.sqrt((m2 - m1 * m1) / batches);
      assertAllClose(fromOracle.data[a * d + b]!, exact[a * d + b]!, { atol: tol });
      assertAllClose(fromRows.data[a * d + b]!, exact[a * d + b]!, { atol: tol });
    }
  }
  assert.deepEqual(exactSgnCovariance(grads, s).data.length, 9);
  assertAllClose(exactSgnCovariance(grads, s).data, exact, { rtol: 1e-12, atol: 1e-15 });
});

Deno.test("empiricalSgnCovariance: centred form is (1/(B−1)) Σ (U − Ū)(U − Ū)ᵀ and shift invariant", () => {
  const rows = { rows: 50, cols: 3, data: sampleNormal(createPrng(7), 150) };
  const um = toMatrix(rows), mean = um.mean("column");
  const c = um.clone().subRowVector(mean);
  const expected = flat(c.transpose().mmul(c).div(49));
  const got = empiricalSgnCovariance(rows, { centred: true });
  assertAllClose(got.data, expected, { rtol: 1e-10, atol: 1e-14 });
  const shifted = { ...rows, data: rows.data.map((x, i) => x + [10, -3, 7][i % 3]!) };
  assertAllClose(empiricalSgnCovariance(shifted, { centred: true }).data, expected, {
    rtol: 1e-9,
    atol: 1e-12,
  });
});

Deno.test("empiricalSgnCovariance: the subspace version equals V Ĉ Vᵀ for the same draws", () => {
  const { oracle } = leastSquares(8, 80, 6, 0.3);
  const basis = randomOrthonormalBasis(createPrng(9), 2, 6);
  const opts = { batchSize: 10, batches: 300 };
  const full = empiricalSgnCovariance(oracle, { ...opts, prng: createPrng(10) });
  const sub = empiricalSgnCovariance(oracle, { ...opts, prng: createPrng(10), basis });
  const v = toMatrix(basis);
  const expected = flat(v.mmul(toMatrix(full)).mmul(v.transpose()));
  assert.equal(sub.rows, 2);
  assertAllClose(sub.data, expected, { rtol: 1e-10, atol: 1e-15 });
  // same seed, same numbers
  assert.deepEqual(
    empiricalSgnCovariance(oracle, { ...opts, prng: createPrng(10) }).data,
    full.data,
  );
});

Deno.test("empiricalSgnCovariance: uses sampleSgn's draws; chunked sampling at large dim as documented", () => {
  const { oracle } = leastSquares(30, 50, 4, 1);
  const opts = { batchSize: 5, batches: 40 };
  const { vectors } = sampleSgn(oracle, {
    ...opts,
    prng: createPrng(31),
    coordinates: 0,
    projections: 0,
    pooledVectors: 0,
    keepVectors: true,
  });
  const fromRows = empiricalSgnCovariance({ rows: 40, cols: 4, data: vectors! });
  assert.deepEqual(
    empiricalSgnCovariance(oracle, { ...opts, prng: createPrng(31) }).data,
    fromRows.data,
  );
  // dim = 2^18: chunks of ⌊2^21/dim⌋ = 8 batches; B = 17 → chunks of 8 and 9 (no chunk of 1)
  const dim = 2 ** 18, n = 4, prng = createPrng(32);
  const big = new LeastSquaresOracle({ rows: n, cols: dim, data: sampleNormal(prng, n * dim) }, [
    1,
    2,
    3,
    4,
  ]);
  const basis = randomOrthonormalBasis(prng, 2, dim);
  const got = empiricalSgnCovariance(big, {
    batchSize: 2,
    batches: 17,
    prng: createPrng(33),
    basis,
  });
  const stream = createPrng(33), full = big.fullGradient(), projected: number[] = [];
  for (const count of [8, 9]) {
    const s = sampleSgn(big, {
      batchSize: 2,
      batches: count,
      prng: stream,
      fullGradient: full,
      coordinates: 0,
      projections: 0,
      pooledVectors: 0,
      keepVectors: true,
    });
    projected.push(...projectRows({ rows: count, cols: dim, data: s.vectors! }, basis).data);
  }
  const pm = toMatrix({ rows: 17, cols: 2, data: Float64Array.from(projected) });
  assertAllClose(got.data, flat(pm.transpose().mmul(pm).div(17)), { rtol: 1e-12, atol: 1e-15 });
});

// ---------------------------------------------------------------- logistic regression at the MLE

Deno.test("logistic regression at the MLE (Newton): Fisher equals the Hessian within sampling error", () => {
  const n = 3000, d = 3, prng = createPrng(11);
  const x = { rows: n, cols: d, data: sampleNormal(prng, n * d) };
  const thetaTrue = [1, -0.5, 0.3];
  // labels sampled from the model: well specified
  const y = Float64Array.from({ length: n }, (_, i) => {
    let z = 0;
    for (let j = 0; j < d; j++) z += x.data[i * d + j]! * thetaTrue[j]!;
    return prng() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  });
  const o = new LogisticRegressionOracle(x, y);
  let theta = new Float64Array(d);
  for (let it = 0; it < 50; it++) {
    o.setParams(theta);
    const g = o.fullGradient();
    if (Math.hypot(...g) < 1e-13) break;
    const step = solve(
      toMatrix({ rows: d, cols: d, data: o.hessian() }),
      Matrix.columnVector([...g]),
    );
    theta = theta.map((t, j) => t - step.get(j, 0));
  }
  o.setParams(theta);
  assert.ok(Math.hypot(...o.fullGradient()) < 1e-12, "Newton converged");
  const f = fisherCovariance(o.perExampleGradients(all(n)), 1), h = o.hessian();
  // F − H = (1/N) Σ ((y_i − p_i)² − p_i(1 − p_i)) x_i x_iᵀ; given x, Var((y − p)²) =
  // p(1 − p)(1 − 2p)², so entry (a, b) has sd sqrt(Σ p(1−p)(1−2p)² (x_ia x_ib)²)/N; 5 sd
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let v = 0;
      for (let i = 0; i < n; i++) {
        let z = 0;
        for (let j = 0; j < d; j++) z += x.data[i * d + j]! * theta[j]!;
        const p = 1 / (1 + Math.exp(-z));
        v += p * (1 - p) * (1 - 2 * p) ** 2 * (x.data[i * d + a]! * x.data[i * d + b]!) ** 2;
      }
      assertAllClose(f.data[a * d + b]!, h[a * d + b]!, { atol: (5 * Math.sqrt(v)) / n });
    }
  }
  // at the MLE the mean gradient vanishes, so the centred Fisher is the same matrix
  assertAllClose(
    fisherCovariance(o.perExampleGradients(all(n)), 1, { centred: true }).data,
    f.data,
    {
      rtol: 1e-10,
    },
  );
});

// ---------------------------------------------------------------- subspace tools

Deno.test("projectRows and fisherCovariance with a basis equal their V·Vᵀ forms", () => {
  const { x, y } = (() => {
    const prng = createPrng(12);
    const x = { rows: 40, cols: 7, data: sampleNormal(prng, 280) };
    return { x, y: Float64Array.from({ length: 40 }, () => (prng() < 0.4 ? 1 : 0)) };
  })();
  const theta = sampleNormal(createPrng(13), 7, 0, 0.3);
  const o = new LogisticRegressionOracle(x, y, theta);
  const basis = randomOrthonormalBasis(createPrng(14), 3, 7);
  const v = toMatrix(basis), g = o.perExampleGradients(all(40)), gm = toMatrix(g);
  assertAllClose(projectRows(g, basis).data, flat(gm.mmul(v.transpose())), {
    rtol: 1e-12,
    atol: 1e-15,
  });
  const f = toMatrix(fisherCovariance(g, 4));
  assertAllClose(
    fisherCovariance(g, 4, { basis }).data,
    flat(v.mmul(f).mmul(v.transpose())),
    { rtol: 1e-10, atol: 1e-15 },
  );
});

Deno.test("covariance: bad input names the argument and value", () => {
  const g = { rows: 3, cols: 2, data: new Float64Array([1, 2, 3, 4, 5, 6]) };
  assert.throws(() => fisherCovariance(g, 0), /batchSize must be an integer >= 1, got 0/);
  assert.throws(
    () => fisherCovariance({ rows: 3, cols: 2, data: new Float64Array(5) }, 1),
    /perExampleGrads.data must have length rows·cols = 6, got 5/,
  );
  assert.throws(
    () => fisherCovariance({ ...g, data: new Float64Array([1, 2, NaN, 4, 5, 6]) }, 1),
    /perExampleGrads.data\[2\] must be finite, got NaN/,
  );
  assert.throws(
    () => exactSgnCovariance(g, 4),
    /batchSize must be <= N \(3\) without replacement, got 4/,
  );
  assert.throws(
    () => fisherCovariance(g, 1, { basis: sym(2, [1, 0, 0, 2]) }),
    /basis rows must be orthonormal: <v_1, v_1> = 4/,
  );
  assert.throws(
    () =>
      fisherCovariance(g, 1, { basis: { rows: 1, cols: 3, data: new Float64Array([1, 0, 0]) } }),
    /basis must have 2 columns, got 3/,
  );
  assert.throws(
    () =>
      empiricalSgnCovariance({ rows: 1, cols: 2, data: new Float64Array(2) }, { centred: true }),
    /noise must have at least 2 SGN vectors \(rows\) for a centred estimate, got 1/,
  );
  const { oracle } = leastSquares(20, 10, 2, 1);
  const prng = createPrng(21);
  assert.throws(
    () => empiricalSgnCovariance(oracle, { batchSize: 11, batches: 5, prng }),
    /batchSize must be <= N \(10\), got 11/,
  );
  assert.throws(
    () => empiricalSgnCovariance(oracle, { batchSize: 2, batches: 1, prng }),
    /batches must be an integer >= 2, got 1/,
  );
});
