import assert from "node:assert/strict";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import {
  axisNoise,
  noiseToCurvatureTrace,
  sgnCovarianceInHessianFrames,
  type SgnHessianFrames,
} from "../../lib/curvature/sgn_hessian_frames.ts";
import { empiricalSgnCovariance } from "../../lib/noise/covariance.ts";
import { sampleSgnRows } from "../../lib/noise/sgn.ts";
import { createPrng } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";
import { all, flat, leastSquares, toMatrix } from "../noise/_fixtures.ts";

const n = 60, d = 8, k = 3, sizes = [4, 15];

function problem(batches: number) {
  const { oracle, thetaStar } = leastSquares(70, n, d, 1);
  // off the minimum, so that the mean gradient is not zero
  const theta = thetaStar.map((v, i) => v + 0.3 * (i % 3 - 1));
  const r = sgnCovarianceInHessianFrames(oracle, theta, {
    k,
    batchSizes: sizes,
    batches,
    tol: 1e-10,
    traceProbes: 400,
    prngs: {
      lanczos: createPrng(71),
      trace: createPrng(72),
      basis: createPrng(73),
      minibatches: (j) => createPrng(80 + j),
    },
  });
  const g = toMatrix(oracle.perExampleGradients(all(n))); // N × d, dense
  const centred = g.clone().subRowVector(g.mean("column"));
  const sigma = centred.transpose().mmul(centred).div(n); // Σ_pop
  return {
    oracle,
    theta,
    r,
    g,
    sigma,
    h: new Matrix(
      Array.from({ length: d }, (_, i) => [...oracle.hessian().subarray(i * d, i * d + d)]),
    ),
  };
}

/** V M Vᵀ for the k × d frame V. */
function inFrame(
  basis: { rows: number; cols: number; data: Float64Array },
  m: Matrix,
): Float64Array {
  const v = toMatrix(basis);
  return flat(v.mmul(m).mmul(v.transpose()));
}

Deno.test("sgnCovarianceInHessianFrames: frames, Fisher form, exact C_S and traces equal dense least-squares recomputations", () => {
  const { oracle, r, g, sigma, h } = problem(50);
  // Hessian: top-k eigenvalues of the exact XᵀX/N; central differences of a quadratic are exact up to roundoff
  const e = new EigenvalueDecomposition(h, { assumeSymmetric: true });
  const top = [...e.realEigenvalues].sort((a, b) => b - a).slice(0, k);
  assertAllClose(r.eigen.values, top, { rtol: 1e-7 });
  assertAllClose(r.frames[0]!.hessian.data, inFrame(r.frames[0]!.basis, h), {
    rtol: 1e-6,
    atol: 1e-7,
  });
  assertAllClose(r.frames[1]!.hessian.data, inFrame(r.frames[1]!.basis, h), {
    rtol: 1e-6,
    atol: 1e-7,
  });
  assert.deepEqual(r.frames.map((f) => f.name), ["top-k Hessian", "random"]);
  // projected rows, ‖∇L‖², tr Σ_pop
  r.frames.forEach((f) =>
    assertAllClose(f.rows.data, flat(g.mmul(toMatrix(f.basis).transpose())), {
      rtol: 1e-12,
      atol: 1e-13,
    })
  );
  const grad = oracle.fullGradient();
  assertAllClose(r.gradSq, grad.reduce((a, x) => a + x * x, 0), { rtol: 1e-12 });
  assertAllClose(r.traceSigma, sigma.trace(), { rtol: 1e-10 });
  // Hutchinson: unbiased; 5 of its own standard errors
  let trH = 0;
  for (let i = 0; i < d; i++) trH += h.get(i, i);
  assertAllClose(r.trace!.estimate, trH, { atol: 5 * r.trace!.standardError });
  // F_S = V GᵀG Vᵀ/(S N) uncentred; C_S with the factor divided out = V Σ_pop Vᵀ / S
  const gram = g.transpose().mmul(g);
  r.perS.forEach((row, f) =>
    row.forEach((c, j) => {
      const s = sizes[j]!, basis = r.frames[f]!.basis;
      assert.equal(c.batchSize, s);
      assertAllClose(c.fisher.data, inFrame(basis, gram).map((x) => x / (s * n)), {
        rtol: 1e-10,
        atol: 1e-14,
      });
      assertAllClose(c.exact.data, inFrame(basis, sigma).map((x) => x / s), {
        rtol: 1e-10,
        atol: 1e-14,
      });
    })
  );
});

