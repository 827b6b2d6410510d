import assert from "node:assert/strict";
import { FokkerPlanck2D } from "../../../lib/dynamics/fokker_planck/mod.ts";
import { assertAllClose } from "../../_assert.ts";
import { columnSums, l1, maxAbs } from "./_helpers.ts";
import { doubleWell2D } from "./problems.ts";

/** Stationary covariance of dX = −BX dt + √(2D) dB: solves BΣ + ΣBᵀ = 2D (Lyapunov). */
function lyapunov2(b: number[], d: readonly [number, number, number]): [number, number, number] {
  const [b11, b12, b21, b22] = b as [number, number, number, number];
  // unknowns s11, s12, s22; rows: (11), (12), (22) entries of BΣ + ΣBᵀ
  const m = [[2 * b11, 2 * b12, 0], [b21, b11 + b22, b12], [0, 2 * b21, 2 * b22]];
  const r = [2 * d[0], 2 * d[1], 2 * d[2]];
  // Cramer's rule
  const det3 = (a: number[][]) =>
    a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) -
    a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) +
    a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!);
  const det = det3(m);
  const col = (k: number) => det3(m.map((row, i) => row.map((v, j) => (j === k ? r[i]! : v))));
  return [col(0) / det, col(1) / det, col(2) / det];
}

function moments2(fp: FokkerPlanck2D, p: Float64Array) {
  let m1 = 0, m2 = 0, c11 = 0, c12 = 0, c22 = 0;
  for (let k = 0; k < p.length; k++) {
    const x = fp.xCenters[k % fp.nx]!, y = fp.yCenters[Math.floor(k / fp.nx)]!;
    const w = p[k]! * fp.cellVolume;
    m1 += w * x;
    m2 += w * y;
    c11 += w * x * x;
    c12 += w * x * y;
    c22 += w * y * y;
  }
  return { mean: [m1, m2], cov: [c11 - m1 * m1, c12 - m1 * m2, c22 - m2 * m2] };
}

Deno.test("FokkerPlanck2D: anisotropic OU with a full diffusion tensor: covariance solves the Lyapunov equation, O(h²)", () => {
  const B = [1, 0.5, -0.3, 1.5]; // non-normal drift matrix, eigenvalues with positive real part
  const D = [0.4, 0.15, 0.3] as const;
  const sigma = lyapunov2(B, D);
  const error = (n: number, crossDiffusion: "monotone" | "central") => {
    const fp = new FokkerPlanck2D({
      xDomain: [-3, 3],
      yDomain: [-3, 3],
      cells: [n, n],
      drift: (x, y) => [-(B[0]! * x + B[1]! * y), -(B[2]! * x + B[3]! * y)],
      diffusion: D,
      crossDiffusion,
    });
    const { mean, cov } = moments2(fp, fp.steadyState());
    assertAllClose(mean, [0, 0], { atol: 1e-9 });
    return {
      error: Math.max(...cov.map((c, i) => Math.abs(c - sigma[i]!))),
      monotone: fp.monotone,
    };
  };
  // measured (max over the three entries): monotone 4.0e-3, 1.0e-3; central 9.4e-4, 2.3e-4
  for (const [mode, bound] of [["monotone", 1.3e-3], ["central", 3e-4]] as const) {
    const coarse = error(48, mode), fine = error(96, mode);
    const ratio = coarse.error / fine.error;
    assert.ok(ratio > 3.7 && ratio < 4.3, `${mode}: errors ${coarse.error}, ${fine.error}`);
    assert.ok(fine.error < bound, `${mode}: error ${fine.error}`);
    if (mode === "monotone") assert.ok(coarse.monotone && fine.monotone);
    else assert.equal(coarse.monotone, false); // strong drift at the corners of the 48² grid
  }
});

Deno.test("FokkerPlanck2D: Gibbs density exp(−L/D) of a 2-D double well, second order in h", () => {
  const D = 0.5;
  const loss = (x: number, y: number) => (x * x - 1) ** 2 + 0.75 * y * y + 0.2 * x * y;
  const error = (n: number) => {
    const fp = new FokkerPlanck2D({
      xDomain: [-2.1, 2.1],
      yDomain: [-2.5, 2.5],
      cells: [n, n],
      drift: (x, y) => [-(4 * x * (x * x - 1) + 0.2 * y), -(1.5 * y + 0.2 * x)],
      diffusion: D,
    });
    const p = fp.steadyState();
    const g = new Float64Array(p.length);
    let z = 0;
    for (let k = 0; k < p.length; k++) {
      g[k] = Math.exp(-loss(fp.xCenters[k % n]!, fp.yCenters[Math.floor(k / n)]!) / D);
      z += g[k]! * fp.cellVolume;
    }
    return l1(p, g.map((v) => v / z), fp.cellVolume);
  };
  const e32 = error(32), e64 = error(64);
  // measured 7.1e-3 and 1.8e-3: ratio 4.03
  assert.ok(e32 / e64 > 3.7 && e32 / e64 < 4.3, `errors ${e32}, ${e64}`);
  assert.ok(e64 < 2.5e-3, `error ${e64}`);
});

