import assert from "node:assert/strict";
import { timeSliderFigure } from "../../lib/display/time_slider.ts";
import { baseLayout } from "../../lib/display/figures.ts";
import type { Trace } from "../../lib/display/plotly.ts";

const frames = [
  { label: "0.5", traces: [{ type: "scatter", name: "FP", x: [0, 1], y: [1, 2] }] },
  {
    label: "1",
    traces: [
      { type: "scatter", name: "FP", x: [0, 1], y: [2, 3] },
      { type: "scatter", name: "SGD", x: [0, 1], y: [2.1, 2.9] },
    ],
  },
  { label: "2", traces: [{ type: "scatter", name: "FP", x: [0, 1], y: [3, 4] }] },
] satisfies { label: string; traces: Trace[] }[];

Deno.test("timeSliderFigure: all traces in frame order, only the active frame visible", () => {
  const f = timeSliderFigure({
    title: "T",
    note: "n",
    xTitle: "θ",
    yTitle: "density",
    frames,
    active: 1,
  });
  assert.equal(f.data.length, 4);
  assert.deepEqual(f.data.map((t) => t.visible), [false, true, true, false]);
  assert.deepEqual(f.data.map((t) => t.y), [[1, 2], [2, 3], [2.1, 2.9], [3, 4]]);
  // the input traces are copied, not modified
  assert.ok(frames.every((fr) => fr.traces.every((t) => !("visible" in t))));
});

Deno.test("timeSliderFigure: one restyle step per frame, each showing exactly its own traces", () => {
  const f = timeSliderFigure({ title: "T", xTitle: "θ", yTitle: "density", frames, active: 2 });
  const [slider] = f.layout.sliders as {
    active: number;
    currentvalue: { prefix: string };
    steps: { label: string; method: string; args: [string, boolean[]] }[];
  }[];
  assert.equal(slider!.active, 2);
  assert.equal(slider!.currentvalue.prefix, "time t = ");
  assert.deepEqual(slider!.steps, [
    { label: "0.5", method: "restyle", args: ["visible", [true, false, false, false]] },
    { label: "1", method: "restyle", args: ["visible", [false, true, true, false]] },
    { label: "2", method: "restyle", args: ["visible", [false, false, false, true]] },
  ]);
  // the step of the active frame reproduces the initial visibility
  assert.deepEqual(slider!.steps[2]!.args[1], f.data.map((t) => t.visible));
  const custom = timeSliderFigure({
    title: "T",
    xTitle: "x",
    yTitle: "y",
    frames,
    active: 0,
    prefix: "S = ",
  });
  assert.equal(
    (custom.layout.sliders as { currentvalue: { prefix: string } }[])[0]!.currentvalue.prefix,
    "S = ",
  );
});

Deno.test("timeSliderFigure: layout is the shared base layout with room for the slider", () => {
  const o = { title: "T", note: "n", xTitle: "θ", yTitle: "density" };
  const f = timeSliderFigure({ ...o, frames, active: 0 });
  const base = baseLayout(o);
  assert.deepEqual(f.layout.title, base.title);
  assert.deepEqual(f.layout.xaxis, base.xaxis);
  assert.equal(f.layout.height, 540);
  // the base layout's margins (its top one holds the title block), the bottom one for the slider
  assert.deepEqual(f.layout.margin, { ...(base.margin as object), b: 120 });
  assert.equal((f.layout.legend as { xanchor: string }).xanchor, "right");
  assert.equal(timeSliderFigure({ ...o, frames, active: 0, height: 300 }).layout.height, 300);
});

Deno.test("timeSliderFigure: edge cases", () => {
  const o = { title: "T", xTitle: "x", yTitle: "y" };
  assert.throws(() => timeSliderFigure({ ...o, frames: [], active: 0 }), {
    name: "RangeError",
    message: "frames must hold at least one frame, got 0",
  });
  assert.throws(() => timeSliderFigure({ ...o, frames, active: 3 }), {
    name: "RangeError",
    message: "active must be an integer in [0, 2], got 3",
  });
  assert.throws(() => timeSliderFigure({ ...o, frames, active: -1 }), {
    name: "RangeError",
    message: "active must be an integer in [0, 2], got -1",
  });
  assert.throws(() => timeSliderFigure({ ...o, frames, active: 0.5 }), {
    name: "RangeError",
    message: "active must be an integer in [0, 2], got 0.5",
  });
});
