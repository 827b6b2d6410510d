import assert from "node:assert/strict";
import { FokkerPlanck1D, type TimeScheme } from "../../../lib/dynamics/fokker_planck/mod.ts";
import { assertAllClose } from "../../_assert.ts";
import { columnSums, gauss, l1, maxAbs } from "./_helpers.ts";
import { doubleWell1D } from "./problems.ts";

/** The shared double well with state-dependent diffusion, reflecting sides. */
function doubleWell1d(scheme: TimeScheme, cells = 200) {
  return new FokkerPlanck1D(doubleWell1D(cells, scheme));
}

for (const scheme of ["backward-euler", "tr-bdf2", "crank-nicolson"] as const) {
  Deno.test(`FokkerPlanck1D (${scheme}): mass conserved to 1e-12 over 10^4 steps with reflecting sides`, () => {
    const fp = doubleWell1d(scheme);
    assertAllClose(fp.mass(), 1, { atol: 1e-15 });
    let worst = 0;
    fp.run(10000, 0.01, (f) => {
      if (f.steps % 1000 === 0) worst = Math.max(worst, Math.abs(f.mass() - 1));
    });
    assert.equal(fp.steps, 10000);
    assertAllClose(fp.time, 100, { rtol: 1e-12 });
    assert.ok(worst <= 1e-12, `mass drift ${worst}`);
    assert.equal(fp.outflow().total, 0);
  });
}

Deno.test("FokkerPlanck1D: the generator conserves mass column by column (reflecting: column sums 0)", () => {
  const fp = doubleWell1d("backward-euler");
  const a = fp.generator();
  // diagonal entries are O(D/h²) ≈ 1e3; a column sum is one rounding of them
  assert.ok(maxAbs(columnSums(a)) <= 1e-15 * maxAbs(a.values), `${maxAbs(columnSums(a))}`);
  assert.equal(fp.monotone, true);
});

/** OU dX = −θX dt + √(2D) dB from N(m0, s0²): exact Gaussian at time T. */
function ouError(cells: number, dt: number, scheme: TimeScheme, T = 0.5): number {
  const theta = 1, D = 0.5, m0 = 1, s0 = 0.3;
  const fp = new FokkerPlanck1D({
    domain: [-5, 5],
    cells,
    drift: (x) => -theta * x,
    diffusion: D,
    initial: (x) => gauss(x, m0, s0 * s0),
    normalize: false,
    scheme,
  });
  fp.advanceTo(T, dt);
  assertAllClose(fp.time, T, { rtol: 1e-15 });
  const m = m0 * Math.exp(-theta * T);
  const v = s0 * s0 * Math.exp(-2 * theta * T) + (D / theta) * (1 - Math.exp(-2 * theta * T));
  return l1(fp.density, Array.from(fp.centers, (x) => gauss(x, m, v)), fp.cellWidth);
}

Deno.test("FokkerPlanck1D: OU transient is second order (TR-BDF2, dt ∝ h): error ratio ≈ 4 on halving h", () => {
  const errors = [100, 200, 400].map((n) => ouError(n, 1 / n, "tr-bdf2"));
  const ratios = [errors[0]! / errors[1]!, errors[1]! / errors[2]!];
  // measured 4.00, 4.00 (L1 errors 2.2e-3, 5.4e-4, 1.4e-4)
  for (const r of ratios) assert.ok(r > 3.7 && r < 4.3, `ratios ${ratios}, errors ${errors}`);
  assert.ok(errors[2]! < 2e-4, `error ${errors[2]}`);
});

Deno.test("FokkerPlanck1D: backward Euler with dt ∝ h converges at first order in time", () => {
  const errors = [100, 200, 400].map((n) => ouError(n, 2 / n, "backward-euler"));
  // measured ratios 2.4, 2.2 → 2 (time error dominates)
  const r = errors[1]! / errors[2]!;
  assert.ok(r > 1.9 && r < 2.6, `ratio ${r}, errors ${errors}`);
});

