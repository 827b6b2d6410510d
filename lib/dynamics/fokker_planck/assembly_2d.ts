/**
 * Assembly of the 2-D Fokker–Planck generator on an n_x × n_y cell-centred grid, in named steps:
 * the lattice split of the diffusion tensor at every cell, the axial faces of both axes through
 * one routine (fitted flux plus the remainder cross term), and the transfers between diagonal
 * neighbours (with their mirrored partners across walls) routed into face currents. Depends on
 * faces.ts, grid.ts (types) and sparse.ts.
 *
 * @module
 */
import {
  addFaceFluxes,
  addToFace,
  emptyFaceStencils,
  type FaceStencils,
  fittedCoefficient,
} from "./faces.ts";
import type { Boundary, PecletReport } from "./grid.ts";
import { CsrBuilder, type CsrMatrix } from "./sparse.ts";

/** A symmetric 2×2 diffusion tensor [D_xx, D_xy, D_yy]. */
export type Tensor2 = readonly [number, number, number];

/** The boundaries of the four sides, all given. */
export interface Sides2D {
  left: Boundary;
  right: Boundary;
  bottom: Boundary;
  top: Boundary;
}

/**
 * Geometry of the grid. Cells are stored row by row (index j·n_x + i); faces are the x-faces
 * (index j·(n_x + 1) + k, k = 0..n_x) followed by the y-faces (index (n_x + 1)·n_y + k·n_x + i,
 * k = 0..n_y). With periodic sides face n_x (n_y) is face 0 and stays unused.
 */
export interface Grid2D {
  nx: number;
  ny: number;
  hx: number;
  hy: number;
  /** [x lower, x upper]. */
  x: readonly [number, number];
  /** [y lower, y upper]. */
  y: readonly [number, number];
  /** x of the cell centres. */
  xc: Float64Array;
  /** y of the cell centres. */
  yc: Float64Array;
  sides: Sides2D;
}

/** Drift b(x, y) and diffusion tensor D(x, y), already checked for finiteness and definiteness. */
export interface Coefficients2D {
  drift: (x: number, y: number) => readonly [number, number];
  diffusion: (x: number, y: number) => Tensor2;
}

/**
 * The lattice split of D (module notes of mod.ts):
 * D = a_x e_x e_xᵀ + a_y e_y e_yᵀ + a_d d dᵀ + rem·(e_x e_yᵀ + e_y e_xᵀ) with d = (h_x, sg·h_y).
 */
export interface LatticeSplit {
  ax: number;
  ay: number;
  /** Weight of the diagonal part (0 in "central" mode). */
  ad: number;
  /** Sign of D_xy (+1 for D_xy ≥ 0): which lattice diagonal carries a_d. */
  sg: number;
  /** Remainder cross coefficient, handled by the 7-point stencil. */
  rem: number;
}

/**
 * Splits D into lattice directions: a_d = min(|D_xy|, D_xx h_y/h_x, D_yy h_x/h_y)/(h_x h_y) on
 * the diagonal of the sign of D_xy (0 unless `monotone`), a_x = D_xx − a_d h_x²,
 * a_y = D_yy − a_d h_y² (clamped at 0 against round-off) and the remainder
 * D_xy − sg·a_d h_x h_y, so that a_x e_x e_xᵀ + a_y e_y e_yᵀ + a_d d dᵀ + remainder = D.
 *
 * @example
 * ```ts
 * import { splitTensor } from "./assembly_2d.ts";
 * const s = splitTensor([0.4, 0.1, 0.3], 0.5, 0.5, true);
 * // |D_xy| = 0.1 ≤ min(D_xx, D_yy): all of it on the diagonal, no remainder
 * if (s.rem !== 0 || Math.abs(s.ax - 0.3) > 1e-15) throw new Error("split");
 * ```
 */
export function splitTensor(d: Tensor2, hx: number, hy: number, monotone: boolean): LatticeSplit {
  const hxy = hx * hy;
  const ad = monotone ? Math.min(Math.abs(d[1]), (d[0] * hy) / hx, (d[2] * hx) / hy) / hxy : 0;
  const sg = d[1] >= 0 ? 1 : -1;
  return {
    ax: Math.max(0, d[0] - ad * hx * hx),
    ay: Math.max(0, d[2] - ad * hy * hy),
    ad,
    sg,
    rem: d[1] - sg * ad * hxy,
  };
}

