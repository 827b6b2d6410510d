/**
 * Deno.bench timings of lib/dynamics/fokker_planck/: single implicit steps,
 * steady states and assembly, on the shared test problems
 * (tests/dynamics/fokker_planck/problems.ts, also used by
 * bench/fokker_planck_compare.ts) at sizes that keep `deno bench` short.
 * Run: deno bench -A bench/fokker_planck_bench.ts
 */
import {
  FokkerPlanck1D,
  FokkerPlanck2D,
  type TimeScheme,
} from "../lib/dynamics/fokker_planck/mod.ts";
import { doubleWell1D, doubleWell2D } from "../tests/dynamics/fokker_planck/problems.ts";

const oneD = (scheme: TimeScheme, cells = 10000) => new FokkerPlanck1D(doubleWell1D(cells, scheme));
const twoD = (scheme: TimeScheme, n: number) => new FokkerPlanck2D(doubleWell2D(n, scheme));

const be1 = oneD("backward-euler"), tr1 = oneD("tr-bdf2");
Deno.bench("1-D, 10^4 cells: backward Euler step", { group: "1-D step" }, () => {
  be1.step(1e-3);
});
Deno.bench("1-D, 10^4 cells: TR-BDF2 step", { group: "1-D step" }, () => {
  tr1.step(1e-3);
});
Deno.bench("1-D, 10^4 cells: steadyState", () => {
  be1.steadyState();
});
Deno.bench("1-D, 10^4 cells: assembly", () => {
  oneD("backward-euler");
});

const be2 = twoD("backward-euler", 128), tr2 = twoD("tr-bdf2", 128);
Deno.bench("2-D, 128²: backward Euler step (dt = 0.01)", { group: "2-D step" }, () => {
  be2.step(0.01);
});
Deno.bench("2-D, 128²: TR-BDF2 step (dt = 0.01)", { group: "2-D step" }, () => {
  tr2.step(0.01);
});
const small = twoD("backward-euler", 64);
Deno.bench("2-D, 64²: steadyState", () => {
  small.steadyState();
});
Deno.bench("2-D, 128²: assembly", () => {
  twoD("backward-euler", 128);
});
