/**
 * The bad inputs of lib/stats that once gave a plausible wrong answer, a NaN or a hang, each with
 * the named error it gets now.
 */
import assert from "node:assert/strict";
import {
  centralMoments,
  createPrng,
  estimateTailIndex,
  fillNormal,
  fillRademacher,
  fitSymmetricStable,
  hillEstimator,
  histogramMass,
  ksDistance,
  linearFit,
  meanZeroTest,
  normalityTests,
  paretoSumStableScale,
  projectOntoRows,
  randomOrthonormalBasis,
  sampleNormal,
  samplePareto,
  samplePermutation,
  sampleStable,
  samplingL1,
  scaledMatrix,
  spearmanCorrelation,
  splitPrng,
  standardise,
  symmetricStablePdf,
  tailIndexInterval,
  weightedLinearFit,
} from "../../lib/stats/mod.ts";

const constant = (v: number, n = 100) => new Array<number>(n).fill(v);

Deno.test("tail indices reject constant samples (once α̂ = 1 for 100 equal values, −8e13 for zeros)", () => {
  for (const v of [0, 3]) {
    const message = new RegExp(
      `^RangeError: x must not be constant, got all values equal to ${v}$`,
    );
    assert.throws(() => estimateTailIndex(constant(v)), message);
    assert.throws(() => hillEstimator(constant(v), 10), message);
    assert.throws(() => fitSymmetricStable(constant(v)), message);
    assert.throws(() => tailIndexInterval(constant(v), { prng: createPrng(1) }), message);
    assert.throws(() => normalityTests(constant(v, 8)), message);
    assert.throws(() => standardise(constant(v, 2)), message);
  }
  // ties at the top: the k largest equal the (k+1)-th, so Σ log ratios = 0
  const tied = Array.from({ length: 100 }, (_, i) => (i < 50 ? 1 : 2));
  assert.throws(
    () => hillEstimator(tied, 10),
    /the k = 10 largest \|x\| all equal the \(k\+1\)-th, 2/,
  );
});

Deno.test("overflowing input is a named error, not slope 0, NaN r² or NaN moments", () => {
  const big = [1e200, 2e200, 3e200, 4e200, 5e200, 6e200, 7e200, 8e200];
  assert.throws(
    () => linearFit(big, [1, 2, 3, 4, 5, 6, 7, 8]),
    /^RangeError: x overflows double precision: Σ\(x − x̄\)² is Infinity; rescale x$/,
  );
  assert.throws(() => linearFit([1, 2, 3, 4, 5, 6, 7, 8], big), /^RangeError: y overflows/);
  assert.throws(() => weightedLinearFit(big.slice(0, 3), [1, 2, 3], [1, 1, 1]), /x overflows/);
  assert.throws(
    () => normalityTests(big),
    /^RangeError: x overflows double precision: Σ\(x − x̄\)²/,
  );
  assert.throws(() => centralMoments([1e100, -1e100]), /x overflows double precision: Σ\(x − x̄\)⁴/);
  assert.throws(() => standardise([1e308, 1.7e308]), /x overflows double precision: the mean/);
  assert.throws(() => meanZeroTest([1e200, -3e200, 2e200, 5e200], 4), /series overflows/);
  assert.throws(
    () => estimateTailIndex(Array.from({ length: 100 }, (_, i) => 1e308 * (1 - i / 1000))),
    /x overflows double precision: a block sum/,
  );
  // underflow of the moments
  assert.throws(
    () => normalityTests([1e-160, -2e-160, 3e-160, 0, 5e-161, -1e-160, 2e-160, 0]),
    /x under- or overflows double precision/,
  );
  assert.throws(
    () => sampleNormal(createPrng(1), 4, 1.5e308, 1e308),
    /sampleNormal draw \d overflowed to -?Infinity: mean 1.5e\+308 and sd 1e\+308/,
  );
  assert.throws(
    () => symmetricStablePdf([0], { alpha: 2, scale: 5e-324 }),
    /scale 5e-324 is too small: the density at x\[0\] is Infinity/,
  );
  assert.throws(
    () => paretoSumStableScale(1e-300),
    /alpha 1e-300 is too small: the scale under- or overflows to 0/,
  );
  assert.throws(
    () => scaledMatrix({ rows: 1, cols: 1, data: new Float64Array([1e300]) }, 1e10),
    /factor overflows/,
  );
  assert.throws(
    () => ksDistance([0], [1e300], { lower: 0, cellWidth: 1e10 }),
    /density times cellWidth 10000000000 overflows/,
  );
});