/** The split of D at every cell centre; a_d is stored by diagonal family (NE: D_xy ≥ 0, SE). */
interface CellSplit {
  ax: Float64Array;
  ay: Float64Array;
  rem: Float64Array;
  adNE: Float64Array;
  adSE: Float64Array;
}

function splitAtCells(g: Grid2D, c: Coefficients2D, monotone: boolean): CellSplit {
  const n = g.nx * g.ny;
  const s: CellSplit = {
    ax: new Float64Array(n),
    ay: new Float64Array(n),
    rem: new Float64Array(n),
    adNE: new Float64Array(n),
    adSE: new Float64Array(n),
  };
  for (let j = 0; j < g.ny; j++) {
    for (let i = 0; i < g.nx; i++) {
      const k = j * g.nx + i,
        sp = splitTensor(c.diffusion(g.xc[i]!, g.yc[j]!), g.hx, g.hy, monotone);
      s.ax[k] = sp.ax;
      s.ay[k] = sp.ay;
      s.rem[k] = sp.rem;
      if (sp.sg > 0) s.adNE[k] = sp.ad;
      else s.adSE[k] = sp.ad;
    }
  }
  return s;
}

/** Index of the x-face k (0..n_x) of row j; the periodic face n_x is face 0. */
function xFace(g: Grid2D, k: number, j: number): number {
  return j * (g.nx + 1) + (g.sides.left === "periodic" && k === g.nx ? 0 : k);
}

/** Index of the y-face k (0..n_y) of column i; the periodic face n_y is face 0. */
function yFace(g: Grid2D, i: number, k: number): number {
  return (g.nx + 1) * g.ny + (g.sides.bottom === "periodic" && k === g.ny ? 0 : k) * g.nx + i;
}

/**
 * The neighbour (i + di, j + dj) of a cell for the cross-term stencil, as [cell, factor]: wrapped
 * across a periodic side, mirrored back onto the cell across a reflecting one (factor 1) or an
 * absorbing one (factor −1: p = 0 on the wall).
 */
function ghostNeighbour(g: Grid2D, i: number, j: number, di: number, dj: number): [number, number] {
  const { nx, ny, sides } = g;
  let ii = i + di, jj = j + dj, f = 1;
  if (ii < 0 || ii >= nx) {
    const b = ii < 0 ? sides.left : sides.right;
    if (b === "periodic") ii = (ii + nx) % nx;
    else {
      ii = i;
      if (b === "absorbing") f = -1;
    }
  }
  if (jj < 0 || jj >= ny) {
    const b = jj < 0 ? sides.bottom : sides.top;
    if (b === "periodic") jj = (jj + ny) % ny;
    else {
      jj = j;
      if (b === "absorbing") f = -f;
    }
  }
  return [jj * nx + ii, f];
}

/** Options of {@link addAxialFace}: one face normal to x or to y. */
export interface AxialFaceOptions {
  /** Face index. */
  face: number;
  /** Cell on the negative side (−1 at a lower wall) and on the positive side (−1 at an upper wall). */
  minus: number;
  plus: number;
  /** Cell width along the normal. */
  width: number;
  /** Face area: the cell width along the tangent. */
  area: number;
  /** Normal drift b_n and normal diffusion D_nn at the face centre. */
  drift: number;
  diffusion: number;
  /** Axial coefficient (a_x or a_y) at the face centre and at every cell. */
  axialAtFace: number;
  axialAtCells: Float64Array;
  /** Remainder cross coefficient at the face centre and at every cell. */
  remainderAtFace: number;
  remainderAtCells: Float64Array;
  /** Boundary of the wall this face lies on (read only for wall faces). */
  wall: Boundary;
  /** Side index recorded on an absorbing wall face. */
  side: number;
  /** Face centre, for the Péclet report. */
  at: [number, number];
  /**
   * The four (cell, factor) terms of the tangential difference of w = rem·p, ½(δ⁺δ⁺ + δ⁻δ⁻)
   * for rem ≥ 0 and ½(δ⁺δ⁻ + δ⁻δ⁺) otherwise; called only when needed.
   */
  crossStencil: () => [number, number][];
}

