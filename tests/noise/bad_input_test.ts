/** Bad inputs of lib/noise that once ran on silently, each with the named error it gets now. */
import assert from "node:assert/strict";
import {
  empiricalSgnCovariance,
  LeastSquaresOracle,
  LogisticRegressionOracle,
  perExampleCoordinates,
  projectPerExampleGradients,
  sampleSgn,
  sgnShape,
  trimmedTailIndexInterval,
} from "../../lib/noise/mod.ts";
import { createPrng } from "../../lib/stats/random.ts";
import { leastSquares } from "./_fixtures.ts";

Deno.test("projectPerExampleGradients: indices NaN, 1.7 and 2^32 + 1 are named (they once used examples 0, 1, 1)", () => {
  const { oracle } = leastSquares(1, 12, 3, 0.5);
  const basis = { rows: 1, cols: 3, data: new Float64Array([1, 0, 0]) };
  for (const [bad, shown] of [[NaN, "NaN"], [1.7, "1.7"], [2 ** 32 + 1, "4294967297"]] as const) {
    assert.throws(
      () => projectPerExampleGradients(oracle, [basis], { indices: [bad] }),
      new RegExp(`^RangeError: indices\\[0\\] must be an integer in \\[0, 12\\), got ${shown}$`),
    );
  }
  assert.throws(
    () => projectPerExampleGradients(oracle, [basis], { indices: "0" as never }),
    /^TypeError: indices must be an array of numbers, got "0"$/,
  );
  assert.throws(
    () => perExampleCoordinates(null as never),
    /^TypeError: oracle must be a GradientOracle/,
  );
  assert.throws(
    () => sampleSgn({ dim: 2 } as never, { batchSize: 1, batches: 2, prng: createPrng(1) }),
    /^TypeError: oracle must be a GradientOracle/,
  );
  assert.throws(
    () => sampleSgn(oracle, { batchSize: 2, batches: 2, prng: "x" as never }),
    /^TypeError: prng must be a function, got "x"$/,
  );
});

Deno.test("analytic oracles validate their data at construction (loss() was NaN)", () => {
  const x = { rows: 2, cols: 1, data: new Float64Array([1, 2]) };
  assert.throws(
    () => new LeastSquaresOracle(x, [1, NaN]),
    /^RangeError: y\[1\] must be finite, got NaN$/,
  );
  assert.throws(
    () => new LeastSquaresOracle({ rows: 2, cols: 2, data: new Float64Array(3) }, [1, 2]),
    /^RangeError: x.data must have length rows·cols = 4, got 3$/,
  );
  assert.throws(
    () => new LogisticRegressionOracle(null as never, [1]),
    /^TypeError: x must be a matrix/,
  );
  assert.throws(
    () => new LeastSquaresOracle(x, null as never),
    /^TypeError: y must be an array of numbers, got null$/,
  );
  const big = new LeastSquaresOracle({ rows: 1, cols: 1, data: new Float64Array([1e300]) }, [0], [
    1e300,
  ]);
  assert.throws(
    () => big.loss(),
    /^RangeError: loss is not finite: Infinity \(x, y or theta overflow double precision/,
  );
  assert.throws(() => big.fullGradient(), /the batch gradient is not finite/);
});

Deno.test("covariances and shapes: overflow, too few vectors and bad options are named", () => {
  const noise = { rows: 2, cols: 1, data: new Float64Array([1e300, -1e300]) };
  assert.throws(
    () => empiricalSgnCovariance(noise),
    /^RangeError: noise overflows double precision: the covariance diagonal is Infinity/,
  );
  assert.throws(
    () => empiricalSgnCovariance(null as never),
    /^TypeError: source must be an object, got null$/,
  );
  assert.throws(
    () => trimmedTailIndexInterval(null as never, { prng: createPrng(1) }),
    /^TypeError: z must be an array of numbers/,
  );
  const { oracle } = leastSquares(1, 12, 3, 0.5);
  assert.throws(
    () => sgnShape(oracle, { batchSizes: [13], batches: 100, coordinates: 1, prng: createPrng(1) }),
    /^RangeError: batchSizes\[0\] must be an integer in \[1, 11\], got 13$/,
  );
});
