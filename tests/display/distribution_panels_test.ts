import assert from "node:assert/strict";
import jStat from "jstat";
import {
  densityBars,
  densityCurve,
  normalDensity,
  stableFitPanel,
  symmetricGrid,
  thinnedQqPoints,
} from "../../lib/display/distribution_panels.ts";
import { PALETTE } from "../../lib/display/figures.ts";
import { qqPoints } from "../../lib/stats/normality.ts";
import { createPrng, sampleNormal, sampleStable } from "../../lib/stats/random.ts";
import { standardise } from "../../lib/stats/sample_moments.ts";
import { fitSymmetricStable } from "../../lib/stats/stable_density.ts";
import { assertAllClose } from "../_assert.ts";

Deno.test("symmetricGrid and normalDensity: closed forms", () => {
  const g = symmetricGrid(2, 5);
  assert.deepEqual(g, [-2, -1, 0, 1, 2]);
  assert.equal(symmetricGrid(8).length, 241);
  assertAllClose(normalDensity([0, 1, -2]), [
    1 / Math.sqrt(2 * Math.PI),
    Math.exp(-0.5) / Math.sqrt(2 * Math.PI),
    Math.exp(-2) / Math.sqrt(2 * Math.PI),
  ], { rtol: 1e-15 });
  assertAllClose(normalDensity([0, 3], 3), [
    1 / (3 * Math.sqrt(2 * Math.PI)),
    Math.exp(-0.5) / (3 * Math.sqrt(2 * Math.PI)),
  ], {
    rtol: 1e-15,
  });
  // trapezoid integral over ±8 on the default grid (h = 1/15): the rule is exponentially accurate
  // for a smooth density that vanishes at both ends, and the mass beyond ±8 is 1e-15
  const xs = symmetricGrid(8), y = normalDensity(xs), h = xs[1]! - xs[0]!;
  const area = y.reduce((s, v, i) => s + (i === 0 || i === y.length - 1 ? v / 2 : v), 0) * h;
  assert.ok(Math.abs(area - 1) < 1e-12, `area ${area}`);
  assert.throws(() => symmetricGrid(0), {
    name: "RangeError",
    message: "limit must be a finite number > 0, got 0",
  });
  assert.throws(() => symmetricGrid(1, 1), {
    name: "RangeError",
    message: "points must be an integer >= 2, got 1",
  });
  assert.throws(() => normalDensity([0], -1), {
    name: "RangeError",
    message: "sd must be a finite number > 0, got -1",
  });
});

Deno.test("densityBars: hand-counted densities, bin centres, floor and outside count", () => {
  const values = [-1.5, -0.2, 0, 0.1, 0.99, 1, 7, -3];
  const h = densityBars(values, { limit: 2, bins: 4, color: "#123456" });
  // w = 1, n = 8; bins [−2,−1): −1.5; [−1,0): −0.2; [0,1): 0, 0.1, 0.99; [1,2): 1; outside: 7, −3
  assert.deepEqual(h.trace.x, [-1.5, -0.5, 0.5, 1.5]);
  assert.deepEqual(h.trace.y, [1 / 8, 1 / 8, 3 / 8, 1 / 8]);
  assert.equal(h.outside, 2);
  assert.equal(h.floor, 0.5 / 8);
  assert.equal(h.trace.type, "bar");
  assert.equal(h.trace.width, 1);
  assert.deepEqual(h.trace.marker, { color: "#123456" });
  // densities integrate to the fraction inside the range
  const ys = h.trace.y as number[];
  assert.equal(ys.reduce((a, b) => a + b, 0) * 1, 6 / 8); // w = 1
});

Deno.test("densityBars: a normal sample matches the normal density within sampling error", () => {
  const n = 20_000, bins = 16, lim = 4, w = (2 * lim) / bins;
  const h = densityBars(sampleNormal(createPrng(3), n), { limit: lim, bins, color: "#000" });
  const x = h.trace.x as number[], y = h.trace.y as number[];
  for (let b = 0; b < bins; b++) {
    // exact bin probability p = Φ(hi) − Φ(lo); count sd √(np(1−p)); 5σ in density units
    const p = jStat.normal.cdf(x[b]! + w / 2, 0, 1) - jStat.normal.cdf(x[b]! - w / 2, 0, 1);
    const tol = (5 * Math.sqrt(n * p * (1 - p))) / (n * w);
    assert.ok(Math.abs(y[b]! - p / w) <= tol, `bin ${b}: ${y[b]} vs ${p / w} ± ${tol}`);
  }
});

