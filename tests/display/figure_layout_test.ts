// The layout every figure shares, so that its texts do not collide when drawn: wrapped titles,
// notes and y-axis titles, a top margin that holds the title block, axes that grow the margins to
// fit their labels, the legend in a row below the x-axis title, and legends of grid panels.
// (tools/browser_check.ts checks the drawn result in Chromium.)
import assert from "node:assert/strict";
import {
  axisTitle,
  baseLayout,
  legendRows,
  lineFigure,
  subplotGrid,
  titleBlock,
  titleMargin,
  WRAP,
} from "../../lib/display/figures.ts";
import { seriesPanel } from "../../lib/display/series_panel.ts";
import { wrapText } from "../../lib/display/wrap_text.ts";
import type { Trace } from "../../lib/display/plotly.ts";

const visible = (s: string) => s.replace(/<[^>]*>/g, "").length;

Deno.test("wrapText: short text untouched, long text broken at spaces into even lines", () => {
  assert.deepEqual(wrapText("short", 10), ["short"]);
  assert.deepEqual(wrapText("", 10), [""]);
  assert.deepEqual(wrapText("one two three four five six", 20), ["one two three", "four five six"]);
  const long = "spread at t = 0.64: log–log slope 1.171 ± 0.048 (weighted, χ²/dof 0.24), " +
    "quadratic-well formula 1.226; S/η = 100; 95% error bars; dotted: 99% sampling bound of L1";
  const lines = wrapText(long, 130);
  assert.equal(lines.length, 2);
  assert.ok(lines.every((l) => l.length <= 130));
  assert.equal(lines.join(" "), long, "no character lost or added");
  // a word longer than the width gets its own line; repeated spaces collapse
  assert.deepEqual(wrapText("a  verylongword b", 5), ["a", "verylongword", "b"]);
});

Deno.test("wrapText: tags do not count, a tag's content is never split, <br> is kept as a break", () => {
  // 20 characters, 10 of them shown
  assert.deepEqual(wrapText("Σ X / n<sup>1/α</sup>", 12), ["Σ X / n<sup>1/α</sup>"]);
  assert.deepEqual(wrapText("Σ X / n<sup>1/α</sup>", 8), ["Σ X /", "n<sup>1/α</sup>"]);
  assert.deepEqual(wrapText("aa <i>bb cc dd</i> ee", 6), ["aa", "<i>bb cc dd</i>", "ee"]);
  assert.deepEqual(wrapText("first<br>second line here", 8), ["first", "second", "line", "here"]);
  assert.throws(() => wrapText("x", 0), {
    name: "RangeError",
    message: "width must be an integer >= 1, got 0",
  });
  assert.throws(() => wrapText(3 as unknown as string, 5), { name: "TypeError" });
});

Deno.test("titleBlock: title and note wrapped, one <sub> per note line; the words survive tag stripping", () => {
  const short = titleBlock("The SGN shrinks like 1/√S", "slope −0.50");
  assert.deepEqual(short, {
    text: "The SGN shrinks like 1/√S<br><sub>slope −0.50</sub>",
    lines: 2,
  });
  assert.deepEqual(titleBlock("t"), { text: "t", lines: 1 });
  const title = "Normal QQ plots: heavy tails across parameters bend away from the diagonal; " +
    "across batches they straighten with S";
  const note = "x ".repeat(100).trim();
  const b = titleBlock(title, note);
  assert.equal(b.lines, 4);
  const lines = b.text.split("<br>");
  assert.ok(lines.slice(0, 2).every((l) => visible(l) <= WRAP.title + 1));
  assert.ok(lines.slice(2).every((l) => /^<sub>.*<\/sub>$/.test(l.trim())));
  assert.equal(b.text.replace(/<[^>]*>/g, ""), title + note);
});

Deno.test("baseLayout: the top margin holds the title block, axes grow their margins, the legend sits below", () => {
  const one = baseLayout({ title: "t", xTitle: "x", yTitle: "y" });
  const three = baseLayout({ title: "t", note: "n ".repeat(80), xTitle: "x", yTitle: "y" });
  const m = (l: Record<string, unknown>) => l.margin as Record<string, number>;
  assert.equal(m(one).t, titleMargin(1));
  assert.equal(m(three).t, titleMargin(3));
  // each further line of the block is 23.4 px
  assert.equal(titleMargin(3) - titleMargin(1), Math.ceil(2 * 23.4 + 49) - 49);
  assert.equal((one.xaxis as { automargin: boolean }).automargin, true);
  assert.equal((one.yaxis as { automargin: boolean }).automargin, true);
  assert.deepEqual(one.legend, { orientation: "h", yref: "container", y: 0, yanchor: "bottom" });
  const title = one.title as { yref: string; y: number; yanchor: string };
  assert.deepEqual([title.yref, title.y, title.yanchor], ["container", 1, "top"]);
});