Deno.test("FokkerPlanck1D: time order on a fixed grid: 1 (backward Euler), 2 (TR-BDF2, Crank–Nicolson)", () => {
  // self-convergence: distance to a dt = 1/6400 solution on the same 200-cell grid
  const solve = (scheme: TimeScheme, dt: number) => {
    const fp = new FokkerPlanck1D({
      domain: [-5, 5],
      cells: 200,
      drift: (x) => -x,
      diffusion: 0.5,
      initial: (x) => gauss(x, 1, 0.09),
      scheme,
    });
    return fp.advanceTo(0.5, dt).density.slice();
  };
  for (
    const [scheme, order] of [["backward-euler", 1], ["tr-bdf2", 2], ["crank-nicolson", 2]] as const
  ) {
    const ref = solve(scheme, 1 / 6400);
    const e1 = l1(solve(scheme, 1 / 50), ref, 0.05), e2 = l1(solve(scheme, 1 / 100), ref, 0.05);
    const observed = Math.log2(e1 / e2);
    assert.ok(Math.abs(observed - order) < 0.15, `${scheme}: order ${observed}`);
  }
});

Deno.test("FokkerPlanck1D: OU stationary law N(0, D/θ), by steadyState and by long time stepping", () => {
  const fp = new FokkerPlanck1D({
    domain: [-4, 4],
    cells: 160,
    drift: (x) => -2 * x,
    diffusion: 0.5,
    initial: (x) => (x > 1 && x < 2 ? 1 : 0),
  });
  const exact = Array.from(fp.centers, (x) => gauss(x, 0, 0.25));
  const ps = fp.steadyState();
  // b/D is linear, so the midpoint rule in the fitted flux is exact: the discrete stationary
  // state equals the Gaussian at the centres up to normalisation over the grid (~1e-15) and
  // the truncated tails (e^{-32})
  assertAllClose(ps, exact, { atol: 1e-12 });
  fp.run(400, 0.05); // backward Euler to t = 20 = 40 relaxation times 1/θ
  assertAllClose(fp.density, ps, { atol: 1e-12 });
});

Deno.test("FokkerPlanck1D: exact stationary density with state-dependent diffusion, second order in h", () => {
  // dX = −X dt + √(1 + X²) dB: D = (1 + x²)/2, p ∝ (1/D) exp(∫ b/D) = (1 + x²)^{-2} on [−3, 3]
  const lo = -3, hi = 3;
  // ∫ (1 + x²)^{-2} dx = x / (2(1 + x²)) + atan(x) / 2
  const prim = (x: number) => x / (2 * (1 + x * x)) + Math.atan(x) / 2;
  const z = prim(hi) - prim(lo);
  const error = (cells: number) => {
    const fp = new FokkerPlanck1D({
      domain: [lo, hi],
      cells,
      drift: (x) => -x,
      diffusion: (x) => (1 + x * x) / 2,
    });
    const p = fp.steadyState();
    return l1(p, Array.from(fp.centers, (x) => (1 + x * x) ** -2 / z), fp.cellWidth);
  };
  const e = [50, 100, 200].map(error);
  // measured ≈ 4.0 each
  for (const r of [e[0]! / e[1]!, e[1]! / e[2]!]) assert.ok(r > 3.8 && r < 4.2, `errors ${e}`);
  assert.ok(e[2]! < 1e-4, `error ${e[2]}`);
});

