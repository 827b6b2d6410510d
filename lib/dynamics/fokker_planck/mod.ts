/**
 * Fokker–Planck equation of an Itô SDE on a uniform cell-centred grid, in one
 * and two dimensions: the density picture of SGD (Eq. 6–8 of the post), and
 * the engine of the escape-time estimators.
 *
 * ## Equation and convention
 *
 * For the Itô SDE dX = b(X) dt + σ(X) dB with diffusion tensor D = ½ σσᵀ
 * (for SGD, b = −∇L and D = (η/2) C ≈ ηH/(2S), see ERRATA Eq. 6), the
 * density obeys (Itô convention: D stays inside both derivatives)
 *
 *   ∂p/∂t = −∇·(b p) + Σ_ij ∂_i ∂_j (D_ij p) = −∇·J,
 *   J_i = b_i p − Σ_j ∂_j (D_ij p)                     (probability current).
 *
 * Derivation: for a test function f, Itô's formula gives
 * d E f(X) = E[b·∇f + Σ_ij D_ij ∂_i∂_j f] dt; integrating by parts once for the
 * drift term and twice for the diffusion term moves the derivatives onto p.
 * With b = −∇L this is Eq. 8 of the post, ∂p/∂t = ∇·(p∇L) + ∇·∇·(D p).
 * (A Stratonovich SDE would add the drift ½ Σ_jk σ_kj ∂_k σ_ij.)
 *
 * ## Discretisation (conservative finite volumes)
 *
 * Cells of width h (h_x, h_y) carry cell averages p_i; the scheme is
 * dp_i/dt = −(1/|cell|) Σ_faces J·n |face|, so mass changes only through the
 * boundary. The normal flux on a face is exponentially fitted
 * (Scharfetter & Gummel 1969): writing u = D_nn p (D at the cell centres) and
 * v = b_n / D_nn (at the face), J_n = v u − ∂_n u is integrated exactly for
 * constant v across the face,
 *
 *   J_{i+½} = (1/h) [B(−z) u_i − B(z) u_{i+1}],  z = v h,  B(z) = z/(eᶻ − 1),
 *
 * which is second order (B(±z) = 1 ∓ z/2 + z²/12 + …: central differences
 * plus an O(h²) artificial diffusion), keeps every off-diagonal coefficient
 * positive for any cell Péclet number Pe = |b| h / D (an M-matrix, so backward
 * Euler keeps p ≥ 0), and, in 1-D, has the discrete stationary state
 * u_{i+1}/u_i = e^{z_{i+½}}, i.e. the exact p ∝ (1/D) exp(∫ b/D) with the
 * integral taken by the midpoint rule.
 *
 * Cross diffusion in 2-D. Σ_ij ∂_i∂_j(D_ij p) is linear in D, so D is split
 * into lattice directions (cf. Weickert's non-negative stencils for
 * anisotropic diffusion):
 *
 *   D = a_x e_x e_xᵀ + a_y e_y e_yᵀ + a_d d dᵀ + D_r (e_x e_yᵀ + e_y e_xᵀ),
 *
 * with d = (h_x, ±h_y) the cell diagonal of the sign of D_xy,
 * a_d = min(|D_xy|, D_xx h_y/h_x, D_yy h_x/h_y)/(h_x h_y),
 * a_x = D_xx − a_d h_x², a_y = D_yy − a_d h_y² (both ≥ 0) and the remainder
 * D_r = D_xy ∓ a_d h_x h_y (zero whenever |D_xy| ≤ min(D_xx h_y/h_x,
 * D_yy h_x/h_y)). The axial parts get the fitted fluxes above with a_x, a_y in
 * place of D_xx, D_yy; the diagonal part is the second difference
 * (d·∇)²(a_d p) ≈ u(c + d) − 2u(c) + u(c − d) with u = a_d p, a transfer
 * between diagonal neighbours with positive coefficients (reported as face
 * currents by routing half of it along each of the two L-shaped paths); the
 * remainder uses w = D_r p and the sign-dependent 7-point stencil in flux
 * form: on the x-face between (i, j) and (i+1, j),
 * ∂_y w ≈ ½[(w_{i+1,j+1} − w_{i+1,j}) + (w_{i,j} − w_{i,j−1})]/h_y for D_r ≥ 0
 * (½(δ⁺_xδ⁺_y + δ⁻_xδ⁻_y)) and ½[(w_{i+1,j} − w_{i+1,j−1}) + (w_{i,j+1} −
 * w_{i,j})]/h_y for D_r < 0 (x and y swapped on y-faces). All parts are
 * second order and conservative, and with D_r = 0 the matrix is an M-matrix
 * (checked: `monotone`). The price is accuracy: fitting against the smaller
 * a_x, a_y adds more O(h²) error; `crossDiffusion: "central"` puts all of
 * D_xy in the 7-point stencil instead (about 4× smaller error in the
 * anisotropic OU test, but negative coefficients on coarse grids where the
 * drift is strong). Across a wall, diagonal partners and tangential
 * neighbours are mirrored (reflecting; the mirrored tensor has D_xy of the
 * opposite sign), mirrored and negated (absorbing: p = 0 on the wall) or
 * wrapped (periodic). Every step's positivity is checked either way.
 *
 * Boundaries per side: reflecting (J·n = 0), absorbing (p = 0 on the wall,
 * fitted flux over the half cell, z = v h/2, and no remainder cross flux since
 * p ≡ 0 along the wall), periodic (both sides of an axis; the wrapped face uses b
 * and D at the lower end). Drift and diffusion are evaluated once, at cell
 * centres (D) and face centres (b, D).
 *
 * ## Time stepping and solvers
 *
 * The semi-discrete system is dp/dt = A p with A the assembled generator
 * (CSR via {@link FokkerPlanck1D.generator}). Schemes: backward Euler (first
 * order; keeps p ≥ 0 whenever A is an M-matrix, see `monotone`; the
 * default), TR-BDF2 (Bank et al. 1985, "Transient simulation of silicon
 * devices and circuits", IEEE TCAD 4; second order, L-stable, one
 * factorisation for both stages, γ = 2 − √2; recommended for accuracy on
 * smooth data) and Crank–Nicolson (second order but only A-stable: it rings
 * on non-smooth data). Second-order schemes are not positivity preserving:
 * steep initial data can make them undershoot, which the check below
 * reports. 1-D systems are solved directly by a twisted Thomas algorithm
 * (Sherman–Morrison for periodic), factorised once per step size; 2-D systems
 * by BiCGSTAB (van der Vorst 1992) preconditioned by relaxed MILU(0),
 * factorised once per step size and warm-started from an extrapolation of the
 * previous steps (relative residual `tolerance`, default 1e-8). After every
 * solve the solution is rescaled so that the discrete mass balance
 * 1ᵀ(I − cA)x = 1ᵀb holds to round-off, and explicit parts are evaluated in
 * flux form: mass (plus outflow) is conserved to ~1e-13 over 10⁴ steps.
 *
 * Every step is checked: a non-finite density, or one below −`negativeTolerance`
 * × max p, throws a RangeError naming the step, time and place (the state is
 * left at the previous step).
 *
 * The adjoint: with cell volume V, d/dt Σ_i V f_i p_i = V fᵀ A p, so Aᵀ acts on
 * functions as the backward (Kolmogorov) generator; the mean first passage
 * time to the absorbing sides solves Aᵀ τ = −1
 * ({@link FokkerPlanck1D.solveGenerator} with `transpose: true`).
 *
 * ## Files
 *
 * - `sparse.ts`: CSR matrices (builder, products, transpose, I − cA);
 * - `tridiagonal.ts`: the twisted Thomas / Sherman–Morrison solver (1-D);
 * - `grid_matrix.ts`, `milu.ts`, `bicgstab.ts`: stencil-layout grid matrices,
 *   MILU(0) and BiCGSTAB (2-D);
 * - `faces.ts`: face stencils and the Scharfetter–Gummel coefficients;
 * - `time_schemes.ts`, `density_checks.ts`, `grid.ts`: the time schemes, the
 *   per-step positivity check and mass balance, and the engine that runs them;
 * - `fokker_planck_1d.ts`; `assembly_2d.ts` and `fokker_planck_2d.ts`.
 *
 * Only the solver classes and their option and result types are exported here.
 *
 * @module
 */
export type { CsrMatrix } from "./sparse.ts";
export type { TimeScheme } from "./time_schemes.ts";
export type { Boundary, GridOptions, PecletReport, QuasiStationary } from "./grid.ts";
export { FokkerPlanck1D, type FokkerPlanck1DOptions } from "./fokker_planck_1d.ts";
export {
  type Boundaries2D,
  FokkerPlanck2D,
  type FokkerPlanck2DOptions,
  type Tensor2,
} from "./fokker_planck_2d.ts";
