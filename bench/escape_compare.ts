/**
 * Escape-time simulation throughput of lib/dynamics/sde/ (first-passage recording
 * with an `exit` test) against a vectorised numpy reference
 * (bench/reference/escape.py) on the same problem: Langevin particles on the
 * asymmetric double well (h_a = 4, |h_b| = 1.5, ΔL = 0.7, h_c = 0.8,
 * ΔL_c = 1.3), η = 0.01, started at the minimum and absorbed once past the
 * barrier top + 0.3. Both sides simulate each particle until it exits (or
 * the horizon), so their particle-step counts agree up to sampling.
 *
 * Prints particle-steps per second for both and their ratio (≥ 1: this
 * library is faster), and the two mean escape times (censored exponential
 * MLE, lib/dynamics/escape.ts) with 95% intervals, which must overlap: the streams
 * differ, the laws must not. Times are best of 3 (1 with --quick).
 *
 * Usage: deno run -A bench/escape_compare.ts [--quick]
 */
import { AsymmetricDoubleWell } from "../lib/dynamics/landscapes.ts";
import { createPrng } from "../lib/stats/random.ts";
import { type ParticleRun, simulateLangevin } from "../lib/dynamics/sde/mod.ts";
import { escapeFromRun } from "../lib/dynamics/escape.ts";
import { printTable, timeCases, withReference } from "./_reference.ts";

const quick = Deno.args.includes("--quick");
const repeat = quick ? 1 : 3;
const WELL = { ha: 4, hb: 1.5, dl: 0.7, hc: 0.8, dlc: 1.3 };
const well = new AsymmetricDoubleWell({
  curvatureMin: WELL.ha,
  curvatureBarrier: WELL.hb,
  barrierHeight: WELL.dl,
  curvatureOther: WELL.hc,
  barrierHeightOther: WELL.dlc,
});
const exitAt = well.xBarrier + 0.3;
const cases = [
  {
    name: "langevin-escape-D0.35",
    count: quick ? 2000 : 20000,
    steps: quick ? 4000 : 20000,
    repeat,
    eta: 0.01,
    diffusion: 0.35,
    exit: exitAt,
    well: WELL,
  },
];

function ours(c: (typeof cases)[number], seed: number): ParticleRun {
  return simulateLangevin(well, {
    learningRate: c.eta,
    diffusion: c.diffusion,
    initial: [well.xMin],
    count: c.count,
    steps: c.steps,
    prng: createPrng(seed),
    exit: (x, o) => x[o]! > c.exit,
  });
}

/** Particle-steps actually simulated: each particle until its exit, or the horizon. */
function particleSteps(exitStep: ArrayLike<number>, horizon: number): number {
  let s = 0;
  for (let p = 0; p < exitStep.length; p++) s += exitStep[p]! >= 0 ? exitStep[p]! : horizon;
  return s;
}

ours({ ...cases[0]!, count: 200, steps: 200 }, 1); // warm-up (JIT)
const mine = timeCases(cases, ours);

await withReference("escape.py", cases, async (ref) => {
  const rows: string[][] = [[
    "case",
    "ours steps/s",
    "numpy steps/s",
    "ratio ours/numpy",
    "τ ours [95%]",
    "τ numpy [95%]",
  ]];
  for (const c of cases) {
    const { seconds, value: run } = mine.get(c.name)!;
    const refSteps = await ref.read(c.name);
    const refExit = Int32Array.from(refSteps);
    const refExited = refExit.filter((s) => s >= 0).length;
    const refRun: ParticleRun = {
      ...run,
      // the reference stops once every particle has exited, like ours, but at its own last exit
      steps: refExited === c.count ? Math.max(...refExit) : c.steps,
      exitStep: refExit,
      exited: refExited,
    };
    const a = escapeFromRun(run), b = escapeFromRun(refRun);
    const oursRate = particleSteps(run.exitStep, c.steps) / seconds;
    const refRate = particleSteps(refSteps, c.steps) / ref.times[c.name]!;
    const fmt = (e: typeof a) =>
      `${e.mean.toFixed(2)} [${e.interval.map((v) => v.toFixed(2)).join(", ")}]`;
    rows.push([
      c.name,
      oursRate.toExponential(2),
      refRate.toExponential(2),
      (oursRate / refRate).toFixed(2),
      fmt(a),
      fmt(b),
    ]);
  }
  console.log(`Escape (first passage): lib/dynamics/sde/ vs numpy (best of ${repeat})`);
  if (quick) console.log("(--quick: smoke test)");
  printTable(rows);
});
