/**
 * Particle simulators of SGD and its SDE: the shared skeleton (particles.ts: options, runs,
 * first-passage times, snapshots), discrete SGD with Hessian-shaped noise and Langevin
 * (simulators.ts), the gradient SDE with a diagonal diffusion (gradient_sde.ts), general
 * Euler–Maruyama (euler_maruyama.ts) and the SGD noise factor (sgd_noise.ts). Depends on stats/.
 *
 * @module
 */
export { type ParticleOptions, type ParticleRun, stepsAtTimes } from "./particles.ts";
export { type CurvatureRule, sgdNoiseCovariance } from "./sgd_noise.ts";
export {
  type LangevinOptions,
  type SgdOptions,
  simulateLangevin,
  simulateSgd,
} from "./simulators.ts";
export {
  type DiagonalDiffusion,
  type GradientSdeOptions,
  simulateGradientSde,
} from "./gradient_sde.ts";
export { eulerMaruyama, type EulerMaruyamaOptions } from "./euler_maruyama.ts";
