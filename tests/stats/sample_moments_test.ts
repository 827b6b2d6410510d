import assert from "node:assert/strict";
import { batchMeanKurtosis, centralMoments, standardise } from "../../lib/stats/sample_moments.ts";
import { assertAllClose } from "../_assert.ts";

/**
 * Exact excess kurtosis of the mean of S of the values drawn without
 * replacement, by enumerating all C(N, S) batches (bit masks).
 */
function enumeratedKurtosis(pop: number[], S: number): number {
  const N = pop.length;
  const mean = pop.reduce((a, b) => a + b, 0) / N;
  let count = 0, d2 = 0, d4 = 0;
  for (let mask = 0; mask < 1 << N; mask++) {
    let size = 0, sum = 0;
    for (let i = 0; i < N; i++) {
      if (mask & (1 << i)) {
        size++;
        sum += pop[i]!;
      }
    }
    if (size !== S) continue;
    const d = sum / S - mean;
    count++;
    d2 += d * d;
    d4 += d ** 4;
  }
  return (d4 / count) / (d2 / count) ** 2 - 3;
}

Deno.test("standardise: mean 0, sample sd 1, exact small case, input unmodified", () => {
  const x = new Float64Array([2, 7, 1, 8, 2, 8, 1, 8]);
  const copy = x.slice();
  const z = standardise(x);
  assert.deepEqual(x, copy);
  const n = z.length, mean = z.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  assert.ok(Math.abs(mean) < 1e-15, `mean ${mean}`);
  assert.ok(Math.abs(sd - 1) < 1e-15, `sd ${sd}`);
  // x = [1, 3]: mean 2, sample sd √2
  assertAllClose(standardise([1, 3]), [-Math.SQRT1_2, Math.SQRT1_2], { rtol: 1e-15 });
});

Deno.test("standardise: edge cases", () => {
  assert.throws(() => standardise([1]), {
    name: "RangeError",
    message: "x must have at least 2 values, got 1",
  });
  assert.throws(() => standardise([]), {
    name: "RangeError",
    message: "x must have at least 2 values, got 0",
  });
  assert.throws(() => standardise([1, NaN, 2]), {
    name: "RangeError",
    message: "x[1] must be finite, got NaN",
  });
  assert.throws(() => standardise([1, 2, Infinity]), {
    name: "RangeError",
    message: "x[2] must be finite, got Infinity",
  });
  assert.throws(() => standardise([3, 3, 3]), {
    name: "RangeError",
    message: "x must not be constant, got all values equal to 3",
  });
});

Deno.test("centralMoments: closed forms", () => {
  // deviations ±1.5, ±0.5 around 2.5
  assert.deepEqual(centralMoments([1, 2, 3, 4]), { m2: 1.25, m4: 2.5625 });
  // two-point population ±a: μ₂ = a², μ₄ = a⁴ (kurtosis −2)
  assert.deepEqual(centralMoments([-3, 3, -3, 3]), { m2: 9, m4: 81 });
  assert.deepEqual(centralMoments([5]), { m2: 0, m4: 0 });
  // shift invariance
  const a = centralMoments([0.5, 1.5, 4, -2]), b = centralMoments([100.5, 101.5, 104, 98]);
  assertAllClose([b.m2, b.m4], [a.m2, a.m4], { rtol: 1e-12 });
});

Deno.test("centralMoments: edge cases", () => {
  assert.throws(() => centralMoments([]), {
    name: "RangeError",
    message: "x must have at least 1 values, got 0",
  });
  assert.throws(() => centralMoments([0, -Infinity]), {
    name: "RangeError",
    message: "x[1] must be finite, got -Infinity",
  });
});

Deno.test("batchMeanKurtosis equals full enumeration of every batch of small populations", () => {
  const populations = [
    [0, 0.3, 1, 1.7, 2, 5, -1, 9], // skewed, one outlier
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], // uniform-like (negative kurtosis)
    [0, 0, 0, 0, 0, 10], // one large value: heavy tail in miniature
    [-1, 1, -1, 1, 5], // odd N
    [0, 1, 3, 7], // smallest N the formula allows
  ];
  for (const pop of populations) {
    const m = centralMoments(pop);
    for (let S = 1; S < pop.length; S++) {
      const expected = enumeratedKurtosis(pop, S);
      const got = batchMeanKurtosis(S, pop.length, m);
      // both sides are exact up to rounding of O(2^N) sums
      assert.ok(
        Math.abs(got - expected) <= 1e-9 * (1 + Math.abs(expected)),
        `N = ${pop.length}, S = ${S}: formula ${got}, enumeration ${expected}`,
      );
    }
  }
});

Deno.test("batchMeanKurtosis: κ₁ at S = 1 and S = N − 1; tends to κ₁/S (with replacement) as N grows", () => {
  const m = centralMoments([0, 0.3, 1, 1.7, 2, 5, -1, 9]);
  const kappa1 = m.m4 / m.m2 ** 2 - 3;
  for (const N of [8, 100, 4000]) {
    assert.ok(Math.abs(batchMeanKurtosis(1, N, m) - kappa1) < 1e-12 * Math.abs(kappa1));
    assert.ok(Math.abs(batchMeanKurtosis(N - 1, N, m) - kappa1) < 1e-9 * Math.abs(kappa1));
  }
  // the same moments describe the population repeated r times (N = 8r); the
  // error of the with-replacement value is first order in 1/N, so it falls
  // tenfold per tenfold N
  for (const S of [2, 16, 64]) {
    const err = [1e4, 1e5, 1e6].map((N) => batchMeanKurtosis(S, N, m) - kappa1 / S);
    for (let i = 1; i < err.length; i++) {
      const ratio = err[i]! / err[i - 1]!;
      assert.ok(Math.abs(ratio - 0.1) < 0.01, `S = ${S}: error ratio ${ratio}`);
    }
    assert.ok(Math.abs(err[2]!) < 1e-3 * Math.abs(kappa1), `S = ${S}: error ${err[2]} at N = 1e6`);
  }
});

Deno.test("batchMeanKurtosis: edge cases", () => {
  const m = { m2: 1, m4: 3 };
  assert.throws(() => batchMeanKurtosis(2, 3, m), {
    name: "RangeError",
    message: "populationSize must be an integer >= 4, got 3",
  });
  assert.throws(() => batchMeanKurtosis(2, 10.5, m), {
    name: "RangeError",
    message: "populationSize must be an integer >= 4, got 10.5",
  });
  assert.throws(() => batchMeanKurtosis(10, 10, m), {
    name: "RangeError",
    message: "batchSize must be an integer in [1, 9], got 10",
  });
  assert.throws(() => batchMeanKurtosis(0, 10, m), {
    name: "RangeError",
    message: "batchSize must be an integer in [1, 9], got 0",
  });
  assert.throws(() => batchMeanKurtosis(1.5, 10, m), {
    name: "RangeError",
    message: "batchSize must be an integer in [1, 9], got 1.5",
  });
  assert.throws(() => batchMeanKurtosis(2, 10, { m2: 0, m4: 0 }), {
    name: "RangeError",
    message: "moments.m2 must be finite and > 0, got 0",
  });
  assert.throws(() => batchMeanKurtosis(2, 10, { m2: NaN, m4: 1 }), {
    name: "RangeError",
    message: "moments.m2 must be finite and > 0, got NaN",
  });
  assert.throws(() => batchMeanKurtosis(2, 10, { m2: 1, m4: Infinity }), {
    name: "RangeError",
    message: "moments.m4 must be finite and >= 0, got Infinity",
  });
});