Deno.test("FokkerPlanck1D: periodic sides: p ∝ 1/D without drift, uniform with constant current under constant drift", () => {
  const ring = new FokkerPlanck1D({
    domain: [0, 1],
    cells: 64,
    drift: () => 0,
    diffusion: (x) => 1 + 0.5 * Math.sin(2 * Math.PI * x),
    boundary: "periodic",
  });
  const p = ring.steadyState();
  // zero flux means D p constant: exact on the grid
  const inv = Array.from(ring.centers, (x) => 1 / (1 + 0.5 * Math.sin(2 * Math.PI * x)));
  const zInv = inv.reduce((a, b) => a + b, 0) * ring.cellWidth;
  assertAllClose(p, inv.map((v) => v / zInv), { rtol: 1e-12 });
  const tilted = new FokkerPlanck1D({
    domain: [0, 2],
    cells: 50,
    drift: () => 0.7,
    diffusion: 0.3,
    boundary: "periodic",
    initial: (x) => (x < 0.5 ? 1 : 0),
  });
  tilted.run(200, 0.05);
  // stationary: p = 1/2, current b p = 0.35 through every face; mass stays 1
  assertAllClose(tilted.density, new Float64Array(50).fill(0.5), { atol: 1e-9 });
  assertAllClose(tilted.currents(), new Float64Array(51).fill(0.35), { atol: 1e-9 });
  assertAllClose(tilted.mass(), 1, { atol: 1e-13 });
  assertAllClose(tilted.steadyState(), new Float64Array(50).fill(0.5), { rtol: 1e-12 });
});

Deno.test("FokkerPlanck1D: currents satisfy the discrete continuity equation (backward Euler)", () => {
  const fp = doubleWell1d("backward-euler", 100);
  const before = fp.density.slice();
  fp.step(0.01);
  const j = fp.currents(), h = fp.cellWidth;
  const lhs = fp.density.map((p, i) => (p - before[i]!) / 0.01);
  const rhs = lhs.map((_, i) => -(j[i + 1]! - j[i]!) / h);
  assertAllClose(lhs, rhs, { atol: 1e-9 * maxAbs(lhs) });
  assert.equal(j[0], 0);
  assert.equal(j[100], 0);
});

Deno.test("FokkerPlanck1D: absorbing sides: mass + outflow = 1, symmetric split, decay rate Dπ²/L²", () => {
  // Brownian motion on [0, 1] killed at both ends; the slowest mode sin(πx) decays at Dπ²
  const D = 0.1;
  const make = (cells: number) =>
    new FokkerPlanck1D({
      domain: [0, 1],
      cells,
      drift: () => 0,
      diffusion: D,
      boundary: "absorbing",
      initial: (x) => Math.sin(Math.PI * x),
      scheme: "tr-bdf2",
    });
  const fp = make(100);
  fp.run(2000, 0.005);
  const out = fp.outflow();
  assertAllClose(fp.mass() + out.total, 1, { atol: 1e-12 });
  assertAllClose(out.lower!, out.upper!, { rtol: 1e-9 });
  // mass of the mode: e^{−Dπ² t}, t = 10 (space error O(h²) ≈ 1e-4 relative, time O(dt²))
  assertAllClose(fp.mass(), Math.exp(-D * Math.PI * Math.PI * 10), { rtol: 2e-3 });
  const q = make(100).quasiStationary();
  assertAllClose(q.rate, D * Math.PI * Math.PI, { rtol: 2e-4 });
  assertAllClose(q.fluxOverPopulation, q.rate, { rtol: 1e-9 });
  const shape = Array.from(make(100).centers, (x) => (Math.PI / 2) * Math.sin(Math.PI * x));
  assertAllClose(q.density, shape, { atol: 2e-4 });
  const e1 = Math.abs(make(50).quasiStationary().rate / (D * Math.PI ** 2) - 1);
  const e2 = Math.abs(make(100).quasiStationary().rate / (D * Math.PI ** 2) - 1);
  assert.ok(e1 / e2 > 3.8 && e1 / e2 < 4.2, `rate errors ${e1}, ${e2}`);
});

