/**
 * What only notebooks need: the parameters cell (quick/full values and overrides), the claims
 * log that records each verdict for the scorecard, and the cache of expensive results.
 *
 * @module
 */
export * from "./params.ts";
export * from "./claims.ts";
export * from "./seeds.ts";
export * from "./run_info.ts";
export * from "./cache_key.ts";
export * from "./counted_prng.ts";
export * from "./cache_file.ts";
export * from "./cache.ts";
