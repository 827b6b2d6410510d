import assert from "node:assert/strict";
import { EigenvalueDecomposition, Matrix, QrDecomposition } from "ml-matrix";
import {
  broadenedDensity,
  fillRademacher,
  hessianMatrix,
  hessianVectorProduct,
  hutchinsonTrace,
  makeHvp,
  type MatVec,
  spectralDensity,
  topEigenpairs,
} from "../../lib/curvature/hessian.ts";
import { LeastSquaresOracle, LogisticRegressionOracle } from "../../lib/noise/oracle.ts";
import { createPrng, type Prng, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose, meanSd } from "../_assert.ts";

/** Random orthogonal matrix: Q of the QR decomposition of a Gaussian matrix (ml-matrix). */
function randomOrthogonal(prng: Prng, n: number): Matrix {
  const g = new Matrix(n, n);
  const z = sampleNormal(prng, n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g.set(i, j, z[i * n + j]!);
  return new QrDecomposition(g).orthogonalMatrix;
}

/** A = Q diag(λ) Qᵀ, row-major, with eigenvector i the column i of Q. */
function withSpectrum(prng: Prng, lambda: number[]) {
  const n = lambda.length, q = randomOrthogonal(prng, n);
  const a = q.mmul(Matrix.diag(lambda)).mmul(q.transpose());
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const s = 0.5 * (a.get(i, j) + a.get(j, i));
      data[i * n + j] = s;
      data[j * n + i] = s;
    }
  }
  return { a: data, q, n };
}

function denseMatVec(a: Float64Array, n: number): MatVec {
  return (v, out = new Float64Array(n)) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j]! * v[j]!;
      out[i] = s;
    }
    return out;
  };
}

function column(q: Matrix, i: number): Float64Array {
  return Float64Array.from(q.getColumn(i));
}

/** Eigenvector up to sign: |⟨y, q⟩| = 1 for unit vectors. */
function assertSameDirection(y: ArrayLike<number>, q: ArrayLike<number>, tol: number) {
  let d = 0;
  for (let i = 0; i < q.length; i++) d += y[i]! * q[i]!;
  const s = d < 0 ? -1 : 1;
  assertAllClose(Array.from(y, (x) => s * x), q, { atol: tol });
}

function logisticProblem(seed: number, n: number, d: number) {
  const prng = createPrng(seed);
  const x = { rows: n, cols: d, data: sampleNormal(prng, n * d) };
  const y = Float64Array.from({ length: n }, () => (prng() < 0.5 ? 1 : 0));
  return { x, y, theta: sampleNormal(prng, d, 0, 0.7), prng };
}

// ---------------------------------------------------------------- HVP

Deno.test("hessianVectorProduct: least squares, equals the exact Hessian XᵀX/N times v", () => {
  const prng = createPrng(10);
  const n = 50, d = 6;
  const x = { rows: n, cols: d, data: sampleNormal(prng, n * d) };
  const o = new LeastSquaresOracle(x, sampleNormal(prng, n));
  const theta = sampleNormal(prng, d, 0, 3), v = sampleNormal(prng, d);
  const h = o.hessian(), exact = new Float64Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) exact[i]! += h[i * d + j]! * v[j]!;
  // quadratic loss: the central difference is exact up to roundoff
  // ε·|∇L|/(h‖v‖) ≈ 2e-16·10/(6e-6·(1 + ‖θ‖)) ≈ 1e-10
  assertAllClose(hessianVectorProduct(o, theta, v), exact, { rtol: 1e-8, atol: 1e-8 });
});

Deno.test("hessianVectorProduct: logistic, equals the exact Hessian; params restored", () => {
  const { x, y, theta } = logisticProblem(11, 80, 5);
  const o = new LogisticRegressionOracle(x, y, theta);
  const point = theta.map((t) => t + 0.3);
  const v = sampleNormal(createPrng(12), 5, 0, 4);
  o.setParams(point);
  const h = o.hessian(), exact = new Float64Array(5);
  for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) exact[i]! += h[i * 5 + j]! * v[j]!;
  o.setParams(theta);
  // truncation (h‖v‖)²|ℓ'''|/6 ≈ (6e-6·3)²/6 ≈ 5e-11 plus roundoff ≈ 1e-10
  assertAllClose(hessianVectorProduct(o, point, v), exact, { rtol: 1e-7, atol: 1e-8 });
  assert.deepEqual(o.getParams(), theta);
});

