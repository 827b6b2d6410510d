/**
 * Generated bad input against escape.ts, noise_curvature.ts and stationary_density.ts: every call
 * returns a finite, in-contract result or throws a RangeError/TypeError naming the argument; and
 * the named examples of the reliability issue, message by message.
 */
import assert from "node:assert/strict";
import {
  escapeFromRun,
  exactMeanFirstPassageTime1D,
  fluxOverPopulation1D,
  kramersEscapeTime,
  meanFirstPassageTime1D,
  type Mfpt1DOptions,
  pathParameter,
  xieEscapeTime,
} from "../../lib/dynamics/escape.ts";
import { AsymmetricDoubleWell } from "../../lib/dynamics/landscapes.ts";
import {
  doubleWellNoiseCurvature,
  levelInterpolatedCurvature,
  separableNoiseCurvature,
  sgdDiffusion,
} from "../../lib/dynamics/noise_curvature.ts";
import type { ParticleRun } from "../../lib/dynamics/sde/mod.ts";
import { SeparableValley } from "../../lib/dynamics/separable_valley.ts";
import { stationaryDensity1D } from "../../lib/dynamics/stationary_density.ts";
import { allFinite, anyArray, anyNumber, fc, namedOrValid, PROPERTY_RUNS } from "../_property.ts";

const positiveFinite = (v: number) => Number.isFinite(v) && v > 0;

Deno.test("property: kramersEscapeTime, xieEscapeTime and pathParameter give a finite time or name the argument", () => {
  fc.assert(
    fc.property(anyNumber, anyNumber, anyNumber, anyNumber, (deltaL, hA, hB, diffusion) => {
      namedOrValid(
        () => kramersEscapeTime({ deltaL, hA, hB, diffusion }),
        ["deltaL", "hA", "hB", "diffusion"],
        positiveFinite,
      );
    }),
    PROPERTY_RUNS,
  );
  fc.assert(
    fc.property(anyNumber, anyNumber, anyNumber, anyNumber, anyNumber, anyNumber, (...v) => {
      const [deltaL, hA, hB, eta, batchSize, s] = v;
      namedOrValid(
        () => xieEscapeTime({ deltaL, hA, hB, eta, batchSize, s }),
        ["deltaL", "hA", "hB", "eta", "batchSize", "s"],
        positiveFinite,
      );
    }),
    PROPERTY_RUNS,
  );
  fc.assert(
    fc.property(anyNumber, anyNumber, (hA, hB) => {
      namedOrValid(() => pathParameter(hA, hB), ["hA", "hB"], (s) => s > 0 && s < 1);
    }),
    PROPERTY_RUNS,
  );
});

function valley(a: number, b: number, slope: number, diffusion: number): Mfpt1DOptions {
  return { reflecting: a, absorbing: b, gradient: (x) => slope * x, diffusion };
}

Deno.test("property: the 1-D mean-first-passage routines give finite times or name the argument", () => {
  const names = ["reflecting", "absorbing", "x0", "diffusion", "gradient", "cells", "points", "o"];
  const small = fc.oneof(anyNumber, fc.integer({ min: 3, max: 40 }));
  fc.assert(
    fc.property(anyNumber, anyNumber, anyNumber, anyNumber, anyNumber, small, (...v) => {
      const [a, b, x0, slope, d, cells] = v;
      const o = valley(a, b, Number.isFinite(slope) ? slope % 3 : slope, d);
      namedOrValid(
        () => meanFirstPassageTime1D(o, x0, cells),
        names,
        (r) => allFinite(r) && r.atStart >= 0,
      );
      namedOrValid(() => fluxOverPopulation1D(o, cells), names, allFinite);
      namedOrValid(() => exactMeanFirstPassageTime1D(o, x0, 101), names, (t) => t >= 0);
    }),
    { ...PROPERTY_RUNS, numRuns: 60 },
  );
  fc.assert(
    fc.property(anyNumber, (points) => {
      namedOrValid(() => exactMeanFirstPassageTime1D(valley(-1, 1, 1, 1), 0, points), [
        "points",
      ], positiveFinite);
    }),
    PROPERTY_RUNS,
  );
});

Deno.test("property: escapeFromRun validates the run record and gives a finite mean or names it", () => {
  fc.assert(
    fc.property(anyNumber, anyNumber, anyArray, anyNumber, (count, steps, exits, dt) => {
      const run = {
        dim: 1,
        count,
        dt: 1,
        steps,
        positions: new Float64Array(0),
        exitStep: exits,
        exited: 0,
        snapshots: [],
        snapshotSteps: [],
      } as unknown as ParticleRun;
      namedOrValid(
        () => escapeFromRun(run, dt),
        ["run.count", "run.steps", "run.exitStep", "dt", "escaped"],
        (e) => allFinite(e) && e.mean > 0,
      );
    }),
    PROPERTY_RUNS,
  );
});

