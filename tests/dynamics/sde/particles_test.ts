import assert from "node:assert/strict";
import { Quadratic, StyblinskiTang } from "../../../lib/dynamics/landscapes.ts";
import { createPrng } from "../../../lib/stats/random.ts";
import { eulerMaruyama } from "../../../lib/dynamics/sde/euler_maruyama.ts";
import { simulateLangevin } from "../../../lib/dynamics/sde/simulators.ts";
import { runParticles } from "../../../lib/dynamics/sde/particles.ts";
import { assertAllClose, meanSd } from "../../_assert.ts";

Deno.test("exit: first exit steps are exact for a deterministic path; censored particles get −1", () => {
  const drift = (_x: Float64Array, out: Float64Array, _o: number, oo: number) => {
    out[oo] = 1;
  };
  const base = { dim: 1, dt: 0.1, drift, sigma: 0, prng: createPrng(1) };
  const run = eulerMaruyama({
    ...base,
    initial: [0, 0.5, 2],
    steps: 100,
    exit: (x, o) => x[o]! >= 1.05,
  });
  // from 0: 11 steps to 1.1; from 0.5: 6 steps to 1.1; from 2: inside the exit set at the start
  assert.deepEqual(Array.from(run.exitStep), [11, 6, 0]);
  assert.equal(run.exited, 3);
  assert.equal(run.steps, 11); // stops once all have exited
  assertAllClose(run.positions, [1.1, 1.1, 2], { rtol: 1e-12 });
  const censored = eulerMaruyama({
    ...base,
    initial: [0, 0.5],
    steps: 8,
    exit: (x, o) => x[o]! >= 1.05,
  });
  assert.deepEqual(Array.from(censored.exitStep), [-1, 6]);
  assert.equal(censored.exited, 1);
  assert.equal(censored.steps, 8);
  assertAllClose(censored.positions, [0.8, 1.1], { rtol: 1e-12 });
  const keepGoing = eulerMaruyama({
    ...base,
    initial: [0.5],
    steps: 20,
    exit: (x, o) => x[o]! >= 1.05,
    stopWhenAllExited: false,
  });
  assert.equal(keepGoing.steps, 20);
  assert.deepEqual(Array.from(keepGoing.exitStep), [6]);
});

Deno.test("exit: Wald's identity E[X_N] = μ dt E[N] holds for the recorded exit positions and steps", () => {
  // X_{k+1} = X_k + μ dt + σ√dt z stopped when X ≥ a: X_N − μ dt N is a stopped martingale
  const mu = 0.5, sigma = 1, dt = 0.05, a = 1, n = 20000;
  const run = eulerMaruyama({
    dim: 1,
    dt,
    drift: (_x, out, _o, oo) => {
      out[oo] = mu;
    },
    sigma,
    initial: [0],
    count: n,
    steps: 100000,
    prng: createPrng(40),
    exit: (x, o) => x[o]! >= a,
  });
  assert.equal(run.exited, n);
  const m = Float64Array.from(run.positions, (x, p) => x - mu * dt * run.exitStep[p]!);
  const { mean, sd } = meanSd(m);
  assert.ok(
    Math.abs(mean) < (5 * sd) / Math.sqrt(n),
    `E[X_N − μ dt N] = ${mean} ± ${sd / Math.sqrt(n)}`,
  );
  // and the overshoot makes E[N] dt exceed the continuous a/μ
  const { mean: meanN } = meanSd(Float64Array.from(run.exitStep));
  assert.ok(meanN * dt > a / mu);
});

Deno.test("exit: until the first exit the paths equal those without an exit rule; exited particles draw no more noise", () => {
  const q = new Quadratic({ matrix: [1] });
  const opts = { learningRate: 0.1, diffusion: 0.5, initial: [0], count: 200 };
  const stopped = simulateLangevin(q, {
    ...opts,
    steps: 50,
    prng: createPrng(50),
    exit: (x, o) => x[o]! > 1,
  });
  const first = Math.min(...Array.from(stopped.exitStep).filter((s) => s >= 0));
  assert.ok(first > 1 && first < 50, `first exit at step ${first}`);
  // the same seed run to just before the first exit, with and without the exit rule
  const a = simulateLangevin(q, { ...opts, steps: first - 1, prng: createPrng(50) });
  const b = simulateLangevin(q, {
    ...opts,
    steps: first - 1,
    prng: createPrng(50),
    exit: (x, o) => x[o]! > 1,
  });
  assert.deepEqual(a.positions, b.positions);
  assert.equal(b.exited, 0);
  // afterwards the survivors keep a valid law but use fewer draws: count them
  let draws = 0;
  const counting = () => {
    draws++;
    return prng();
  };
  const prng = createPrng(51);
  const r = simulateLangevin(q, { ...opts, steps: 50, prng: counting, exit: (x, o) => x[o]! > 1 });
  let free = 0;
  const prng2 = createPrng(51);
  simulateLangevin(q, { ...opts, steps: 50, prng: () => (free++, prng2()) });
  assert.ok(r.exited > 0 && draws < free, `draws with exits ${draws}, without ${free}`);
  for (let p = 0; p < 200; p++) if (r.exitStep[p]! >= 0) assert.ok(r.positions[p]! > 1);
});