Deno.test("hessianVectorProduct: minibatch indices give the Hessian of the minibatch loss", () => {
  const { x, y, theta } = logisticProblem(13, 40, 4);
  const o = new LogisticRegressionOracle(x, y, theta);
  const idx = [3, 9, 9, 27, 31];
  // Hessian of the minibatch loss = exact Hessian of the oracle on those rows
  const rows = new Float64Array(idx.length * 4);
  idx.forEach((i, r) => rows.set(x.data.subarray(i * 4, i * 4 + 4), r * 4));
  const sub = new LogisticRegressionOracle(
    { rows: idx.length, cols: 4, data: rows },
    idx.map((i) => y[i]!),
    theta,
  );
  const h = sub.hessian(), v = new Float64Array([1, -2, 0.5, 3]), exact = new Float64Array(4);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) exact[i]! += h[i * 4 + j]! * v[j]!;
  assertAllClose(hessianVectorProduct(o, theta, v, { indices: idx }), exact, {
    rtol: 1e-7,
    atol: 1e-8,
  });
});

Deno.test("hessianVectorProduct: linear in v (step length independent of ‖v‖), zero v gives zeros", () => {
  const { x, y, theta } = logisticProblem(14, 30, 3);
  const o = new LogisticRegressionOracle(x, y);
  const v = new Float64Array([0.2, -1, 0.7]);
  const hv = hessianVectorProduct(o, theta, v);
  const big = hessianVectorProduct(o, theta, v.map((t) => 1e6 * t));
  assertAllClose(big, hv.map((t) => 1e6 * t), { rtol: 1e-9 });
  assert.deepEqual(hessianVectorProduct(o, theta, [0, 0, 0]), new Float64Array(3));
  // an explicit step is honoured: a huge step changes the result for a non-quadratic loss
  const coarse = hessianVectorProduct(o, theta, v, { step: 1 });
  assert.ok(Math.abs(coarse[0]! - hv[0]!) > 1e-6);
});

Deno.test("makeHvp: distance sets the step length; the truncation error falls like distance² (central difference)", () => {
  const { x, y, theta } = logisticProblem(18, 40, 3);
  const o = new LogisticRegressionOracle(x, y, theta);
  const h = o.hessian(), v = new Float64Array([0.6, -0.8, 0]), exact = new Float64Array(3);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) exact[i]! += h[i * 3 + j]! * v[j]!;
  const err = (distance: number) => {
    // the step length is distance whatever ‖v‖: 10 v gives 10 H v
    const hv = makeHvp(o, theta, { distance })(v.map((t) => 10 * t)).map((t) => t / 10);
    return Math.hypot(...hv.map((t, i) => t - exact[i]!));
  };
  // O(t²) truncation: a 4× shorter step gives a 16× smaller error (12–20 allowed for the
  // O(t⁴) remainder), far above roundoff (≈ 1e-16/t² ≈ 1e-12) at these steps
  const ratio = err(0.2) / err(0.05);
  assert.ok(ratio > 12 && ratio < 20, `error ratio ${ratio}`);
  assert.ok(err(0.2) > 1e-5, `a long step must show truncation error, got ${err(0.2)}`);
});

Deno.test("makeHvp: writes into out and restores params even when the oracle throws", () => {
  const { x, y, theta } = logisticProblem(15, 20, 3);
  const o = new LogisticRegressionOracle(x, y);
  const hvp = makeHvp(o, theta);
  const out = new Float64Array(3);
  const r = hvp(new Float64Array([1, 0, 0]), out);
  assert.equal(r, out);
  const start = o.getParams();
  const huge = makeHvp(o, theta, { step: 1e308 });
  assert.throws(() => huge(new Float64Array([10, 0, 0])), /theta\[0\] must be finite/);
  assert.deepEqual(o.getParams(), start);
});