Deno.test("FokkerPlanck1D: adjoint solve gives the mean first passage time x(L − x)/(2D)", () => {
  const D = 0.25, L = 2;
  const fp = new FokkerPlanck1D({
    domain: [0, L],
    cells: 80,
    drift: () => 0,
    diffusion: D,
    boundary: "absorbing",
  });
  const tau = fp.solveGenerator(new Float64Array(80).fill(-1), true);
  // the quadratic solves every interior equation exactly; the wall half a cell away shifts
  // the discrete solution by the constant h²/(8D) (from the first cell's equation)
  const h = fp.cellWidth;
  assertAllClose(tau, Array.from(fp.centers, (x) => (x * (L - x)) / (2 * D) + (h * h) / (8 * D)), {
    rtol: 1e-9,
  });
  const back = fp.applyGenerator(tau, undefined, true);
  assertAllClose(back, new Float64Array(80).fill(-1), { atol: 1e-9 });
  // MFPT with drift: dX = −dt + √(2D) dB on [0, L], exit through either side (no closed form
  // used here): the solve must satisfy Aᵀτ = −1 and be positive
  const tilted = new FokkerPlanck1D({
    domain: [0, L],
    cells: 80,
    drift: () => -1,
    diffusion: D,
    boundary: ["absorbing", "reflecting"],
  });
  const t2 = tilted.solveGenerator(new Float64Array(80).fill(-1), true);
  assertAllClose(tilted.applyGenerator(t2, undefined, true), new Float64Array(80).fill(-1), {
    atol: 1e-9,
  });
  assert.ok(t2.every((v) => v > 0));
});

Deno.test("FokkerPlanck1D: rejects non-positive diffusion, non-finite drift and a grid too coarse (Péclet)", () => {
  const base = { domain: [-1, 1] as const, cells: 10, drift: (x: number) => -x };
  assert.throws(() => new FokkerPlanck1D({ ...base, diffusion: (x) => x }), {
    name: "RangeError",
    message: "diffusion must be finite and > 0, got -0.9 at x = -0.900000",
  });
  assert.throws(() => new FokkerPlanck1D({ ...base, diffusion: 0 }), {
    name: "RangeError",
    message: "diffusion must be finite and > 0, got 0 at x = -0.900000",
  });
  assert.throws(
    () => new FokkerPlanck1D({ ...base, drift: (x) => (x > 0.5 ? NaN : 0), diffusion: 1 }),
    { name: "RangeError", message: "drift must be finite, got NaN at x = 0.600000" },
  );
  assert.throws(() => new FokkerPlanck1D({ ...base, drift: (x) => -100 * x, diffusion: 0.1 }), {
    name: "RangeError",
    message:
      "grid too coarse for the drift: cell Péclet number |b|h/D = 160 at (-0.800000) exceeds maxPeclet = 10; use more cells (or raise maxPeclet)",
  });
  const ok = new FokkerPlanck1D({
    ...base,
    drift: (x) => -100 * x,
    diffusion: 0.1,
    maxPeclet: Infinity,
  });
  assertAllClose(ok.peclet.max, 160, { rtol: 1e-12 });
});