/**
 * One axial face: fitted flux of u = a·p with v = b_n/a_f (upwind when a_f ≈ 0; over a half
 * cell at an absorbing wall, nothing at a reflecting one), then the remainder cross flux −∂_t w,
 * w = rem·p, t the tangential direction (none on walls, where p ≡ 0 or J·n = 0). Updates the
 * Péclet report.
 */
export function addAxialFace(faces: FaceStencils, pe: PecletReport, o: AxialFaceOptions): void {
  const { face: f, minus, plus, width: h, drift: bn, diffusion: dnn, axialAtFace: af } = o;
  faces.minus[f] = minus;
  faces.plus[f] = plus;
  faces.invWidth[f] = 1 / h;
  faces.area[f] = o.area;
  const isWall = minus < 0 || plus < 0;
  if (isWall && o.wall === "reflecting") return;
  const width = isWall ? h / 2 : h;
  const peFace = (Math.abs(bn) * h) / dnn;
  if (peFace > pe.max) {
    pe.max = peFace;
    pe.at = o.at;
  }
  const a = o.axialAtCells;
  if (af > 1e-13 * dnn) {
    const z = (bn * width) / af;
    if (minus >= 0) addToFace(faces, f, minus, fittedCoefficient("minus", z, a[minus]!, width));
    if (plus >= 0) addToFace(faces, f, plus, fittedCoefficient("plus", z, a[plus]!, width));
  } else {
    // no axial diffusion left after the diagonal split: upwind
    if (minus >= 0 && bn > 0) addToFace(faces, f, minus, bn);
    if (plus >= 0 && bn < 0) addToFace(faces, f, plus, bn);
  }
  if (isWall) {
    faces.side[f] = o.side;
    return; // p = 0 along an absorbing wall: no cross flux
  }
  if (o.remainderAtFace === 0) return;
  const rem = o.remainderAtCells, c = 1 / (2 * o.area);
  for (const [cell, factor] of o.crossStencil()) {
    if (rem[cell] !== 0) addToFace(faces, f, cell, -c * factor * rem[cell]!);
  }
}

/** The faces normal to one axis, described so that one loop serves both. */
interface Axis {
  /** Cells along the normal and along the tangent. */
  n: number;
  nt: number;
  /** Cell width along the normal and along the tangent (the face area). */
  h: number;
  ht: number;
  /** Domain along the normal. */
  lower: number;
  upper: number;
  tangentCenters: Float64Array;
  lowerWall: Boundary;
  upperWall: Boundary;
  /** Side indices of the lower and upper walls. */
  lowerSide: number;
  upperSide: number;
  /** Index of the axis's first face. */
  offset: number;
  /** Whether faces are stored normal index major (y-faces) rather than tangent major (x-faces). */
  normalMajor: boolean;
  /** Drift component along the normal (0: x, 1: y); D_nn is tensor entry 2·component. */
  component: 0 | 1;
  axialAtCells: Float64Array;
  axialOf: (s: LatticeSplit) => number;
  /** Cell at normal index k and tangent index t. */
  cell: (k: number, t: number) => number;
  /** (x, y) of normal coordinate s and tangent coordinate r. */
  point: (s: number, r: number) => [number, number];
  /** Neighbour of cell (k, t) one step along the tangent, as [cell, factor]. */
  tangentNeighbour: (k: number, t: number, dir: number) => [number, number];
}

function xAxis(g: Grid2D, s: CellSplit): Axis {
  return {
    n: g.nx,
    nt: g.ny,
    h: g.hx,
    ht: g.hy,
    lower: g.x[0],
    upper: g.x[1],
    tangentCenters: g.yc,
    lowerWall: g.sides.left,
    upperWall: g.sides.right,
    lowerSide: 0,
    upperSide: 1,
    offset: 0,
    normalMajor: false,
    component: 0,
    axialAtCells: s.ax,
    axialOf: (sp) => sp.ax,
    cell: (k, t) => t * g.nx + k,
    point: (s, r) => [s, r],
    tangentNeighbour: (k, t, dir) => ghostNeighbour(g, k, t, 0, dir),
  };
}