Deno.test("hessianMatrix: equals the exact Hessian and is exactly symmetric", () => {
  const { x, y, theta } = logisticProblem(16, 60, 5);
  const o = new LogisticRegressionOracle(x, y, theta);
  const h = hessianMatrix(o, theta);
  assert.equal(h.rows, 5);
  assert.equal(h.cols, 5);
  assertAllClose(h.data, o.hessian(), { rtol: 1e-7, atol: 1e-9 });
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 5; j++) assert.equal(h.data[i * 5 + j], h.data[j * 5 + i]);
  }
});

Deno.test("HVP: bad input names the argument and value", () => {
  const { x, y, theta } = logisticProblem(17, 10, 3);
  const o = new LogisticRegressionOracle(x, y);
  assert.throws(
    () => hessianVectorProduct(o, theta, [1, NaN, 0]),
    /v\[1\] must be finite, got NaN/,
  );
  assert.throws(() => hessianVectorProduct(o, theta, [1, 0]), /v must have length 3, got 2/);
  assert.throws(
    () => hessianVectorProduct(o, [0, Infinity, 0], [1, 0, 0]),
    /theta\[1\] must be finite, got Infinity/,
  );
  assert.throws(
    () => hessianVectorProduct(o, theta, [1, 0, 0], { step: 0 }),
    /step must be > 0, got 0/,
  );
  assert.throws(
    () => hessianVectorProduct(o, theta, [1, 0, 0], { distance: -1 }),
    /distance must be > 0, got -1/,
  );
  assert.throws(
    () => hessianVectorProduct(o, theta, [1, 0, 0], { distance: NaN }),
    /distance must be a finite number, got NaN/,
  );
  assert.throws(
    () => hessianVectorProduct(o, theta, [1, 0, 0], { distance: 1, step: 1 }),
    /pass step or distance, not both/,
  );
  assert.throws(
    () => hessianVectorProduct(o, theta, [1, 0, 0], { precision: 2 }),
    /precision must be in \(0, 1\), got 2/,
  );
  assert.throws(
    () => hessianVectorProduct(o, theta, [1, 0, 0], { indices: [0, 10] }),
    /indices\[1\] must be an integer in \[0, 10\), got 10/,
  );
  assert.throws(
    () => makeHvp(o, theta)(new Float64Array(3), new Float64Array(2)),
    /out must have length 3, got 2/,
  );
  assert.throws(
    () => hessianMatrix(o, theta, { maxDim: 2 }),
    /oracle.dim must be <= maxDim \(2\) for a dense Hessian, got 3/,
  );
});

// ---------------------------------------------------------------- Lanczos

const SPECTRUM = [
  ...Array.from({ length: 45 }, (_, i) => 10 * 0.85 ** i),
  ...Array.from({ length: 15 }, (_, i) => -0.3 * (i + 1)),
];

Deno.test("topEigenpairs (LA): top-5 of Q diag(λ) Qᵀ to 1e-8 relative, eigenvectors up to sign", () => {
  const prng = createPrng(20);
  const { a, q, n } = withSpectrum(prng, SPECTRUM);
  const mv = denseMatVec(a, n);
  const r = topEigenpairs(mv, n, 5, { prng, tol: 1e-10 });
  assert.ok(r.converged);
  assertAllClose(r.values, SPECTRUM.slice(0, 5), { rtol: 1e-8 });
  // eigenvector error ≈ residual/gap ≤ 1e-10·10/0.7 ≈ 1e-9
  for (let i = 0; i < 5; i++) {
    assertSameDirection(r.vectors.data.subarray(i * n, (i + 1) * n), column(q, i), 1e-7);
  }
  // the reported residuals are the true ones, and meet the tolerance (up to roundoff)
  for (let i = 0; i < 5; i++) {
    const y = r.vectors.data.subarray(i * n, (i + 1) * n);
    const ay = mv(y);
    const res = Math.sqrt(ay.reduce((s, t, j) => s + (t - r.values[i]! * y[j]!) ** 2, 0));
    assertAllClose(r.residuals[i]!, res, { rtol: 1e-6, atol: 1e-14 });
    assert.ok(res <= 1e-10 * Math.abs(r.values[i]!) + 1e-13);
  }
  assert.equal(r.matvecs, r.iterations + 5);
  assert.ok(r.iterations < n, `Krylov dimension ${r.iterations} should stay below n = ${n}`);
});