Deno.test("recordEvery: snapshots at steps 0, k, 2k, … are copies", () => {
  const run = simulateLangevin(new Quadratic({ matrix: [1] }), {
    learningRate: 0.1,
    diffusion: 0.1,
    initial: [1, 2, 3],
    steps: 10,
    recordEvery: 4,
    prng: createPrng(60),
  });
  assert.deepEqual(run.snapshotSteps, [0, 4, 8]);
  assert.deepEqual(Array.from(run.snapshots[0]!), [1, 2, 3]);
  assert.notEqual(run.snapshots[2], run.positions);
  assert.equal(run.count, 3);
});

Deno.test("simulators: a diverging particle throws at the first non-finite step", () => {
  const st = new StyblinskiTang({ dim: 1 });
  assert.throws(
    () =>
      simulateLangevin(st, {
        learningRate: 10,
        diffusion: 0,
        initial: [5],
        steps: 100,
        prng: createPrng(1),
      }),
    (e: unknown) => {
      assert.ok(e instanceof RangeError);
      assert.match(
        e.message,
        /^gradient returned a non-finite value gradient\[0\] = -?Infinity at x = \[-?[\d.e+]+\] \(particle 0, step \d+\); the particle moved there from finite values: reduce the step size$/,
      );
      return true;
    },
  );
});

Deno.test("runParticles: a per-particle move gets the same noise in the same order as the batched simulators, exits included", () => {
  // Langevin on L = x²/2 written as a move: x ← x − η x + √(2Dη) z
  const eta = 0.1, D = 0.5, sd = Math.sqrt(2 * D * eta);
  const opts = {
    initial: Array.from({ length: 300 }, (_, p) => (p % 7) / 10),
    steps: 60,
    exit: (x: Float64Array, o: number) => x[o]! > 1.2,
  };
  const batched = simulateLangevin(new Quadratic({ matrix: [1] }), {
    ...opts,
    learningRate: eta,
    diffusion: D,
    prng: createPrng(31),
  });
  const moved = runParticles(1, { ...opts, prng: createPrng(31) }, eta, 1, () => (x, o, z, zo) => {
    x[o] = x[o]! - eta * (1 * x[o]!) + sd * z[zo]!;
  });
  assert.ok(batched.exited > 50 && batched.exited < 300, `${batched.exited} exits`);
  assert.deepEqual(moved.exitStep, batched.exitStep);
  assert.deepEqual(moved.positions, batched.positions);
});

Deno.test("exits: a particle that blows up after others exited is named by its own index", () => {
  // particles 0 and 2 exit at the start; particle 3 drifts to x = 4, where its drift is NaN
  const drift = (x: Float64Array, out: Float64Array, o: number) => {
    out[0] = o === 3 && x[o]! > 3.5 ? NaN : 1;
  };
  const run = () =>
    eulerMaruyama({
      dim: 1,
      dt: 1,
      drift,
      sigma: 0,
      initial: [10, 0, 10, 1],
      steps: 10,
      prng: createPrng(1),
      exit: (x, o) => x[o]! > 9,
    });
  assert.throws(run, {
    name: "RangeError",
    message: "drift returned a non-finite value drift[0] = NaN at x = [4] (particle 3, step 4)",
  });
});

Deno.test("a particle whose position overflows (finite drift) is named with its step, with and without exits", () => {
  // particle 2 of 3 gets drift 1e308: x = 1 + 10 · 1e308 overflows at step 1
  const drift = (_x: Float64Array, out: Float64Array, o: number) => {
    out[0] = o === 2 ? 1e308 : 0;
  };
  const base = { dim: 1, dt: 10, drift, sigma: 1, initial: [0, 0, 1], steps: 5 };
  const message = "particle 2 became non-finite at step 1: x[0] = Infinity; reduce the step size";
  assert.throws(() => eulerMaruyama({ ...base, prng: createPrng(1) }), { message });
  assert.throws(
    () => eulerMaruyama({ ...base, prng: createPrng(1), exit: (x, o) => x[o]! > 1e300 }),
    { message },
  );
  // in 2-D, the coordinate is named too
  const drift2 = (_x: Float64Array, out: Float64Array, o: number) => {
    out[0] = 0;
    out[1] = o === 2 ? -1e308 : 0;
  };
  assert.throws(
    () =>
      eulerMaruyama({
        ...base,
        dim: 2,
        drift: drift2,
        initial: [0, 0, 0, 0],
        count: 2,
        prng: createPrng(1),
      }),
    { message: "particle 1 became non-finite at step 1: x[1] = -Infinity; reduce the step size" },
  );
});
