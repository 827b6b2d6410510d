/**
 * Statistics with no ML in them: the shared argument checks (`validate.ts`), dense matrices, the
 * seeded PRNG, shuffles and samplers (normal, Pareto, α-stable, random orthonormal frames),
 * symmetric stable densities, tail-index estimators, normality tests, sample moments, the mean-zero
 * test, rank correlation (also within strata), regression and distances between densities. The
 * bottom layer: it imports nothing else from lib/.
 *
 * @module
 */
export * from "./validate.ts";
export * from "./random.ts";
export * from "./matrix.ts";
export * from "./stable_density.ts";
export * from "./tail_index.ts";
export * from "./normality.ts";
export * from "./sample_moments.ts";
export * from "./mean_test.ts";
export * from "./rank_correlation.ts";
export * from "./stratified_rank_correlation.ts";
export * from "./regression.ts";
export * from "./density_distance.ts";
