// The geometry of the figure-layout check (tools/figure_overlaps.ts) on hand-made boxes: what
// must be flagged (overlaps of different elements, boxes outside the figure) and what must not
// (touching boxes, overlaps within the tolerance, boxes of one element, empty boxes).
import assert from "node:assert/strict";
import { describeProblem, layoutProblems, type TextBox } from "../../tools/figure_overlaps.ts";
import { figureLayoutErrors } from "../../tools/browser_check.ts";

const frame = { x: 0, y: 0, width: 1000, height: 400 };
const box = (element: string, x: number, y: number, width: number, height: number): TextBox => ({
  element,
  text: element,
  x,
  y,
  width,
  height,
});

Deno.test("layoutProblems: a legend over the x-axis title is flagged with the size of the overlap", () => {
  const legend = box("legend", 70, 360, 700, 34);
  const xTitle = box("x-axis title", 500, 350, 100, 19);
  const p = layoutProblems([legend, xTitle], frame);
  assert.equal(p.length, 1);
  assert.deepEqual(p[0], { kind: "overlap", a: legend, b: xTitle, width: 100, height: 9 });
});

Deno.test("layoutProblems: an axis title on its tick labels, and a tick label outside the figure", () => {
  const title = box("y2-axis title", 975, 150, 19, 80);
  const ticks = [box("y2 tick labels", 980, 100, 30, 15), box("y2 tick labels", 980, 200, 37, 15)];
  const p = layoutProblems([title, ...ticks], frame);
  // one overlap per pair of elements (the larger), one clip per element and side (the larger)
  assert.deepEqual(p.map((q) => q.kind), ["overlap", "clipped"]);
  assert.equal(p[0]!.kind === "overlap" && p[0]!.b, ticks[1]);
  assert.deepEqual(p[1], { kind: "clipped", a: ticks[1], side: "right", by: 17 });
});

Deno.test("layoutProblems: a note under the title running into a panel title; a title cut off", () => {
  const title = box("title", 20, 28, 1135, 47);
  const panel = box("annotation 1", 107, 70, 197, 14);
  const p = layoutProblems([title, panel], frame);
  assert.deepEqual(p.map((q) => q.kind), ["overlap", "clipped"]);
  assert.deepEqual(p[1], { kind: "clipped", a: title, side: "right", by: 155 });
  // every side of the frame
  const out = layoutProblems([
    box("a", -5, 10, 10, 10),
    box("b", 10, -6, 10, 10),
    box("c", 10, 395, 10, 10),
  ], frame);
  assert.deepEqual(out.map((q) => q.kind === "clipped" && [q.a.element, q.side, q.by]), [
    ["a", "left", 5],
    ["b", "top", 6],
    ["c", "bottom", 5],
  ]);
});

Deno.test("layoutProblems: touching boxes, overlaps within the tolerance, one element's own boxes and empty boxes pass", () => {
  assert.deepEqual(
    layoutProblems([
      // touching edge to edge
      box("x-axis title", 100, 300, 50, 20),
      box("legend", 100, 320, 400, 30),
      // 2 px of overlap: antialiasing, not a collision
      box("title", 20, 20, 600, 47),
      box("annotation 1", 100, 65, 200, 14),
      // tick labels of one axis overlapping each other (Plotly's business)
      box("x tick labels", 100, 280, 20, 15),
      box("x tick labels", 110, 280, 20, 15),
      // an empty axis title drawn at zero size on top of a tick label
      box("y-axis title", 112, 285, 0, 0),
      // inside the frame up to the tolerance
      box("y2 tick labels", 960, 100, 42, 15),
    ], frame),
    [],
  );
  // the tolerance is a parameter: 0 flags the 2 px overlap and the 2 px overhang
  const strict = layoutProblems(
    [
      box("title", 20, 20, 600, 47),
      box("annotation 1", 100, 65, 200, 14),
      box("y2 tick labels", 960, 100, 42, 15),
    ],
    frame,
    0,
  );
  assert.deepEqual(strict.map((q) => q.kind), ["overlap", "clipped"]);
});

Deno.test("layoutProblems: overlaps between different axes' tick labels are flagged (grid panels, corners)", () => {
  const p = layoutProblems([
    box("y tick labels", 60, 320, 12, 15),
    box("x tick labels", 66, 328, 8, 15),
  ], frame);
  assert.equal(p.length, 1);
  assert.equal(p[0]!.kind, "overlap");
});

Deno.test("describeProblem names both elements, their texts and the size in pixels", () => {
  const a = { ...box("x-axis title", 0, 0, 1, 1), text: "batch size S" };
  const b = {
    ...box("legend", 0, 0, 1, 1),
    text: "measured, epoch 0, predicted from per-example gradients, epoch 0",
  };
  assert.equal(
    describeProblem({ kind: "overlap", a, b, width: 97.4, height: 16.6 }),
    'x-axis title "batch size S" overlaps legend "measured, epoch 0, predicted from per-e…" (97×17 px)',
  );
  assert.equal(
    describeProblem({ kind: "clipped", a: { ...a, text: "" }, side: "bottom", by: 3.2 }),
    "x-axis title is clipped: 3 px beyond the bottom edge",
  );
});

Deno.test("figureLayoutErrors: one line per problem naming the page, the figure's title and both elements", () => {
  const legend = { ...box("legend", 70, 360, 700, 34), text: "measured, epoch 0" };
  const xTitle = { ...box("x-axis title", 500, 350, 100, 19), text: "batch size S" };
  const errors = figureLayoutErrors("01_sgd_and_noise.html", [
    { title: "GD vs SGD", frame, boxes: [box("title", 20, 10, 300, 21)] },
    { title: "The SGN shrinks like 1/√S", frame, boxes: [legend, xTitle] },
    { title: "", frame, boxes: [box("title", 20, 10, 1100, 21)] },
  ]);
  assert.deepEqual(errors, [
    '01_sgd_and_noise.html: figure 2 "The SGN shrinks like 1/√S": legend "measured, epoch 0" ' +
    'overlaps x-axis title "batch size S" (100×9 px)',
    '01_sgd_and_noise.html: figure 3 "(untitled)": title "title" is clipped: 120 px beyond the right edge',
  ]);
});
