import assert from "node:assert/strict";
import {
  addFaceFluxes,
  addOutflowRates,
  addToFace,
  bernoulli,
  cellOutflowRates,
  emptyFaceStencils,
  faceDivergence,
  faceFlux,
  fittedCoefficient,
  wallFaces,
} from "../../../lib/dynamics/fokker_planck/faces.ts";
import { CsrBuilder, csrMul } from "../../../lib/dynamics/fokker_planck/sparse.ts";
import { assertAllClose } from "../../_assert.ts";
import { uniform } from "./_helpers.ts";

Deno.test("bernoulli: z/(eᶻ − 1), B(0) = 1, B(−z) = B(z) + z, smooth across the series cut at |z| = 1e-3", () => {
  assert.equal(bernoulli(0), 1);
  for (const z of [-30, -2, -0.5, -1e-3, -1e-5, 1e-7, 1e-3, 0.3, 5, 40]) {
    // closed form where it is accurate (|z| ≥ 1e-3), the identity everywhere
    if (Math.abs(z) >= 1e-3) assertAllClose(bernoulli(z), z / (Math.exp(z) - 1), { rtol: 1e-13 });
    assertAllClose(bernoulli(-z), bernoulli(z) + z, { rtol: 1e-14, atol: 1e-15 });
  }
  // below the cut the series 1 − z/2 + z²/12 − z⁴/720 is used: its truncation error z⁶/30240
  // is ~3e-23 there, so it agrees with the closed form (accurate to ~1e-16 at z ≈ 1e-3)
  for (const z of [-0.999e-3, 0.999e-3, 0.5e-3]) {
    assertAllClose(bernoulli(z), z / Math.expm1(z), { rtol: 1e-15 });
  }
});

Deno.test("fittedCoefficient: the flux vanishes at u₊/u₋ = eᶻ, tends to central differences for z → 0 and to upwind for |z| → ∞", () => {
  const h = 0.1, D = 0.3;
  for (const b of [-4, -0.2, 0.7, 6]) {
    const z = (b * h) / D;
    // discrete stationary state of the fitted flux: p₊/p₋ = e^z (D equal on both sides)
    const flux = fittedCoefficient("minus", z, D, h) +
      fittedCoefficient("plus", z, D, h) * Math.exp(z);
    assert.ok(Math.abs(flux) < 1e-13 * Math.abs(b), `b = ${b}: flux ${flux}`);
  }
  // z = 0: pure diffusion, J = −D (p₊ − p₋)/h
  assert.equal(fittedCoefficient("minus", 0, D, h), D / h);
  assert.equal(fittedCoefficient("plus", 0, D, h), -D / h);
  // z = 60 (b h / D): the minus side carries J = b p₋ (upwind), the plus side ~ e^{−60}
  const b = (60 * D) / h;
  assertAllClose(fittedCoefficient("minus", 60, D, h), b, { rtol: 1e-15 });
  assert.ok(Math.abs(fittedCoefficient("plus", 60, D, h)) < 1e-20 * b);
});

Deno.test("addToFace merges a repeated cell into its slot and rejects more cells than slots", () => {
  const fs = emptyFaceStencils(2, 2);
  assert.deepEqual(Array.from(fs.minus), [-1, -1]);
  assert.deepEqual(Array.from(fs.side), [-1, -1]);
  addToFace(fs, 1, 4, 0.5);
  addToFace(fs, 1, 7, 2);
  addToFace(fs, 1, 4, 0.25);
  assert.deepEqual(Array.from(fs.cell.subarray(2)), [4, 7]);
  assert.deepEqual(Array.from(fs.coef.subarray(2)), [0.75, 2]);
  assert.equal(faceFlux(fs, 1, Float64Array.of(0, 0, 0, 0, 2, 0, 0, 1)), 3.5);
  assert.throws(() => addToFace(fs, 1, 5, 1), {
    message: "internal: face 1 has more than 2 cells",
  });
});

/** 1-D faces on n cells of width h with random stencils, an absorbing lower and upper wall. */
function randomFaces(n: number, h: number, seed: number) {
  const u = uniform(seed), fs = emptyFaceStencils(n + 1, 2);
  for (let k = 0; k <= n; k++) {
    fs.minus[k] = k - 1;
    fs.plus[k] = k === n ? -1 : k;
    fs.invWidth[k] = 1 / h;
    fs.area[k] = 1;
    if (k > 0) addToFace(fs, k, k - 1, u());
    if (k < n) addToFace(fs, k, k, -u());
  }
  fs.side[0] = 0;
  fs.side[n] = 1;
  return fs;
}

Deno.test("faces: assembled generator = flux-form divergence; mass change = −outflow; cell outflow rates agree", () => {
  const n = 9, h = 0.25, fs = randomFaces(n, h, 11), u = uniform(12);
  const q = Float64Array.from({ length: n }, () => u());
  const b = new CsrBuilder(n, 3);
  addFaceFluxes(b, fs);
  const aq = new Float64Array(n), div = new Float64Array(n);
  csrMul(b.toCsr(), q, aq);
  faceDivergence(fs, q, div);
  assertAllClose(div, aq, { rtol: 1e-13, atol: 1e-14 });
  assert.deepEqual(Array.from(wallFaces(fs)), [0, n]);
  const out = new Float64Array(2);
  addOutflowRates(fs, wallFaces(fs), q, 2, out);
  // outward: −J at the lower wall, +J at the upper one (scaled by w = 2)
  assertAllClose(out, [-2 * faceFlux(fs, 0, q), 2 * faceFlux(fs, n, q)], { rtol: 1e-15 });
  // d/dt mass = h Σ (Aq)_i telescopes to −(total outflow rate)
  const mass = div.reduce((s, v) => s + v, 0) * h;
  assertAllClose(mass, -(out[0]! + out[1]!) / 2, { rtol: 1e-12 });
  const o = cellOutflowRates(fs, n, h);
  const viaCells = h * o.reduce((s, v, i) => s + v * q[i]!, 0);
  assertAllClose(viaCells, (out[0]! + out[1]!) / 2, { rtol: 1e-13 });
});
