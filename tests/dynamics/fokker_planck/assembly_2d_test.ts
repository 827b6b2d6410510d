import assert from "node:assert/strict";
import {
  addAxialFace,
  assemble2D,
  type AxialFaceOptions,
  type Grid2D,
  splitTensor,
  type Tensor2,
} from "../../../lib/dynamics/fokker_planck/assembly_2d.ts";
import { bernoulli, emptyFaceStencils } from "../../../lib/dynamics/fokker_planck/faces.ts";
import type { PecletReport } from "../../../lib/dynamics/fokker_planck/grid.ts";
import { assertAllClose } from "../../_assert.ts";
import { columnSums, maxAbs, toDense } from "./_helpers.ts";

Deno.test("splitTensor: a_x e_x e_xᵀ + a_y e_y e_yᵀ + a_d d dᵀ + remainder reassembles D", () => {
  const hx = 0.2, hy = 0.3;
  for (
    const d of [[0.4, 0.1, 0.3], [0.4, -0.1, 0.3], [0.3, 0.25, 0.5], [0.5, -0.45, 0.6], [1, 0, 2]]
  ) {
    const t = d as unknown as Tensor2;
    for (const monotone of [true, false]) {
      const s = splitTensor(t, hx, hy, monotone);
      // d dᵀ = [[h_x², ±h_x h_y], [±h_x h_y, h_y²]]
      assertAllClose(s.ax + s.ad * hx * hx, t[0], { rtol: 1e-15 });
      assertAllClose(s.ay + s.ad * hy * hy, t[2], { rtol: 1e-15 });
      assertAllClose(s.sg * s.ad * hx * hy + s.rem, t[1], { rtol: 1e-15, atol: 1e-17 });
      assert.ok(s.ax >= 0 && s.ay >= 0 && s.ad >= 0);
      if (!monotone) assert.equal(s.ad, 0);
      // all of D_xy on the diagonal while |D_xy| ≤ min(D_xx h_y/h_x, D_yy h_x/h_y)
      const cap = Math.min((t[0] * hy) / hx, (t[2] * hx) / hy);
      if (monotone && Math.abs(t[1]) <= cap) assert.ok(Math.abs(s.rem) < 1e-16);
      if (monotone && Math.abs(t[1]) > cap) assertAllClose(s.ad, cap / (hx * hy), { rtol: 1e-15 });
    }
  }
});

/** Options of one interior x-face between cells 0 and 1 of a 2 × 1 grid with h = 0.5. */
function face(over: Partial<AxialFaceOptions>): AxialFaceOptions {
  return {
    face: 0,
    minus: 0,
    plus: 1,
    width: 0.5,
    area: 0.25,
    drift: 0.8,
    diffusion: 0.4,
    axialAtFace: 0.4,
    axialAtCells: Float64Array.of(0.3, 0.5),
    remainderAtFace: 0,
    remainderAtCells: new Float64Array(4),
    wall: "reflecting",
    side: -1,
    at: [0, 0],
    crossStencil: () => [],
    ...over,
  };
}

Deno.test("addAxialFace: fitted flux inside, half-cell flux at an absorbing wall, nothing at a reflecting one, upwind without axial diffusion", () => {
  const pe: PecletReport = { max: 0, at: [] };
  let fs = emptyFaceStencils(1, 4);
  addAxialFace(fs, pe, face({}));
  const z = (0.8 * 0.5) / 0.4;
  assertAllClose(fs.coef.subarray(0, 2), [bernoulli(-z) * 0.3 / 0.5, -bernoulli(z) * 0.5 / 0.5], {
    rtol: 1e-15,
  });
  assert.deepEqual([fs.minus[0], fs.plus[0], fs.invWidth[0], fs.area[0]], [0, 1, 2, 0.25]);
  assertAllClose(pe.max, (0.8 * 0.5) / 0.4, { rtol: 1e-15 });
  // absorbing upper wall: J = B(−z/2)·u₋/(h/2) from the inside cell, recorded as side 1
  fs = emptyFaceStencils(1, 4);
  addAxialFace(fs, pe, face({ plus: -1, wall: "absorbing", side: 1 }));
  assertAllClose(fs.coef[0]!, bernoulli(-z / 2) * 0.3 / 0.25, { rtol: 1e-15 });
  assert.equal(fs.coef[1], 0);
  assert.equal(fs.side[0], 1);
  fs = emptyFaceStencils(1, 4);
  addAxialFace(fs, pe, face({ plus: -1, wall: "reflecting", side: 1 }));
  assert.ok(fs.coef.every((c) => c === 0));
  assert.equal(fs.side[0], -1);
  // a_f = 0 (all diffusion on the diagonals): J = b p₋ for b > 0
  fs = emptyFaceStencils(1, 4);
  addAxialFace(fs, pe, face({ axialAtFace: 0 }));
  assert.deepEqual(Array.from(fs.coef.subarray(0, 2)), [0.8, 0]);
});

