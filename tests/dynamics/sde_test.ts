import assert from "node:assert/strict";
import { type Landscape, Quadratic, StyblinskiTang } from "../../lib/dynamics/landscapes.ts";
import { createPrng } from "../../lib/stats/random.ts";
import {
  eulerMaruyama,
  sgdNoiseCovariance,
  simulateLangevin,
  simulateLevy,
  simulateSgd,
} from "../../lib/dynamics/sde.ts";
import { assertAllClose, meanSd } from "../_assert.ts";

/** Coordinate j of every particle. */
function coord(positions: Float64Array, dim: number, j: number): Float64Array {
  return Float64Array.from({ length: positions.length / dim }, (_, p) => positions[p * dim + j]!);
}

/** Sample covariance (about a known zero mean) of a particle cloud, row-major dim × dim. */
function covarianceAboutZero(positions: Float64Array, dim: number): Float64Array {
  const n = positions.length / dim, c = new Float64Array(dim * dim);
  for (let p = 0; p < n; p++) {
    for (let a = 0; a < dim; a++) {
      for (let b = 0; b < dim; b++) {
        c[a * dim + b] = c[a * dim + b]! + positions[p * dim + a]! * positions[p * dim + b]! / n;
      }
    }
  }
  return c;
}

/**
 * Asserts a sample covariance Ĉ (zero mean, n Gaussian draws) equals C within
 * 5 standard errors per entry: Var(x_a x_b) = C_aa C_bb + C_ab².
 */
function assertCovariance(sample: Float64Array, exact: ArrayLike<number>, dim: number, n: number) {
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b < dim; b++) {
      const cab = exact[a * dim + b]!;
      const se = Math.sqrt((exact[a * dim + a]! * exact[b * dim + b]! + cab * cab) / n);
      const got = sample[a * dim + b]!;
      assert.ok(
        Math.abs(got - cab) <= 5 * se,
        `cov[${a},${b}] = ${got}, expected ${cab} ± 5·${se.toExponential(2)}`,
      );
    }
  }
}

/** d × d inverse by Gauss–Jordan (small test matrices). */
function inverse(m: ArrayLike<number>, d: number): Float64Array {
  const a = Float64Array.from(m), inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r * d + c]!) > Math.abs(a[p * d + c]!)) p = r;
    for (let k = 0; k < d; k++) {
      [a[c * d + k], a[p * d + k]] = [a[p * d + k]!, a[c * d + k]!];
      [inv[c * d + k], inv[p * d + k]] = [inv[p * d + k]!, inv[c * d + k]!];
    }
    const piv = a[c * d + c]!;
    for (let k = 0; k < d; k++) {
      a[c * d + k] = a[c * d + k]! / piv;
      inv[c * d + k] = inv[c * d + k]! / piv;
    }
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = a[r * d + c]!;
      for (let k = 0; k < d; k++) {
        a[r * d + k] = a[r * d + k]! - f * a[c * d + k]!;
        inv[r * d + k] = inv[r * d + k]! - f * inv[c * d + k]!;
      }
    }
  }
  return inv;
}

/**
 * The same loss without the constantHessian flag and without the `derivatives`
 * fast path: forces the per-particle noise factor and the gradient/hessian fallback.
 */
function varying(l: Landscape): Landscape {
  return {
    dim: l.dim,
    constantHessian: false,
    loss: (x, o) => l.loss(x, o),
    gradient: (x, out, o, oo) => l.gradient(x, out, o, oo),
    hessian: (x, out, o, oo) => l.hessian(x, out, o, oo),
  };
}

