import assert from "node:assert/strict";
import {
  heatmapFigure,
  histogramFigure,
  lineFigure,
  subplotGrid,
} from "../../lib/display/figures.ts";
import { PlotlyFigure, servePlotly } from "../../lib/display/plotly.ts";
import { formatDuration, Progress } from "../../lib/display/progress.ts";
import { JUPYTER_DISPLAY } from "../../lib/display/mime.ts";
import { say, TextLines } from "../../lib/display/text.ts";

Deno.test("lineFigure: traces, log axes, note under the title, mismatched lengths rejected", () => {
  const f = lineFigure({
    title: "SGN shrinks like 1/√S",
    note: "slope −0.50 ± 0.02",
    xTitle: "batch size S",
    yTitle: "‖U‖",
    logX: true,
    logY: true,
    series: [{ name: "measured", x: [16, 32], y: [2, 1.4], errorY: [0.1, 0.1] }, {
      name: "fit",
      x: [16, 32],
      y: [2, 1.41],
      secondary: true,
    }],
  });
  assert.equal(f.data.length, 2);
  assert.deepEqual(f.data[0]!.x, [16, 32]);
  assert.deepEqual(f.data[0]!.error_y, { type: "data", array: [0.1, 0.1], visible: true });
  assert.equal(f.data[1]!.yaxis, "y2");
  assert.equal((f.layout.xaxis as { type: string }).type, "log");
  assert.match((f.layout.title as { text: string }).text, /<sub>slope −0.50 ± 0.02<\/sub>/);
  assert.throws(
    () =>
      lineFigure({
        title: "t",
        xTitle: "x",
        yTitle: "y",
        series: [{ name: "bad", x: [1, 2], y: [1] }],
      }),
    /series "bad": x has 2 points, y has 1/,
  );
});

Deno.test("histogramFigure, heatmapFigure, subplotGrid build valid specs", () => {
  const h = histogramFigure({
    title: "h",
    xTitle: "x",
    yTitle: "density",
    samples: [{ name: "a", values: new Float64Array([1, 2, 3]) }],
    curves: [{ name: "gauss", x: [0, 1], y: [0.1, 0.2] }],
    range: [0, 4],
    bins: 8,
  });
  assert.equal(h.data[0]!.histnorm, "probability density");
  assert.deepEqual(h.data[0]!.xbins, { start: 0, end: 4, size: 0.5 });
  assert.equal(h.data[1]!.type, "scatter");
  const m = heatmapFigure({
    title: "m",
    xTitle: "x",
    yTitle: "y",
    z: [1, 2, 3, 4, 5, 6],
    rows: 2,
    cols: 3,
  });
  assert.deepEqual(m.data[0]!.z, [[1, 2, 3], [4, 5, 6]]);
  assert.throws(
    () => heatmapFigure({ title: "m", xTitle: "x", yTitle: "y", z: [1], rows: 2, cols: 3 }),
    /z must have rows\*cols = 6 entries, got 1/,
  );
  const g = subplotGrid({
    title: "grid",
    rows: 1,
    cols: 2,
    panels: [{ title: "p1", traces: [{ type: "scatter", x: [1], y: [1] }] }, {
      title: "p2",
      traces: [{ type: "bar", x: [1], y: [2] }],
    }],
  });
  assert.equal(g.data[1]!.xaxis, "x2");
  assert.ok("xaxis2" in g.layout && "yaxis" in g.layout);
  assert.throws(
    () =>
      subplotGrid({
        title: "g",
        rows: 1,
        cols: 1,
        panels: [{ title: "a", traces: [] }, { title: "b", traces: [] }],
      }),
    /2 panels do not fit a 1×1 grid/,
  );
});

Deno.test("PlotlyFigure: MIME bundle has plotly JSON, HTML div+script and plain text", () => {
  const spec = lineFigure({
    title: "loss vs epoch",
    xTitle: "epoch",
    yTitle: "loss",
    series: [{ name: "SGD", x: [1, 2, 3], y: [3, 2, 1] }],
  });
  const fig = new PlotlyFigure(spec);
  const b = fig[JUPYTER_DISPLAY]();
  assert.deepEqual(b["application/vnd.plotly.v1+json"], spec);
  const html = b["text/html"] as string;
  assert.match(html, /<div id="sgd-plot-[^"]+" class="sgd-plot"/);
  assert.match(html, /Plotly.newPlot/);
  assert.equal(b["text/plain"], `Figure: loss vs epoch\n  scatter "SGD" (3 points)`);
  // no figure carries plotly.js: every message stays small
  const html2 = new PlotlyFigure(spec)[JUPYTER_DISPLAY]()["text/html"] as string;
  assert.ok(html.length < 10_000 && html2.length < 10_000, `${html.length}, ${html2.length}`);
  // with a URL, the script loads plotly.js from it when the page has none, once per page
  const served = fig.toHtml({ plotlyUrl: "http://127.0.0.1:1234/plotly.min.js" });
  assert.ok(served.length < 10_000);
  assert.match(served, /s\.src="http:\/\/127\.0\.0\.1:1234\/plotly\.min\.js"/);
  assert.match(served, /window\.__sgdPlotly/);
  assert.match(served, /could not be loaded from the kernel/);
  assert.match(fig.toHtml(), /plotly\.js is not loaded: re-run this cell/);
});