Deno.test("property: noise curvature, SGD diffusion and the stationary law name bad arguments", () => {
  fc.assert(
    fc.property(anyNumber, anyNumber, anyNumber, anyNumber, anyNumber, (lossMin, dl, hA, hB, x) => {
      namedOrValid(
        () => levelInterpolatedCurvature((t) => t * t, { lossMin, deltaL: dl, hA, hB })(x),
        ["lossMin", "deltaL", "hA", "hB", "loss"],
        Number.isFinite,
      );
    }),
    PROPERTY_RUNS,
  );
  const well = new AsymmetricDoubleWell({ curvatureMin: 1, curvatureBarrier: 1, barrierHeight: 1 });
  const sep = new SeparableValley([{ kind: "two-sided", curvature: 1, barrier: 1 }]);
  fc.assert(
    fc.property(anyNumber, anyNumber, anyNumber, anyNumber, (c, eta, s, i) => {
      namedOrValid(() => sgdDiffusion(c, eta, s), ["curvature", "learningRate", "batchSize"], (
        d,
      ) => Number.isFinite(d) && d >= 0);
      namedOrValid(() => separableNoiseCurvature(sep, i)(0), ["i"], positiveFinite);
      namedOrValid(() => doubleWellNoiseCurvature(well)(c), ["x"], positiveFinite);
    }),
    PROPERTY_RUNS,
  );
  fc.assert(
    fc.property(anyArray, anyNumber, anyNumber, (centers, h, d) => {
      namedOrValid(
        () => stationaryDensity1D({ gradient: (x) => x, diffusion: d }, centers, h),
        ["centers", "cellWidth", "diffusion", "stationary density"],
        (p) => allFinite(p) && p.every((v) => v >= 0),
      );
    }),
    PROPERTY_RUNS,
  );
  for (const bad of [null, 3, "x", {}]) {
    namedOrValid(
      () => kramersEscapeTime(bad as never),
      ["p", "deltaL"],
    );
    namedOrValid(() => meanFirstPassageTime1D(bad as never, 0), ["o", "reflecting"]);
    namedOrValid(() => doubleWellNoiseCurvature(bad as never), ["well"]);
    namedOrValid(() => separableNoiseCurvature(bad as never, 0), ["valley"]);
    namedOrValid(() => stationaryDensity1D(bad as never, [0, 1], 1), ["sde", "gradient"]);
  }
});

Deno.test("escape: the issue's examples now name the argument", () => {
  const run = (over: Partial<ParticleRun>): ParticleRun => ({
    dim: 1,
    count: 3,
    dt: 1,
    steps: 10,
    positions: new Float64Array(3),
    exitStep: Int32Array.of(7, -1, 3),
    exited: 2,
    snapshots: [],
    snapshotSteps: [],
    ...over,
  });
  assert.throws(() => escapeFromRun(run({ steps: NaN })), {
    name: "RangeError",
    message: "run.steps must be an integer >= 0, got NaN",
  });
  assert.throws(() => escapeFromRun(run({ exitStep: Int32Array.of(7) })), {
    name: "RangeError",
    message: "run.exitStep must have run.count = 3 entries, got 1",
  });
  assert.throws(() => escapeFromRun(run({ exitStep: Int32Array.of(7, 11, 3) })), {
    name: "RangeError",
    message: "run.exitStep[1] must be an integer in [-1, run.steps = 10], got 11",
  });
  assert.throws(() => escapeFromRun(run({ exitStep: Int32Array.of(0, 0, 0) })), /all zeros/);
  const o = valley(-1, 1, 1, 0.5);
  for (const x0 of [100, NaN]) {
    const message = `x0 must lie between -1 and 1, got ${x0}`;
    assert.throws(() => meanFirstPassageTime1D(o, x0), { name: "RangeError", message });
    assert.throws(() => exactMeanFirstPassageTime1D(o, x0), { name: "RangeError", message });
  }
  assert.throws(() => kramersEscapeTime({ deltaL: 1000, hA: 1, hB: 1, diffusion: 1e-3 }), {
    name: "RangeError",
    message: /^the escape time overflows \(Infinity\) for deltaL, hA, hB, diffusion = /,
  });
});