Deno.test("densityBars: inputs unmodified; edge cases", () => {
  const v = new Float64Array([0.5, -0.5]);
  densityBars(v, { limit: 1, bins: 2, color: "#000" });
  assert.deepEqual(v, new Float64Array([0.5, -0.5]));
  const o = { limit: 1, bins: 2, color: "#000" };
  assert.throws(() => densityBars([], o), {
    name: "RangeError",
    message: "values must hold at least one value, got 0",
  });
  assert.throws(() => densityBars([0, NaN], o), {
    name: "RangeError",
    message: "values[1] must be finite, got NaN",
  });
  assert.throws(() => densityBars([0], { ...o, limit: Infinity }), {
    name: "RangeError",
    message: "limit must be a finite number > 0, got Infinity",
  });
  assert.throws(() => densityBars([0], { ...o, bins: 0 }), {
    name: "RangeError",
    message: "bins must be an integer >= 1, got 0",
  });
});

Deno.test("densityCurve: keeps exactly the points at or above the floor", () => {
  const t = densityCurve({
    name: "N(0, 1)",
    x: [-2, -1, 0, 1, 2],
    y: [0.01, 0.2, 0.4, 0.1, 0.001],
    floor: 0.1,
    color: "#111",
  });
  assert.deepEqual(t, {
    type: "scatter",
    mode: "lines",
    name: "N(0, 1)",
    x: [-1, 0, 1],
    y: [0.2, 0.4, 0.1],
    line: { color: "#111", dash: "solid", width: 2 },
  });
  const d = densityCurve({
    name: "s",
    x: [0],
    y: new Float64Array([1]),
    floor: 0,
    color: "#111",
    dash: "dash",
  });
  assert.deepEqual(d.line, { color: "#111", dash: "dash", width: 2 });
  assert.throws(() => densityCurve({ name: "s", x: [0, 1], y: [1], floor: 0, color: "#111" }), {
    name: "RangeError",
    message: 'curve "s": x has 2 points, y has 1',
  });
});

Deno.test("stableFitPanel: histogram, N(0, 1) and the fitted stable law; outside count in the title", () => {
  const z = standardise(sampleStable(createPrng(7), 4000, { alpha: 1.5 }));
  const lim = 8;
  const p = stableFitPanel(z, {
    title: "S = 16",
    limit: lim,
    color: PALETTE[0]!,
    xTitle: "standardised SGN",
  });
  const h = densityBars(z, { limit: lim, bins: 80, color: PALETTE[0]! });
  assert.ok(h.outside > 0, "a stable sample with α = 1.5 has values beyond ±8 sd");
  assert.equal(p.title, `S = 16 (${h.outside} beyond ±8)`);
  assert.equal(p.xTitle, "standardised SGN");
  assert.equal(p.logY, true);
  assert.deepEqual(p.xRange, [-8, 8]);
  assert.equal(p.traces.length, 3);
  assert.deepEqual(p.traces[0], h.trace);
  const fit = fitSymmetricStable(z);
  assert.equal(p.traces[1]!.name, "fitted Gaussian");
  assert.equal(p.traces[2]!.name, `fitted stable, α̂ = ${fit.alpha.toFixed(2)}`);
  // the Gaussian curve is φ on the grid, cut at half a count
  const gx = p.traces[1]!.x as number[], gy = p.traces[1]!.y as number[];
  assertAllClose(gy, normalDensity(gx), { rtol: 0 });
  assert.ok(gy.every((v) => v >= h.floor) && gx.length < 241);
  // a Gaussian sample inside the range gets no "beyond" note and no x title by default
  const g = stableFitPanel(standardise(sampleNormal(createPrng(8), 1000)), {
    title: "g",
    limit: 8,
    color: "#000",
  });
  assert.equal(g.title, "g");
  assert.equal(g.xTitle, "");
});

Deno.test("thinnedQqPoints: all points of a small sample, equally spaced ranks of a large one", () => {
  const small = [3, 1, 2, 5, 4];
  const q = qqPoints(small);
  assert.deepEqual(thinnedQqPoints(small), {
    x: Array.from(q.theoretical),
    y: Array.from(q.sample),
  });
  const big = sampleNormal(createPrng(5), 1001);
  const full = qqPoints(big), t = thinnedQqPoints(big, 11);
  // ranks round(i·1000/10) = 0, 100, …, 1000
  assert.deepEqual(t.x, Array.from({ length: 11 }, (_, i) => full.theoretical[100 * i]!));
  assert.deepEqual(t.y, Array.from({ length: 11 }, (_, i) => full.sample[100 * i]!));
  assert.equal(thinnedQqPoints(big).x.length, 300);
  assert.throws(() => thinnedQqPoints(big, 1), {
    name: "RangeError",
    message: "keep must be an integer >= 2, got 1",
  });
  assert.throws(() => thinnedQqPoints([1, 2]), {
    name: "RangeError",
    message: "x must have at least 3 values, got 2",
  });
});
