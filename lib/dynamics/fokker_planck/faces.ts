/**
 * Face stencils of the finite-volume Fokker–Planck schemes: the normal flux on each face as a
 * short linear combination of cell densities, the Scharfetter–Gummel (exponentially fitted)
 * coefficients built from the Bernoulli function, and what is computed from face fluxes (the
 * assembled generator, the divergence in flux form, the outflow through absorbing walls).
 * Depends on sparse.ts.
 *
 * @module
 */
import type { CsrBuilder } from "./sparse.ts";

/**
 * B(z) = z / (eᶻ − 1), the Bernoulli function of the Scharfetter–Gummel flux
 * (B(0) = 1; the series 1 − z/2 + z²/12 − z⁴/720 for |z| < 10⁻³).
 *
 * @example
 * ```ts
 * import { bernoulli } from "./faces.ts";
 * // B(z) − B(−z) = −z for every z
 * if (Math.abs(bernoulli(2) - bernoulli(-2) + 2) > 1e-15) throw new Error("identity");
 * ```
 */
export function bernoulli(z: number): number {
  if (Math.abs(z) < 1e-3) return 1 - z / 2 + (z * z) / 12 - (z * z * z * z) / 720;
  return z / Math.expm1(z);
}

/**
 * Coefficients of the Scharfetter–Gummel flux over a face of width `width`
 * (Scharfetter & Gummel 1969): with u = D p and v = b/D constant across the
 * face, J = v u − u' integrates exactly to
 * J = [B(−z) u_minus − B(z) u_plus] / width, z = v·width. Returns the factor of
 * p_minus, B(−z)·u_minus/width, when `side` is "minus" (u_minus the diffusion at
 * that cell), and of p_plus, −B(z)·u_plus/width, when it is "plus".
 *
 * @example
 * ```ts
 * import { fittedCoefficient } from "./faces.ts";
 * // no drift: the flux is the difference quotient −(u_plus − u_minus)/h
 * if (fittedCoefficient("plus", 0, 2, 0.5) !== -4) throw new Error("diffusive limit");
 * ```
 */
export function fittedCoefficient(
  side: "minus" | "plus",
  z: number,
  diffusion: number,
  width: number,
): number {
  return side === "minus"
    ? (bernoulli(-z) * diffusion) / width
    : (-bernoulli(z) * diffusion) / width;
}

/** Face stencils: the normal flux on face f is Σ_k coef[f·S + k] · p[cell[f·S + k]]. */
export interface FaceStencils {
  count: number;
  slots: number;
  cell: Int32Array;
  coef: Float64Array;
  /** Cell on the negative side of the face (−1 at a lower wall). */
  minus: Int32Array;
  /** Cell on the positive side of the face (−1 at an upper wall). */
  plus: Int32Array;
  /** 1 / (cell width normal to the face). */
  invWidth: Float64Array;
  /** Side index whose outflow this face carries (−1 for interior or periodic faces). */
  side: Int32Array;
  /** Face area (1 in 1-D, h_y for x-faces, h_x for y-faces). */
  area: Float64Array;
}

/**
 * Empty stencils for `count` faces of `slots` cells each: no neighbours (−1), no side, zero
 * coefficients, widths and areas.
 */
export function emptyFaceStencils(count: number, slots: number): FaceStencils {
  return {
    count,
    slots,
    cell: new Int32Array(count * slots),
    coef: new Float64Array(count * slots),
    minus: new Int32Array(count).fill(-1),
    plus: new Int32Array(count).fill(-1),
    invWidth: new Float64Array(count),
    side: new Int32Array(count).fill(-1),
    area: new Float64Array(count),
  };
}

/** Normal flux Σ_k coef_k q[cell_k] on face f, summed in slot order. */
export function faceFlux(fs: FaceStencils, f: number, q: Float64Array): number {
  const S = fs.slots;
  let j = 0;
  for (let k = 0; k < S; k++) j += fs.coef[f * S + k]! * q[fs.cell[f * S + k]!]!;
  return j;
}