Deno.test("axisTitle: y titles longer than WRAP.axisTitle break into lines; x titles stay whole", () => {
  assert.deepEqual(axisTitle("loss"), { text: "loss" });
  assert.deepEqual(axisTitle("mean escape time τ (SDE time units)"), {
    text: "mean escape time τ <br>(SDE time units)",
  });
  const f = baseLayout({
    title: "t",
    xTitle: "epochs after the switch (passes over the training set)",
    yTitle: "mean escape time τ (SDE time units)",
  });
  assert.equal(
    (f.xaxis as { title: { text: string } }).title.text,
    "epochs after the switch (passes over the training set)",
  );
  assert.match((f.yaxis as { title: { text: string } }).title.text, /<br>/);
});

Deno.test("lineFigure: the secondary axis grows the right margin; the default height grows with the legend and title", () => {
  const series = [
    { name: "a", x: [1], y: [1] },
    { name: "b", x: [1], y: [2], secondary: true },
  ];
  const f = lineFigure({ title: "t", xTitle: "x", yTitle: "y", y2Title: "curvature", series });
  assert.deepEqual(f.layout.yaxis2, {
    title: { text: "curvature" },
    overlaying: "y",
    side: "right",
    automargin: true,
  });
  assert.equal(f.layout.height, 420);
  const many = Array.from({ length: 9 }, (_, i) => ({
    name: `ResNet, initialisation: across parameters, standardised per coordinate ${i}`,
    x: [1],
    y: [i],
  }));
  const g = lineFigure({ title: "t", xTitle: "x", yTitle: "y", series: many });
  assert.equal(g.layout.height, 420 + 19 * (legendRows(many.map((s) => s.name)) - 1));
  assert.ok((g.layout.height as number) > 420);
  // an explicit height is kept
  assert.equal(
    lineFigure({ title: "t", xTitle: "x", yTitle: "y", series: many, height: 300 }).layout.height,
    300,
  );
});

Deno.test("legendRows: entries in columns as wide as the widest, in about 900 px", () => {
  assert.equal(legendRows([]), 0);
  assert.equal(legendRows(["a", "b", "c"]), 1);
  // 60 characters: 430 px an entry, two a row
  assert.equal(legendRows(Array(5).fill("x".repeat(60))), 3);
  // tags do not count
  assert.equal(legendRows(["<b>" + "x".repeat(60) + "</b>", "y"]), 1);
});

const trace = (name: string, extra: Trace = {}): Trace => ({
  type: "scatter",
  name,
  x: [1],
  y: [1],
  ...extra,
});

Deno.test("subplotGrid: panel titles get room under the title block; axes grow their margins", () => {
  const g = subplotGrid({
    title: "grid",
    note: "a note",
    rows: 1,
    cols: 2,
    panels: [{ title: "p1", traces: [trace("a")] }, { title: "p2", traces: [trace("b")] }],
  });
  assert.equal((g.layout.margin as { t: number }).t, titleMargin(2, 18));
  assert.equal((g.layout.xaxis2 as { automargin: boolean }).automargin, true);
  assert.equal((g.layout.yaxis as { automargin: boolean }).automargin, true);
  assert.equal(g.layout.showlegend, false);
  // no legend asked: the traces are left as they are
  assert.equal("showlegend" in g.data[0]!, false);
});

Deno.test("subplotGrid: legend: true gives the figure one legend below the panels", () => {
  const g = subplotGrid({
    title: "grid",
    rows: 1,
    cols: 2,
    legend: true,
    panels: [
      { title: "p1", traces: [trace("S = 16"), trace("S = 128")] },
      { title: "p2", traces: [trace("S = 16", { showlegend: false })] },
    ],
  });
  assert.equal(g.layout.showlegend, true);
  assert.deepEqual(g.layout.legend, {
    orientation: "h",
    yref: "container",
    y: 0,
    yanchor: "bottom",
  });
  assert.equal(g.data[2]!.showlegend, false);
  assert.equal("legend" in g.data[0]!, false);
  assert.equal(g.layout.height, 260 + 19);
});

