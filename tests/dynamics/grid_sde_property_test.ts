/**
 * Generated bad input against the Fokker–Planck solvers, the particle simulators, the landscapes,
 * grid densities and interpolation, the sharp/flat model and the cloud comparison: every call
 * returns a finite, in-contract result or throws a RangeError/TypeError naming the argument (small
 * grids, few particles, few steps); and the named examples of the reliability issue.
 */
import assert from "node:assert/strict";
import { cloudAgainstDensity } from "../../lib/dynamics/cloud_against_density.ts";
import { FokkerPlanck1D, FokkerPlanck2D } from "../../lib/dynamics/fokker_planck/mod.ts";
import {
  gridMask,
  gridVariance,
  massAbove,
  regionMass,
  regionMoments,
} from "../../lib/dynamics/grid_density.ts";
import { bilinearAt, linearAt } from "../../lib/dynamics/grid_interpolation.ts";
import {
  AsymmetricDoubleWell,
  Quadratic,
  sharpFlatLandscape2d,
  SoftMinQuadratics,
  StyblinskiTang,
} from "../../lib/dynamics/landscapes.ts";
import {
  eulerMaruyama,
  sgdNoiseCovariance,
  simulateGradientSde,
  simulateLangevin,
  simulateSgd,
  stepsAtTimes,
} from "../../lib/dynamics/sde/mod.ts";
import { SeparableValley } from "../../lib/dynamics/separable_valley.ts";
import {
  sharpFlatFokkerPlanck,
  sharpFlatParticles,
  sharpFlatSgd,
} from "../../lib/dynamics/sharp_flat_sgd.ts";
import { createPrng } from "../../lib/stats/random.ts";
import { allFinite, anyArray, anyNumber, fc, namedOrValid, PROPERTY_RUNS } from "../_property.ts";

const small = fc.oneof(anyNumber, fc.integer({ min: 0, max: 12 }));
const pair = fc.tuple(anyNumber, anyNumber);
const unitMass = (fp: { mass(): number; density: Float64Array }) =>
  allFinite(fp.density) && Math.abs(fp.mass() - 1) < 1e-9;

Deno.test("property: FokkerPlanck1D construction, steps and states name bad arguments", () => {
  const names = ["domain", "cells", "drift", "diffusion", "initial", "dt", "tolerance"];
  fc.assert(
    fc.property(pair, small, anyNumber, anyNumber, anyNumber, (domain, cells, b, d, dt) => {
      namedOrValid(
        () => {
          const fp = new FokkerPlanck1D({
            domain,
            cells,
            drift: () => b,
            diffusion: d,
            maxPeclet: Infinity,
            boundary: ["reflecting", "absorbing"],
          });
          fp.step(dt);
          fp.quasiStationary();
          return fp;
        },
        names,
        unitMassOrLess,
      );
    }),
    PROPERTY_RUNS,
  );
  const fp = new FokkerPlanck1D({
    domain: [-1, 1],
    cells: 8,
    drift: (x) => -x,
    diffusion: 0.5,
    boundary: "absorbing",
  });
  fc.assert(
    fc.property(anyNumber, small, anyArray, (x, n, values) => {
      namedOrValid(() => fp.quasiStationary(x, n), ["tolerance", "maxIterations"], allFinite);
      namedOrValid(() => fp.solveGenerator(values), ["rhs"], allFinite);
      namedOrValid(() => fp.applyGenerator(values), ["x"], allFinite);
      namedOrValid(() => fp.setDensity(values), ["density"]);
    }),
    PROPERTY_RUNS,
  );
});

function unitMassOrLess(fp: { mass(): number; density: Float64Array }): boolean {
  return allFinite(fp.density) && fp.mass() <= 1 + 1e-9 && fp.mass() >= 0;
}

Deno.test("property: FokkerPlanck2D construction names bad arguments", () => {
  const names = ["xDomain", "yDomain", "cells", "drift", "diffusion", "initial", "tolerance"];
  fc.assert(
    fc.property(pair, pair, small, small, anyNumber, anyNumber, (xd, yd, nx, ny, b, d) => {
      namedOrValid(
        () =>
          new FokkerPlanck2D({
            xDomain: xd,
            yDomain: yd,
            cells: [nx, ny],
            drift: () => [b, -b],
            diffusion: d,
            maxPeclet: Infinity,
          }),
        names,
        unitMass,
      );
    }),
    { ...PROPERTY_RUNS, numRuns: 100 },
  );
});

