// Tests of the report pipeline's pure parts (tools/): HTML export, scorecard,
// command-line parsing and the static notebook checks.
import assert from "node:assert/strict";
import {
  markdownToHtml,
  mergeStreams,
  type Notebook,
  notebookToHtml,
  stripAnsi,
} from "../../tools/export_html.ts";
import { headline, scorecardHtml, tally } from "../../tools/scorecard.ts";
import type { ClaimKind } from "../../lib/notebook/claims.ts";
import { parseSets } from "../../tools/report.ts";
import { claimCells } from "../../lib/notebook/claims.ts";
import { notebookProblems, paramsCall } from "../../tools/check_notebooks.ts";

Deno.test("markdownToHtml: display and inline math become MathML; TeX survives markdown; \\$ stays a dollar", () => {
  const html = markdownToHtml(
    "Noise $U_k = a_b * c_d$ costs \\$5.\n\n$$\\theta_{t+1} = \\theta_t - \\eta g_t$$",
  );
  assert.equal((html.match(/<math /g) ?? []).length, 2);
  assert.match(html, /display="block"/);
  assert.ok(!html.includes("<em>"), "underscores inside TeX must not become emphasis");
  assert.match(html, /costs \$5\./);
  assert.ok(!html.includes("$$"));
});

Deno.test("markdownToHtml: a TeX error fails loudly, naming the formula", () => {
  assert.throws(() => markdownToHtml("$$\\frac{1}{$$"), /cannot render equation \$\\frac\{1\}\{\$/);
});

Deno.test("stripAnsi removes colour codes", () => {
  assert.equal(stripAnsi("\x1b[31merror\x1b[0m: \x1b[1mbad\x1b[22m"), "error: bad");
});

Deno.test("mergeStreams joins consecutive outputs of one stream only", () => {
  const m = mergeStreams([
    { output_type: "stream", name: "stdout", text: "a\n" },
    { output_type: "stream", name: "stdout", text: ["b\n"] },
    { output_type: "stream", name: "stderr", text: "c\n" },
  ]);
  assert.equal(m.length, 2);
  assert.equal(m[0]!.text, "a\nb\n");
});

Deno.test("notebookToHtml: code escaped, plotly figure drawn from JSON, ANSI stripped, error shown", () => {
  const nb: Notebook = {
    cells: [
      { cell_type: "markdown", source: ["# Title\n", "text $x$"] },
      {
        cell_type: "code",
        source: "if (a < b) show(fig)",
        execution_count: 3,
        outputs: [
          { output_type: "stream", name: "stdout", text: "\x1b[32mok\x1b[0m\n" },
          {
            output_type: "display_data",
            data: {
              "application/vnd.plotly.v1+json": { data: [{ x: [1], y: [2] }], layout: {} },
              "text/html": "<script>bad()</script>",
              "text/plain": "Figure",
            },
          },
          {
            output_type: "error",
            ename: "RangeError",
            evalue: "lr",
            traceback: ["\x1b[31mRangeError\x1b[0m: lr"],
          },
        ],
      },
    ],
  };
  const html = notebookToHtml(nb, { title: "T" });
  assert.match(html, /if \(a &lt; b\) show\(fig\)/);
  assert.match(html, /<pre class="stdout">ok\n<\/pre>/);
  assert.match(html, /Plotly\.newPlot\("plot-\d+"/);
  assert.ok(!html.includes("bad()"), "the plotly JSON wins over the HTML fallback");
  assert.match(html, /<pre class="error">RangeError: lr<\/pre>/);
  assert.match(html, /<script src="plotly.min.js"><\/script>/);
  assert.match(html, /data-prompt="\[3\]"/);
});

Deno.test("scorecardHtml: rows grouped by kind, the post's claims counted first, quick verdicts flagged", () => {
  type V = "reproduced" | "partly" | "not reproduced" | "inconclusive";
  const claim = (id: string, verdict: V, kind?: ClaimKind) => ({
    id,
    notebook: "01_x",
    section: "Eq. 5",
    statement: `s ${id}`,
    statistic: "slope",
    value: -0.5,
    threshold: { op: "within" as const, target: -0.5, reproduced: 0.05 },
    verdict,
    ...(kind ? { kind } : {}),
  });
  const claims = [
    claim("a", "reproduced", "post-real"),
    claim("b", "not reproduced", "post-real"),
    claim("c", "inconclusive", "post-real"),
    claim("d", "partly", "post-model"),
    claim("e", "reproduced", "sampling-identity"),
    claim("f", "reproduced", "numerical-check"),
    claim("g", "reproduced"),
  ];
  const runs = [{ id: "01_x", title: "X", seconds: 3.2, claims, meta: { seed: 7 }, quick: false }];
  assert.deepEqual(tally(runs), { reproduced: 4, partly: 1, "not reproduced": 1, inconclusive: 1 });
  const meta = {
    date: "2026-11-26",
    quick: false,
    deno: "2.9.6",
    tfjs: "4.22.0",
    totalSeconds: 3.3,
  };
  const html = scorecardHtml(runs, {
    ...meta,
    quickVerdicts: { "01_x/a": "partly", "01_x/b": "not reproduced" },
  });
  // one row per claim (+1 in the notebook table)
  assert.equal((html.match(/<tr><td><a href="01_x.html">/g) ?? []).length, 7 + 1);
  // the headline: real networks, then model systems, then what is not evidence
  const head = headline(runs);
  assert.match(
    head,
    /on real networks<\/b> \(3\): <span class="badge reproduced">1 reproduced<\/span> · <span class="badge partly">0 partly<\/span> · <span class="badge not-reproduced">1 not reproduced<\/span> · <span class="badge inconclusive">1 inconclusive<\/span>/,
  );
  assert.match(head, /on model systems<\/b> \(1\): .*1 partly/);
  assert.match(head, /0 findings of this project, 1 sampling identities, 1 numerical checks/);
  assert.match(head, /1 claims without a kind/);
  // groups in kind order, each with its count
  const order = [
    "claims of the post, on real networks (3)",
    "claims of the post, on model systems (1)",
    "sampling identities (true for any model) (1)",
    "numerical checks (true by construction when correct) (1)",
    "claims without a kind (1)",
  ].map((l) => html.indexOf(l));
  assert.ok(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]!)), String(order));
  // a full-mode verdict that differs from the quick run's is flagged; an equal one is not
  assert.equal((html.match(/quick run: /g) ?? []).length, 1);
  assert.match(html, /quick run: partly/);
  assert.match(html, /full mode · Deno 2.9.6/);
  assert.match(html, /<td>7<\/td>/);
  // quick rows say so
  const quick = scorecardHtml([{ ...runs[0]!, quick: true }], { ...meta, quick: true });
  assert.match(quick, /Eq\. 5 · quick mode/);
  assert.ok(!/quick run: /.test(quick));
  // a run over several seeds lists them in the notebook table
  const seeded = scorecardHtml([{ ...runs[0]!, meta: { seed: 7, seeds: [7, 1007, 2007] } }], meta);
  assert.match(seeded, /<td>7, 1007, 2007 \(real-network claims\)<\/td>/);
  // the scorecard row and the notebook's verdict cell share one renderer
  for (const c of claims) assert.ok(html.includes(claimCells(c)), c.id);
  assert.match(claimCells(claims[0]!), /^<td>s a<\/td><td>slope<\/td><td>-0.5<\/td>/);
});