Deno.test("subplotGrid: a panel's own legend sits under its column; panels without one stay out of legends", () => {
  const g = subplotGrid({
    title: "The SGD–SDE gap grows linearly with η",
    rows: 1,
    cols: 3,
    panels: [
      seriesPanel({
        title: "spread",
        legend: true,
        series: [{ name: "measured", x: [1], y: [1] }, { name: "fit", x: [1], y: [1] }],
      }),
      { title: "mass", traces: [trace("measured")] },
      seriesPanel({
        title: "L1",
        legend: true,
        series: [
          { name: "t = 0.64", x: [1], y: [1] },
          { name: "99% sampling, t = 0.64", x: [1], y: [1], legend: false },
        ],
      }),
    ],
  });
  assert.equal(g.layout.showlegend, true);
  assert.deepEqual(g.data.map((t) => [t.legend, t.showlegend]), [
    ["legend", undefined],
    ["legend", undefined],
    [undefined, false],
    ["legend2", undefined],
    ["legend2", false],
  ]);
  const l1 = g.layout.legend as Record<string, unknown>,
    l2 = g.layout.legend2 as Record<string, unknown>;
  assert.equal(l1.x, 0);
  assert.equal(l2.x, (g.layout.xaxis3 as { domain: number[] }).domain[0]);
  for (const l of [l1, l2]) {
    assert.deepEqual([l.orientation, l.xanchor, l.yref, l.y, l.yanchor], [
      "v",
      "left",
      "container",
      0,
      "bottom",
    ]);
  }
  // the default height makes room for the longest panel legend (two entries)
  assert.equal(g.layout.height, 260 + 2 * 19);
});

Deno.test("subplotGrid: two panel legends in one column, and a legend flag that is not a boolean, are refused", () => {
  assert.throws(
    () =>
      subplotGrid({
        title: "g",
        rows: 2,
        cols: 1,
        panels: [{ title: "a", traces: [], legend: true }, {
          title: "b",
          traces: [],
          legend: true,
        }],
      }),
    {
      name: "RangeError",
      message:
        "panels[0] and panels[1] both have a legend in column 0: a grid holds one panel legend per column",
    },
  );
  assert.throws(
    () =>
      subplotGrid({
        title: "g",
        rows: 1,
        cols: 1,
        panels: [],
        legend: "yes" as unknown as boolean,
      }),
    { name: "TypeError", message: "legend must be true or false, got yes" },
  );
  assert.throws(
    () =>
      subplotGrid({
        title: "g",
        rows: 1,
        cols: 1,
        panels: [{ title: "a", traces: [], legend: 1 as unknown as boolean }],
      }),
    { name: "TypeError", message: "panels[0].legend must be true or false, got 1" },
  );
  assert.throws(
    () =>
      seriesPanel({
        title: "p",
        series: [{ name: "s", x: [1], y: [1], legend: "no" as unknown as boolean }],
      }),
    { name: "TypeError", message: "series[0].legend must be true or false, got no" },
  );
});

Deno.test("subplotGrid: panel titles wrapped to their column; the top margin grows with the top row's lines", () => {
  const long = "near a minimum: SGN covariance Ĉ_S (across batches)";
  const panels = [long, "Fisher F_S (Eq. 9)", "H/S", long].map((title) => ({ title, traces: [] }));
  const g = subplotGrid({ title: "t", rows: 2, cols: 3, panels });
  const texts = (g.layout.annotations as { text: string }[]).map((a) => a.text);
  assert.deepEqual(texts, [
    "near a minimum: SGN covariance <br>Ĉ_S (across batches)",
    "Fisher F_S (Eq. 9)",
    "H/S",
    "near a minimum: SGN covariance <br>Ĉ_S (across batches)",
  ]);
  assert.equal((g.layout.margin as { t: number }).t, titleMargin(1, 18 + 14));
  // two columns leave room for 55 characters
  const two = subplotGrid({ title: "t", rows: 1, cols: 2, panels: panels.slice(0, 2) });
  assert.equal((two.layout.annotations as { text: string }[])[0]!.text, long);
  assert.equal((two.layout.margin as { t: number }).t, titleMargin(1, 18));
});
