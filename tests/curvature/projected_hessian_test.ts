import assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import { makeHvp } from "../../lib/curvature/hessian_vector.ts";
import { projectedHessian } from "../../lib/curvature/projected_hessian.ts";
import { LogisticRegressionOracle } from "../../lib/noise/oracle.ts";
import { createPrng, randomOrthonormalBasis, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

Deno.test("projectedHessian: equals V H Vᵀ of the exact logistic Hessian and is exactly symmetric", () => {
  const prng = createPrng(12);
  const x = { rows: 40, cols: 7, data: sampleNormal(prng, 280) };
  const y = Float64Array.from({ length: 40 }, () => (prng() < 0.4 ? 1 : 0));
  const theta = sampleNormal(createPrng(13), 7, 0, 0.3);
  const o = new LogisticRegressionOracle(x, y, theta);
  const basis = randomOrthonormalBasis(createPrng(14), 3, 7);
  const v = new Matrix(
    Array.from({ length: 3 }, (_, i) => [...basis.data.subarray(7 * i, 7 * i + 7)]),
  );
  const h = new Matrix(
    Array.from({ length: 7 }, (_, i) => [...o.hessian().subarray(7 * i, 7 * i + 7)]),
  );
  const ph = projectedHessian(makeHvp(o, theta), basis);
  // HVP by central differences: ≈ 1e-10 absolute error
  assertAllClose(ph.data, v.mmul(h).mmul(v.transpose()).to1DArray(), { atol: 1e-8 });
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) assert.equal(ph.data[i * 3 + j], ph.data[j * 3 + i]);
  }
  // the top eigenvectors of a diagonal H give diag(λ)
  const diag = (u: Float64Array) => u.map((t, i) => (i + 1) * t);
  const e = { rows: 2, cols: 4, data: new Float64Array([0, 0, 0, 1, 0, 0, 1, 0]) };
  assert.deepEqual([...projectedHessian(diag, e).data], [4, 0, 0, 3]);
});

Deno.test("projectedHessian: bad input names the argument and value", () => {
  assert.throws(
    () =>
      projectedHessian(() => new Float64Array(2).fill(NaN), {
        rows: 1,
        cols: 2,
        data: new Float64Array([1, 0]),
      }),
    /matvec returned a non-finite value for basis row 0: NaN/,
  );
  assert.throws(
    () =>
      projectedHessian(() => new Float64Array(1), {
        rows: 1,
        cols: 2,
        data: new Float64Array([1, 0]),
      }),
    /matvec must return length 2, got 1/,
  );
  assert.throws(
    () => projectedHessian((u) => u, { rows: 1, cols: 2, data: new Float64Array([1, 1]) }),
    /basis rows must be orthonormal: <v_0, v_0> = 2/,
  );
});
