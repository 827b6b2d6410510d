/**
 * Curvature of a loss given by a {@linkcode GradientOracle}: Hessian-vector products, Lanczos,
 * Hutchinson and stochastic Lanczos quadrature, 1-D loss slices, and the ReLU rescaling that changes
 * sharpness without changing the function (Dinh et al.). Depends on stats/ and noise/'s oracle.
 *
 * @module
 */
export * from "./hessian.ts";
export * from "./loss_slice.ts";
export * from "./relu_rescaling.ts";
