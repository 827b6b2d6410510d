import assert from "node:assert/strict";
import { compareCovariance } from "../../lib/noise/covariance_comparison.ts";
import { createPrng, sampleNormal } from "../../lib/stats/random.ts";
import { assertAllClose } from "../_assert.ts";
import { flat, sym, toMatrix } from "./_fixtures.ts";

Deno.test("compareCovariance: C = H/S exactly gives scale 1, error 0, cosine 1, overlap 1", () => {
  const prng = createPrng(17);
  const a = toMatrix({ rows: 6, cols: 6, data: sampleNormal(prng, 36) });
  const h = a.mmul(a.transpose()), s = 16;
  const hm = { rows: 6, cols: 6, data: flat(h) },
    cm = { rows: 6, cols: 6, data: flat(h.clone().div(s)) };
  const r = compareCovariance(cm, hm, s, { k: 3 });
  assertAllClose([r.scale, r.relativeError, r.cosine, r.overlap], [1, 0, 1, 1], { atol: 1e-12 });
  assertAllClose(r.eigenvaluesC, r.eigenvaluesH, { rtol: 1e-10 });
  const r2 = compareCovariance({ ...cm, data: cm.data.map((x) => 2 * x) }, hm, s, { k: 3 });
  assertAllClose([r2.scale, r2.relativeError, r2.cosine, r2.overlap], [2, 0, 1, 1], {
    atol: 1e-12,
  });
  assert.equal(r.k, 3);
});

Deno.test("compareCovariance: known values on constructed cases", () => {
  // C = diag(3, 1), H/S = diag(1, 3): c = 6/10, C − cH = diag(2.4, −0.8), error √6.4/√10 = 0.8
  const c = sym(2, [3, 0, 0, 1]), h = sym(2, [1, 0, 0, 3]);
  const r = compareCovariance(c, h, 1, { k: 1 });
  assertAllClose([r.scale, r.relativeError, r.cosine, r.overlap], [0.6, 0.8, 0.6, 0], {
    rtol: 1e-12,
    atol: 1e-15,
  });
  assertAllClose(r.eigenvaluesC, [3, 1], { rtol: 1e-14 });
  assertAllClose(r.eigenvaluesH, [3, 1], { rtol: 1e-14 });
  assert.equal(compareCovariance(c, h, 1, { k: 2 }).overlap, 1);
  // top eigenvectors at angle φ: overlap cos²φ
  const phi = 0.3, co = Math.cos(phi), si = Math.sin(phi);
  // R diag(2, 1) Rᵀ
  const rot = sym(2, [2 * co * co + si * si, co * si, co * si, 2 * si * si + co * co]);
  const rr = compareCovariance(rot, sym(2, [2, 0, 0, 1]), 1, { k: 1 });
  assertAllClose(rr.overlap, co * co, { rtol: 1e-12 });
  // orthogonal supports: cosine 0, scale 0, error 1
  const z = compareCovariance(sym(2, [1, 0, 0, 0]), sym(2, [0, 0, 0, 1]), 4, { k: 1 });
  assertAllClose([z.scale, z.relativeError, z.cosine, z.overlap], [0, 1, 0, 0], { atol: 1e-15 });
  // a Hessian with a negative eigenvalue (away from a minimum): cosine < 0 possible
  const neg = compareCovariance(sym(2, [1, 0, 0, 1]), sym(2, [-1, 0, 0, -1]), 1, { k: 1 });
  assertAllClose([neg.scale, neg.cosine], [-1, -1], { rtol: 1e-15 });
});

Deno.test("compareCovariance: bad input names the argument and value", () => {
  const c = sym(2, [1, 0, 0, 1]);
  assert.throws(() => compareCovariance(c, sym(2, [0, 0, 0, 0]), 1), /H must not be zero/);
  assert.throws(() => compareCovariance(sym(2, [0, 0, 0, 0]), c, 1), /C must not be zero/);
  assert.throws(
    () => compareCovariance(sym(2, [1, 2, 0, 1]), c, 1),
    /C must be symmetric: C\[0\]\[1\] = 2 but C\[1\]\[0\] = 0/,
  );
  assert.throws(
    () => compareCovariance(c, sym(1, [1]), 1),
    /H must have the shape of C \(2×2\), got 1×1/,
  );
  assert.throws(
    () => compareCovariance({ rows: 1, cols: 2, data: new Float64Array(2) }, c, 1),
    /C must be square, got 1×2/,
  );
  assert.throws(() => compareCovariance(c, c, 1, { k: 3 }), /k must be <= 2, got 3/);
});
