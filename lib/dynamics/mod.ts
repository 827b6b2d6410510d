/**
 * The dynamics of SGD as a stochastic process: toy landscapes with analytic derivatives (one
 * checked base, separable valleys), the noise curvature and diffusion of SGD on them, particles
 * (`sde/`: one particle loop for SGD, Langevin, Euler–Maruyama and the gradient SDE), Fokker–Planck
 * solvers on grids (`fokker_planck/`) with grid densities, interpolation and the closed-form
 * stationary law, and escape times (Monte Carlo, flux over population, mean first passage,
 * formulas). Depends on stats/.
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
export * from "./smooth_valley.ts";
export * from "./divergence_form.ts";
export * from "./finite_sum.ts";
export * from "./separable_sum.ts";
