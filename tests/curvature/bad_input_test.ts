/** Bad inputs of lib/curvature that once gave a wrong answer or an unnamed error. */
import assert from "node:assert/strict";
import { hutchinsonTrace, mlpParameterCount, topEigenpairs } from "../../lib/curvature/mod.ts";
import { createPrng } from "../../lib/stats/random.ts";

Deno.test("mlpParameterCount: negative, fractional or missing sizes are named (once −3965)", () => {
  assert.throws(
    () => mlpParameterCount([784, -5, 10]),
    /^RangeError: sizes must be >= 2 positive integers \(an MLP\), got \[784, -5, 10\]$/,
  );
  assert.throws(() => mlpParameterCount([4, 2.5]), /got \[4, 2.5\]/);
  assert.throws(() => mlpParameterCount(null as never), /^TypeError: sizes must be an array/);
  assert.throws(
    () => mlpParameterCount([1e6, 1e6, 1e6]),
    /the parameter count of sizes = 2000002000000 values exceeds the allocation limit/,
  );
  assert.equal(mlpParameterCount([784, 100, 10]), 784 * 100 + 100 + 100 * 10 + 10);
});

Deno.test("topEigenpairs: unconverged runs throw a RangeError naming maxIter, NaN matvecs are named", () => {
  const d = Float64Array.from({ length: 50 }, (_, i) => 1 + i * 1e-9);
  const matvec = (v: Float64Array) => v.map((x, i) => d[i]! * x);
  assert.throws(
    () => topEigenpairs(matvec, 50, 1, { prng: createPrng(1), maxIter: 3, tol: 1e-14 }),
    /^RangeError: topEigenpairs did not converge in maxIter = 3 Lanczos steps/,
  );
  const r = topEigenpairs(matvec, 50, 1, {
    prng: createPrng(1),
    maxIter: 3,
    tol: 1e-14,
    allowUnconverged: true,
  });
  assert.equal(r.converged, false);
  assert.throws(
    () => topEigenpairs((v) => v.map(() => NaN), 5, 1, { prng: createPrng(1) }),
    /^RangeError: matvec returned a non-finite value/,
  );
  assert.throws(
    () => topEigenpairs("m" as never, 5, 1, { prng: createPrng(1) }),
    /^TypeError: matvec must be a function/,
  );
  assert.throws(
    () => topEigenpairs(matvec, 2 ** 30, 1, { prng: createPrng(1) }),
    /min\(maxIter, dim\)·dim = \d+ values exceeds the allocation limit/,
  );
  assert.throws(
    () =>
      hutchinsonTrace((v) => Float64Array.from([8e307 * v[1]!, 8e307 * v[0]!]), 2, {
        prng: createPrng(1),
        samples: 4,
      }),
    /matvec overflows double precision: the variance of the quadratic forms/,
  );
});
