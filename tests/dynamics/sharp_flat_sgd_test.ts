import assert from "node:assert/strict";
import { sharpFlatLandscape2d } from "../../lib/dynamics/landscapes.ts";
import { simulateGradientSde } from "../../lib/dynamics/sde/gradient_sde.ts";
import {
  sharpFlatFokkerPlanck,
  sharpFlatParticles,
  sharpFlatSgd,
} from "../../lib/dynamics/sharp_flat_sgd.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";

const points = [[-1, 0], [1, 0], [-0.6, 0], [-0.55, 0.2], [0.3, -0.4], [-1.2, 0.5]] as const;

Deno.test("sharpFlatSgd: F = Σ w_k H_k recovered from the landscape's own gradient and Hessian", () => {
  const tau = 0.2, hs = 16, hf = 1;
  const m = sharpFlatSgd({ temperature: tau, ratio: 24 });
  const land = sharpFlatLandscape2d({ temperature: tau });
  for (const [x, y] of points) {
    // ∇L = w g_s + (1 − w) g_f with g_k = h_k(θ − μ_k): solve for w along g_s − g_f
    const gs = [hs * (x + 1), hs * y], gf = [hf * (x - 1), hf * y];
    const grad = land.gradient([x, y]);
    const dx = gs[0]! - gf[0]!, dy = gs[1]! - gf[1]!;
    const w = ((grad[0]! - gf[0]!) * dx + (grad[1]! - gf[1]!) * dy) / (dx * dx + dy * dy);
    const f = w * hs + (1 - w) * hf;
    assertAllClose(m.noiseCurvature(x, y), f, { rtol: 1e-10 });
    // ∇²L = F·I − (1/τ)[Σ w g gᵀ − ḡḡᵀ]
    const h = land.hessian([x, y]);
    const outer = (a: number, b: number) =>
      w * gs[a]! * gs[b]! + (1 - w) * gf[a]! * gf[b]! - grad[a]! * grad[b]!;
    assertAllClose(h, [
      f - outer(0, 0) / tau,
      -outer(0, 1) / tau,
      -outer(1, 0) / tau,
      f - outer(1, 1) / tau,
    ], {
      rtol: 1e-8,
      atol: 1e-9,
    });
    const d = m.diffusion(x, y);
    assert.deepEqual(d, [m.noiseCurvature(x, y) / 48, 0, m.noiseCurvature(x, y) / 48]);
    assert.deepEqual(m.drift(x, y), [-grad[0]!, -grad[1]!]);
    assert.equal(m.inSharp(x, y), hs * ((x + 1) ** 2 + y * y) < hf * ((x - 1) ** 2 + y * y));
  }
  // on the ridge q_s = q_f the weights are ½: F = (h_s + h_f)/2 exactly
  assert.equal(m.noiseCurvature(-0.6, 0), 8.5);
  assert.equal(m.sharpFraction([-1, 0, 1, 0, -0.9, 0.1, 2, 2]), 0.5);
});

Deno.test("sharpFlatSgd: centres and depths move the basins; a bad ratio names its value", () => {
  const opts = { ratio: 10, sharpCenter: [0, 1], flatCenter: [3, 1], temperature: 0.1 } as const;
  // at (0.5, 1): q_s = 8·0.25 = 2, q_f = ½·2.5² + d_f = 3.125 + d_f
  assert.ok(sharpFlatSgd(opts).inSharp(0.5, 1));
  assert.ok(!sharpFlatSgd({ ...opts, flatDepth: -1.5 }).inSharp(0.5, 1));
  assert.ok(!sharpFlatSgd(opts).inSharp(1.5, 1));
  assertAllClose(sharpFlatSgd(opts).noiseCurvature(0, 1), 16, { rtol: 1e-12 });
  assert.throws(() => sharpFlatSgd({ ratio: 0 }), {
    name: "RangeError",
    message: /ratio must be a finite number > 0, got 0/,
  });
});

Deno.test("sharpFlatParticles: the same positions as simulateGradientSde from the same Gaussian start", () => {
  const m = sharpFlatSgd({ ratio: 24, temperature: 0.2 }), count = 50, dt = 0.01;
  const snaps = sharpFlatParticles(m, {
    dt,
    count,
    times: [0.1, 0.3],
    start: [-1, 0],
    sd: 0.2,
    prng: createPrng(5),
  });
  const prng = createPrng(5);
  const zx = sampleNormal(prng, count, -1, 0.2), zy = sampleNormal(prng, count, 0, 0.2);
  const initial = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) [initial[2 * i], initial[2 * i + 1]] = [zx[i]!, zy[i]!];
  const run = simulateGradientSde(m.landscape, {
    dt,
    initial,
    prng,
    steps: 30,
    recordAt: [10, 30],
    diffusion: (x, o, out) => out.fill(m.noiseCurvature(x[o]!, x[o + 1]!) / 48, 0, 2),
  });
  assert.equal(snaps.length, 2);
  assert.deepEqual(Array.from(snaps[1]!), Array.from(run.snapshots![1]!));
  assert.throws(
    () => sharpFlatParticles(m, { dt, count: 0, times: [1], start: [0, 0], sd: 1, prng }),
    { name: "RangeError", message: /count must be an integer in \[1, 25000000\], got 0/ },
  );
});

Deno.test("sharpFlatFokkerPlanck: cells from the width, the sharp-basin mask and its mass by brute force", () => {
  const m = sharpFlatSgd({ ratio: 4, temperature: 0.2 }); // D ≥ 1/8: cell Péclet numbers ≈ 1 at h = 0.1
  const s = sharpFlatFokkerPlanck(m, {
    xDomain: [-2, 2],
    yDomain: [-1, 1],
    cell: 0.1,
    initial: (x, y) => Math.exp(-8 * ((x + 0.5) ** 2 + y * y)),
  });
  assert.equal(s.fp.nx, 40);
  assert.equal(s.fp.ny, 20);
  let mass = 0;
  s.fp.density.forEach((p, c) => {
    const x = s.fp.xCenters[c % 40]!, y = s.fp.yCenters[Math.floor(c / 40)]!;
    assert.equal(s.sharpCells[c], m.inSharp(x, y) ? 1 : 0);
    if (m.inSharp(x, y)) mass += p * s.fp.cellVolume;
  });
  assertAllClose(s.sharpMass(s.fp.density), mass, { rtol: 1e-12 });
  assert.ok(mass > 0.1 && mass < 0.9, `the start straddles the ridge: ${mass}`);
  assert.throws(
    () =>
      sharpFlatFokkerPlanck(m, { xDomain: [0, 1], yDomain: [0, 1], cell: -1, initial: () => 1 }),
    {
      name: "RangeError",
      message: /cell must be a finite number > 0, got -1/,
    },
  );
});