Deno.test("property: particle simulators name bad options, drifts and diffusions", () => {
  const well = new AsymmetricDoubleWell({ curvatureMin: 1, curvatureBarrier: 1, barrierHeight: 1 });
  const names = [
    "initial",
    "count",
    "steps",
    "dt",
    "learningRate",
    "batchSize",
    "diffusion",
    "drift",
    "sigma",
    "gradient",
    "recordEvery",
  ];
  const valid = (r: { positions: Float64Array }) => allFinite(r.positions);
  fc.assert(
    fc.property(anyArray, small, small, anyNumber, anyNumber, (initial, count, steps, a, b) => {
      const prng = createPrng(1);
      const base = { initial, count: count === 0 ? undefined : count, steps, prng };
      namedOrValid(
        () => simulateSgd(well, { ...base, learningRate: a, batchSize: b }),
        names,
        valid,
      );
      namedOrValid(
        () => simulateLangevin(well, { ...base, learningRate: a, diffusion: b }),
        names,
        valid,
      );
      namedOrValid(() => simulateGradientSde(well, { ...base, dt: a, diffusion: b }), names, valid);
      namedOrValid(
        () => simulateGradientSde(well, { ...base, dt: 0.1, diffusion: [() => b] }),
        names,
        valid,
      );
      namedOrValid(
        () =>
          eulerMaruyama({
            ...base,
            dim: 1,
            dt: 0.1,
            drift: (_x, out) => void (out[0] = a),
            sigma: b,
            recordEvery: count,
          }),
        names,
        valid,
      );
    }),
    PROPERTY_RUNS,
  );
  fc.assert(
    fc.property(anyArray, anyNumber, anyArray, (times, dt, h) => {
      namedOrValid(
        () => stepsAtTimes(times, dt),
        ["times", "dt", "time"],
        (s) => s.every(Number.isInteger),
      );
      namedOrValid(() => sgdNoiseCovariance(h, dt), ["hessian", "batchSize"], allFinite);
    }),
    PROPERTY_RUNS,
  );
});

Deno.test("property: landscapes name bad construction arguments and points", () => {
  fc.assert(
    fc.property(anyArray, anyArray, anyNumber, anyNumber, (m, c, t, x) => {
      namedOrValid(() => new Quadratic({ matrix: m, center: c }).gradient(c), [
        "matrix",
        "center",
        "x",
      ], allFinite);
      namedOrValid(
        () => new SoftMinQuadratics({ bowls: [{ center: c, hessian: m }], temperature: t }).loss(c),
        ["bowls", "temperature", "x"],
        Number.isFinite,
      );
      namedOrValid(
        () => new StyblinskiTang({ dim: t, scale: x }).loss([x]),
        ["dim", "scale", "x"],
        Number.isFinite,
      );
      namedOrValid(
        () =>
          new AsymmetricDoubleWell({ curvatureMin: t, curvatureBarrier: x, barrierHeight: 1 })
            .slope(x),
        ["curvatureMin", "curvatureBarrier", "x"],
        Number.isFinite,
      );
      const v = new SeparableValley([{ kind: "two-sided", curvature: 1, barrier: 1 }]);
      namedOrValid(() => v.exitAxis(c, 0, t), ["x", "margin"], Number.isInteger);
      namedOrValid(() => v.profile(t, x), ["i", "x"], Number.isFinite);
      namedOrValid(() => new SeparableValley([{ kind: "wall", curvature: t, barrier: x }]), [
        "axes[0]",
      ]);
    }),
    PROPERTY_RUNS,
  );
});

