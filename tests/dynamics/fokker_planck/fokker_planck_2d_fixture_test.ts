/**
 * FokkerPlanck2D with absorbing walls and cross diffusion against a dense numpy/scipy
 * re-implementation of the same discretisation (tests/fixtures/fokker_planck_2d/make.py →
 * data.json): the assembled generator, backward Euler steps with the outflow per side, the
 * mean first passage time and the escape rate with its quasi-stationary density.
 */
import assert from "node:assert/strict";
import { type Boundaries2D, FokkerPlanck2D } from "../../../lib/dynamics/fokker_planck/mod.ts";
import { assertAllClose } from "../../_assert.ts";
import { maxAbs, toDense } from "./_helpers.ts";

interface FixtureCase {
  name: string;
  crossDiffusion: "monotone" | "central";
  boundary: Required<Boundaries2D>;
  generator: { rows: number[]; cols: number[]; values: number[] };
  steps: number;
  dt: number;
  density: number[];
  outflow: Record<string, number>;
  meanFirstPassageTime: number[];
  rate: number;
  quasiStationary: number[];
}

const data = JSON.parse(
  await Deno.readTextFile(new URL("../../fixtures/fokker_planck_2d/data.json", import.meta.url)),
) as {
  problem: {
    driftMatrix: [[number, number], [number, number]];
    driftOffset: [number, number];
    diffusionXX: number;
    diffusionXY: [number, number, number];
    diffusionYY: number;
    initialCenter: [number, number];
    initialVariance: number;
  };
  grid: { xDomain: [number, number]; yDomain: [number, number]; cells: [number, number] };
  cases: FixtureCase[];
};

/** The fixture's problem, with the same formulas as make.py. */
function solver(c: FixtureCase): FokkerPlanck2D {
  const p = data.problem, [[b11, b12], [b21, b22]] = p.driftMatrix, [o1, o2] = p.driftOffset;
  const [a, bx, by] = p.diffusionXY, [cx, cy] = p.initialCenter, v = p.initialVariance;
  return new FokkerPlanck2D({
    ...data.grid,
    drift: (x, y) => [-(b11 * x + b12 * y) + o1, -(b21 * x + b22 * y) + o2],
    diffusion: (x, y) => [p.diffusionXX, a + bx * x + by * y, p.diffusionYY],
    initial: (x, y) => Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * v)),
    boundary: c.boundary,
    crossDiffusion: c.crossDiffusion,
    tolerance: 1e-12,
    // the central cross stencil leaves small negative values next to absorbing walls on this
    // coarse grid (the reference has them too); the check is not what is tested here
    negativeTolerance: 0.05,
  });
}

for (const c of data.cases) {
  Deno.test(`FokkerPlanck2D matches the numpy reference (${c.name}): generator, steps, outflow, MFPT, escape rate`, () => {
    const fp = solver(c), n = fp.size;
    // assembly: the same formulas summed in another order, and tanh of another libm: a few ulps
    // of the largest entry
    const a = toDense(fp.generator()).flat(), ref = new Float64Array(n * n);
    c.generator.rows.forEach((
      r,
      e,
    ) => (ref[r * n + c.generator.cols[e]!] = c.generator.values[e]!));
    assertAllClose(a, ref, { rtol: 0, atol: 1e-12 * maxAbs(ref) });
    // backward Euler steps: BiCGSTAB to a relative residual of 1e-12 against a dense solve
    fp.run(c.steps, c.dt);
    assertAllClose(fp.density, c.density, { rtol: 0, atol: 1e-9 * maxAbs(c.density) });
    const out = fp.outflow();
    for (const side of ["left", "right", "bottom", "top"]) {
      assertAllClose(out[side]!, c.outflow[side]!, { rtol: 1e-8, atol: 1e-13 });
    }
    // the reference conserves mass + outflow exactly, and so do we (to round-off)
    assertAllClose(fp.mass() + out.total, 1, { atol: 1e-12 });
    // generator solves stop at a relative residual of 1e-10; A's condition number here is
    // ~1e2, so the mean first passage time agrees to ~1e-8
    const tau = fp.solveGenerator(new Float64Array(n).fill(-1), true);
    assertAllClose(tau, c.meanFirstPassageTime, { rtol: 1e-7 });
    // inverse iteration to a relative change of 1e-12 in λ; the density converges at the
    // square root of that rate
    const q = fp.quasiStationary();
    assertAllClose(q.rate, c.rate, { rtol: 1e-9 });
    assertAllClose(q.density, c.quasiStationary, {
      rtol: 0,
      atol: 1e-6 * maxAbs(c.quasiStationary),
    });
    assertAllClose(q.fluxOverPopulation, q.rate, { rtol: 1e-6 });
    assert.ok(c.crossDiffusion === "central" ? !fp.monotone : true);
  });
}
