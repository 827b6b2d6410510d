import assert from "node:assert/strict";
import { AsymmetricDoubleWell, Quadratic } from "../../../lib/dynamics/landscapes.ts";
import { SeparableValley } from "../../../lib/dynamics/separable_valley.ts";
import { createPrng } from "../../../lib/stats/random.ts";
import { eulerMaruyama } from "../../../lib/dynamics/sde/euler_maruyama.ts";
import { simulateGradientSde } from "../../../lib/dynamics/sde/gradient_sde.ts";
import { stepsAtTimes } from "../../../lib/dynamics/sde/particles.ts";
import { meanSd } from "../../_assert.ts";

const well = new AsymmetricDoubleWell({
  curvatureMin: 4,
  curvatureBarrier: 1,
  barrierHeight: 0.05,
});
const D1 = (x: number) => 0.01 * (1 + x * x);

Deno.test("simulateGradientSde: bit for bit eulerMaruyama with drift −∇L and σ = diag √(2D), exits included", () => {
  const exit = (x: Float64Array, o: number) => x[o]! > well.xBarrier + 0.1;
  const common = { dt: 0.01, steps: 300, initial: [well.xMin], count: 500, exit };
  const a = simulateGradientSde(well, { ...common, prng: createPrng(1), diffusion: [D1] });
  const b = eulerMaruyama({
    ...common,
    dim: 1,
    prng: createPrng(1),
    drift: (x, out, o, oo) => {
      out[oo] = -well.slope(x[o]!);
    },
    sigma: (x, out, o, oo) => {
      out[oo] = Math.sqrt(2 * D1(x[o]!));
    },
  });
  assert.deepEqual(a.positions, b.positions);
  assert.deepEqual(a.exitStep, b.exitStep);
  // a separable 3-D valley: per-coordinate functions, constants and the writer form agree too
  const v = new SeparableValley([
    { kind: "two-sided", curvature: 4, barrier: 0.1 },
    { kind: "wall", curvature: 1, barrier: 1 },
    { kind: "one-sided", curvature: 2, barrier: 0.1 },
  ]);
  const Ds = [D1, 0.02, (x: number) => 0.03 + x * x] as const;
  const f = (i: number, x: number) => {
    const e = Ds[i]!;
    return typeof e === "number" ? e : e(x);
  };
  const opts = {
    dt: 0.005,
    steps: 200,
    initial: [0, 0, 0],
    count: 300,
    exit: (x: Float64Array, o: number) => v.exitAxis(x, o) >= 0,
  };
  const c = simulateGradientSde(v, { ...opts, prng: createPrng(2), diffusion: Ds });
  const d = simulateGradientSde(v, {
    ...opts,
    prng: createPrng(2),
    diffusion: (x, o, out) => {
      for (let i = 0; i < 3; i++) out[i] = f(i, x[o + i]!);
    },
  });
  const e = eulerMaruyama({
    ...opts,
    dim: 3,
    prng: createPrng(2),
    drift: (x, out, o, oo) => {
      for (let i = 0; i < 3; i++) out[oo + i] = -v.slope(i, x[o + i]!);
    },
    sigma: (x, out, o, oo) => {
      for (let i = 0; i < 9; i++) out[oo + i] = 0;
      for (let i = 0; i < 3; i++) out[oo + 4 * i] = Math.sqrt(2 * f(i, x[o + i]!));
    },
  });
  assert.deepEqual(c.positions, d.positions);
  assert.deepEqual(c.positions, e.positions);
  assert.deepEqual(c.exitStep, e.exitStep);
  assert.ok(c.exited > 0 && c.exited < 300, `${c.exited} exits`);
});

Deno.test("simulateGradientSde: with dt = η and D = ηF/(2S) it is SGD with N(0, F/S) noise: stationary variance ηF/(Sh(2 − ηh))", () => {
  // θ ← (1 − ηh)θ + η√(F/S) z on L = hθ²/2: Var = η²(F/S)/(1 − (1 − ηh)²) = ηF/(S h (2 − ηh))
  const h = 3, eta = 0.2, F = 3, S = 2, n = 40000;
  const run = simulateGradientSde(new Quadratic({ matrix: [h] }), {
    dt: eta,
    diffusion: (eta * F) / (2 * S),
    initial: [0],
    count: n,
    steps: 100, // (1 − ηh)^200 = 0.4^200: stationary
    prng: createPrng(3),
  });
  const v = (eta * F) / (S * h * (2 - eta * h)); // 0.125 (the SDE's ηF/(2Sh) = 0.05)
  const { sd } = meanSd(run.positions);
  // sd of a sample variance of n Gaussians: v√(2/n); 5σ
  assert.ok(Math.abs(sd * sd - v) < 5 * v * Math.sqrt(2 / n), `var ${sd * sd} vs ${v}`);
});

Deno.test("recordAt with stepsAtTimes: snapshots equal the positions of runs stopped at each time", () => {
  const times = [0.05, 0.2, 0.3], dt = 0.01, steps = stepsAtTimes(times, dt);
  assert.deepEqual(steps, [5, 20, 30]);
  const one = simulateGradientSde(well, {
    dt,
    diffusion: [D1],
    initial: [0, 0.1, 0.2],
    steps: steps.at(-1)!,
    recordAt: steps,
    prng: createPrng(4),
  });
  assert.deepEqual(one.snapshotSteps, steps);
  const prng = createPrng(4);
  let pos: Float64Array = Float64Array.of(0, 0.1, 0.2), done = 0;
  steps.forEach((s, k) => {
    pos = simulateGradientSde(well, { dt, diffusion: [D1], initial: pos, steps: s - done, prng })
      .positions;
    done = s;
    assert.deepEqual(one.snapshots[k], pos);
  });
  assert.throws(() => stepsAtTimes([0.05, 0.125], 0.01), {
    name: "RangeError",
    message: "time 0.125 is not a multiple of the step 0.01",
  });
  assert.throws(() => stepsAtTimes([0.2, 0.1], 0.01), {
    name: "RangeError",
    message: "times must increase from 0, got 0.1 after 0.2",
  });
});

Deno.test("simulateGradientSde: bad diffusion named; a negative D throws at the first step", () => {
  const base = { dt: 0.01, initial: [0], steps: 1, prng: createPrng(1) };
  assert.throws(() => simulateGradientSde(well, { ...base, diffusion: -1 }), {
    name: "RangeError",
    message: "diffusion must be a finite number >= 0, got -1",
  });
  assert.throws(() => simulateGradientSde(well, { ...base, diffusion: [1, 2] }), {
    name: "RangeError",
    message:
      "diffusion must be a number, a function or 1 entries (one per coordinate), got 2 entries",
  });
  assert.throws(() => simulateGradientSde(well, { ...base, dt: 0, diffusion: 1 }), {
    name: "RangeError",
    message: "dt must be a finite number > 0, got 0",
  });
  assert.throws(
    () => simulateGradientSde(well, { ...base, diffusion: [() => -1] }),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message ===
        "diffusion returned a negative or non-finite value diffusion[0] = -1 at x = [0] (particle 0, step 1)",
  );
});