Deno.test("topEigenpairs (LM): largest magnitude first, negative eigenvalues included", () => {
  const prng = createPrng(21);
  const lambda = [3, 2.5, -12, -9, 1, 0.5, ...Array.from({ length: 30 }, (_, i) => 0.01 * i)];
  const { a, q, n } = withSpectrum(prng, lambda);
  const r = topEigenpairs(denseMatVec(a, n), n, 3, { prng, tol: 1e-10, which: "LM" });
  assertAllClose(r.values, [-12, -9, 3], { rtol: 1e-8 });
  assertSameDirection(r.vectors.data.subarray(0, n), column(q, 2), 1e-7);
  const la = topEigenpairs(denseMatVec(a, n), n, 2, { prng, tol: 1e-10 });
  assertAllClose(la.values, [3, 2.5], { rtol: 1e-8 });
});

Deno.test("topEigenpairs: orthonormal rows with the largest entry positive; same seed, same result", () => {
  const { a, n } = withSpectrum(createPrng(22), SPECTRUM.slice(0, 30));
  const r1 = topEigenpairs(denseMatVec(a, n), n, 4, { prng: createPrng(5), tol: 1e-9 });
  const r2 = topEigenpairs(denseMatVec(a, n), n, 4, { prng: createPrng(5), tol: 1e-9 });
  assert.deepEqual(r1.values, r2.values);
  assert.deepEqual(r1.vectors.data, r2.vectors.data);
  const v = r1.vectors.data;
  for (let i = 0; i < 4; i++) {
    let big = 0;
    for (let t = 0; t < n; t++) if (Math.abs(v[i * n + t]!) > Math.abs(v[i * n + big]!)) big = t;
    assert.ok(v[i * n + big]! > 0);
    for (let j = 0; j < 4; j++) {
      let d = 0;
      for (let t = 0; t < n; t++) d += v[i * n + t]! * v[j * n + t]!;
      assertAllClose(d, i === j ? 1 : 0, { atol: 1e-12 });
    }
  }
});

Deno.test("topEigenpairs: repeated eigenvalues and low rank are found through restarts", () => {
  // diag(4, 4, 4, 1 × 7): every Krylov space from one vector is 2-dimensional
  const d = [4, 4, 4, 1, 1, 1, 1, 1, 1, 1];
  const diag: MatVec = (v) => v.map((x, i) => d[i]! * x);
  const r = topEigenpairs(diag, 10, 4, { prng: createPrng(23), tol: 1e-10 });
  assertAllClose(r.values, [4, 4, 4, 1], { rtol: 1e-12 });
  // rank 2 positive semidefinite: top-2 from the first block, certified by a zero block
  const { a, n } = withSpectrum(createPrng(24), [5, 2, ...new Array(18).fill(0)]);
  const low = topEigenpairs(denseMatVec(a, n), n, 2, { prng: createPrng(25), tol: 1e-10 });
  assertAllClose(low.values, [5, 2], { rtol: 1e-10 });
  assert.ok(low.iterations <= 5, `iterations ${low.iterations}`);
  // the zero matrix
  const zero = topEigenpairs((v) => new Float64Array(v.length), 6, 2, { prng: createPrng(26) });
  assert.deepEqual(zero.values, new Float64Array(2));
  // k = dim: the whole spectrum
  const all = topEigenpairs(diag, 10, 10, { prng: createPrng(27), tol: 1e-10 });
  assertAllClose(all.values, [...d].sort((x, y) => y - x), { rtol: 1e-12 });
});

Deno.test("topEigenpairs: the Hessian of logistic regression through makeHvp", () => {
  const { x, y, theta } = logisticProblem(28, 100, 8);
  const o = new LogisticRegressionOracle(x, y, theta);
  const exact = withEigen(o.hessian(), 8);
  const r = topEigenpairs(makeHvp(o, theta), 8, 2, { prng: createPrng(29), tol: 1e-8 });
  // HVP error ≈ 1e-10 absolute on eigenvalues of order 0.1–1
  assertAllClose(r.values, exact.slice(0, 2), { rtol: 1e-8 });
});

