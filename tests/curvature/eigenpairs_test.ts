import assert from "node:assert/strict";
import { topEigenpairs } from "../../lib/curvature/eigenpairs.ts";
import { makeHvp, type MatVec } from "../../lib/curvature/hessian_vector.ts";
import { LogisticRegressionOracle } from "../../lib/noise/oracle.ts";
import { createPrng } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";
import {
  assertSameDirection,
  column,
  denseMatVec,
  logisticProblem,
  SPECTRUM,
  withEigen,
  withSpectrum,
} from "./_spectra.ts";

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

Deno.test("topEigenpairs: bad input and non-convergence", () => {
  const mv: MatVec = (v) => v.slice();
  const prng = createPrng(30);
  assert.throws(() => topEigenpairs(mv, 3, 4, { prng }), /k must be <= dim \(3\), got 4/);
  assert.throws(() => topEigenpairs(mv, 3, 0, { prng }), /k must be an integer >= 1, got 0/);
  assert.throws(() => topEigenpairs(mv, 0, 1, { prng }), /dim must be an integer >= 1, got 0/);
  assert.throws(
    () => topEigenpairs(mv, 3, 2, { prng, tol: -1 }),
    /tol must be a finite number > 0, got -1/,
  );
  assert.throws(
    () => topEigenpairs(mv, 3, 2, { prng, maxIter: 1 }),
    /maxIter must be >= k \(2\), got 1/,
  );
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => topEigenpairs(mv, 3, 1, { prng, which: "SA" as any }),
    /which must be "LA" or "LM", got "SA"/,
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
