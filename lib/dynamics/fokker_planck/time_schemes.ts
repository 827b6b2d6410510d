/**
 * One step of the time schemes for dp/dt = A p: backward Euler, Crank–Nicolson and TR-BDF2
 * (Bank et al. 1985), written against a small interface to the grid (shifted solves, the
 * divergence in flux form, outflow rates) so that each scheme reads as its formula. No
 * dependencies.
 *
 * @module
 */

/** Time-stepping scheme. */
export type TimeScheme = "backward-euler" | "tr-bdf2" | "crank-nicolson";

/** The schemes, in the order error messages list them. */
export const TIME_SCHEMES: readonly TimeScheme[] = ["backward-euler", "tr-bdf2", "crank-nicolson"];

/** γ = 2 − √2 of TR-BDF2: the trapezoidal stage ends at t + γ dt. */
export const TR_GAMMA = 2 - Math.SQRT2;

/** What a step needs from the discretised operator A. */
export interface StepSystem {
  /**
   * Solves (I − c A) x = b into x (x holds an initial guess; ignored by direct solvers) and
   * restores the discrete mass balance.
   */
  solveShifted(c: number, b: Float64Array, x: Float64Array): void;
  /** out = A q, evaluated in flux form. */
  divergence(q: Float64Array, out: Float64Array): void;
  /** acc[side] += w · (outflow rate of q through that side). */
  addOutflowRates(q: Float64Array, w: number, acc: Float64Array): void;
}

/** The arrays of one step. Only `next`, `star`, `rhs` and `outflow` are written. */
export interface StepArrays {
  /** Density at the start of the step. */
  p: Float64Array;
  /** Density one step earlier (read when the guess is "extrapolate"). */
  prev: Float64Array;
  /** Density at the end of the step. */
  next: Float64Array;
  /** Intermediate stage (TR-BDF2). */
  star: Float64Array;
  /** Right-hand side workspace. */
  rhs: Float64Array;
  /** Outflow per side over the step, accumulated (the caller zeroes it). */
  outflow: Float64Array;
}

/**
 * Initial guess of the implicit solves: none (direct solvers), the current density, or a linear
 * extrapolation from the previous step of the same size.
 */
export type InitialGuess = "none" | "current" | "extrapolate";

/** Backward Euler: (I − dt A) p⁺ = p; outflow dt·out(p⁺). First order, L-stable. */
export function backwardEulerStep(
  sys: StepSystem,
  dt: number,
  s: StepArrays,
  guess: InitialGuess,
): void {
  const { p, prev, next } = s, n = p.length;
  if (guess === "extrapolate") { for (let i = 0; i < n; i++) next[i] = 2 * p[i]! - prev[i]!; }
  else if (guess === "current") next.set(p);
  sys.solveShifted(dt, p, next);
  sys.addOutflowRates(next, dt, s.outflow);
}

/**
 * Crank–Nicolson: (I − dt/2 A) p⁺ = (I + dt/2 A) p; outflow by the trapezoidal rule. Second
 * order, A-stable (not L-stable: it rings on non-smooth data).
 */
export function crankNicolsonStep(
  sys: StepSystem,
  dt: number,
  s: StepArrays,
  guess: InitialGuess,
): void {
  const { p, prev, next, rhs } = s, n = p.length;
  const c = 0.5 * dt;
  sys.divergence(p, rhs);
  for (let i = 0; i < n; i++) rhs[i] = p[i]! + c * rhs[i]!;
  if (guess === "extrapolate") { for (let i = 0; i < n; i++) next[i] = 2 * p[i]! - prev[i]!; }
  else if (guess === "current") next.set(p);
  sys.solveShifted(c, rhs, next);
  sys.addOutflowRates(p, c, s.outflow);
  sys.addOutflowRates(next, c, s.outflow);
}

/**
 * TR-BDF2 (Bank et al. 1985, "Transient simulation of silicon devices and
 * circuits", IEEE TCAD 4): a trapezoidal stage to t + γ dt, then BDF2,
 * (I − c A) p* = (I + c A) p and (I − c A) p⁺ = a₁ p* − a₀ p with
 * c = γ dt/2, a₁ = 1/(γ(2 − γ)), a₀ = a₁ − 1; both stages share one matrix.
 * Second order, L-stable. Outflow by the scheme's own quadrature.
 */
export function trBdf2Step(sys: StepSystem, dt: number, s: StepArrays, guess: InitialGuess): void {
  const { p, prev, next, star, rhs } = s, n = p.length;
  const g = TR_GAMMA, c = 0.5 * g * dt;
  // a0 = (1 − γ)²/(γ(2 − γ)) = a1 − 1, formed so that a1 − a0 = 1 exactly in floating
  // point (otherwise the stage-2 right-hand side gains ~1e-16 of mass per step)
  const a1 = 1 / (g * (2 - g)), a0 = a1 - 1;
  sys.divergence(p, rhs);
  for (let i = 0; i < n; i++) rhs[i] = p[i]! + c * rhs[i]!;
  if (guess === "extrapolate") {
    for (let i = 0; i < n; i++) star[i] = p[i]! + g * (p[i]! - prev[i]!);
  } else if (guess === "current") star.set(p);
  sys.solveShifted(c, rhs, star);
  for (let i = 0; i < n; i++) rhs[i] = a1 * star[i]! - a0 * p[i]!;
  if (guess !== "none") { for (let i = 0; i < n; i++) next[i] = p[i]! + (star[i]! - p[i]!) / g; }
  sys.solveShifted(c, rhs, next);
  sys.addOutflowRates(p, a1 * c, s.outflow);
  sys.addOutflowRates(star, a1 * c, s.outflow);
  sys.addOutflowRates(next, c, s.outflow);
}

/** One step of `scheme`: dispatches to the functions above. */
export function timeStep(
  scheme: TimeScheme,
  sys: StepSystem,
  dt: number,
  s: StepArrays,
  guess: InitialGuess,
): void {
  if (scheme === "backward-euler") backwardEulerStep(sys, dt, s, guess);
  else if (scheme === "crank-nicolson") crankNicolsonStep(sys, dt, s, guess);
  else trBdf2Step(sys, dt, s, guess);
}
