import assert from "node:assert/strict";
import { createPrng } from "../../../lib/stats/random.ts";
import { eulerMaruyama } from "../../../lib/dynamics/sde/euler_maruyama.ts";
import { meanSd } from "../../_assert.ts";

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
