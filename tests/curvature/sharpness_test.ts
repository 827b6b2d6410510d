import assert from "node:assert/strict";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { topEigenpairs } from "../../lib/curvature/eigenpairs.ts";
import { makeHvp } from "../../lib/curvature/hessian_vector.ts";
import { hessianSharpness } from "../../lib/curvature/sharpness.ts";
import { hutchinsonTrace } from "../../lib/curvature/stochastic_spectrum.ts";
import { LeastSquaresOracle } from "../../lib/noise/oracle.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";
import { rademacherVariance } from "./_spectra.ts";

/** Least squares with a Gaussian design: its Hessian XᵀX/N is known exactly. */
function problem(seed: number, n: number, d: number) {
  const prng = createPrng(seed);
  const x = { rows: n, cols: d, data: sampleNormal(prng, n * d) };
  // one stretched column: a clear gap between λ_max and the rest
  for (let i = 0; i < n; i++) x.data[i * d] = 3 * x.data[i * d]!;
  const theta = sampleNormal(prng, d);
  const o = new LeastSquaresOracle(x, sampleNormal(prng, n), theta);
  return { o, theta, h: o.hessian() };
}

Deno.test("hessianSharpness: λ_max and its eigenvector equal the exact least-squares Hessian's; trace within 5 standard errors", () => {
  const d = 12, { o, theta, h } = problem(1, 200, d);
  const hm = new Matrix(Array.from({ length: d }, (_, i) => [...h.subarray(d * i, d * i + d)]));
  const e = new EigenvalueDecomposition(hm, { assumeSymmetric: true });
  const vals = e.realEigenvalues, top = vals.indexOf(Math.max(...vals));
  let trace = 0;
  for (let i = 0; i < d; i++) trace += h[i * d + i]!;
  const probes = 400;
  const s = hessianSharpness(makeHvp(o, theta), d, {
    prng: createPrng(2),
    k: 2,
    tol: 1e-10,
    traceProbes: probes,
    tracePrng: createPrng(3),
  });
  // least squares: the central difference is exact up to roundoff (~1e-10 relative)
  assertAllClose(s.lambdaMax, vals[top]!, { rtol: 1e-8 });
  assert.equal(s.eigen.values.length, 2);
  assert.ok(s.eigen.converged);
  const u = e.eigenvectorMatrix.getColumn(top), y = s.eigen.vectors.data.subarray(0, d);
  const cos = u.reduce((a, ui, i) => a + ui * y[i]!, 0);
  assertAllClose(Math.abs(cos), 1, { atol: 1e-8 });
  // Hutchinson: unbiased, sd of the mean √(2(‖H‖_F² − Σ H_ii²)/m); 5 sd
  const sd = Math.sqrt(rademacherVariance(h, d) / probes);
  assertAllClose(s.trace!.estimate, trace, { atol: 5 * sd });
  assertAllClose(s.trace!.standardError, sd, { rtol: 0.25 }); // the estimated se, ±25% at m = 400
});

Deno.test("hessianSharpness: the same numbers as topEigenpairs then hutchinsonTrace on the same prngs", () => {
  const d = 6, { o, theta } = problem(4, 50, d);
  const hvp = makeHvp(o, theta);
  const s = hessianSharpness(hvp, d, {
    prng: createPrng(5),
    tol: 1e-6,
    traceProbes: 8,
    tracePrng: createPrng(6),
  });
  const eig = topEigenpairs(hvp, d, 1, { prng: createPrng(5), tol: 1e-6 });
  const tr = hutchinsonTrace(hvp, d, { prng: createPrng(6), samples: 8 });
  assert.deepEqual(s.eigen, eig);
  assert.deepEqual(s.trace, tr);
  assert.equal(s.lambdaMax, eig.values[0]);
  // without tracePrng the probes continue the Lanczos stream; without traceProbes, no trace
  const one = createPrng(7);
  const cont = hessianSharpness(hvp, d, { prng: one, traceProbes: 4 });
  const two = createPrng(7);
  topEigenpairs(hvp, d, 1, { prng: two });
  assert.deepEqual(cont.trace, hutchinsonTrace(hvp, d, { prng: two, samples: 4 }));
  assert.equal(hessianSharpness(hvp, d, { prng: createPrng(8) }).trace, undefined);
});

Deno.test("hessianSharpness: bad input names the argument and value", () => {
  const mv = (v: Float64Array) => v.slice();
  const prng = createPrng(9);
  assert.throws(
    () => hessianSharpness(mv, 3, { prng, traceProbes: 1 }),
    /traceProbes must be 0 \(no trace\) or an integer >= 2, got 1/,
  );
  assert.throws(
    () => hessianSharpness(mv, 3, { prng, traceProbes: -2 }),
    /traceProbes must be an integer >= 0, got -2/,
  );
  assert.throws(() => hessianSharpness(mv, 3, { prng, k: 4 }), /k must be <= dim \(3\), got 4/);
});