Deno.test("sgnCovarianceInHessianFrames: Ĉ_S is the projection of the full-space estimate on the same minibatches, and unbiased for C_S", () => {
  const batches = 4000, { r, g } = problem(batches);
  const full = { rows: n, cols: d, data: flat(g) };
  sizes.forEach((s, j) => {
    // the same minibatches in both frames: V Ĉ_full Vᵀ from the unprojected gradients on the same stream
    const u = sampleSgnRows(full, { batchSize: s, batches, prng: createPrng(80 + j) });
    const cFull = toMatrix(empiricalSgnCovariance(u)).mul((n - 1) / (n - s));
    r.frames.forEach((fr, f) => {
      assertAllClose(r.perS[f]![j]!.empirical.data, inFrame(fr.basis, cFull), {
        rtol: 1e-9,
        atol: 1e-13,
      });
      // E Ĉ_S = C_S; relative Frobenius error of a covariance from B (near-Gaussian) vectors
      // ≈ √((1 + (tr C/‖C‖_F)²)/B) (≈ 0.03 here); 5 of those
      const c = r.perS[f]![j]!.exact.data, est = r.perS[f]![j]!.empirical.data;
      const norm = Math.hypot(...c), tr = c[0]! + c[4]! + c[8]!;
      const err = Math.hypot(...est.map((x, i) => x - c[i]!)) / norm;
      assert.ok(
        err <= 5 * Math.sqrt((1 + (tr / norm) ** 2) / batches),
        `frame ${f}, S = ${s}: relative error ${err}`,
      );
    });
  });
});

Deno.test("sgnCovarianceInHessianFrames: bad batch sizes and batch counts name the argument and value", () => {
  const { oracle } = leastSquares(74, 10, 3, 1);
  const opts = (batchSizes: number[], batches: number) => ({
    k: 1,
    batchSizes,
    batches,
    prngs: {
      lanczos: createPrng(1),
      trace: createPrng(2),
      basis: createPrng(3),
      minibatches: () => createPrng(4),
    },
  });
  assert.throws(() => sgnCovarianceInHessianFrames(oracle, [0, 0, 0], opts([2, 10], 5)), {
    name: "RangeError",
    message: "batchSizes[1] must be an integer in [1, 9], got 10",
  });
  assert.throws(() => sgnCovarianceInHessianFrames(oracle, [0, 0, 0], opts([2], 1)), {
    name: "RangeError",
    message: /batches must be an integer >= 2, got 1/,
  });
});

Deno.test("axisNoise: the diagonals of V H Vᵀ and S·Ĉ_S, top-k frame first; slope-one points when C = H/S", () => {
  const { r } = problem(50);
  const axes = axisNoise(r, 1);
  assert.equal(axes.length, 2 * k);
  axes.forEach((a, i) => {
    const f = Math.floor(i / k), q = i % k;
    assert.equal(a.frame, f);
    assert.equal(a.curvature, r.frames[f]!.hessian.data[q * k + q]);
    assert.equal(a.noise, sizes[1]! * r.perS[f]![1]!.empirical.data[q * k + q]!);
  });
  // a made-up result with C = H/S exactly: noise = curvature on every axis
  const m = (x: number[]) => ({ rows: 2, cols: 2, data: Float64Array.from(x) });
  const exact = {
    frames: [{ hessian: m([4, 1, 1, 2]) }],
    perS: [[{ batchSize: 8, empirical: m([0.5, 0.125, 0.125, 0.25]) }]],
  } as unknown as SgnHessianFrames;
  assert.deepEqual(axisNoise(exact, 0).map((a) => [a.curvature, a.noise]), [[4, 4], [2, 2]]);
  assert.throws(() => axisNoise(r, 2), {
    name: "RangeError",
    message: "j must be an integer in [0, 1], got 2",
  });
});

Deno.test("noiseToCurvatureTrace: tr Σ_pop and Hutchinson's tr H of least squares against the dense matrices", () => {
  const { oracle, theta, sigma, h } = problem(50);
  const t = noiseToCurvatureTrace(oracle, theta, {
    prng: createPrng(75),
    traceProbes: 400,
    chunk: 7,
  });
  let trH = 0;
  for (let i = 0; i < d; i++) trH += h.get(i, i);
  assertAllClose(t.traceSigma, sigma.trace(), { rtol: 1e-10 });
  assertAllClose(t.trace.estimate, trH, { atol: 5 * t.trace.standardError }); // 5 standard errors
  assert.equal(t.ratio, t.traceSigma / t.trace.estimate);
  assert.deepEqual(Array.from(oracle.getParams()), Array.from(theta)); // left at θ
});
