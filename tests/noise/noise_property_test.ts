/**
 * Generated bad and good input for every public function and class of lib/noise: each call
 * returns finite, in-contract results or throws a RangeError/TypeError naming the argument.
 */
import {
  allFinite,
  anyArray,
  anyNumber,
  checkCalls,
  fc,
  namedOrValid,
  PROPERTY_RUNS,
} from "../_property.ts";
import {
  checkIndices,
  checkOracle,
  compareCovariance,
  empiricalSgnCovariance,
  exactSgnCovariance,
  fisherCovariance,
  LeastSquaresOracle,
  LogisticRegressionOracle,
  perExampleCoordinates,
  projectPerExampleGradients,
  projectRows,
  sampleSgn,
  sampleSgnRows,
  sgnShape,
  trimmedTailIndexInterval,
} from "../../lib/noise/mod.ts";
import { createPrng } from "../../lib/stats/random.ts";
import { leastSquares } from "./_fixtures.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const { oracle } = leastSquares(1, 12, 3, 0.5);
const anyIndices = fc.oneof(
  anyArray,
  fc.array(fc.integer({ min: 0, max: 11 }), { minLength: 1, maxLength: 6 }),
  fc.constantFrom([NaN], [1.7], [2 ** 32 + 1], [-1], [12], null, "0", 3),
);
const anyMatrix = fc.oneof(
  fc.record({ rows: anyNumber, cols: anyNumber, data: anyArray.map((a) => Float64Array.from(a)) }),
  fc.constantFrom(
    { rows: 1, cols: 3, data: new Float64Array([1, 0, 0]) },
    { rows: 2, cols: 3, data: new Float64Array([1, 0, 0, 0, 1, 0]) },
    { rows: 3, cols: 3, data: new Float64Array([2, 1, 0, 1, 2, 0, 0, 0, 1]) },
    { rows: 3, cols: 3, data: new Float64Array([1e300, 0, 0, 0, 1e300, 0, 0, 0, 1]) },
    { rows: 2, cols: 3, data: new Float64Array([1, 2, NaN, 0, 1, 0]) },
    { rows: 2, cols: 3, data: null },
    null,
    7,
  ),
);
const anyPrng = fc.oneof(
  fc.integer({ min: 0, max: 100 }).map((s) => createPrng(s)),
  fc.constantFrom(() => 0.5, () => NaN, "prng", null),
);
const anyOracle = fc.oneof(
  fc.constant(oracle),
  fc.constantFrom(null, 3, {}, {
    dim: 2,
    size: 0,
    loss() {},
    fullGradient() {},
    batchGradient() {},
    perExampleGradients() {},
  }),
);
const count = fc.oneof(anyNumber, fc.integer({ min: 1, max: 12 }));

Deno.test("property: analytic oracles validate data at construction and indices at every call", () => {
  const data = fc.oneof(
    anyArray,
    fc.constantFrom([1, 0, 0, 1], [1, 2, 3, 4, 5, 6], [1e300, 1e300, 1, 1]),
  );
  const ys = fc.oneof(anyArray, fc.constantFrom([1, 0], [1, NaN], [0, 1, 1], [1e300, 0]));
  for (const Oracle of [LeastSquaresOracle, LogisticRegressionOracle]) {
    checkCalls([count, count, data, ys, anyIndices], (rows, cols, d, y, idx) => {
      const o = new Oracle({ rows, cols, data: Float64Array.from(d) }, y);
      return [
        o.loss(),
        o.loss(idx),
        o.fullGradient(),
        o.batchGradient(idx),
        o.perExampleGradients(idx),
        o.hessian(),
      ];
    }, ["x", "y", "indices", "overflow"]);
  }
  checkCalls([anyIndices, anyNumber], checkIndices, ["indices", "size"]);
  checkCalls([anyOracle], (o) => checkOracle("oracle", o), ["oracle"]);
  const mutable = leastSquares(2, 12, 3, 0.5).oracle;
  checkCalls([anyArray], (t) => mutable.setParams(t), ["theta"]);
});

Deno.test("property: SGN sampling, per-example projections and covariances", () => {
  checkCalls(
    [anyOracle, count, count, anyPrng],
    (o, batchSize, batches, prng) => sampleSgn(o, { batchSize, batches, prng }),
    ["oracle", "batchSize", "batches", "prng"],
  );
  checkCalls(
    [anyMatrix, count, count, anyPrng],
    (m, batchSize, batches, prng) => sampleSgnRows(m, { batchSize, batches, prng }),
    ["perExampleRows", "batchSize", "batches", "prng"],
  );
  checkCalls(
    [anyOracle, anyMatrix, anyIndices, count],
    (o, b, indices, chunk) => projectPerExampleGradients(o, [b], { indices, chunk }),
    ["oracle", "basis", "indices", "chunk"],
  );
  checkCalls(
    [anyOracle, fc.oneof(anyIndices, fc.constant([0, 2])), count],
    (o, coordinates, chunk) => perExampleCoordinates(o, { coordinates, chunk }),
    ["oracle", "coordinates", "chunk"],
  );
  checkCalls([anyMatrix, anyMatrix], projectRows, ["rows", "basis"]);
  checkCalls([anyMatrix, fc.boolean()], (m, centred) => empiricalSgnCovariance(m, { centred }), [
    "noise",
    "source",
  ]);
  checkCalls(
    [anyOracle, count, count, anyPrng, fc.option(anyMatrix)],
    (o, batchSize, batches, prng, basis) =>
      empiricalSgnCovariance(o, { batchSize, batches, prng, basis: basis ?? undefined }),
    ["oracle", "source", "noise", "batchSize", "batches", "prng", "basis"],
  );
  checkCalls(
    [anyMatrix, count, fc.boolean()],
    (m, s, centred) => fisherCovariance(m, s, { centred }),
    [
      "perExampleGrads",
      "batchSize",
    ],
  );
  checkCalls(
    [anyMatrix, count, fc.boolean()],
    (m, s, replacement) => exactSgnCovariance(m, s, { replacement }),
    ["perExampleGrads", "batchSize"],
  );
  checkCalls(
    [anyMatrix, anyMatrix, count, fc.option(count)],
    (c, h, s, k) => compareCovariance(c, h, s, k === null ? {} : { k }),
    ["C", "H", "batchSize", "k"],
  );
});

Deno.test("property: SGN shape and the trimmed tail-index interval", () => {
  const z = fc.oneof(
    anyArray,
    fc.constantFrom(
      new Array(120).fill(0),
      Array.from({ length: 121 }, (_, i) => Math.sin(i)),
      null,
    ),
  );
  checkCalls([z, anyPrng], (x, prng) => trimmedTailIndexInterval(x, { prng, resamples: 10 }), [
    "z",
    "prng",
    "x",
  ]);
  const fast = { ...PROPERTY_RUNS, numRuns: 30 };
  fc.assert(
    fc.property(
      anyOracle,
      fc.oneof(anyArray, fc.constant([4])),
      count,
      anyPrng,
      (o, batchSizes, coordinates, prng) =>
        void namedOrValid(
          () =>
            sgnShape(o as Any, {
              batchSizes,
              batches: 100,
              coordinates,
              prng: prng as Any,
              resamples: 10,
            }),
          ["oracle", "batchSizes", "coordinates", "prng", "x", "z"],
          (r) => allFinite(r),
        ),
    ),
    fast,
  );
});
