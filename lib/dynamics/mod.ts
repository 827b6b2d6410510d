/**
 * The dynamics of SGD as a stochastic process: toy landscapes with analytic derivatives (and
 * separable valleys), SGD / Langevin / SDE particles and Euler–Maruyama, Fokker–Planck solvers on
 * grids, and escape times (Monte Carlo, flux over population, mean first passage, formulas).
 * Depends on stats/.
 *
 * @module
 */
export * from "./landscape.ts";
export * from "./landscapes.ts";
export * from "./separable_valley.ts";
export * from "./sde/mod.ts";
export * from "./fokker_planck/mod.ts";
export * from "./escape.ts";
export * from "./noise_curvature.ts";
export * from "./stationary_density.ts";
export * from "./grid_density.ts";
export * from "./grid_interpolation.ts";
export * from "./sharp_flat_sgd.ts";
export * from "./cloud_against_density.ts";