Deno.test("addAxialFace: the remainder cross flux is −(1/(2·area)) Σ factor·rem·p over the stencil", () => {
  const pe: PecletReport = { max: 0, at: [] };
  const fs = emptyFaceStencils(1, 6);
  const rem = Float64Array.of(0.1, 0.2, 0.3, 0.4);
  addAxialFace(
    fs,
    pe,
    face({
      drift: 0,
      remainderAtFace: 0.05,
      remainderAtCells: rem,
      crossStencil: () => [[3, 1], [1, -1], [0, 1], [2, -1]],
    }),
  );
  // diffusive part on cells 0, 1 (0.3/0.5 = 0.6, −0.5/0.5 = −1), cross part −2·factor·rem
  const byCell = new Map<number, number>();
  for (let k = 0; k < 6; k++) {
    if (fs.coef[k] !== 0) byCell.set(fs.cell[k]!, fs.coef[k]!);
  }
  assertAllClose([0, 1, 2, 3].map((c) => byCell.get(c) ?? 0), [0.6 - 0.2, -1 + 0.4, 0.6, -0.8], {
    rtol: 1e-15,
  });
});

function grid(nx: number, ny: number, sides: Grid2D["sides"]): Grid2D {
  const hx = 1 / nx, hy = 2 / ny;
  return {
    nx,
    ny,
    hx,
    hy,
    x: [0, 1],
    y: [0, 2],
    xc: Float64Array.from({ length: nx }, (_, i) => (i + 0.5) * hx),
    yc: Float64Array.from({ length: ny }, (_, j) => (j + 0.5) * hy),
    sides,
  };
}

Deno.test("assemble2D: constant isotropic D without drift gives the 5-point Laplacian D(δ²_x/h_x² + δ²_y/h_y²)", () => {
  const g = grid(6, 5, {
    left: "reflecting",
    right: "reflecting",
    bottom: "periodic",
    top: "periodic",
  });
  const D = 0.7;
  const { generator } = assemble2D(g, { drift: () => [0, 0], diffusion: () => [D, 0, D] }, true);
  const a = toDense(generator);
  for (let j = 0; j < 5; j++) {
    for (let i = 0; i < 6; i++) {
      const r = j * 6 + i, expected = new Array<number>(30).fill(0);
      const link = (c: number, w: number) => {
        expected[c] = expected[c]! + w;
        expected[r] = expected[r]! - w;
      };
      if (i > 0) link(r - 1, D / (g.hx * g.hx)); // reflecting in x: no link through the wall
      if (i < 5) link(r + 1, D / (g.hx * g.hx));
      link(((j + 1) % 5) * 6 + i, D / (g.hy * g.hy)); // periodic in y
      link(((j + 4) % 5) * 6 + i, D / (g.hy * g.hy));
      assertAllClose(a[r]!, expected, { rtol: 1e-13, atol: 1e-13 });
    }
  }
});

Deno.test("assemble2D: with reflecting and periodic sides the generator's columns sum to 0 (mass conserved), cross terms included", () => {
  for (const monotone of [true, false]) {
    for (
      const sides of [
        { left: "reflecting", right: "reflecting", bottom: "reflecting", top: "reflecting" },
        { left: "periodic", right: "periodic", bottom: "reflecting", top: "reflecting" },
      ] as const
    ) {
      const { generator } = assemble2D(grid(7, 6, sides), {
        drift: (x, y) => [0.5 - x, 0.3 * (1 - y)],
        diffusion: (x, y) => [0.3, 0.2 * Math.sin(3 * x + y), 0.4],
      }, monotone);
      assert.ok(
        maxAbs(columnSums(generator)) <= 1e-13 * maxAbs(generator.values),
        `${monotone} ${sides.left}: ${maxAbs(columnSums(generator))}`,
      );
    }
  }
});