/** Eigenvalues of a dense symmetric matrix, descending, by ml-matrix (independent of Lanczos). */
function withEigen(a: Float64Array, n: number): number[] {
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m.set(i, j, a[i * n + j]!);
  const e = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  return [...e.realEigenvalues].sort((x, y) => y - x);
}

Deno.test("topEigenpairs: bad input and non-convergence", () => {
  const mv: MatVec = (v) => v.slice();
  const prng = createPrng(30);
  assert.throws(() => topEigenpairs(mv, 3, 4, { prng }), /k must be <= dim \(3\), got 4/);
  assert.throws(() => topEigenpairs(mv, 3, 0, { prng }), /k must be an integer >= 1, got 0/);
  assert.throws(() => topEigenpairs(mv, 0, 1, { prng }), /dim must be an integer >= 1, got 0/);
  assert.throws(() => topEigenpairs(mv, 3, 2, { prng, tol: -1 }), /tol must be > 0, got -1/);
  assert.throws(
    () => topEigenpairs(mv, 3, 2, { prng, maxIter: 1 }),
    /maxIter must be >= k \(2\), got 1/,
  );
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => topEigenpairs(mv, 3, 1, { prng, which: "SA" as any }),
    /which must be "LA" or "LM", got SA/,
  );
  assert.throws(
    () => topEigenpairs((v) => v.map(() => NaN), 3, 1, { prng }),
    /matvec returned a non-finite value at Lanczos step 0: NaN/,
  );
  const { a, n } = withSpectrum(createPrng(31), SPECTRUM);
  assert.throws(
    () => topEigenpairs(denseMatVec(a, n), n, 3, { prng, tol: 1e-12, maxIter: 5 }),
    /did not converge in maxIter = 5 Lanczos steps: worst relative residual .* > tol = 1e-12/,
  );
  const loose = topEigenpairs(denseMatVec(a, n), n, 3, {
    prng,
    tol: 1e-12,
    maxIter: 5,
    allowUnconverged: true,
  });
  assert.equal(loose.converged, false);
  assert.equal(loose.iterations, 5);
  // an invariant Krylov space at maxIter cannot certify the rest of the spectrum
  const d = [4, 4, 1, 1];
  assert.throws(
    () => topEigenpairs((v) => v.map((x, i) => d[i]! * x), 4, 2, { prng, maxIter: 2 }),
    /the Krylov space became invariant and its complement is not yet explored/,
  );
});

// ---------------------------------------------------------------- Hutchinson

/** Closed-form variance of one Rademacher probe value zᵀAz: 2(‖A‖_F² − Σ A_ii²). */
function rademacherVariance(a: Float64Array, n: number): number {
  let off = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) off += a[i * n + j]! ** 2;
  return 2 * off;
}

Deno.test("hutchinsonTrace: within 3 standard errors; the standard error matches 2(‖A‖_F² − Σ A_ii²)/m", () => {
  const prng = createPrng(40);
  const lambda = Array.from({ length: 40 }, (_, i) => 5 - 0.2 * i);
  const { a, n } = withSpectrum(prng, lambda);
  const m = 4000;
  const t = hutchinsonTrace(denseMatVec(a, n), n, { prng, samples: m });
  const trace = lambda.reduce((s, x) => s + x, 0);
  const se = Math.sqrt(rademacherVariance(a, n) / m);
  assert.ok(Math.abs(t.estimate - trace) <= 3 * se, `${t.estimate} vs ${trace} ± ${se}`);
  // the estimated SE against the closed form: the sample sd of m values with
  // kurtosis κ has relative sd ≈ sqrt((κ − 1)/(4m)); 5 of those as tolerance
  const { mean, sd } = meanSd(t.samples);
  let m4 = 0;
  for (const s of t.samples) m4 += (s - mean) ** 4;
  const kurtosis = m4 / m / sd ** 4;
  const rel = 5 * Math.sqrt((kurtosis - 1) / (4 * m));
  assertAllClose(t.standardError, se, { rtol: rel });
  assert.equal(t.samples.length, m);
  assertAllClose(t.estimate, mean, { rtol: 1e-14 });
});

