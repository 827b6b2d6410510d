/**
 * Deno.bench timings of lib/dynamics/sde/: 10^4 particles × 10 steps of each
 * simulator on the landscapes of bench/sde_compare.ts.
 * Run: deno bench -A bench/sde_bench.ts
 */
import { AsymmetricDoubleWell, sharpFlatLandscape2d } from "../lib/dynamics/landscapes.ts";
import { createPrng } from "../lib/stats/random.ts";
import { eulerMaruyama, simulateLangevin, simulateSgd } from "../lib/dynamics/sde/mod.ts";

const well = new AsymmetricDoubleWell({
  curvatureMin: 4,
  curvatureBarrier: 1.5,
  barrierHeight: 0.7,
  curvatureOther: 0.8,
  barrierHeightOther: 1.3,
});
const sharpFlat = sharpFlatLandscape2d();
const prng = createPrng(1);
const count = 10000, steps = 10;

Deno.bench("simulateSgd, 1-D double well, |H|/S noise", { group: "10^5 particle-steps" }, () => {
  simulateSgd(well, { learningRate: 0.01, batchSize: 8, initial: [0], count, steps, prng });
});
Deno.bench("simulateLangevin, 2-D sharp/flat", { group: "10^5 particle-steps" }, () => {
  simulateLangevin(sharpFlat, {
    learningRate: 0.01,
    diffusion: 0.05,
    initial: [-1, 0],
    count,
    steps,
    prng,
  });
});
Deno.bench("simulateSgd, 2-D sharp/flat, |H|/S noise", { group: "10^5 particle-steps" }, () => {
  simulateSgd(sharpFlat, {
    learningRate: 0.01,
    batchSize: 16,
    initial: [-1, 0],
    count,
    steps,
    prng,
  });
});
Deno.bench("eulerMaruyama, OU (drift callback)", { group: "10^5 particle-steps" }, () => {
  eulerMaruyama({
    dim: 1,
    dt: 0.01,
    sigma: 1,
    drift: (x, out, o, oo) => {
      out[oo] = -x[o]!;
    },
    initial: [1],
    count,
    steps,
    prng,
  });
});
