/**
 * Generated bad and good input for every public function of lib/stats: each call returns finite,
 * in-contract results or throws a RangeError/TypeError naming the argument (seeded fast-check).
 */
import { allFinite, anyArray, anyNumber, checkCalls, fc, PROPERTY_RUNS } from "../_property.ts";
import {
  andersonDarlingPValue,
  assertOrthonormalRows,
  assertRowMatrix,
  averageRanks,
  batchMeanKurtosis,
  cellMass,
  centralMoments,
  createPrng,
  defaultBlockSize,
  diagonalMatrix,
  estimateTailIndex,
  expectedSamplingL1,
  fillNormal,
  fillRademacher,
  fitSymmetricStable,
  hillEstimator,
  histogramMass,
  ksDistance,
  l1Distance,
  lillieforsPValue,
  linearFit,
  meanZeroTest,
  normalityTests,
  paretoSumStableScale,
  partialShuffle,
  projectOntoRows,
  qqPoints,
  randomOrthonormalBasis,
  sampleNormal,
  samplePareto,
  samplePermutation,
  sampleStable,
  samplingL1,
  scaledMatrix,
  spearmanCorrelation,
  spearmanTest,
  splitPrng,
  standardise,
  symmetricStablePdf,
  symmetricStableQuartile,
  symmetrise,
  tailIndexInterval,
  weightedLinearFit,
} from "../../lib/stats/mod.ts";

const run = PROPERTY_RUNS;

/** A sample of at least `min` values: random ones, constant ones, overflowing ones, bad ones. */
function sample(min: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    anyArray,
    fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), {
      minLength: min,
      maxLength: min + 9,
    }),
    fc.constantFrom(
      new Array(min).fill(0),
      new Array(min).fill(3),
      Array.from({ length: min }, (_, i) => (i % 2 ? 1e200 : -1e200) * (1 + i / min)),
      Array.from({ length: min }, (_, i) => 1e300 * (i + 1)),
      Array.from({ length: min }, (_, i) => (i === 3 ? NaN : i)),
      null,
      undefined,
      "abc",
      7,
    ),
  );
}

/** Generators a caller passes: seeded ones, degenerate ones, things that are no generator. */
const anyPrng: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 0, max: 1000 }).map((s) => createPrng(s)),
  fc.constantFrom(() => 0.5, () => 0, () => 2, () => NaN, () => -1, "prng", null),
);

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  anyNumber,
  anyArray,
  fc.constantFrom(null, undefined, "1", {}, true),
);

const finite = (r: unknown) => allFinite(r);
// deno-lint-ignore no-explicit-any
type Any = any;

function check(
  arbs: fc.Arbitrary<unknown>[],
  call: (...a: Any[]) => unknown,
  names: string[],
  valid: (r: Any) => boolean = finite,
): void {
  checkCalls(arbs, call, names, valid, run);
}

Deno.test("property: random.ts samplers and shuffles", () => {
  check([anyNumber], createPrng, ["seed"], (p) => typeof p === "function");
  check([anyPrng], splitPrng, ["prng"], (p) => typeof p === "function");
  const smallCount = fc.oneof(anyNumber, fc.integer({ min: 0, max: 50 }));
  const length = fc.integer({ min: 0, max: 50 });
  check([anyPrng, length], (p, n) => fillNormal(p, new Float64Array(n)), ["prng"]);
  check([anyPrng, smallCount, anyNumber, anyNumber], sampleNormal, ["prng", "n", "mean", "sd"]);
  check([anyPrng, smallCount, smallCount], samplePermutation, ["prng", "n", "k"]);
  check(
    [anyPrng, length, anyNumber],
    (p, n, k) => partialShuffle(p, new Int32Array(n), k),
    ["prng", "k", "buffer"],
  );
  check([anyPrng, length], (p, n) => fillRademacher(p, new Float64Array(n)), ["prng"]);
  check([anyPrng, anyValue], fillNormal, ["prng", "out"]);
  check([anyPrng, anyValue], fillRademacher, ["prng", "out"]);
  check([anyPrng, anyValue, anyNumber], partialShuffle, ["prng", "buffer", "k"]);
  check([anyPrng, smallCount, smallCount], randomOrthonormalBasis, ["prng", "k", "dim"]);
  check(
    [anyPrng, smallCount, anyNumber, anyNumber, anyNumber, anyNumber],
    (p, n, alpha, beta, scale, loc) => sampleStable(p, n, { alpha, beta, scale, loc }),
    ["prng", "n", "alpha", "beta", "scale", "loc", "overflow"],
  );
  check(
    [anyPrng, smallCount, anyNumber, anyNumber],
    (p, n, alpha, scale) => samplePareto(p, n, { alpha, scale, symmetric: true }),
    ["prng", "n", "alpha", "scale", "overflow"],
  );
});