Deno.test("simulators: the same seed gives the same trajectories bit for bit; the stream is pinned", () => {
  const q = new Quadratic({ matrix: [1, 0.3, 0.3, 2] });
  const opts = { learningRate: 0.05, batchSize: 8, initial: [1, -1], count: 50, steps: 20 };
  const a = simulateSgd(q, { ...opts, prng: createPrng(9) });
  const b = simulateSgd(q, { ...opts, prng: createPrng(9) });
  const c = simulateSgd(q, { ...opts, prng: createPrng(10) });
  assert.deepEqual(a.positions, b.positions);
  assert.notDeepEqual(a.positions, c.positions);
  // one Langevin step from 0 on a flat loss with 2Dη = 1 returns the first standard normals
  // of the ziggurat fed by createPrng(42) (a change of sampler or stream fails here)
  const flat = new Quadratic({ matrix: [0] });
  const z = simulateLangevin(flat, {
    learningRate: 0.5,
    diffusion: 1,
    initial: [0],
    count: 4,
    steps: 1,
    prng: createPrng(42),
  });
  assert.deepEqual(Array.from(z.positions), PINNED_ZIGGURAT_42);
});

const PINNED_ZIGGURAT_42 = [
  -0.37787739311200375,
  2.1326641463169205,
  1.2811491321964241,
  0.14422132233733045,
];

Deno.test("simulateLangevin: one-step increments are N(0, 2Dη) (moments of 10^5 draws within 5σ)", () => {
  const n = 100000, flat = new Quadratic({ matrix: [0, 0, 0, 0] });
  const run = simulateLangevin(flat, {
    learningRate: 0.1,
    diffusion: 0.5,
    initial: [0, 0],
    count: n,
    steps: 1,
    prng: createPrng(3),
  });
  const v = 2 * 0.5 * 0.1;
  for (const j of [0, 1]) {
    const x = coord(run.positions, 2, j);
    const { mean, sd } = meanSd(x);
    // mean: sd √(v/n); variance: sd v√(2/n); fourth moment 3v²: sd v²√(96/n)
    assert.ok(Math.abs(mean) < 5 * Math.sqrt(v / n), `mean ${mean}`);
    assert.ok(Math.abs(sd * sd - v) < 5 * v * Math.sqrt(2 / n), `variance ${sd * sd}`);
    let m4 = 0;
    for (const t of x) m4 += t ** 4 / n;
    assert.ok(Math.abs(m4 - 3 * v * v) < 5 * v * v * Math.sqrt(96 / n), `m4 ${m4}`);
  }
});

Deno.test("eulerMaruyama: OU mean and variance equal the closed form of the scheme and of the SDE", () => {
  // dX = −θX dt + s dB from X0 = 2: the scheme's moments are exact recursions
  const theta = 1.5, s = 0.8, dt = 0.01, steps = 100, x0 = 2, n = 40000;
  const run = eulerMaruyama({
    dim: 1,
    dt,
    steps,
    initial: [x0],
    count: n,
    prng: createPrng(4),
    drift: (x, out, o, oo) => {
      out[oo] = -theta * x[o]!;
    },
    sigma: s,
  });
  const r = 1 - theta * dt;
  const meanScheme = x0 * r ** steps;
  const varScheme = (s * s * dt * (1 - r ** (2 * steps))) / (1 - r * r);
  const { mean, sd } = meanSd(run.positions);
  // 5σ/√N for the mean; for the variance sd(ŝ²) ≈ v√(2/N)
  assert.ok(Math.abs(mean - meanScheme) < 5 * Math.sqrt(varScheme / n), `mean ${mean}`);
  assert.ok(Math.abs(sd * sd - varScheme) < 5 * varScheme * Math.sqrt(2 / n), `var ${sd * sd}`);
  // the SDE at t = 1: mean x0 e^{−θt}, variance s²(1 − e^{−2θt})/(2θ); the O(dt) bias of the
  // scheme (1.5e-3 and 4e-4 here) is below the 5σ tolerance
  const t = steps * dt;
  const meanSde = x0 * Math.exp(-theta * t);
  const varSde = (s * s * (1 - Math.exp(-2 * theta * t))) / (2 * theta);
  assert.ok(Math.abs(mean - meanSde) < 5 * Math.sqrt(varSde / n), `mean ${mean} vs ${meanSde}`);
  assert.ok(Math.abs(sd * sd - varSde) < 5 * varSde * Math.sqrt(2 / n), `var ${sd * sd}`);
});