/** Adds the face fluxes of `faces` to a builder: dp_minus/dt −= J/h, dp_plus/dt += J/h. */
export function addFaceFluxes(b: CsrBuilder, faces: FaceStencils): void {
  const { slots, cell, coef, minus, plus, invWidth } = faces;
  for (let f = 0; f < faces.count; f++) {
    const m = minus[f]!, p = plus[f]!, iw = invWidth[f]!;
    for (let k = 0; k < slots; k++) {
      const c = coef[f * slots + k]!;
      if (c === 0) continue;
      const j = cell[f * slots + k]!;
      if (m >= 0) b.add(m, j, -c * iw);
      if (p >= 0) b.add(p, j, c * iw);
    }
  }
}

/** Adds `coef · p[cell]` to the flux of face f, merging repeated cells into one slot. */
export function addToFace(fs: FaceStencils, f: number, cell: number, coef: number): void {
  const S = fs.slots, base = f * S;
  for (let k = 0; k < S; k++) {
    if (fs.coef[base + k] !== 0 && fs.cell[base + k] === cell) {
      fs.coef[base + k] = fs.coef[base + k]! + coef;
      return;
    }
  }
  for (let k = 0; k < S; k++) {
    if (fs.coef[base + k] === 0) {
      fs.cell[base + k] = cell;
      fs.coef[base + k] = coef;
      return;
    }
  }
  throw new Error(`internal: face ${f} has more than ${S} cells`);
}

/**
 * out = A q evaluated in flux form, out_i = Σ_faces ∓ J_f / h_f: every face
 * current is added to one cell and subtracted from the other, so the mass
 * of the result telescopes to minus the outflow without the fixed rounding
 * of the assembled column sums (which would bias the mass step after step).
 */
export function faceDivergence(fs: FaceStencils, q: Float64Array, out: Float64Array): void {
  out.fill(0);
  for (let f = 0; f < fs.count; f++) {
    const j = faceFlux(fs, f, q) * fs.invWidth[f]!;
    const m = fs.minus[f]!, p = fs.plus[f]!;
    if (m >= 0) out[m] = out[m]! - j;
    if (p >= 0) out[p] = out[p]! + j;
  }
}

/** Faces that carry outflow through a side (side ≥ 0), in face order. */
export function wallFaces(fs: FaceStencils): Int32Array {
  return Int32Array.from(
    Array.from({ length: fs.count }, (_, f) => f).filter((f) => fs.side[f]! >= 0),
  );
}

/**
 * Outflow rate (mass per time, along the outward normal) through each side for density q, added
 * into `acc[side]` scaled by `w`.
 * @param walls the wall faces ({@link wallFaces})
 */
export function addOutflowRates(
  fs: FaceStencils,
  walls: Int32Array,
  q: Float64Array,
  w: number,
  acc: Float64Array,
): void {
  for (let k = 0; k < walls.length; k++) {
    const f = walls[k]!, s = fs.side[f]!;
    const j = faceFlux(fs, f, q);
    const sign = fs.minus[f]! < 0 ? -1 : 1;
    acc[s] = acc[s]! + w * sign * j * fs.area[f]!;
  }
}

/**
 * Outflow rate per unit density of each cell, divided by the cell volume: o_i with
 * Σ_sides outflow(q) = V Σ_i o_i q_i.
 */
export function cellOutflowRates(fs: FaceStencils, size: number, cellVolume: number): Float64Array {
  const o = new Float64Array(size);
  const { slots, cell, coef, minus } = fs;
  for (let f = 0; f < fs.count; f++) {
    const s = fs.side[f]!;
    if (s < 0) continue;
    const sign = minus[f]! < 0 ? -1 : 1; // outward normal
    for (let k = 0; k < slots; k++) {
      const j = cell[f * slots + k]!;
      o[j] = o[j]! + (sign * coef[f * slots + k]! * fs.area[f]!) / cellVolume;
    }
  }
  return o;
}
