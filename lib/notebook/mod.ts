/**
 * What only notebooks need: the parameters cell (quick/full values and overrides) and the claims
 * log that records each verdict for the scorecard.
 *
 * @module
 */
export * from "./params.ts";
export * from "./claims.ts";
export * from "./run_info.ts";
