/**
 * Gradient noise from a {@linkcode GradientOracle}: the oracle seam (and analytic oracles for
 * tests), SGN sampling across batches and parameters, streamed per-example gradient statistics,
 * the SGN covariance estimators (empirical, Fisher forms, subspaces) and their comparison with
 * H/S, and the distribution of the SGN (tail index, normality) across batch sizes. Depends on
 * stats/.
 *
 * @module
 */
export * from "./oracle.ts";
export * from "./logit_oracle.ts";
export * from "./sgn.ts";
export * from "./per_example.ts";
export * from "./covariance.ts";
export * from "./covariance_comparison.ts";
export * from "./batch_normality.ts";
export * from "./sgn_shape.ts";
export * from "./streamed_sgn.ts";
export * from "./sgn_claims.ts";
