import assert from "node:assert/strict";
import { divergenceFormValley } from "../../lib/dynamics/divergence_form.ts";
import { SmoothValley } from "../../lib/dynamics/smooth_valley.ts";
import { exactMeanFirstPassageTime1D, pathParameter } from "../../lib/dynamics/escape.ts";
import { levelInterpolatedCurvature } from "../../lib/dynamics/noise_curvature.ts";

/**
 * The SGD valley of notebook 06 on the smooth valley: D = ηF/(2S), F interpolated in the loss
 * level from h_a to |h_b|; returns both forms' MFPT over the two Laplace predictions' e^E.
 */
function prefactors(hA: number, hB: number, ratio: number) {
  const dl = 0.25,
    v = new SmoothValley({ curvatureMin: hA, curvatureBarrier: hB, barrierHeight: dl });
  const F = levelInterpolatedCurvature((x) => v.value(x), { lossMin: 0, deltaL: dl, hA, hB });
  const k = 1 / (2 * ratio); // D = F/(2 S/η)
  const itô = {
    reflecting: -3,
    absorbing: v.xBarrier + 1,
    gradient: (x: number) => v.slope(x),
    diffusion: (x: number) => k * F(x),
  };
  // D' = k (h_b − h_a)/ΔL · L' where the level lies in (0, ΔL), 0 where F is clamped
  const div = divergenceFormValley(itô, (x) => {
    const l = v.value(x);
    return l > 0 && l < dl ? k * (hB - hA) / dl * v.slope(x) : 0;
  });
  const s = pathParameter(hA, hB);
  const e = Math.exp(2 * ratio * dl * (s / hA + (1 - s) / hB));
  return {
    ito: exactMeanFirstPassageTime1D(itô, 0) / (2 * Math.PI / hA * e),
    div: exactMeanFirstPassageTime1D(div, 0) / (2 * Math.PI / hB * e),
  };
}

Deno.test("divergence form: the Itô MFPT tends to (2π/h_a)e^E and the divergence form's to (2π/|h_b|)e^E, like 1/(S/η)", () => {
  // Laplace's method on the double integral (module notes); corrections O(D/ΔL) on a C^∞ valley,
  // so doubling S/η halves the distance to 1. Measured: |ratio − 1| ≤ 0.035 at S/η = 160 and
  // error ratios 1.9–2.1 between S/η = 80 and 160 for h_a/|h_b| = 1/4 and 4.
  for (const [hA, hB] of [[0.25, 1], [4, 1]] as const) {
    const a = prefactors(hA, hB, 80), b = prefactors(hA, hB, 160);
    for (const form of ["ito", "div"] as const) {
      assert.ok(Math.abs(b[form] - 1) < 0.04, `${form} at h_a = ${hA}: ${b[form]}`);
      const order = Math.abs(a[form] - 1) / Math.abs(b[form] - 1);
      assert.ok(order > 1.8 && order < 2.2, `${form} at h_a = ${hA}: error ratio ${order}`);
    }
  }
});

Deno.test("divergence form: with a constant diffusion it is the Itô SDE (D' = 0)", () => {
  const v = new SmoothValley({ curvatureMin: 2, curvatureBarrier: 1, barrierHeight: 0.25 });
  const o = {
    reflecting: -3,
    absorbing: v.xBarrier + 1,
    gradient: (x: number) => v.slope(x),
    diffusion: 0.02,
  };
  assert.equal(
    exactMeanFirstPassageTime1D(divergenceFormValley(o, () => 0), 0),
    exactMeanFirstPassageTime1D(o, 0),
  );
});

Deno.test("divergence form: bad arguments are named", () => {
  const o = { reflecting: -1, absorbing: 1, gradient: (x: number) => x, diffusion: 0.1 };
  // deno-lint-ignore no-explicit-any
  assert.throws(() => divergenceFormValley(o, 3 as any), /diffusionSlope must be a function/);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => divergenceFormValley(null as any, () => 0), /valley/);
  assert.throws(
    () => divergenceFormValley(o, () => NaN).gradient(0.5),
    /diffusionSlope returned a non-finite value NaN at x = 0.5/,
  );
});
