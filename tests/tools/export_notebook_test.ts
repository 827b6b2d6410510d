import assert from "node:assert/strict";
import {
  ExportError,
  exportNotebook,
  lastOutputData,
  runHeader,
  runWarnings,
} from "../../tools/export_notebook.ts";
import type { NbCell, Notebook } from "../../tools/export_html.ts";
import { resolveParams } from "../../lib/notebook/params.ts";
import { ClaimLog } from "../../lib/notebook/claims.ts";
import { JUPYTER_DISPLAY } from "../../lib/display/mime.ts";
import { PlotlyFigure } from "../../lib/display/plotly.ts";
import { lineFigure } from "../../lib/display/figures.ts";
import { CLAIMS_MIME, RUN_MIME } from "../../lib/notebook/run_info.ts";

const root = new URL("../../", import.meta.url).pathname;

/** A code cell with its execution count and outputs (display data from MIME bundles). */
function code(n: number | null, ...bundles: Record<string, unknown>[]): NbCell {
  return {
    cell_type: "code",
    source: "// cell",
    execution_count: n,
    outputs: bundles.map((data) => ({ output_type: "display_data", data })),
  };
}

async function savedRun(): Promise<Notebook> {
  const P = resolveParams(
    "demo",
    { seed: 7, lr: 0.1 },
    { lr: 0.5 },
    { quick: true },
    () => undefined,
  );
  const dir = await Deno.makeTempDir();
  const claims = new ClaimLog("demo", {}, dir);
  claims.record({
    id: "slope",
    kind: "post-real",
    section: "SGD",
    statement: "SGN shrinks like 1/√S",
    statistic: "slope",
    value: -0.49,
    threshold: { op: "within", target: -0.5, reproduced: 0.05 },
  });
  const fig = new PlotlyFigure(
    lineFigure({
      title: "f",
      xTitle: "x",
      yTitle: "y",
      series: [{ name: "a", x: [1, 2], y: [3, 4] }],
    }),
  );
  return {
    cells: [
      { cell_type: "markdown", source: "# Demo notebook\n\ntext" },
      code(1, P[JUPYTER_DISPLAY]()),
      code(2, fig[JUPYTER_DISPLAY]()),
      code(3, claims[JUPYTER_DISPLAY]()),
    ],
  };
}

Deno.test("runWarnings: refuses a notebook without outputs; a clean top-to-bottom run has no warning", async () => {
  assert.throws(() => runWarnings({ cells: [code(null), code(null)] }), {
    name: "ExportError",
    message: /holds no outputs: run it in Jupyter and save it/,
  });
  assert.throws(() => runWarnings({} as Notebook), ExportError);
  assert.deepEqual(runWarnings(await savedRun()), []);
});

Deno.test("runWarnings: cells never run, run out of order, other executions, errors", () => {
  const out = { "text/plain": "x" };
  assert.deepEqual(runWarnings({ cells: [code(1, out), code(null), code(2, out)] }), [
    "1 of 3 code cells were never run (code cells 2)",
  ]);
  assert.deepEqual(runWarnings({ cells: [code(2, out), code(1, out), code(3, out)] }), [
    "cells were run out of order: code cell 2 ran as [1], before the cell above it",
  ]);
  assert.deepEqual(runWarnings({ cells: [code(4, out), code(5, out)] }), [
    "the execution counts run from [4] to [5] over 2 cells: other cells ran in this kernel too " +
    "(re-runs, or cells since deleted)",
  ]);
  const err: NbCell = {
    cell_type: "code",
    source: "",
    execution_count: 2,
    outputs: [{ output_type: "error", ename: "E", evalue: "v", traceback: [] }],
  };
  assert.deepEqual(runWarnings({ cells: [code(1, out), err] }), ["code cells 2 raised an error"]);
});

Deno.test("runHeader: mode and where from, seed, versions, parameters and claims, read from the outputs", async () => {
  const nb = await savedRun();
  assert.equal((lastOutputData(nb, RUN_MIME) as { notebook: string }).notebook, "demo");
  assert.equal((lastOutputData(nb, CLAIMS_MIME) as { claims: unknown[] }).claims.length, 1);
  const h = runHeader(nb, "demo.ipynb", ["code cells 2 raised an error"]);
  assert.match(h, /Not a clean top-to-bottom run\.<\/b><ul><li>code cells 2 raised an error<\/li>/);
  assert.match(h, /quick mode \(set in the parameters cell\), seed 7/);
  assert.match(h, new RegExp(`Deno ${Deno.version.deno.replace(/\./g, "\\.")}, TypeScript`));
  assert.match(h, /TensorFlow\.js \d+\.\d+\.\d+/);
  assert.match(h, /<td><code>lr<\/code><\/td><td>0\.5<\/td><td>quick<\/td><td>0\.1<\/td>/);
  assert.match(h, /<code>slope<\/code><\/td><td>SGN shrinks like 1\/√S/);
  assert.match(h, /class="verdict reproduced"/);
  // without the parameters output: said, not guessed
  const bare = { cells: [code(1, { "text/plain": "x" })] };
  assert.match(runHeader(bare, "x.ipynb", []), /No parameters output was found/);
  assert.match(runHeader(bare, "x.ipynb", []), /No claims table in the outputs/);
});

Deno.test("exportNotebook: one self-contained page with plotly.js embedded and the figure drawn from its JSON", async () => {
  const { html, warnings } = await exportNotebook(await savedRun(), "demo.ipynb");
  assert.deepEqual(warnings, []);
  assert.match(html, /<title>Demo notebook<\/title>/);
  assert.match(html, /How this run was made/);
  assert.ok(!/<script src=/.test(html), "no external script");
  const plotly = await Deno.readTextFile(`${root}node_modules/plotly.js-dist-min/plotly.min.js`);
  assert.ok(html.length > plotly.length, "plotly.js is embedded");
  assert.ok(
    !/<\/script/i.test(html.slice(html.indexOf("<script>") + 8, html.indexOf("</head>") - 9)),
  );
  assert.match(html, /Plotly\.newPlot\("plot-\d+"/);
});

Deno.test("export CLI: refuses a notebook without outputs, writes nothing, exit 1", async () => {
  const dir = await Deno.makeTempDir();
  const nbFile = `${dir}/empty.ipynb`;
  await Deno.writeTextFile(nbFile, JSON.stringify({ cells: [code(null)] }));
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}tools/export_notebook.ts`, nbFile, "--out", `${dir}/out.html`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(r.code, 1);
  assert.match(
    new TextDecoder().decode(r.stderr),
    /export refused: .*empty\.ipynb: the notebook holds no outputs.*\(nothing written\)/,
  );
  await assert.rejects(Deno.stat(`${dir}/out.html`), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});