Deno.test("property: tail indices, stable laws, moments and normality", () => {
  check([anyNumber], defaultBlockSize, ["n"]);
  check([sample(100), anyValue], (x, b) => estimateTailIndex(x, { blockSize: b }), [
    "x",
    "blockSize",
  ]);
  check(
    [sample(100), anyPrng, fc.oneof(anyNumber, fc.constant(10)), anyNumber],
    (x, prng, resamples, level) => tailIndexInterval(x, { prng, resamples, level }),
    ["x", "prng", "resamples", "level", "blockSize"],
  );
  check([sample(100), fc.oneof(anyNumber, fc.integer({ min: 1, max: 99 }))], hillEstimator, [
    "x",
    "k",
  ]);
  check(
    [sample(1), anyNumber, anyNumber, anyNumber],
    (x, alpha, scale, loc) => symmetricStablePdf(x, { alpha, scale, loc }),
    ["x", "alpha", "scale", "loc"],
  );
  check([anyNumber], paretoSumStableScale, ["alpha"]);
  // the stable quartile costs ~1 s near α = 0.5 (Fourier integrals): valid α are drawn from
  // [1, 2] and valid samples are Gaussian, whose fit lands there, to keep this file fast
  const slowAlpha = (a: number) => a >= 0.5 && a < 1;
  check(
    [fc.oneof(
      { arbitrary: anyNumber.filter((a) => !slowAlpha(a)), weight: 3 },
      { arbitrary: fc.double({ min: 1, max: 2, noNaN: true }), weight: 1 },
    )],
    symmetricStableQuartile,
    ["alpha"],
  );
  const gaussian = fc.integer({ min: 0, max: 1000 }).map((s) =>
    sampleNormal(createPrng(s), 100, 0, 3)
  );
  check(
    [fc.oneof(
      {
        arbitrary: fc.oneof(
          anyArray,
          fc.constantFrom(
            new Array(100).fill(0),
            new Array(100).fill(3),
            Array.from({ length: 100 }, (_, i) => 1e300 * (i + 1)),
            Array.from({ length: 100 }, (_, i) => (i === 3 ? NaN : i)),
            null,
            "abc",
          ),
        ),
        weight: 4,
      },
      { arbitrary: gaussian, weight: 1 },
    )],
    fitSymmetricStable,
    ["x"],
  );
  check([sample(8)], normalityTests, ["x"]);
  check([sample(3)], qqPoints, ["x"]);
  check([anyNumber, anyNumber], lillieforsPValue, ["d", "n"]);
  check([anyNumber, anyNumber], andersonDarlingPValue, ["a2", "n"]);
  check([sample(2)], standardise, ["x"]);
  check([sample(1)], centralMoments, ["x"]);
  check(
    [anyNumber, anyNumber, anyNumber, anyNumber],
    (s, n, m2, m4) => batchMeanKurtosis(s, n, { m2, m4 }),
    ["batchSize", "populationSize", "m2", "m4"],
  );
  check([sample(4), fc.oneof(anyNumber, fc.constant(2)), anyNumber], meanZeroTest, [
    "series",
    "n",
    "alpha",
  ]);
});

Deno.test("property: ranks, regression, matrices and density distances", () => {
  check([sample(3)], averageRanks, ["x"]);
  check([sample(3), sample(3)], spearmanCorrelation, ["x", "y"]);
  check(
    [sample(3), sample(3), anyPrng, fc.constantFrom("less", "greater", "two-sided", "up", 3)],
    (x, y, prng, alternative) => spearmanTest(x, y, { prng, alternative, permutations: 20 }),
    ["x", "y", "prng", "alternative"],
    // the critical value is Infinity by contract when no null value is extreme enough
    (t) => allFinite({ ...t, critical: 0 }) && Math.abs(t.critical) >= 0,
  );
  check([sample(3), sample(3), anyNumber], linearFit, ["x", "y", "level"]);
  check([sample(3), sample(3), sample(3)], weightedLinearFit, ["x", "y", "w"]);
  const matrix = fc.record({ rows: anyNumber, cols: anyNumber, data: sample(4) });
  check([matrix], (m) => assertRowMatrix("m", m), ["m"]);
  check([matrix, anyNumber], assertOrthonormalRows, ["basis", "dim"]);
  check([matrix, sample(2)], projectOntoRows, ["basis", "u"]);
  check([sample(4), anyNumber], (d, n) => symmetrise(d as Float64Array, n), ["data", "n"]);
  check([sample(1)], diagonalMatrix, ["values"]);
  check([matrix, anyNumber], scaledMatrix, ["m", "factor"]);
  check(
    [sample(1), anyNumber, anyNumber, anyNumber],
    (v, lower, upper, bins) => histogramMass(v, { lower, upper, bins }),
    ["values", "lower", "upper", "bins"],
  );
  check([sample(1), anyNumber, anyNumber], cellMass, ["density", "cellWidth", "group"]);
  check(
    [sample(1), sample(1)],
    (m, r) => l1Distance({ mass: Float64Array.from(m ?? []), below: 0, above: 0, count: 1 }, r),
    ["reference", "mass"],
  );
  check(
    [sample(1), sample(1), anyNumber, anyNumber],
    (v, d, lower, cellWidth) => ksDistance(v, d, { lower, cellWidth }),
    ["values", "density", "lower", "cellWidth"],
  );
  check([sample(1), anyNumber], expectedSamplingL1, ["mass", "n"]);
  check([sample(1), fc.oneof(anyNumber, fc.constant(5)), anyPrng, anyNumber], samplingL1, [
    "mass",
    "n",
    "prng",
    "replicates",
  ]);
});
