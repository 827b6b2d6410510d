/**
 * Deno.bench timings of lib/fokker_planck.ts: single implicit steps, steady
 * states and assembly, on the problems of bench/fokker_planck_compare.ts at
 * sizes that keep `deno bench` short. Run: deno bench -A bench/fokker_planck_bench.ts
 */
import { FokkerPlanck1D, FokkerPlanck2D, type TimeScheme } from "../lib/dynamics/fokker_planck.ts";

function oneD(scheme: TimeScheme, cells = 10000) {
  return new FokkerPlanck1D({
    domain: [-2.5, 2.5],
    cells,
    drift: (x) => -4 * x * (x * x - 1),
    diffusion: (x) => 0.2 + 0.1 * x * x,
    initial: (x) => Math.exp(-20 * (x - 1) ** 2),
    scheme,
  });
}

function twoD(scheme: TimeScheme, n: number) {
  return new FokkerPlanck2D({
    xDomain: [-2, 2],
    yDomain: [-2, 2],
    cells: [n, n],
    drift: (x, y) => [-x * (x * x - 1), -y],
    diffusion: (x, y) => [0.3 + 0.05 * y * y, 0.1 * Math.tanh(x), 0.35],
    initial: (x, y) => Math.exp(-((x - 1) ** 2 + y * y) / 0.1),
    scheme,
  });
}

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