function yAxis(g: Grid2D, s: CellSplit): Axis {
  return {
    n: g.ny,
    nt: g.nx,
    h: g.hy,
    ht: g.hx,
    lower: g.y[0],
    upper: g.y[1],
    tangentCenters: g.xc,
    lowerWall: g.sides.bottom,
    upperWall: g.sides.top,
    lowerSide: 2,
    upperSide: 3,
    offset: (g.nx + 1) * g.ny,
    normalMajor: true,
    component: 1,
    axialAtCells: s.ay,
    axialOf: (sp) => sp.ay,
    cell: (k, t) => k * g.nx + t,
    point: (s, r) => [r, s],
    tangentNeighbour: (k, t, dir) => ghostNeighbour(g, t, k, dir, 0),
  };
}

/** Where the axial faces are written, and what they are computed from. */
interface AxialContext {
  g: Grid2D;
  c: Coefficients2D;
  s: CellSplit;
  monotone: boolean;
  faces: FaceStencils;
  pe: PecletReport;
}

/** The faces normal to `ax`, in storage order, through {@link addAxialFace}. */
function assembleAxialFaces(ctx: AxialContext, ax: Axis): void {
  const { g, c, s, monotone, faces, pe } = ctx;
  const periodic = ax.lowerWall === "periodic", count = (ax.n + 1) * ax.nt;
  for (let q = 0; q < count; q++) {
    const k = ax.normalMajor ? Math.floor(q / ax.nt) : q % (ax.n + 1);
    const t = ax.normalMajor ? q % ax.nt : Math.floor(q / (ax.n + 1));
    if (periodic && k === ax.n) continue;
    const at = ax.point(k === ax.n ? ax.upper : ax.lower + k * ax.h, ax.tangentCenters[t]!);
    const b = c.drift(at[0], at[1]), d = c.diffusion(at[0], at[1]);
    const sp = splitTensor(d, g.hx, g.hy, monotone);
    const kMinus = k === 0 ? (periodic ? ax.n - 1 : -1) : k - 1, kPlus = k === ax.n ? -1 : k;
    const minus = kMinus >= 0 ? ax.cell(kMinus, t) : -1, plus = kPlus >= 0 ? ax.cell(kPlus, t) : -1;
    addAxialFace(faces, pe, {
      face: ax.offset + q,
      minus,
      plus,
      width: ax.h,
      area: ax.ht,
      drift: b[ax.component],
      diffusion: d[2 * ax.component]!,
      axialAtFace: ax.axialOf(sp),
      axialAtCells: ax.axialAtCells,
      remainderAtFace: sp.rem,
      remainderAtCells: s.rem,
      wall: minus < 0 ? ax.lowerWall : ax.upperWall,
      side: minus < 0 ? ax.lowerSide : ax.upperSide,
      at,
      // ∂_t w ≈ ½[(w_{+,t+1} − w_{+,t}) + (w_{−,t} − w_{−,t−1})] (rem ≥ 0), mirrored for rem < 0
      crossStencil: () => {
        const [pF, fF] = ax.tangentNeighbour(kPlus, t, 1);
        const [pB, fB] = ax.tangentNeighbour(kPlus, t, -1);
        const [mF, gF] = ax.tangentNeighbour(kMinus, t, 1);
        const [mB, gB] = ax.tangentNeighbour(kMinus, t, -1);
        return sp.rem >= 0
          ? [[pF, fF], [plus, -1], [minus, 1], [mB, -gB]]
          : [[plus, 1], [pB, -fB], [mF, gF], [minus, -1]];
      },
    });
  }
}

/** A transfer rate F = k1·p[c1] + k2·p[c2] (density per time) between two cells. */
interface Transfer {
  c1: number;
  k1: number;
  c2: number;
  k2: number;
}

