import assert from "node:assert/strict";
import { LeastSquaresOracle, LogisticRegressionOracle } from "../../lib/noise/oracle.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";
import { assertBatchIsMeanOfRows, assertGradientIsLossDerivative } from "./_oracle_contract.ts";

function problem(seed: number, n: number, d: number, logistic: boolean) {
  const prng = createPrng(seed);
  const x = { rows: n, cols: d, data: sampleNormal(prng, n * d) };
  const theta = sampleNormal(prng, d, 0, 0.5);
  const y = logistic
    ? Float64Array.from({ length: n }, () => (prng() < 0.5 ? 1 : 0))
    : sampleNormal(prng, n);
  return { x, y, theta };
}

for (
  const [name, Oracle] of [["least squares", LeastSquaresOracle], [
    "logistic",
    LogisticRegressionOracle,
  ]] as const
) {
  Deno.test(`${name} oracle: gradient equals central finite differences of the loss`, () => {
    const { x, y, theta } = problem(1, 40, 5, name === "logistic");
    // central differences: error O(h²·L''') ~ 1e-10; roundoff ~ 1e-16/h ~ 1e-11
    assertGradientIsLossDerivative(new Oracle(x, y, theta), { h: 1e-5, atol: 1e-8 });
  });

  Deno.test(`${name} oracle: Hessian equals finite differences of the gradient`, () => {
    const { x, y, theta } = problem(2, 30, 4, name === "logistic");
    const o = new Oracle(x, y, theta);
    const hess = o.hessian();
    const h = 1e-5;
    for (let j = 0; j < 4; j++) {
      const tp = theta.slice(), tm = theta.slice();
      tp[j]! += h;
      tm[j]! -= h;
      o.setParams(tp);
      const gp = o.fullGradient();
      o.setParams(tm);
      const gm = o.fullGradient();
      const col = gp.map((v, k) => (v - gm[k]!) / (2 * h));
      assertAllClose(col, hess.subarray(j * 4, j * 4 + 4), { atol: 1e-8 });
    }
  });

  Deno.test(`${name} oracle: batch gradient is the mean of per-example rows (repeats allowed)`, () => {
    const { x, y, theta } = problem(3, 25, 3, name === "logistic");
    assertBatchIsMeanOfRows(new Oracle(x, y, theta), [3, 7, 7, 20], {
      rtol: 1e-12,
      atol: 1e-15,
      singles: true,
    });
  });
}

Deno.test("oracles: bad input names the argument and value", () => {
  const { x, y } = problem(4, 10, 2, true);
  const o = new LogisticRegressionOracle(x, y);
  assert.throws(
    () => o.batchGradient([0, 10]),
    /indices\[1\] must be an integer in \[0, 10\), got 10/,
  );
  assert.throws(() => o.batchGradient([]), /indices must not be empty/);
  assert.throws(() => o.setParams([1, NaN]), /theta\[1\] must be finite, got NaN/);
  assert.throws(() => o.setParams([1]), /theta must have length 2, got 1/);
  assert.throws(
    () => new LogisticRegressionOracle(x, Float64Array.from(y, (v) => v * 2 + 0.5)),
    /y\[0\] must be 0 or 1/,
  );
  assert.throws(() => new LeastSquaresOracle(x, [1, 2]), /y must have length x.rows = 10, got 2/);
});

Deno.test("oracles: getParams returns a copy; inputs are left unmodified", () => {
  const { x, y, theta } = problem(5, 10, 2, false);
  const xCopy = x.data.slice();
  const o = new LeastSquaresOracle(x, y, theta);
  const p = o.getParams();
  p[0] = 99;
  assert.notEqual(o.getParams()[0], 99);
  o.fullGradient();
  assert.deepEqual(x.data, xCopy);
});