Deno.test("FokkerPlanck2D: OU transient: the mean follows e^{−Bt} m0 (TR-BDF2), mass conserved", () => {
  const B = [1, 0.5, -0.3, 1.5], D = [0.4, 0.15, 0.3] as const;
  const fp = new FokkerPlanck2D({
    xDomain: [-3, 3],
    yDomain: [-3, 3],
    cells: [64, 64],
    drift: (x, y) => [-(B[0]! * x + B[1]! * y), -(B[2]! * x + B[3]! * y)],
    diffusion: D,
    initial: (x, y) => Math.exp(-((x - 1) ** 2 + (y + 0.5) ** 2) / (2 * 0.16)),
    scheme: "tr-bdf2",
  });
  fp.run(40, 0.0125);
  // e^{−Bt} for 2×2 B: with τ = tr/2, δ² = (tr/2)² − det, e^{−Bt} = e^{−τt}[cosh(δt) I + sinh(δt)/δ (τI − B)]
  const t = 0.5, tr = B[0]! + B[3]!, det = B[0]! * B[3]! - B[1]! * B[2]!;
  const tau = tr / 2, disc = tau * tau - det;
  const dl = Math.sqrt(Math.abs(disc));
  const ch = disc >= 0 ? Math.cosh(dl * t) : Math.cos(dl * t);
  const sh = disc >= 0 ? Math.sinh(dl * t) / dl : Math.sin(dl * t) / dl;
  const e = Math.exp(-tau * t);
  const E = [
    e * (ch + sh * (tau - B[0]!)),
    -e * sh * B[1]!,
    -e * sh * B[2]!,
    e * (ch + sh * (tau - B[3]!)),
  ];
  const m0 = [1, -0.5];
  const mean = [E[0]! * m0[0]! + E[1]! * m0[1]!, E[2]! * m0[0]! + E[3]! * m0[1]!];
  // O(h² + dt²): measured error 3.2e-3
  assertAllClose(moments2(fp, fp.density).mean, mean, { atol: 5e-3 });
  assertAllClose(fp.mass(), 1, { atol: 1e-12 });
});

Deno.test("FokkerPlanck2D: mass conserved over 500 steps with reflecting sides; generator columns sum to 0", () => {
  const fp = new FokkerPlanck2D(doubleWell2D(32));
  assert.ok(maxAbs(columnSums(fp.generator())) <= 1e-14 * maxAbs(fp.generator().values));
  let worst = 0;
  fp.run(500, 0.01, (f) => (worst = Math.max(worst, Math.abs(f.mass() - 1))));
  assert.ok(worst <= 1e-12, `mass drift ${worst}`);
});

Deno.test("FokkerPlanck2D: absorbing square: mass + outflow = 1, symmetric sides, decay rate 2Dπ²/L²", () => {
  const D = 0.2;
  const make = (n: number) =>
    new FokkerPlanck2D({
      xDomain: [0, 1],
      yDomain: [0, 1],
      cells: [n, n],
      drift: () => [0, 0],
      diffusion: D,
      boundary: "absorbing",
      initial: (x, y) => Math.sin(Math.PI * x) * Math.sin(Math.PI * y),
    });
  const fp = make(32);
  fp.run(100, 0.01);
  const out = fp.outflow();
  assertAllClose(fp.mass() + out.total, 1, { atol: 1e-12 });
  for (const side of ["right", "bottom", "top"]) {
    assertAllClose(out[side]!, out.left!, { rtol: 1e-6 });
  }
  const rate = 2 * D * Math.PI ** 2;
  const q = make(32).quasiStationary();
  assertAllClose(q.rate, rate, { rtol: 2e-3 });
  assertAllClose(q.fluxOverPopulation, q.rate, { rtol: 1e-8 });
  const e16 = Math.abs(make(16).quasiStationary().rate / rate - 1);
  const e32 = Math.abs(q.rate / rate - 1);
  assert.ok(e16 / e32 > 3.7 && e16 / e32 < 4.3, `rate errors ${e16}, ${e32}`);
});