/** Where the diagonal transfers are written: the generator and the face currents. */
interface DiagonalContext {
  g: Grid2D;
  s: CellSplit;
  builder: CsrBuilder;
  faces: FaceStencils;
}

/**
 * Routes the transfer F from cell (i, j) one cell along `axis` (dir ±1; through the wall when
 * that cell is outside), with weight w, into the face currents (J = F·h along the axis).
 */
function route(
  ctx: DiagonalContext,
  axis: "x" | "y",
  i: number,
  j: number,
  dir: number,
  t: Transfer,
  w: number,
): void {
  const { g, faces } = ctx;
  const f = axis === "x" ? xFace(g, dir > 0 ? i + 1 : i, j) : yFace(g, i, dir > 0 ? j + 1 : j);
  const sc = dir * w * (axis === "x" ? g.hx : g.hy);
  addToFace(faces, f, t.c1, sc * t.k1);
  if (t.k2 !== 0) addToFace(faces, f, t.c2, sc * t.k2);
}

/**
 * The transfer u(c + d) − u(c) between cell (i, j) and its interior diagonal partner c2 (u = a_d p
 * of the family `fam`), each pair once from its left cell, half along each L-shaped path.
 */
function linkInteriorPair(
  ctx: DiagonalContext,
  i: number,
  j: number,
  di: number,
  dj: number,
  c2: number,
  fam: Float64Array,
): void {
  const { g, builder } = ctx, c = j * g.nx + i, ac = fam[c]!, a2 = fam[c2]!;
  if (ac === 0 && a2 === 0) return;
  builder.add(c, c, -ac);
  builder.add(c, c2, a2);
  builder.add(c2, c2, -a2);
  builder.add(c2, c, ac);
  // F = a_c p_c − a_2 p_2 from c to c2, half along each L-shaped path
  const t: Transfer = { c1: c, k1: ac, c2, k2: -a2 };
  const wrapI = g.sides.left === "periodic" ? (i + di + g.nx) % g.nx : i + di;
  const wrapJ = g.sides.bottom === "periodic" ? (j + dj + g.ny) % g.ny : j + dj;
  route(ctx, "x", i, j, di, t, 0.5);
  route(ctx, "y", wrapI, j, dj, t, 0.5);
  route(ctx, "y", i, j, dj, t, 0.5);
  route(ctx, "x", i, wrapJ, di, t, 0.5);
}

/**
 * The diagonal link of cell (i, j) in direction (di, dj) whose partner lies outside the grid:
 * the partner is mirrored back to cell (mi, mj) = m (reflecting: same value; absorbing: negated).
 * The mirror image of the tensor has D_xy of the opposite sign across one wall, so the ghost
 * carries the other diagonal family of its mirror cell (the same family across two walls).
 */
function linkAcrossWall(
  ctx: DiagonalContext,
  i: number,
  j: number,
  di: number,
  dj: number,
  outX: boolean,
  outY: boolean,
): void {
  const { g, s, builder } = ctx, c = j * g.nx + i;
  const fam = di * dj > 0 ? s.adNE : s.adSE, ac = fam[c]!;
  const wallX = outX ? (di < 0 ? g.sides.left : g.sides.right) : null;
  const wallY = outY ? (dj < 0 ? g.sides.bottom : g.sides.top) : null;
  let sign = 1, mi = g.sides.left === "periodic" ? (i + di + g.nx) % g.nx : i + di;
  let mj = g.sides.bottom === "periodic" ? (j + dj + g.ny) % g.ny : j + dj;
  if (outX) {
    mi = i;
    if (wallX === "absorbing") sign = -sign;
  }
  if (outY) {
    mj = j;
    if (wallY === "absorbing") sign = -sign;
  }
  const m = mj * g.nx + mi, flips = (outX ? 1 : 0) + (outY ? 1 : 0);
  const am = (flips === 1 ? (fam === s.adNE ? s.adSE : s.adNE) : fam)[m]!;
  if (ac === 0 && am === 0) return;
  if (sign > 0) {
    if (m === c) return;
    builder.add(c, c, -ac);
    builder.add(c, m, am);
    // m's own ghost link carries the same transfer back (F' = −F): route half from each
    const t: Transfer = { c1: c, k1: ac, c2: m, k2: -am };
    if (outX) route(ctx, "y", i, j, dj, t, 0.5); // the move left is along y
    else route(ctx, "x", i, j, di, t, 0.5);
    return;
  }
  // F = a_c p_c + a_m p_m leaves through the absorbing wall
  builder.add(c, c, -ac);
  builder.add(c, m, -am);
  const t: Transfer = { c1: c, k1: m === c ? 2 * ac : ac, c2: m, k2: m === c ? 0 : am };
  const throughX = wallX === "absorbing";
  if (m === c) {
    if (throughX) route(ctx, "x", i, j, di, t, 1);
    else route(ctx, "y", i, j, dj, t, 1);
  } else if (throughX) {
    // half out through c's wall, half along y to m and out through m's wall
    route(ctx, "x", i, j, di, t, 0.5);
    route(ctx, "y", i, j, dj, t, 0.5);
    route(ctx, "x", mi, mj, di, t, 0.5);
  } else {
    route(ctx, "y", i, j, dj, t, 0.5);
    route(ctx, "x", i, j, di, t, 0.5);
    route(ctx, "y", mi, mj, dj, t, 0.5);
  }
}

