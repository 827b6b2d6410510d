/**
 * Curvature of a loss given by a {@linkcode GradientOracle}: Hessian-vector products, Lanczos
 * eigenpairs, Hutchinson traces and stochastic Lanczos quadrature, the Hessian in a subspace,
 * sharpness (λ_max and trace, and the adaptive sharpness that is invariant under rescaling), the
 * SGN covariance measured in Hessian frames, 1-D loss slices, and the ReLU rescaling that changes
 * sharpness without changing the function (Dinh et al.). Depends on stats/ and noise/.
 *
 * @module
 */
export * from "./hessian_vector.ts";
export * from "./eigenpairs.ts";
export * from "./stochastic_spectrum.ts";
export * from "./projected_hessian.ts";
export * from "./sharpness.ts";
export * from "./adaptive_sharpness.ts";
export * from "./loss_slice.ts";
export * from "./relu_rescaling.ts";
export * from "./sgn_hessian_frames.ts";
export * from "./gauss_newton.ts";