Deno.test("FokkerPlanck1D: rejects bad grids, boundaries, densities and steps", () => {
  const base = { domain: [0, 1] as const, cells: 10, drift: () => 0, diffusion: 1 };
  assert.throws(() => new FokkerPlanck1D({ ...base, cells: 2 }), {
    name: "RangeError",
    message: "cells must be an integer in [3, 4000000], got 2",
  });
  assert.throws(() => new FokkerPlanck1D({ ...base, domain: [1, 0] }), {
    name: "RangeError",
    message: "domain must be [lower, upper] with finite lower < upper, got 1,0",
  });
  assert.throws(() => new FokkerPlanck1D({ ...base, boundary: ["periodic", "reflecting"] }), {
    name: "RangeError",
    message: "periodic boundaries must be paired, got [periodic, reflecting]",
  });
  assert.throws(
    // @ts-expect-error: not a boundary
    () => new FokkerPlanck1D({ ...base, boundary: "sticky" }),
    {
      name: "RangeError",
      message: 'boundary must be "reflecting", "absorbing" or "periodic", got "sticky"',
    },
  );
  assert.throws(() => new FokkerPlanck1D({ ...base, initial: (x) => x - 0.5 }), {
    name: "RangeError",
    message: "initial must be finite and >= 0, got -0.45 at cell 0 (x = 0.0500000)",
  });
  assert.throws(() => new FokkerPlanck1D({ ...base, initial: new Float64Array(10) }), {
    name: "RangeError",
    message: "initial must have a positive, finite mass, got 0",
  });
  const fp = new FokkerPlanck1D(base);
  assert.throws(() => fp.step(0), {
    name: "RangeError",
    message: "dt must be a finite number > 0, got 0",
  });
  assert.throws(() => fp.step(NaN), {
    name: "RangeError",
    message: "dt must be a finite number > 0, got NaN",
  });
  assert.throws(() => fp.advanceTo(1, 0), {
    name: "RangeError",
    message: "maxDt must be a finite number > 0, got 0",
  });
  assert.throws(() => fp.run(1.5, 0.1), {
    name: "RangeError",
    message: "steps must be an integer >= 0, got 1.5",
  });
  assert.throws(
    // @ts-expect-error: not a scheme
    () => new FokkerPlanck1D({ ...base, scheme: "euler" }),
    {
      name: "RangeError",
      message: 'scheme must be "backward-euler", "tr-bdf2" or "crank-nicolson", got "euler"',
    },
  );
  assert.throws(() => fp.steadyState().length && fp.quasiStationary(), {
    name: "RangeError",
    message: "quasiStationary needs at least one absorbing side (A is singular otherwise)",
  });
  assert.throws(() => fp.solveGenerator(new Float64Array(10)), {
    name: "RangeError",
    message: "solveGenerator needs at least one absorbing side (A is singular otherwise)",
  });
  const absorbing = new FokkerPlanck1D({ ...base, boundary: "absorbing" });
  assert.throws(() => absorbing.steadyState(), {
    name: "RangeError",
    message:
      "steadyState needs no absorbing side (the stationary density is 0); use quasiStationary",
  });
  assert.throws(() => absorbing.solveGenerator([1, 2]), {
    name: "RangeError",
    message: "rhs must have length 10, got 2",
  });
});

Deno.test("FokkerPlanck1D: throws at the first step whose density goes negative and keeps the last good state", () => {
  // Crank–Nicolson rings on a one-cell spike when dt·D/h² is large: its amplification
  // factor tends to −1 for the fast modes
  const fp = new FokkerPlanck1D({
    domain: [0, 1],
    cells: 50,
    drift: () => 0,
    diffusion: 1,
    initial: (x) => (Math.abs(x - 0.51) < 0.01 ? 1 : 0),
    scheme: "crank-nicolson",
  });
  const before = fp.density.slice();
  assert.throws(() => fp.step(0.05), (e: unknown) => {
    assert.ok(e instanceof RangeError);
    assert.match(
      e.message,
      /^density became negative at step 1 \(t = 0\.0500000, dt = 0\.0500000\): p = -/,
    );
    return true;
  });
  assert.deepEqual(fp.density, before);
  assert.equal(fp.steps, 0);
  assert.equal(fp.time, 0);
  // backward Euler (an M-matrix) takes the same step without trouble
  fp.scheme = "backward-euler";
  fp.step(0.05);
  assert.ok(fp.density.every((p) => p >= 0));
});

Deno.test("FokkerPlanck1D: setDensity normalises (or not) and does not keep the caller's array", () => {
  const fp = new FokkerPlanck1D({ domain: [0, 1], cells: 4, drift: () => 0, diffusion: 1 });
  const v = [1, 2, 3, 4];
  fp.setDensity(v);
  assertAllClose(fp.density, [0.4, 0.8, 1.2, 1.6], { rtol: 1e-15 });
  fp.setDensity(v, false);
  assert.deepEqual(Array.from(fp.density), v);
  fp.density[0] = 9;
  assert.equal(v[0], 1);
});
