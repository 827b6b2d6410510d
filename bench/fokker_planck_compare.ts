/**
 * Side-by-side timing of lib/dynamics/fokker_planck/ against a numpy/scipy reference
 * (bench/reference/fokker_planck.py: the same discretisation assembled with
 * scipy.sparse, one `splu` per step size and a `solve` per implicit stage;
 * `spsolve` of the grounded system for the steady state) on the same
 * problems (tests/dynamics/fokker_planck/problems.ts), to the same final time
 * with the same step:
 *
 * - 1-D: double well b = −4x(x² − 1), D = 0.2 + 0.1x² on [−2.5, 2.5],
 *   10^4 cells, t = 1 with dt = 10⁻³ (backward Euler, TR-BDF2), steady state;
 * - 2-D: b = −∇[(x² − 1)²/4 + y²/2], D = [[0.3 + 0.05y², 0.1 tanh x],
 *   [0.1 tanh x, 0.35]] on [−2, 2]², 256 × 256 cells, t = 0.5 with dt = 0.01,
 *   steady state.
 *
 * Prints case, ours (s), reference (s), ratio reference/ours (> 1: this
 * library is faster) and the L1 distance Σ|p − p_ref|·|cell| of the results
 * (which measures how equal the accuracy is: both solve the same discrete
 * equations, so it is the solver error, not the discretisation error).
 * Times are the best of 3 runs (1 with --quick), each from problem
 * definition (assembly included) to the final density; Deno is warmed up on
 * a small case first. `--quick` shrinks every size for a smoke test.
 *
 * Usage: deno run -A bench/fokker_planck_compare.ts [--quick]
 */
import {
  FokkerPlanck1D,
  FokkerPlanck2D,
  type TimeScheme,
} from "../lib/dynamics/fokker_planck/mod.ts";
import { doubleWell1D, doubleWell2D } from "../tests/dynamics/fokker_planck/problems.ts";
import { bestOf, printTable, withReference } from "./_reference.ts";

const quick = Deno.args.includes("--quick");
const repeat = quick ? 1 : 3;

type Scheme = TimeScheme | "steady";
interface Case {
  name: string;
  dim: 1 | 2;
  cells: number | [number, number];
  domain: [number, number] | [[number, number], [number, number]];
  scheme: Scheme;
  dt: number;
  steps: number;
  repeat: number;
}

const n1 = quick ? 1000 : 10000, steps1 = quick ? 100 : 1000;
const n2 = quick ? 48 : 256, steps2 = quick ? 5 : 50;
const cases: Case[] = [];
// the reference reads the domain from the spec; both come from the shared problems
const domain1 = doubleWell1D(n1).domain, two = doubleWell2D(n2);
for (const scheme of ["backward-euler", "tr-bdf2", "steady"] as const) {
  cases.push({
    name: `1d-${n1}-${scheme}`,
    dim: 1,
    cells: n1,
    domain: [domain1[0], domain1[1]],
    scheme,
    dt: 1e-3,
    steps: steps1,
    repeat,
  });
}
for (const scheme of ["backward-euler", "tr-bdf2", "steady"] as const) {
  cases.push({
    name: `2d-${n2}x${n2}-${scheme}`,
    dim: 2,
    cells: [n2, n2],
    domain: [[two.xDomain[0], two.xDomain[1]], [two.yDomain[0], two.yDomain[1]]],
    scheme,
    dt: 0.01,
    steps: steps2,
    repeat,
  });
}

function ours(c: Case): { p: Float64Array; volume: number } {
  const scheme = c.scheme === "steady" ? "backward-euler" : c.scheme;
  const fp = c.dim === 1
    ? new FokkerPlanck1D(doubleWell1D(c.cells as number, scheme))
    : new FokkerPlanck2D(doubleWell2D((c.cells as [number, number])[0], scheme));
  const p = c.scheme === "steady" ? fp.steadyState() : fp.run(c.steps, c.dt).density;
  return { p, volume: fp.cellVolume };
}

// warm-up (JIT) on small versions of every kind of case
for (const c of cases) {
  ours({ ...c, cells: c.dim === 1 ? 200 : [24, 24], steps: 3 });
}

const results = new Map<string, { seconds: number; p: Float64Array; volume: number }>();
for (const c of cases) {
  const { seconds, value } = bestOf(c.repeat, () => ours(c));
  results.set(c.name, { seconds, p: value.p.slice(), volume: value.volume });
}

await withReference("fokker_planck.py", cases, async (ref) => {
  const rows: string[][] = [[
    "case",
    "ours (s)",
    "reference (s)",
    "ratio ref/ours",
    "L1 difference",
  ]];
  for (const c of cases) {
    const o = results.get(c.name)!;
    const refP = await ref.read(c.name);
    if (refP.length !== o.p.length) {
      throw new Error(`${c.name}: length ${refP.length} vs ${o.p.length}`);
    }
    let l1 = 0;
    for (let i = 0; i < refP.length; i++) l1 += Math.abs(o.p[i]! - refP[i]!) * o.volume;
    const t = ref.times[c.name]!;
    rows.push([
      c.name + (c.scheme === "steady" ? "" : ` (${c.steps} steps)`),
      o.seconds.toFixed(3),
      t.toFixed(3),
      (t / o.seconds).toFixed(2),
      l1.toExponential(2),
    ]);
  }
  console.log(`Fokker–Planck: lib/dynamics/fokker_planck/ vs numpy/scipy (best of ${repeat})`);
  if (quick) {
    console.log("(--quick: smoke test; at these sizes JIT and start-up costs dominate the ratios)");
  }
  printTable(rows);
});
