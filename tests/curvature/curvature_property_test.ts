/**
 * Generated bad and good input for the public functions of lib/curvature: each call returns
 * finite, in-contract results or throws a RangeError/TypeError naming the argument.
 */
import { anyArray, anyNumber, checkCalls, fc } from "../_property.ts";
import {
  broadenedDensity,
  hessianMatrix,
  hessianSharpness,
  hessianVectorProduct,
  hutchinsonTrace,
  lossSlice,
  makeHvp,
  mlpParameterCount,
  projectedHessian,
  reluRescalingFactors,
  rescaleReluLayer,
  spectralDensity,
  topEigenpairs,
} from "../../lib/curvature/mod.ts";
import { createPrng } from "../../lib/stats/random.ts";
import { leastSquares } from "../noise/_fixtures.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const { oracle, thetaStar } = leastSquares(1, 12, 3, 0.5);
const theta = Array.from(thetaStar);
const count = fc.oneof(anyNumber, fc.integer({ min: 1, max: 6 }));
const anyPrng = fc.oneof(
  fc.integer({ min: 0, max: 100 }).map((s) => createPrng(s)),
  fc.constantFrom(() => 0.5, () => NaN, "prng", null),
);
const vec = fc.oneof(
  anyArray,
  fc.constant(theta),
  fc.constant([1, 0, 0]),
  fc.constant([1e300, 1e300, 0]),
);
const diag = (d: number[]) => (v: Float64Array, out = new Float64Array(v.length)) => {
  for (let i = 0; i < v.length; i++) out[i] = (d[i % d.length] ?? 0) * v[i]!;
  return out;
};
const anyMatvec = fc.oneof(
  fc.constant(diag([3, 2, 1, 0.5, 0.1, 0])),
  fc.constant(diag([NaN])),
  fc.constant(diag([1e308, -1e308])),
  fc.constantFrom(() => new Float64Array(1), "matvec", null),
);

Deno.test("property: Hessian-vector products, Lanczos, Hutchinson and SLQ", () => {
  checkCalls(
    [vec, vec, fc.option(anyNumber)],
    (t, v, step) => hessianVectorProduct(oracle, t, v, step === null ? {} : { step }),
    ["theta", "v", "step"],
  );
  checkCalls([vec], (t) => hessianMatrix(oracle, t), ["theta"]);
  checkCalls([fc.constantFrom(null, 3, {})], (o) => makeHvp(o, theta), ["oracle"]);
  checkCalls(
    [anyMatvec, count, count, anyPrng, fc.option(count)],
    (m, dim, k, prng, maxIter) => topEigenpairs(m, dim, k, { prng, maxIter: maxIter ?? undefined }),
    ["matvec", "dim", "k", "prng", "maxIter"],
  );
  checkCalls(
    [anyMatvec, count, anyPrng, count],
    (m, dim, prng, samples) => hutchinsonTrace(m, dim, { prng, samples }),
    ["matvec", "dim", "prng", "samples"],
  );
  checkCalls(
    [anyMatvec, count, anyPrng, count, count],
    (m, dim, prng, probes, steps) => spectralDensity(m, dim, { prng, probes, steps }),
    ["matvec", "dim", "prng", "probes", "steps"],
  );
  checkCalls(
    [anyArray, anyArray, anyNumber],
    (nodes, weights, width) =>
      broadenedDensity(
        { nodes: Float64Array.from(nodes), weights: Float64Array.from(weights) } as Any,
        [0, 1],
        width,
      ),
    ["nodes", "weights", "width", "spectrum", "x", "sigma"],
  );
  checkCalls(
    [
      anyMatvec,
      fc.constantFrom({ rows: 1, cols: 3, data: new Float64Array([1, 0, 0]) }, {
        rows: 1,
        cols: 3,
        data: new Float64Array([2, 0, 0]),
      }, null),
    ],
    projectedHessian,
    ["matvec", "basis"],
  );
  checkCalls(
    [anyMatvec, count, count, anyPrng],
    (m, dim, k, prng) => hessianSharpness(m, dim, { prng, k, traceProbes: 2 }),
    ["matvec", "dim", "k", "prng"],
  );
});

Deno.test("property: loss slices and ReLU rescaling", () => {
  checkCalls([vec, vec, anyArray], (t, d, offsets) => lossSlice(oracle, t, d, offsets), [
    "theta",
    "direction",
    "offsets",
  ]);
  const sizes = fc.oneof(
    anyArray,
    fc.constantFrom([784, -5, 10], [2, 3, 1], [2, 3], [4, 2.5, 1], null),
  );
  checkCalls([sizes], mlpParameterCount, ["sizes"]);
  checkCalls([sizes, count, anyNumber], reluRescalingFactors, ["sizes", "hidden", "alpha"]);
  checkCalls([vec, sizes, count, anyNumber], rescaleReluLayer, [
    "theta",
    "sizes",
    "hidden",
    "alpha",
  ]);
});