Deno.test("eulerMaruyama: state-dependent σ(x) and a non-square diffusion matrix", () => {
  // dX = σ dB with σ = [1, 1] (dim 1, noiseDim 2): X_t ~ N(0, 2t)
  const n = 40000;
  const run = eulerMaruyama({
    dim: 1,
    noiseDim: 2,
    dt: 0.1,
    steps: 10,
    initial: [0],
    count: n,
    prng: createPrng(5),
    drift: (_x, out, _o, oo) => {
      out[oo] = 0;
    },
    sigma: [1, 1],
  });
  const { sd } = meanSd(run.positions);
  assert.ok(Math.abs(sd * sd - 2) < 5 * 2 * Math.sqrt(2 / n), `var ${sd * sd}`);
  // geometric Brownian motion dX = X dB: E X_k = X_0 for the scheme (a martingale)
  const gbm = eulerMaruyama({
    dim: 1,
    dt: 0.01,
    steps: 50,
    initial: [1],
    count: n,
    prng: createPrng(6),
    drift: (_x, out, _o, oo) => {
      out[oo] = 0;
    },
    sigma: (x, out, o, oo) => {
      out[oo] = x[o]!;
    },
  });
  const g = meanSd(gbm.positions);
  // Var X_k = (1 + dt)^k − 1 ≈ e^{0.5} − 1
  const v = 1.01 ** 50 - 1;
  assert.ok(Math.abs(g.mean - 1) < 5 * Math.sqrt(v / n), `mean ${g.mean}`);
});

Deno.test("simulateLangevin: stationary variance of the discrete recursion 2D/(h(2 − ηh)) on a quadratic", () => {
  const h = 2, eta = 0.2, D = 0.3, n = 40000;
  const run = simulateLangevin(new Quadratic({ matrix: [h] }), {
    learningRate: eta,
    diffusion: D,
    initial: [0],
    count: n,
    steps: 100, // (1 − ηh)^{2·100} = 0.6^200: stationary
    prng: createPrng(7),
  });
  const v = (2 * D) / (h * (2 - eta * h)); // 0.1875; the SDE value D/h = 0.15
  const { sd } = meanSd(run.positions);
  assert.ok(Math.abs(sd * sd - v) < 5 * v * Math.sqrt(2 / n), `var ${sd * sd}`);
});

for (
  const [label, wrap] of [["constant Hessian", (l: Landscape) => l], [
    "per-step factor",
    varying,
  ]] as const
) {
  Deno.test(`simulateSgd (${label}): stationary covariance solves the discrete Lyapunov equation, (η/S)(2I − ηH)⁻¹`, () => {
    // θ_{k+1} = (I − ηH)θ_k + ηξ, Cov ξ = H/S: Σ = (I − ηH)Σ(I − ηH) + η²H/S ⇒ Σ = (η/S)(2I − ηH)⁻¹
    const cases = [
      { h: [3, 1, 1, 2], eta: 0.3, S: 4 },
      { h: [2, 0.5, 0, 0.5, 1.5, -0.3, 0, -0.3, 1], eta: 0.4, S: 2 },
    ];
    for (const { h, eta, S } of cases) {
      // fewer particles when every particle factors its Hessian at every step
      const d = Math.round(Math.sqrt(h.length)), n = label === "constant Hessian" ? 20000 : 6000;
      const run = simulateSgd(wrap(new Quadratic({ matrix: h })), {
        learningRate: eta,
        batchSize: S,
        initial: new Float64Array(d),
        count: n,
        steps: 100, // slowest contraction per step 1 − ηλ_min ≤ 0.66: 0.66^100 ≈ 1e-18
        prng: createPrng(11 + d),
      });
      const twoMinusEtaH = h.map((v, k) => (k % (d + 1) === 0 ? 2 : 0) - eta * v);
      const sigma = inverse(twoMinusEtaH, d).map((v) => (eta / S) * v);
      assertCovariance(covarianceAboutZero(run.positions, d), sigma, d, n);
    }
  });
}

