/**
 * sgd-dynamics: the library behind the notebooks. Re-exports only.
 * @module
 */
export * from "./random.ts";
export * from "./oracle.ts";
export * from "./params.ts";
export * from "./claims.ts";
export * from "./regression.ts";
export * from "./mean_test.ts";
export * from "./tail_index.ts";
export * from "./stable_density.ts";
export * from "./normality.ts";
export * from "./sgn.ts";
export * from "./hessian.ts";
export * from "./covariance.ts";
export * from "./loss_slice.ts";
export * from "./rank_correlation.ts";
export * from "./relu_rescaling.ts";
export * from "./landscapes.ts";
export * from "./sde.ts";
export * from "./fokker_planck.ts";
export * from "./escape.ts";
export * from "./density_distance.ts";
export * from "./separable_valley.ts";
export * from "./sample_moments.ts";
export * from "./display/mime.ts";
export * from "./display/plotly.ts";
export * from "./display/figures.ts";
export * from "./display/progress.ts";
export * from "./display/table.ts";
export * from "./display/distribution_panels.ts";
export * from "./display/time_slider.ts";
export * from "./models/tf.ts";
export * from "./models/mnist.ts";
export * from "./models/mlp.ts";
export * from "./models/conv.ts";
export * from "./models/resnet.ts";
export * from "./models/tfjs_oracle.ts";
export * from "./models/train.ts";