Deno.test("property: grid densities, interpolation, the sharp/flat model and the cloud comparison", () => {
  fc.assert(
    fc.property(anyArray, anyArray, anyNumber, anyNumber, anyNumber, (d, c, h, x, y) => {
      namedOrValid(
        () => massAbove(d, x, h, y),
        ["density", "lower", "cellWidth", "x"],
        Number.isFinite,
      );
      namedOrValid(
        () => gridVariance(d, c, h),
        ["density", "centers", "cellWidth"],
        Number.isFinite,
      );
      namedOrValid(() => gridMask(c, d, () => true), ["xCenters", "yCenters"]);
      namedOrValid(() => regionMass(d, h, c), ["density", "cellVolume", "mask"], Number.isFinite);
      namedOrValid(() => regionMoments(d, c, [0], h, d), [
        "density",
        "xCenters",
        "cellVolume",
        "mask",
        "region",
      ], allFinite);
      namedOrValid(() => linearAt(c, d, x), ["centers", "values", "x"], Number.isFinite);
      namedOrValid(
        () => bilinearAt(c, [0, 1], d, x, y),
        ["xCenters", "values", "x", "y"],
        Number.isFinite,
      );
    }),
    PROPERTY_RUNS,
  );
  fc.assert(
    fc.property(anyNumber, anyNumber, pair, anyNumber, small, (ratio, t, center, cell, count) => {
      const names = [
        "ratio",
        "temperature",
        "sharpCenter",
        "sharpCurvature",
        "cell",
        "count",
        "dt",
        "sd",
        "xDomain",
      ];
      namedOrValid(
        () => {
          const m = sharpFlatSgd({ ratio, temperature: t, sharpCenter: center });
          sharpFlatFokkerPlanck(m, { xDomain: [-2, 2], yDomain: [-1, 1], cell, initial: () => 1 });
          return sharpFlatParticles(m, {
            dt: 0.01,
            count,
            times: [0.02],
            start: center,
            sd: t,
            prng: createPrng(2),
          });
        },
        names,
        allFinite,
      );
    }),
    { ...PROPERTY_RUNS, numRuns: 60 },
  );
  fc.assert(
    fc.property(anyArray, anyNumber, anyNumber, (s, lower, w) => {
      namedOrValid(
        () =>
          cloudAgainstDensity([Float64Array.from(s)], [[1, 1]], [[0.5, 0.5]], {
            lower,
            upper: lower + 2,
            bins: 2,
            cellWidth: w,
            threshold: 0,
          }),
        ["snapshots", "densities", "lower", "upper", "cellWidth", "bins", "density", "mass"],
        allFinite,
      );
    }),
    PROPERTY_RUNS,
  );
});

Deno.test("dynamics: the issue's examples now name the argument", () => {
  const base = { cells: 10, drift: (x: number) => -x, diffusion: 0.5 };
  assert.throws(() => new FokkerPlanck1D({ ...base, domain: [-1e308, 1e308] }), {
    name: "RangeError",
    message: /^domain must have a finite width upper − lower/,
  });
  assert.throws(() => new FokkerPlanck1D({ ...base, domain: [0, 1], cells: 1e12 }), {
    name: "RangeError",
    message: "cells must be an integer in [3, 4000000], got 1000000000000",
  });
  assert.throws(
    () =>
      new FokkerPlanck2D({
        xDomain: [0, 1],
        yDomain: [0, 1],
        cells: [1e4, 1e4],
        drift: () => [0, 0],
        diffusion: 1,
      }),
    /^RangeError: cells must have nx·ny at most 4000000/,
  );
  assert.throws(
    () =>
      eulerMaruyama({
        dim: 1,
        dt: 0.1,
        initial: [0.5],
        steps: 3,
        prng: createPrng(1),
        drift: (_x, out) => void (out[0] = NaN),
        sigma: 1,
      }),
    {
      name: "RangeError",
      message: "drift returned a non-finite value drift[0] = NaN at x = [0.5] (particle 0, step 1)",
    },
  );
  const v = new SeparableValley([{ kind: "two-sided", curvature: 1, barrier: 1 }]);
  assert.throws(() => v.exitAxis([NaN, NaN]), {
    name: "RangeError",
    message: "x[0] must be finite, got NaN",
  });
  assert.throws(
    () => new FokkerPlanck1D({ ...base, domain: [0, 1], initial: () => NaN }),
    /^RangeError: initial must be finite/,
  );
  const fp = new FokkerPlanck1D({ ...base, domain: [-1, 1], boundary: "absorbing" });
  assert.throws(() => fp.quasiStationary(NaN), {
    message: "tolerance must be a finite number > 0, got NaN",
  });
  assert.throws(() => fp.quasiStationary(-1), {
    message: "tolerance must be a finite number > 0, got -1",
  });
  assert.throws(() => fp.quasiStationary(1e-12, 2.5), {
    message: "maxIterations must be an integer >= 1, got 2.5",
  });
  assert.throws(
    () => fp.quasiStationary(1e-300, 2),
    /^RangeError: quasiStationary did not converge/,
  );
  assert.throws(
    () => fp.advanceTo(1e300, 1e-3),
    /^RangeError: advanceTo\(1e\+300, maxDt = 0.001\) would take/,
  );
  assert.throws(() => sharpFlatSgd({ ratio: 1, sharpCenter: [NaN, 0] }), {
    message: "sharpCenter[0] must be finite, got NaN",
  });
  assert.throws(() => sharpFlatLandscape2d({ temperature: 0 }), {
    message: "temperature must be a finite number > 0, got 0",
  });
});
