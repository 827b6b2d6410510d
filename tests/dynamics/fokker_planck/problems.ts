/**
 * The Fokker–Planck test problems shared by the tests and the benchmarks
 * (bench/fokker_planck_bench.ts, bench/fokker_planck_compare.ts; the numpy
 * reference bench/reference/fokker_planck.py writes the same formulas as
 * drift1/diff1/initial1 and drift2/diff2/initial2).
 *
 * @module
 */
import type {
  FokkerPlanck1DOptions,
  FokkerPlanck2DOptions,
  TimeScheme,
} from "../../../lib/dynamics/fokker_planck/mod.ts";

/**
 * 1-D double well b = −4x(x² − 1) with state-dependent (multiplicative) noise
 * D = 0.2 + 0.1x² on [−2.5, 2.5], reflecting sides, started from a bump at x = 1.
 */
export function doubleWell1D(
  cells: number,
  scheme: TimeScheme = "backward-euler",
): FokkerPlanck1DOptions {
  return {
    domain: [-2.5, 2.5],
    cells,
    drift: (x) => -4 * x * (x * x - 1),
    diffusion: (x) => 0.2 + 0.1 * x * x,
    initial: (x) => Math.exp(-20 * (x - 1) ** 2),
    scheme,
  };
}

/**
 * 2-D double well b = −∇[(x² − 1)²/4 + y²/2] with the full, state-dependent
 * tensor D = [[0.3 + 0.05y², 0.1 tanh x], [0.1 tanh x, 0.35]] on [−2, 2]²
 * (|D_xy| small enough that the monotone split has no remainder), reflecting
 * sides, started from a bump at (1, 0).
 */
export function doubleWell2D(
  cells: number,
  scheme: TimeScheme = "backward-euler",
): FokkerPlanck2DOptions {
  return {
    xDomain: [-2, 2],
    yDomain: [-2, 2],
    cells: [cells, cells],
    drift: (x, y) => [-x * (x * x - 1), -y],
    diffusion: (x, y) => [0.3 + 0.05 * y * y, 0.1 * Math.tanh(x), 0.35],
    initial: (x, y) => Math.exp(-((x - 1) ** 2 + y * y) / 0.1),
    scheme,
  };
}
