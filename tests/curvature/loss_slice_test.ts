import assert from "node:assert/strict";
import { lossSlice } from "../../lib/curvature/loss_slice.ts";
import { LeastSquaresOracle, LogisticRegressionOracle } from "../../lib/noise/oracle.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

function lsq(seed: number, n: number, d: number) {
  const prng = createPrng(seed);
  const x = { rows: n, cols: d, data: sampleNormal(prng, n * d) };
  return { oracle: new LeastSquaresOracle(x, sampleNormal(prng, n)), prng };
}

Deno.test("lossSlice of least squares is the exact quadratic L(θ) + t gᵀd̂ + ½ t² d̂ᵀHd̂ (rtol 1e-12)", () => {
  const { oracle, prng } = lsq(1, 30, 4);
  const theta = sampleNormal(prng, 4), d = sampleNormal(prng, 4);
  oracle.setParams(theta);
  const l0 = oracle.loss(), g = oracle.fullGradient(), h = oracle.hessian();
  const nd = Math.hypot(...d), u = d.map((v) => v / nd);
  let gu = 0, uhu = 0;
  for (let a = 0; a < 4; a++) {
    gu += g[a]! * u[a]!;
    for (let b = 0; b < 4; b++) uhu += u[a]! * h[a * 4 + b]! * u[b]!;
  }
  const ts = [-2, -0.5, 0, 0.25, 1, 3];
  oracle.setParams(new Float64Array(4)); // the slice must not depend on, nor change, the current θ
  const got = lossSlice(oracle, theta, d, ts);
  assertAllClose(got, ts.map((t) => l0 + t * gu + 0.5 * t * t * uhu), { rtol: 1e-12 });
  assert.deepEqual(oracle.getParams(), new Float64Array(4));
  // without normalisation the offsets multiply d itself
  assertAllClose(
    lossSlice(oracle, theta, d, [1 / nd], { normalize: false }),
    lossSlice(oracle, theta, d, [1]),
    { rtol: 1e-12 },
  );
});

Deno.test("lossSlice over a subset of examples equals the subset loss", () => {
  const prng = createPrng(2);
  const x = { rows: 20, cols: 3, data: sampleNormal(prng, 60) };
  const o = new LogisticRegressionOracle(x, Array.from({ length: 20 }, (_, i) => i % 2));
  const theta = sampleNormal(prng, 3), d = new Float64Array([0, 3, 4]), idx = [1, 5, 7];
  const got = lossSlice(o, theta, d, [0.5], { indices: idx });
  o.setParams([theta[0]!, theta[1]! + 0.3, theta[2]! + 0.4]);
  assertAllClose(got, [o.loss(idx)], { rtol: 1e-14 });
});

Deno.test("lossSlice: bad input names the argument; parameters restored after a throw", () => {
  const { oracle } = lsq(3, 5, 2);
  const th = [0, 0];
  oracle.setParams([1, 2]);
  assert.throws(() => lossSlice(oracle, [0], [1, 0], [0]), /theta must have length 2, got 1/);
  assert.throws(
    () => lossSlice(oracle, th, [1, NaN], [0]),
    /direction\[1\] must be finite, got NaN/,
  );
  assert.throws(() => lossSlice(oracle, th, [0, 0], [0]), /direction must not be zero/);
  assert.throws(
    () => lossSlice(oracle, th, [1, 0], [0, Infinity]),
    /offsets\[1\] must be finite, got Infinity/,
  );
  assert.throws(
    () => lossSlice(oracle, th, [1, 0], [0], { indices: [5] }),
    /indices\[0\] must be an integer in \[0, 5\), got 5/,
  );
  // a huge offset overflows the quadratic loss: the error names it and θ is restored
  assert.throws(
    () => lossSlice(oracle, th, [1, 0], [0, 1e300]),
    /loss is not finite at offset 1e\+300: Infinity/,
  );
  assert.deepEqual(oracle.getParams(), new Float64Array([1, 2]));
  assert.deepEqual(Array.from(lossSlice(oracle, th, [1, 0], [])), []);
});
