/**
 * sgd-dynamics: the library behind the notebooks. Re-exports only.
 * @module
 */
export * from "./random.ts";
export * from "./oracle.ts";