Deno.test("FokkerPlanck2D: periodic torus with constant drift and full diffusion: uniform law, constant currents", () => {
  const fp = new FokkerPlanck2D({
    xDomain: [0, 2],
    yDomain: [0, 1],
    cells: [20, 10],
    drift: () => [0.5, -0.25],
    diffusion: [0.2, 0.05, 0.1],
    boundary: "periodic",
    initial: (x, y) => (x < 1 && y < 0.5 ? 1 : 0.1),
  });
  const p = fp.steadyState();
  assertAllClose(p, new Float64Array(200).fill(0.5), { rtol: 1e-9 });
  fp.setDensity(p);
  const { x, y } = fp.currents();
  assert.equal(x.length, 21 * 10);
  assert.equal(y.length, 20 * 11);
  assertAllClose(x, new Float64Array(210).fill(0.25), { rtol: 1e-9 });
  assertAllClose(y, new Float64Array(220).fill(-0.125), { rtol: 1e-9 });
});

Deno.test("FokkerPlanck2D: currents satisfy the discrete continuity equation; adjoint solve is consistent", () => {
  const fp = new FokkerPlanck2D({
    xDomain: [-1, 1],
    yDomain: [-1, 1],
    cells: [16, 12],
    drift: (x, y) => [-x + 0.5 * y, -y],
    diffusion: [0.3, 0.1, 0.2],
    boundary: { left: "absorbing", right: "reflecting", bottom: "reflecting", top: "absorbing" },
    initial: (x, y) => Math.exp(-(x * x + y * y) / 0.2),
    tolerance: 1e-12,
  });
  const before = fp.density.slice();
  fp.step(0.02);
  const { x: jx, y: jy } = fp.currents();
  const { nx, ny, hx, hy } = fp;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      const div = (jx[j * (nx + 1) + i + 1]! - jx[j * (nx + 1) + i]!) / hx +
        (jy[(j + 1) * nx + i]! - jy[j * nx + i]!) / hy;
      // exact up to the Krylov tolerance (1e-12 here) and the mass rescaling of the same size
      assertAllClose((fp.density[k]! - before[k]!) / 0.02, -div, { atol: 1e-8 });
    }
  }
  // reflecting sides carry no current
  for (let j = 0; j < ny; j++) assert.equal(jx[j * (nx + 1) + nx], 0);
  const tau = fp.solveGenerator(new Float64Array(nx * ny).fill(-1), true);
  assertAllClose(fp.applyGenerator(tau, undefined, true), new Float64Array(nx * ny).fill(-1), {
    atol: 1e-9,
  });
  assert.ok(tau.every((v) => v > 0));
});

Deno.test("FokkerPlanck2D: rejects a diffusion tensor that is not positive definite, non-finite drift, bad grids", () => {
  const base = {
    xDomain: [-1, 1] as const,
    yDomain: [-1, 1] as const,
    cells: [8, 8] as const,
    drift: (x: number, y: number) => [-x, -y] as const,
  };
  assert.throws(() => new FokkerPlanck2D({ ...base, diffusion: [0.1, 0.2, 0.3] }), {
    name: "RangeError",
    message:
      "diffusion must be positive definite, got [Dxx, Dxy, Dyy] = [0.1, 0.2, 0.3] at (-0.875000, -0.875000)",
  });
  assert.throws(() => new FokkerPlanck2D({ ...base, diffusion: -1 }), {
    name: "RangeError",
    message:
      "diffusion must be positive definite, got [Dxx, Dxy, Dyy] = [-1, 0, -1] at (-0.875000, -0.875000)",
  });
  assert.throws(
    () => new FokkerPlanck2D({ ...base, diffusion: 1, drift: (x) => [1 / (x + 1), 0] }),
    { name: "RangeError", message: "drift must be finite, got [Infinity, 0] at (-1, -0.875000)" },
  );
  assert.throws(() => new FokkerPlanck2D({ ...base, diffusion: 1, cells: [8, 2] }), {
    name: "RangeError",
    message: "cells[1] must be an integer in [3, 4000000], got 2",
  });
  assert.throws(
    () => new FokkerPlanck2D({ ...base, diffusion: 1, boundary: { left: "periodic" } }),
    {
      name: "RangeError",
      message: "periodic boundaries must be paired, got left periodic, right reflecting",
    },
  );
});