Deno.test({
  name: "servePlotly: one 127.0.0.1 server per process hands out plotly.min.js, CORS open",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const url = servePlotly()!;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/plotly\.min\.js$/);
    assert.equal(servePlotly(), url);
    const r = await fetch(url);
    assert.equal(r.headers.get("access-control-allow-origin"), "*");
    const body = await r.text();
    assert.ok(body.length > 1_000_000 && body.includes("plotly.js v"), `${body.length} chars`);
  },
});

Deno.test("Progress: headless run prints one final line with count, rate and time", async () => {
  let t = 0;
  const lines: string[] = [];
  const p = new Progress("training", 4, {
    now: () => t,
    print: (l) => lines.push(l),
    broadcast: null,
  });
  for (let i = 0; i < 4; i++) {
    t += 500;
    p.tick();
  }
  assert.equal(lines.length, 0);
  await p.done();
  assert.deepEqual(lines, ["training: 4/4 (100%) 2.00/s, 2.0 s elapsed, done"]);
  await p.done(); // idempotent
  assert.equal(lines.length, 1);
  assert.throws(() => p.tick(), /progress "training" is already done/);
  assert.throws(() => new Progress("x", 0), /total must be an integer >= 1, got 0/);
});

Deno.test("Progress: live run displays once, then updates the same display id, throttled", async () => {
  let t = 0;
  const msgs: {
    type: string;
    content: { data: Record<string, unknown>; transient?: Record<string, unknown> };
  }[] = [];
  const p = new Progress("steps", 10, {
    now: () => t,
    intervalMs: 1000,
    broadcast: (type, content) => {
      msgs.push({ type, content });
      return Promise.resolve();
    },
  });
  for (let i = 0; i < 10; i++) {
    t += 300;
    p.tick();
  }
  await p.done();
  assert.equal(msgs[0]!.type, "display_data");
  assert.ok(msgs.slice(1).every((m) => m.type === "update_display_data"));
  const ids = new Set(msgs.map((m) => (m.content.transient as { display_id: string }).display_id));
  assert.equal(ids.size, 1);
  // 3 s of ticks at a 1 s interval: a handful of updates, not one per tick
  assert.ok(msgs.length >= 3 && msgs.length <= 6, `${msgs.length} messages`);
  const mid = p.text();
  assert.match(mid, /steps: 10\/10 \(100%\) 3.33\/s, 3.0 s elapsed, done/);
});

Deno.test("formatDuration", () => {
  assert.equal(formatDuration(3.21), "3.2 s");
  assert.equal(formatDuration(125), "2 min 05 s");
  assert.equal(formatDuration(3725), "1 h 02 min");
  assert.equal(formatDuration(Infinity), "?");
});

Deno.test("display / show: outside a kernel, print the plain-text form", async () => {
  const { display } = await import("../../lib/display/mime.ts");
  const { show } = await import("../../lib/display/plotly.ts");
  const printed: string[] = [];
  const log = console.log;
  console.log = (s: string) => printed.push(s);
  try {
    await display({
      [JUPYTER_DISPLAY]: () => ({ "text/plain": "hello", "text/html": "<b>hello</b>" }),
    });
    await show(
      lineFigure({ title: "t", xTitle: "x", yTitle: "y", series: [{ name: "a", x: [1], y: [2] }] }),
    );
  } finally {
    console.log = log;
  }
  assert.deepEqual(printed, ["hello", 'Figure: t\n  scatter "a" (1 points)']);
});

Deno.test("say / TextLines: lines joined as one text/plain bundle; printed outside a kernel", async () => {
  const t = new TextLines(["a", 2, "b"]);
  assert.deepEqual(t[JUPYTER_DISPLAY](), { "text/plain": "a\n2\nb" });
  const printed: string[] = [];
  const log = console.log;
  console.log = (s: string) => printed.push(s);
  try {
    await say("x", "y");
  } finally {
    console.log = log;
  }
  assert.deepEqual(printed, ["x\ny"]);
});

Deno.test("Progress.flush: a scheduled update has been sent when flush resolves (a sync loop sends none)", async () => {
  let t = 0;
  const sent: number[] = [];
  const p = new Progress("steps", 4, {
    now: () => t,
    intervalMs: 100,
    // the kernel's broadcast: resolves once the message has left
    broadcast: async (_type, content) => {
      await new Promise((r) => setTimeout(r, 1));
      sent.push(
        Number(/(\d+)\/4/.exec(String((content.data as Record<string, string>)["text/plain"]))![1]),
      );
    },
  });
  t += 200;
  p.tick(); // schedules an update of 1/4 …
  assert.deepEqual(sent, []); // … which cannot leave while the loop runs synchronously
  await p.flush();
  assert.deepEqual(sent, [0, 1]);
  t += 50;
  p.tick(); // within the interval: nothing scheduled, flush only awaits what was
  await p.flush();
  assert.deepEqual(sent, [0, 1]);
  await p.done();
  assert.deepEqual(sent, [0, 1, 4]);
  // headless: nothing to send, flush returns at once
  await new Progress("x", 2, { broadcast: null, print: () => {} }).flush();
});
