import assert from "node:assert/strict";
import { stationaryDensity1D } from "../../lib/dynamics/stationary_density.ts";
import { assertAllClose } from "../_assert.ts";

/** Centres of `n` cells of width h from `lower`. */
const centres = (lower: number, h: number, n: number) =>
  Float64Array.from({ length: n }, (_, i) => lower + (i + 0.5) * h);

/** A closed form sampled at the centres and normalised like the function under test. */
function normalised(xs: Float64Array, h: number, f: (x: number) => number): Float64Array {
  const p = Float64Array.from(xs, f);
  const m = p.reduce((s, v) => s + v * h, 0);
  return p.map((v) => v / m);
}

Deno.test("stationaryDensity1D: Ornstein–Uhlenbeck gives the Gaussian N(0, D/h) (Simpson exact for linear L'/D)", () => {
  const h = 0.01, xs = centres(-3, h, 600), k = 2, D = 0.3;
  const p = stationaryDensity1D({ gradient: (x) => k * x, diffusion: D }, xs, h);
  // Φ = kx²/(2D) integrated exactly: only round-off remains
  assertAllClose(p, normalised(xs, h, (x) => Math.exp(-(k * x * x) / (2 * D))), {
    rtol: 1e-9,
  });
});

Deno.test("stationaryDensity1D: state-dependent D = a + bx² with L' = x gives (a + bx²)^(−1 − 1/(2b)), not Gibbs", () => {
  // Φ = ∫ x/(a + bx²) = ln(a + bx²)/(2b), p ∝ D⁻¹e^{−Φ}; Simpson error O(h⁴) ≈ 1e-10 here
  const a = 0.2, b = 0.5, h = 0.005, xs = centres(-4, h, 1600);
  const p = stationaryDensity1D({ gradient: (x) => x, diffusion: (x) => a + b * x * x }, xs, h);
  const exact = normalised(xs, h, (x) => (a + b * x * x) ** (-1 - 1 / (2 * b)));
  assertAllClose(p, exact, { rtol: 1e-7 });
  const gibbs = normalised(xs, h, (x) => Math.exp(-(x * x) / (2 * a)));
  assert.ok(Math.abs(p[800]! - gibbs[800]!) > 0.1, "differs from Gibbs at the centre");
});

Deno.test("stationaryDensity1D: no overflow at low temperature; bad input named", () => {
  const h = 0.01, xs = centres(-1, h, 200);
  const p = stationaryDensity1D({ gradient: (x) => x, diffusion: 1e-4 }, xs, h);
  assert.ok(p.every(Number.isFinite));
  assertAllClose(p.reduce((s, v) => s + v * h, 0), 1, { rtol: 1e-12 });
  assert.throws(() => stationaryDensity1D({ gradient: (x) => x, diffusion: 0 }, xs, h), {
    name: "RangeError",
    message: "diffusion must be a finite number > 0, got 0",
  });
  assert.throws(
    () => stationaryDensity1D({ gradient: (x) => x, diffusion: (x) => x }, xs, h),
    (e: unknown) => e instanceof RangeError && /not finite and positive/.test(e.message),
  );
  assert.throws(() => stationaryDensity1D({ gradient: (x) => x, diffusion: 1 }, [], h), {
    name: "RangeError",
    message: "centers must have at least 1 values, got 0",
  });
});
