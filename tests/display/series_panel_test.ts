import assert from "node:assert/strict";
import { lineFigure } from "../../lib/display/figures.ts";
import { seriesPanel } from "../../lib/display/series_panel.ts";

Deno.test("seriesPanel: lineFigure's traces with the panel's axes; width and marker size override only where given", () => {
  const series = [
    {
      name: "a",
      x: [1, 2],
      y: [3, 4],
      errorY: [0.1, 0.2],
      mode: "markers" as const,
      markerSize: 8,
    },
    { name: "b", x: [1, 2], y: [5, 6], dash: "dot" as const, width: 1 },
  ];
  const p = seriesPanel({ title: "t", xTitle: "x", yTitle: "y", logX: true, series });
  assert.equal(p.title, "t");
  assert.equal(p.logX, true);
  assert.ok(!("series" in p));
  const plain = lineFigure({ title: "", xTitle: "", yTitle: "", series }).data;
  assert.deepEqual(p.traces[0], {
    ...plain[0],
    marker: { ...(plain[0]!.marker as object), size: 8 },
  });
  assert.deepEqual(p.traces[1], { ...plain[1], line: { ...(plain[1]!.line as object), width: 1 } });
  assert.throws(() => seriesPanel({ title: "t", series: [{ name: "c", x: [1], y: [] }] }), {
    name: "RangeError",
    message: 'series "c": x has 1 points, y has 0',
  });
});
