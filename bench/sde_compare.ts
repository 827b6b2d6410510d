/**
 * Particle throughput of lib/dynamics/sde/ against a vectorised numpy reference
 * (bench/reference/sde.py: the same recursions over numpy arrays, numpy's
 * default generator with ziggurat normals) on the same problems:
 *
 * - sgd-1d: discrete SGD with H/S noise (|H| rule) on the asymmetric double
 *   well (h_a = 4, |h_b| = 1.5, ΔL = 0.7, h_c = 0.8, ΔL_c = 1.3), η = 0.01, S = 8;
 * - langevin-2d: isotropic Langevin (D = 0.05) on the sharp/flat landscape, η = 0.01;
 * - sgd-2d: SGD with |H|/S noise (2×2 factor per particle and step), S = 16;
 * - em-ou: Euler–Maruyama for dX = −X dt + dB through the generic drift callback.
 *
 * 10^5 particles × 1000 steps (2-D: 5·10^4 × 400); --quick: 10^4 × 50.
 * Prints case, ours (s), reference (s), the ratio of particle-steps per
 * second ours/reference (≥ 1: this library is at least as fast), and the L1
 * distance between histograms (50 bins) of the first coordinate of the two
 * final clouds, next to the L1 distance expected between two independent
 * samples of that size (the streams differ, so only the laws can agree).
 * Times are the best of 3 (1 with --quick), setup included.
 *
 * Usage: deno run -A bench/sde_compare.ts [--quick]
 */
import { AsymmetricDoubleWell, sharpFlatLandscape2d } from "../lib/dynamics/landscapes.ts";
import { createPrng } from "../lib/stats/random.ts";
import {
  eulerMaruyama,
  type ParticleRun,
  simulateLangevin,
  simulateSgd,
} from "../lib/dynamics/sde/mod.ts";
import { printTable, timeCases, withReference } from "./_reference.ts";

const quick = Deno.args.includes("--quick");
const repeat = quick ? 1 : 3;
const n1 = quick ? 10000 : 100000, s1 = quick ? 50 : 1000;
const n2 = quick ? 10000 : 50000, s2 = quick ? 50 : 400;

const WELL = { ha: 4, hb: 1.5, dl: 0.7, hc: 0.8, dlc: 1.3 };
interface Case {
  name: string;
  kind: "sgd-1d" | "langevin-2d" | "sgd-2d" | "em-ou";
  count: number;
  steps: number;
  repeat: number;
  eta?: number;
  batchSize?: number;
  diffusion?: number;
  dt?: number;
  sigma?: number;
  x0?: number | number[];
  well?: typeof WELL;
}
const cases: Case[] = [
  {
    name: "sgd-1d",
    kind: "sgd-1d",
    count: n1,
    steps: s1,
    repeat,
    eta: 0.01,
    batchSize: 8,
    well: WELL,
  },
  {
    name: "langevin-2d",
    kind: "langevin-2d",
    count: n2,
    steps: s2,
    repeat,
    eta: 0.01,
    diffusion: 0.05,
    x0: [-1, 0],
  },
  {
    name: "sgd-2d",
    kind: "sgd-2d",
    count: n2,
    steps: s2,
    repeat,
    eta: 0.01,
    batchSize: 16,
    x0: [-1, 0],
  },
  { name: "em-ou", kind: "em-ou", count: n1, steps: s1, repeat, dt: 0.01, sigma: 1, x0: 1 },
];

const well = new AsymmetricDoubleWell({
  curvatureMin: WELL.ha,
  curvatureBarrier: WELL.hb,
  barrierHeight: WELL.dl,
  curvatureOther: WELL.hc,
  barrierHeightOther: WELL.dlc,
});
const sharpFlat = sharpFlatLandscape2d();

function ours(c: Case, seed: number): ParticleRun {
  const prng = createPrng(seed);
  switch (c.kind) {
    case "sgd-1d":
      return simulateSgd(well, {
        learningRate: c.eta!,
        batchSize: c.batchSize!,
        initial: [well.xMin],
        count: c.count,
        steps: c.steps,
        prng,
      });
    case "langevin-2d":
      return simulateLangevin(sharpFlat, {
        learningRate: c.eta!,
        diffusion: c.diffusion!,
        initial: c.x0 as number[],
        count: c.count,
        steps: c.steps,
        prng,
      });
    case "sgd-2d":
      return simulateSgd(sharpFlat, {
        learningRate: c.eta!,
        batchSize: c.batchSize!,
        initial: c.x0 as number[],
        count: c.count,
        steps: c.steps,
        prng,
      });
    case "em-ou":
      return eulerMaruyama({
        dim: 1,
        dt: c.dt!,
        sigma: c.sigma!,
        drift: (x, out, o, oo) => {
          out[oo] = -x[o]!;
        },
        initial: [c.x0 as number],
        count: c.count,
        steps: c.steps,
        prng,
      });
  }
}

/** L1 distance of two normalised 50-bin histograms of the first coordinate. */
function histogramL1(a: Float64Array, b: Float64Array, dim: number): number {
  const first = (x: Float64Array) =>
    Float64Array.from({ length: x.length / dim }, (_, p) => x[p * dim]!);
  const xa = first(a), xb = first(b);
  const all = Float64Array.from([...xa, ...xb]).sort();
  const lo = all[Math.floor(0.001 * all.length)]!, hi = all[Math.floor(0.999 * all.length)]!;
  const bins = 50, w = (hi - lo) / bins;
  const hist = (x: Float64Array) => {
    const h = new Float64Array(bins + 2); // under/overflow in the end bins
    for (const v of x) {
      h[Math.min(bins + 1, Math.max(0, Math.floor((v - lo) / w) + 1))]! += 1 / x.length;
    }
    return h;
  };
  const ha = hist(xa), hb = hist(xb);
  let s = 0;
  for (let k = 0; k < ha.length; k++) s += Math.abs(ha[k]! - hb[k]!);
  return s;
}

// warm-up (JIT)
for (const c of cases) ours({ ...c, count: 500, steps: 5 }, 1);

const mine = timeCases(cases, ours);

await withReference("sde.py", cases, async (ref) => {
  const rows: string[][] = [[
    "case",
    "particle-steps",
    "ours (s)",
    "reference (s)",
    "ratio ours/ref (steps/s)",
    "L1 hist diff",
    "L1 noise level",
  ]];
  for (const c of cases) {
    const { seconds, value: run } = mine.get(c.name)!;
    const refX = await ref.read(c.name);
    if (refX.length !== run.positions.length) {
      throw new Error(
        `${c.name}: ${refX.length} values from the reference, ${run.positions.length} here`,
      );
    }
    const t = ref.times[c.name]!;
    // two independent samples of size n: E Σ_k |p̂_k − p̂'_k| ≈ Σ_k √(4 p_k/(π n)) ≤ √(4·52/(π n))
    const noise = Math.sqrt((4 * 52) / (Math.PI * c.count));
    rows.push([
      c.name,
      (c.count * c.steps).toExponential(1),
      seconds.toFixed(3),
      t.toFixed(3),
      (t / seconds).toFixed(2),
      histogramL1(run.positions, refX, run.dim).toFixed(4),
      `≤ ${noise.toFixed(4)}`,
    ]);
  }
  console.log(`Particles: lib/dynamics/sde/ vs numpy (best of ${repeat})`);
  if (quick) {
    console.log("(--quick: smoke test; at these sizes JIT and start-up costs dominate the ratios)");
  }
  printTable(rows);
});