Deno.test("simulateSgd: noise on an indefinite Hessian follows the rule: |H| (abs) or max(H, 0) (clip)", () => {
  // at the centre of a saddle ∇L = 0, so one step is ηξ with Cov ξ = r(H)/S exactly
  const cases = [
    [2, 1.5, 1.5, -1],
    [1, 0.2, -0.4, 0.2, -2, 0.7, -0.4, 0.7, 0.5],
  ];
  for (const h of cases) {
    const d = Math.round(Math.sqrt(h.length)), n = 40000, eta = 0.5, S = 2;
    for (const rule of ["abs", "clip"] as const) {
      for (const land of [new Quadratic({ matrix: h }), varying(new Quadratic({ matrix: h }))]) {
        const run = simulateSgd(land, {
          learningRate: eta,
          batchSize: S,
          curvature: rule,
          initial: new Float64Array(d),
          count: n,
          steps: 1,
          prng: createPrng(20 + d),
        });
        const exact = sgdNoiseCovariance(h, S, rule).map((v) => eta * eta * v);
        assertCovariance(covarianceAboutZero(run.positions, d), exact, d, n);
      }
    }
  }
});

Deno.test("sgdNoiseCovariance: |H|/S and clipped H/S from the eigen-decomposition", () => {
  // H = R diag(3, −1) Rᵀ with R the rotation by 30°
  const c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
  const rot = (l1: number, l2: number) => [
    l1 * c * c + l2 * s * s,
    (l1 - l2) * c * s,
    (l1 - l2) * c * s,
    l1 * s * s + l2 * c * c,
  ];
  assertAllClose(sgdNoiseCovariance(rot(3, -1), 2, "abs"), rot(1.5, 0.5), { atol: 1e-15 });
  assertAllClose(sgdNoiseCovariance(rot(3, -1), 2, "clip"), rot(1.5, 0), { atol: 1e-15 });
  assertAllClose(sgdNoiseCovariance(rot(-3, -1), 1, "abs"), rot(3, 1), { atol: 1e-15 });
  assertAllClose(sgdNoiseCovariance([-2], 4, "clip"), [0], { atol: 0 });
  // 3-D (Jacobi path) with eigenvalues 2, −1, 0.5 along a random orthonormal basis
  const q = [
    [2 / 3, 2 / 3, 1 / 3],
    [-2 / 3, 1 / 3, 2 / 3],
    [1 / 3, -2 / 3, 2 / 3],
  ];
  const build = (l: number[]) =>
    Array.from({ length: 9 }, (_, k) => {
      const r = Math.floor(k / 3), col = k % 3;
      return l.reduce((acc, lv, e) => acc + lv * q[r]![e]! * q[col]![e]!, 0);
    });
  assertAllClose(sgdNoiseCovariance(build([2, -1, 0.5]), 1), build([2, 1, 0.5]), { atol: 1e-12 });
  assertAllClose(sgdNoiseCovariance(build([2, -1, 0.5]), 1, "clip"), build([2, 0, 0.5]), {
    atol: 1e-12,
  });
  assert.throws(() => sgdNoiseCovariance([1, 2, 3], 1), {
    name: "RangeError",
    message: "hessian must have a square number of entries > 0, got 3",
  });
});

Deno.test("simulateLevy: Cauchy (α = 1) increments have scale kησ; α = 2 is Gaussian with variance 2σ²kη", () => {
  const flat = new Quadratic({ matrix: [0] }), n = 40000;
  const cauchy = simulateLevy(flat, {
    learningRate: 0.1,
    alpha: 1,
    scale: 2,
    initial: [0],
    count: n,
    steps: 5,
    prng: createPrng(30),
  });
  // sum of 5 Cauchy(η σ) is Cauchy(5ησ) = Cauchy(1): P(|X| ≤ 1) = 1/2; binomial sd √(1/(4n))
  const inside = cauchy.positions.filter((x) => Math.abs(x) <= 1).length / n;
  assert.ok(Math.abs(inside - 0.5) < 5 * Math.sqrt(0.25 / n), `P(|X| ≤ 1) = ${inside}`);
  const gauss = simulateLevy(flat, {
    learningRate: 0.1,
    alpha: 2,
    scale: 0.5,
    initial: [0],
    count: n,
    steps: 4,
    prng: createPrng(31),
  });
  const v = 2 * 0.25 * 4 * 0.1;
  const { sd } = meanSd(gauss.positions);
  assert.ok(Math.abs(sd * sd - v) < 5 * v * Math.sqrt(2 / n), `var ${sd * sd}`);
});

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
        /^particle 0 became non-finite at step \d+: x\[0\] = -?Infinity; reduce the step size$/,
      );
      return true;
    },
  );
});

