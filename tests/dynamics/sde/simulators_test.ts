import assert from "node:assert/strict";
import type { Landscape } from "../../../lib/dynamics/landscape.ts";
import { Quadratic } from "../../../lib/dynamics/landscapes.ts";
import { createPrng } from "../../../lib/stats/random.ts";
import { eulerMaruyama } from "../../../lib/dynamics/sde/euler_maruyama.ts";
import { sgdNoiseCovariance } from "../../../lib/dynamics/sde/sgd_noise.ts";
import { simulateLangevin, simulateSgd } from "../../../lib/dynamics/sde/simulators.ts";
import { meanSd } from "../../_assert.ts";

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

// the first four normals of tests/fixtures/ziggurat (one MT19937 word per attempt, 256 layers)
const PINNED_ZIGGURAT_42 = [
  1.019460180374619,
  -0.7776798369939697,
  -0.12751067692688584,
  0.22052699193029646,
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
      message: "steps must be an integer in [0, 2147483647], got -1",
    },
  );
  assert.throws(() => simulateLangevin(q, { ...base, learningRate: 0.1, diffusion: -1 }), {
    name: "RangeError",
    message: "diffusion must be a finite number >= 0, got -1",
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