Deno.test("hutchinsonTrace: exact for diagonal matrices (zero variance), reproducible", () => {
  const d = [1, -2, 3.5];
  const mv: MatVec = (v) => v.map((x, i) => d[i]! * x);
  const t = hutchinsonTrace(mv, 3, { prng: createPrng(41), samples: 5 });
  assertAllClose(t.estimate, 2.5, { rtol: 1e-15 });
  assert.equal(t.standardError, 0);
  const { a, n } = withSpectrum(createPrng(42), [1, 2, 3, 4]);
  const t1 = hutchinsonTrace(denseMatVec(a, n), n, { prng: createPrng(7), samples: 10 });
  const t2 = hutchinsonTrace(denseMatVec(a, n), n, { prng: createPrng(7), samples: 10 });
  assert.deepEqual(t1.samples, t2.samples);
});

Deno.test("hutchinsonTrace: bad input", () => {
  const mv: MatVec = (v) => v.slice();
  const prng = createPrng(43);
  assert.throws(
    () => hutchinsonTrace(mv, 3, { prng, samples: 1 }),
    /samples must be an integer >= 2, got 1/,
  );
  assert.throws(
    () => hutchinsonTrace(mv, 0, { prng, samples: 2 }),
    /dim must be an integer >= 1, got 0/,
  );
  assert.throws(
    () => hutchinsonTrace((v) => v.map(() => Infinity), 3, { prng, samples: 2 }),
    /matvec gave a non-finite quadratic form at probe 0/,
  );
  assert.throws(
    () => hutchinsonTrace(() => new Float64Array(2), 3, { prng, samples: 2 }),
    /matvec must return length 3, got 2/,
  );
});

// ---------------------------------------------------------------- SLQ

function matPow(a: Float64Array, n: number, p: number): Float64Array {
  let r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) r[i * n + i] = 1;
  for (let k = 0; k < p; k++) {
    const next = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let l = 0; l < n; l++) {
        const ril = r[i * n + l]!;
        for (let j = 0; j < n; j++) next[i * n + j]! += ril * a[l * n + j]!;
      }
    }
    r = next;
  }
  return r;
}

function moment(d: { nodes: Float64Array; weights: Float64Array }, p: number): number {
  let s = 0;
  for (let i = 0; i < d.nodes.length; i++) s += d.weights[i]! * d.nodes[i]! ** p;
  return s;
}

Deno.test("spectralDensity: moments p = 0, 1, 2 match tr(Aᵖ)/n within sampling error", () => {
  const prng = createPrng(50);
  const lambda = Array.from({ length: 50 }, (_, i) => Math.sin(i) * 3 + (i % 7));
  const { a, n } = withSpectrum(prng, lambda);
  const probes = 100;
  const d = spectralDensity(denseMatVec(a, n), n, { prng, steps: 12, probes });
  assert.equal(d.nodes.length, 12 * probes);
  assertAllClose(moment(d, 0), 1, { rtol: 1e-12 });
  for (const p of [1, 2]) {
    const ap = matPow(a, n, p);
    const exact = lambda.reduce((s, x) => s + x ** p, 0) / n;
    // each probe is a Hutchinson sample of tr(Aᵖ)/n: sd = sqrt(2(‖Aᵖ‖_F² − Σ (Aᵖ)_ii²)/probes)/n
    const sd = Math.sqrt(rademacherVariance(ap, n) / probes) / n;
    assert.ok(
      Math.abs(moment(d, p) - exact) <= 5 * sd,
      `p = ${p}: ${moment(d, p)} vs ${exact} ± ${sd}`,
    );
  }
});

Deno.test("spectralDensity: Gauss quadrature is exact for degree ≤ 2·steps − 1 on the same probes", () => {
  const { a, n } = withSpectrum(createPrng(51), Array.from({ length: 30 }, (_, i) => 1 + i / 10));
  const steps = 4, probes = 3;
  const d = spectralDensity(denseMatVec(a, n), n, { prng: createPrng(52), steps, probes });
  // the same probes, drawn as documented: Rademacher from the same stream, one vector per probe
  const z = new Float64Array(n);
  for (const p of [3, 5, 7]) {
    const ap = matPow(a, n, p);
    let expected = 0;
    const again = createPrng(52);
    for (let s = 0; s < probes; s++) {
      fillRademacher(again, z);
      const az = denseMatVec(ap, n)(z);
      expected += az.reduce((t, x, i) => t + x * z[i]!, 0) / n / probes;
    }
    assertAllClose(moment(d, p), expected, { rtol: 1e-10 });
  }
});