Deno.test("simulators: reject bad options with messages naming the value", () => {
  const q = new Quadratic({ matrix: [1, 0, 0, 1] });
  const prng = createPrng(1);
  const base = { initial: [0, 0], steps: 1, prng };
  assert.throws(() => simulateSgd(q, { ...base, learningRate: 0, batchSize: 1 }), {
    name: "RangeError",
    message: "learningRate must be a finite number > 0, got 0",
  });
  assert.throws(() => simulateSgd(q, { ...base, learningRate: 0.1, batchSize: NaN }), {
    name: "RangeError",
    message: "batchSize must be a finite number > 0, got NaN",
  });
  assert.throws(
    // @ts-expect-error: not a rule
    () => simulateSgd(q, { ...base, learningRate: 0.1, batchSize: 1, curvature: "none" }),
    { name: "RangeError", message: 'curvature must be "abs" or "clip", got "none"' },
  );
  assert.throws(
    () => simulateLangevin(q, { ...base, initial: [0, 0, 0], learningRate: 0.1, diffusion: 1 }),
    {
      name: "RangeError",
      message: "initial must have a positive multiple of dim = 2 values, got 3",
    },
  );
  assert.throws(
    () =>
      simulateLangevin(q, {
        ...base,
        count: 3,
        initial: [0, 0, 1, 1],
        learningRate: 0.1,
        diffusion: 1,
      }),
    { name: "RangeError", message: "initial must have dim = 2 or count·dim = 6 values, got 4" },
  );
  assert.throws(
    () => simulateLangevin(q, { ...base, initial: [0, NaN], learningRate: 0.1, diffusion: 1 }),
    {
      name: "RangeError",
      message: "initial[1] must be finite, got NaN",
    },
  );
  assert.throws(
    () => simulateLangevin(q, { ...base, steps: -1, learningRate: 0.1, diffusion: 1 }),
    {
      name: "RangeError",
      message: "steps must be an integer >= 0, got -1",
    },
  );
  assert.throws(() => simulateLangevin(q, { ...base, learningRate: 0.1, diffusion: -1 }), {
    name: "RangeError",
    message: "diffusion must be a finite number >= 0, got -1",
  });
  assert.throws(() => simulateLevy(q, { ...base, learningRate: 0.1, alpha: 2.5 }), {
    name: "RangeError",
    message: "alpha must be in (0, 2], got 2.5",
  });
  const drift = () => {};
  assert.throws(() => eulerMaruyama({ ...base, dim: 2, dt: 0.1, drift, sigma: 1, noiseDim: 3 }), {
    name: "RangeError",
    message: "a scalar sigma needs noiseDim = dim = 2, got noiseDim 3",
  });
  assert.throws(() => eulerMaruyama({ ...base, dim: 2, dt: 0.1, drift, sigma: [1, 0, 0] }), {
    name: "RangeError",
    message: "sigma must have dim·noiseDim = 4 entries, got 3",
  });
  assert.throws(() => eulerMaruyama({ ...base, dim: 2, dt: -1, drift, sigma: 1 }), {
    name: "RangeError",
    message: "dt must be a finite number > 0, got -1",
  });
});

Deno.test("simulators: inputs are not modified; zero steps return the initial cloud", () => {
  const init = Float64Array.of(0.5, -0.5);
  const run = simulateSgd(new Quadratic({ matrix: [1] }), {
    learningRate: 0.1,
    batchSize: 1,
    initial: init,
    steps: 0,
    prng: createPrng(1),
  });
  assert.deepEqual(Array.from(run.positions), [0.5, -0.5]);
  assert.notEqual(run.positions, init);
  assert.equal(run.steps, 0);
  assert.deepEqual(Array.from(run.exitStep), [-1, -1]);
});
