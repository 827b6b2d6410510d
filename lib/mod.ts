/**
 * sgd-dynamics: the library behind the notebooks. Re-exports the numerical layers (stats, noise,
 * curvature, dynamics), the notebook helpers and display. TensorFlow.js is opt-in: a notebook that
 * trains networks also imports `./models/mod.ts`, so one that needs no network starts without it.
 * @module
 */
export * from "./stats/mod.ts";
export * from "./noise/mod.ts";
export * from "./curvature/mod.ts";
export * from "./dynamics/mod.ts";
export * from "./notebook/mod.ts";
export * from "./display/mod.ts";
