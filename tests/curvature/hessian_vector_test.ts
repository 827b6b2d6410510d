import assert from "node:assert/strict";
import {
  hessianMatrix,
  hessianVectorProduct,
  makeHvp,
} from "../../lib/curvature/hessian_vector.ts";
import { LeastSquaresOracle, LogisticRegressionOracle } from "../../lib/noise/oracle.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";
import { logisticProblem } from "./_spectra.ts";

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
    /step must be a finite number > 0, got 0/,
  );
  assert.throws(
    () => hessianVectorProduct(o, theta, [1, 0, 0], { distance: -1 }),
    /distance must be a finite number > 0, got -1/,
  );
  assert.throws(
    () => hessianVectorProduct(o, theta, [1, 0, 0], { distance: NaN }),
    /distance must be a finite number > 0, got NaN/,
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