Deno.test("spectralDensity: few distinct eigenvalues give exactly those nodes with weights ≈ multiplicity/n", () => {
  const lambda = [...new Array(10).fill(1), ...new Array(20).fill(3), ...new Array(30).fill(7)];
  const { a, n } = withSpectrum(createPrng(53), lambda);
  const probes = 400;
  const d = spectralDensity(denseMatVec(a, n), n, { prng: createPrng(54), steps: 10, probes });
  // the Krylov space of each probe is 3-dimensional: the run stops at the breakdown
  assert.equal(d.nodes.length, 3 * probes);
  for (const x of d.nodes) assert.ok([1, 3, 7].some((l) => Math.abs(x - l) < 1e-9), `node ${x}`);
  for (const [l, mult] of [[1, 10], [3, 20], [7, 30]]) {
    let w = 0;
    for (let i = 0; i < d.nodes.length; i++) {
      if (Math.abs(d.nodes[i]! - l!) < 1e-6) w += d.weights[i]!;
    }
    // weight = ‖P_λ z‖²/n per probe: variance 2(‖P‖_F² − Σ P_ii²)/n² ≤ 2·mult/n², 5σ
    const sd = Math.sqrt(2 * mult! / probes) / n;
    assert.ok(Math.abs(w - mult! / n) <= 5 * sd, `λ = ${l}: ${w} vs ${mult! / n}`);
  }
});

Deno.test("broadenedDensity: integrates to 1 and keeps the mean of the nodes", () => {
  const { a, n } = withSpectrum(createPrng(55), Array.from({ length: 20 }, (_, i) => i / 4));
  const d = spectralDensity(denseMatVec(a, n), n, { prng: createPrng(56), steps: 8, probes: 5 });
  const sigma = 0.05, lo = -1, hi = 6, g = 7001, dx = (hi - lo) / (g - 1);
  const grid = Float64Array.from({ length: g }, (_, i) => lo + i * dx);
  const phi = broadenedDensity(d, grid, sigma);
  let mass = 0, mean = 0;
  for (let i = 0; i < g; i++) {
    const w = i === 0 || i === g - 1 ? 0.5 : 1;
    mass += w * phi[i]! * dx;
    mean += w * phi[i]! * grid[i]! * dx;
  }
  // trapezoid rule on a smooth Gaussian mixture with dx = σ/50: error far below 1e-8
  assertAllClose(mass, 1, { rtol: 1e-8 });
  assertAllClose(mean, moment(d, 1), { rtol: 1e-8 });
});

Deno.test("spectralDensity and broadenedDensity: bad input", () => {
  const mv: MatVec = (v) => v.slice();
  const prng = createPrng(57);
  assert.throws(
    () => spectralDensity(mv, 3, { prng, steps: 4, probes: 1 }),
    /steps must be <= dim \(3\), got 4/,
  );
  assert.throws(
    () => spectralDensity(mv, 3, { prng, steps: 0, probes: 1 }),
    /steps must be an integer >= 1, got 0/,
  );
  assert.throws(
    () => spectralDensity(mv, 3, { prng, steps: 2, probes: 0 }),
    /probes must be an integer >= 1, got 0/,
  );
  const d = { nodes: new Float64Array([0, 1]), weights: new Float64Array([0.5, 0.5]) };
  assert.throws(() => broadenedDensity(d, [0], 0), /sigma must be > 0, got 0/);
  assert.throws(() => broadenedDensity(d, [NaN], 1), /grid\[0\] must be finite, got NaN/);
  assert.throws(
    () => broadenedDensity({ nodes: d.nodes, weights: new Float64Array(1) }, [0], 1),
    /weights must have length nodes.length = 2, got 1/,
  );
});