Deno.test("histogramMass: bounds ±1e308 (bin width overflows) still bin exactly", () => {
  const h = histogramMass([-1e308, -0.2e308, 0.3e308, 0.9e308], {
    lower: -1e308,
    upper: 1e308,
    bins: 4,
  });
  assert.deepEqual(Array.from(h.mass), [0.25, 0.25, 0.25, 0.25]);
  const g = histogramMass([0.6e308, 1e308], { lower: -1.5e308, upper: 1.5e308, bins: 3 });
  assert.deepEqual(Array.from(g.mass), [0, 0, 1]);
});

Deno.test("degenerate generators: bounded retries, then a named error about the generator", () => {
  for (const prng of [() => 0.5, () => 0, () => NaN, () => 2]) {
    assert.throws(
      () => fillNormal(prng, new Float64Array(4)),
      /^RangeError: prng gave 1000 rejected draws in a row \(last [^)]*\): it must return uniform numbers in \[0, 1\)$/,
    );
  }
  assert.throws(() => sampleStable(() => 0, 3, { alpha: 1.5 }), /prng gave 1000 rejected draws/);
  assert.throws(
    () => samplePareto(() => 2, 3, { alpha: 1.5 }),
    /^RangeError: prng must return numbers in \[0, 1\), got 2$/,
  );
  assert.throws(
    () => samplePermutation(() => NaN, 5),
    /prng must return numbers in \[0, 1\), got NaN/,
  );
  assert.throws(
    () => fillRademacher(() => -1, new Float64Array(2)),
    /prng must return numbers in \[0, 1\), got -1/,
  );
  assert.throws(() => splitPrng(() => 1), /prng must return numbers in \[0, 1\), got 1/);
  assert.throws(() => randomOrthonormalBasis(() => 0.5, 2, 3), /prng gave 1000 rejected draws/);
  assert.throws(
    () => tailIndexInterval(sampleNormal(createPrng(1), 100), { prng: () => 1.5 }),
    /prng must return numbers in \[0, 1\), got 1.5/,
  );
  assert.throws(
    () => samplingL1([0.5, 0.5], 3, () => NaN),
    /prng must return numbers in \[0, 1\), got NaN/,
  );
  assert.throws(
    () => fillNormal("x" as never, new Float64Array(2)),
    /^TypeError: prng must be a function, got "x"$/,
  );
  assert.throws(
    () => fillNormal(createPrng(1), [0, 0] as never),
    /^TypeError: out must be a Float64Array or Float32Array/,
  );
});

Deno.test("sizes are checked before allocating, against the stated limit", () => {
  assert.throws(
    () => sampleNormal(createPrng(1), 2 ** 40),
    /^RangeError: n = 1099511627776 values exceeds the allocation limit of 134217728 \(2\^27\)$/,
  );
  assert.throws(
    () => randomOrthonormalBasis(createPrng(1), 2 ** 14, 2 ** 14),
    /k·dim = 268435456 values exceeds the allocation limit/,
  );
  assert.throws(
    () => samplePermutation(createPrng(1), 2 ** 32 + 1, 1),
    /n = 4294967297 values exceeds/,
  );
  assert.throws(
    () => histogramMass([0], { lower: 0, upper: 1, bins: 2 ** 30 }),
    /bins = 1073741824 values exceeds/,
  );
});

Deno.test("wrong types and shapes name the argument", () => {
  assert.throws(
    () => linearFit(null as never, [1, 2, 3]),
    /^TypeError: x must be an array of numbers, got null$/,
  );
  assert.throws(
    () => spearmanCorrelation([1, 2, 3], undefined as never),
    /^TypeError: y must be an array of numbers, got undefined$/,
  );
  assert.throws(
    () => normalityTests(undefined as never),
    /^TypeError: x must be an array of numbers/,
  );
  const basis = { rows: 2, cols: 2, data: new Float64Array([1, 0, 0, 1]) };
  assert.throws(
    () => projectOntoRows(basis, [1]),
    /^RangeError: u must have at least basis.cols = 2 values, got 1$/,
  );
  assert.throws(() => projectOntoRows(basis, [NaN, 1]), /basis row 0 · u is NaN/);
  assert.throws(
    () => projectOntoRows({ rows: 1e308, cols: 2, data: new Float64Array(2) }, [1, 2]),
    /basis.data must have length rows·cols = Infinity, got 2/,
  );
  assert.throws(
    () => projectOntoRows({ rows: 1, cols: 2, data: null } as never, [1, 2]),
    /^TypeError: basis.data must be an array of numbers, got null$/,
  );
});
