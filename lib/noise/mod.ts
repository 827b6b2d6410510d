/**
 * Gradient noise from a {@linkcode GradientOracle}: the oracle seam (and analytic oracles for
 * tests), SGN sampling across batches and parameters, and the SGN covariance estimators (empirical,
 * Fisher forms, subspaces, comparison with H/S). Depends on stats/.
 *
 * @module
 */
export * from "./oracle.ts";
export * from "./sgn.ts";
export * from "./covariance.ts";
