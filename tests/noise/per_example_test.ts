import assert from "node:assert/strict";
import { projectRows } from "../../lib/noise/covariance.ts";
import { LeastSquaresOracle } from "../../lib/noise/oracle.ts";
import { perExampleCoordinates, projectPerExampleGradients } from "../../lib/noise/per_example.ts";
import { createPrng, randomOrthonormalBasis } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";
import { all, leastSquares, toMatrix } from "./_fixtures.ts";

Deno.test("projectPerExampleGradients: chunked projections, mean and tr Σ equal the dense computation", () => {
  const n = 23, d = 6;
  const { oracle } = leastSquares(50, n, d, 1);
  const grads = oracle.perExampleGradients(all(n));
  const b1 = randomOrthonormalBasis(createPrng(51), 3, d),
    b2 = randomOrthonormalBasis(createPrng(52), 2, d);
  const p = projectPerExampleGradients(oracle, [b1, b2], { chunk: 5 }); // 5 does not divide 23
  assert.equal(p.count, n);
  assertAllClose(p.rows[0]!.data, projectRows(grads, b1).data, { rtol: 1e-12, atol: 1e-14 });
  assertAllClose(p.rows[1]!.data, projectRows(grads, b2).data, { rtol: 1e-12, atol: 1e-14 });
  assertAllClose(p.mean, oracle.fullGradient(), { rtol: 1e-12, atol: 1e-14 });
  // tr Σ_pop with ml-matrix: trace of the centred scatter / N
  const gm = toMatrix(grads), c = gm.clone().subRowVector(gm.mean("column"));
  assertAllClose(p.traceSigma, c.transpose().mmul(c).trace() / n, { rtol: 1e-11 });
  // a subset of examples, and no basis at all
  const sub = projectPerExampleGradients(oracle, [], { indices: [3, 8, 8, 20] });
  assert.equal(sub.rows.length, 0);
  assertAllClose(sub.mean, oracle.batchGradient([3, 8, 8, 20]), { rtol: 1e-12, atol: 1e-14 });
});

Deno.test("projectPerExampleGradients: bad input names the argument and value", () => {
  const { oracle } = leastSquares(53, 5, 3, 1);
  assert.throws(
    () => projectPerExampleGradients(oracle, [], { chunk: 0 }),
    /chunk must be an integer >= 1, got 0/,
  );
  assert.throws(
    () => projectPerExampleGradients(oracle, [], { indices: [] }),
    /indices must not be empty/,
  );
  assert.throws(
    () =>
      projectPerExampleGradients(oracle, [{ rows: 1, cols: 2, data: new Float64Array([1, 0]) }]),
    /basis must have 3 columns, got 2/,
  );
  assert.throws(
    () => projectPerExampleGradients(oracle, [], { indices: [5] }),
    /indices\[0\] must be an integer in \[0, 5\), got 5/,
  );
});

Deno.test("perExampleCoordinates: Σ_jj and the chosen coordinates' values equal the dense computation", () => {
  const n = 23, d = 6;
  const { oracle } = leastSquares(54, n, d, 1);
  const g = oracle.perExampleGradients(all(n));
  const p = perExampleCoordinates(oracle, { coordinates: [4, 1], chunk: 5 }); // 5 does not divide 23
  for (let j = 0; j < d; j++) {
    // population variance of column j, two-pass
    let m = 0, v = 0;
    for (let i = 0; i < n; i++) m += g.data[i * d + j]! / n;
    for (let i = 0; i < n; i++) v += (g.data[i * d + j]! - m) ** 2 / n;
    assertAllClose(p.variance[j]!, v, { rtol: 1e-10 });
  }
  for (const [c, j] of [4, 1].entries()) {
    assertAllClose(p.values!.subarray(c * n, (c + 1) * n), all(n).map((i) => g.data[i * d + j]!), {
      rtol: 0,
    });
  }
  assert.equal(perExampleCoordinates(oracle).values, undefined);
  // a coordinate with no noise (all gradients equal) has variance exactly 0, never negative
  const flat = new LeastSquaresOracle({ rows: 3, cols: 1, data: new Float64Array([1, 1, 1]) }, [
    0.1,
    0.1,
    0.1,
  ]);
  assert.equal(perExampleCoordinates(flat).variance[0], 0);
  assert.throws(
    () => perExampleCoordinates(oracle, { coordinates: [6] }),
    /coordinates\[0\] must be an integer in \[0, 6\), got 6/,
  );
  assert.throws(() => perExampleCoordinates(oracle, { chunk: 0 }), /chunk must be an integer >= 1/);
});