Deno.test("parseSets: NB.KEY=VALUE with JSON values, and errors", () => {
  assert.deepEqual(parseSets(["01_a.epochs=3", "01_a.name=mlp", "*.seed=7", "01_a.sizes=[1,2]"]), {
    "01_a": { epochs: 3, name: "mlp", sizes: [1, 2] },
    "*": { seed: 7 },
  });
  assert.throws(() => parseSets(["epochs=3"]), /--set must look like NOTEBOOK.KEY=VALUE/);
  assert.throws(
    () => parseSets(["01_a.lr=1e999"]),
    /--set 01_a.lr: must be a finite number, got Infinity/,
  );
  assert.throws(
    () => parseSets(["01_a.sizes=[1,-1e999]"]),
    /--set 01_a.sizes: element 1 must be a finite number, got -Infinity/,
  );
});

Deno.test("notebookProblems: outputs, execution counts, structure", () => {
  const good = {
    nbformat: 4,
    metadata: { kernelspec: { name: "deno" } },
    cells: [
      { cell_type: "markdown", source: "# T" },
      {
        cell_type: "code",
        source: 'import { x } from "../lib/mod.ts";',
        outputs: [],
        execution_count: null,
      },
      {
        cell_type: "code",
        source: "const P = defineParams(1)",
        outputs: [],
        execution_count: null,
      },
      {
        cell_type: "code",
        source: "await show(fig);\nx.show(1)",
        outputs: [],
        execution_count: null,
      },
      { cell_type: "code", source: "await display(claims)", outputs: [], execution_count: null },
    ],
  };
  assert.deepEqual(notebookProblems("01_ok.ipynb", good), []);
  const lost = structuredClone(good);
  lost.cells[3]!.source = "show(fig)";
  lost.cells[4]!.source = "claims";
  assert.deepEqual(notebookProblems("01_ok.ipynb", lost), [
    "code cell 3: show figures with `await show(...)`",
    "the last code cell must be the verdict cell: `await display(claims)`",
  ]);
  const printing = structuredClone(good);
  printing.cells[2]!.source = 'const P = defineParams(1);\nconsole.log("P", P);';
  printing.cells[3]!.source = "await show(fig);\n  console.table(rows);";
  assert.deepEqual(notebookProblems("01_ok.ipynb", printing), [
    "code cell 2: console.log output lands under later cells; use `await say(...)` or " +
    "`await display(tableDisplay(...))`",
    "code cell 3: console.table output lands under later cells; use `await say(...)` or " +
    "`await display(tableDisplay(...))`",
  ]);
  const bad = structuredClone(good);
  (bad.cells[1] as { outputs: unknown[] }).outputs = [{ output_type: "stream" }];
  (bad.cells[2] as { execution_count: number | null }).execution_count = 4;
  bad.metadata.kernelspec.name = "python3";
  assert.deepEqual(notebookProblems("Bad.ipynb", bad), [
    "file name must be NN_slug.ipynb",
    'kernelspec must be "deno", got "python3"',
    "cell 1 holds outputs (strip them)",
    "cell 2 holds an execution count (strip it)",
  ]);
});

Deno.test("paramsCall: the defineParams(...) call of the parameters cell, parentheses in comments and strings skipped", () => {
  const src = 'const P = defineParams("01_a", {\n  n: 3, // images (of the 10,000) :)\n' +
    '  s: "a)b", t: `c(`, /* ) */ u: [1, 2],\n}, { n: 1 });\nconst claims = new ClaimLog("x");';
  const nb = {
    cells: [
      { cell_type: "markdown", source: "# defineParams( in prose" },
      { cell_type: "code", source: src.split(/(?<=\n)/) },
    ],
  };
  assert.equal(
    paramsCall(nb),
    src.slice(src.indexOf("defineParams"), src.indexOf(";\nconst claims")),
  );
  assert.equal(
    paramsCall({ cells: [{ cell_type: "code", source: "defineParams(1, (2)" }] }),
    undefined,
  );
  assert.equal(paramsCall({ cells: [{ cell_type: "code", source: "const x = 1;" }] }), undefined);
});