/** Diagonal directions (di, dj): NE, SE, NW, SW. */
const DIAGONALS = [[1, 1], [1, -1], [-1, 1], [-1, -1]] as const;

/** The transfers u = a_d p between lattice diagonals, into the generator and the face currents. */
function assembleDiagonalTransfers(ctx: DiagonalContext): void {
  const { g, s } = ctx, { nx, ny } = g;
  const perX = g.sides.left === "periodic", perY = g.sides.bottom === "periodic";
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      for (const [di, dj] of DIAGONALS) {
        const ii = i + di, jj = j + dj;
        const outX = !perX && (ii < 0 || ii >= nx), outY = !perY && (jj < 0 || jj >= ny);
        if (outX || outY) {
          linkAcrossWall(ctx, i, j, di, dj, outX, outY);
          continue;
        }
        if (di < 0) continue; // each interior pair once, from its left cell
        const c2 = (perY ? (jj + ny) % ny : jj) * nx + (perX ? (ii + nx) % nx : ii);
        linkInteriorPair(ctx, i, j, di, dj, c2, di * dj > 0 ? s.adNE : s.adSE);
      }
    }
  }
}

/** The assembled 2-D problem. */
export interface Assembly2D {
  /** Face currents: the axial fluxes plus the routed diagonal transfers. */
  faces: FaceStencils;
  generator: CsrMatrix;
  peclet: PecletReport;
}

/**
 * Assembles the generator and the face currents of the 2-D problem: split D at the cell
 * centres, the x-faces then the y-faces, the generator from the axial faces, then the diagonal
 * transfers (added to a copy of the faces, so the axial stencils stay as they were assembled).
 * @param monotone "monotone" cross diffusion (a_d on the diagonals) rather than "central"
 */
export function assemble2D(g: Grid2D, c: Coefficients2D, monotone: boolean): Assembly2D {
  const n = g.nx * g.ny;
  const s = splitAtCells(g, c, monotone);
  // `axial`: fitted axial fluxes and the remainder cross term (assembled face by face);
  // `faces`: the same plus the diagonal transfers routed through faces (currents, outflow)
  const axial = emptyFaceStencils((g.nx + 1) * g.ny + g.nx * (g.ny + 1), 12);
  const pe: PecletReport = { max: 0, at: [g.x[0], g.y[0]] };
  const ctx: AxialContext = { g, c, s, monotone, faces: axial, pe };
  assembleAxialFaces(ctx, xAxis(g, s));
  assembleAxialFaces(ctx, yAxis(g, s));
  const builder = new CsrBuilder(n, 9);
  addFaceFluxes(builder, axial);
  const faces: FaceStencils = { ...axial, cell: axial.cell.slice(), coef: axial.coef.slice() };
  assembleDiagonalTransfers({ g, s, builder, faces });
  return { faces, generator: builder.toCsr(), peclet: pe };
}
