/**
 * `deno task export NOTEBOOK.ipynb [--out FILE.html]`: a notebook saved with its outputs from any
 * front end (classic Notebook, JupyterLab, VS Code) → one self-contained offline page, the same as
 * the report's pages (figures drawn from their Plotly JSON by plotly.js embedded in the page, math
 * rendered, ANSI stripped), under a header that says how the run was made: the parameters in use
 * and where each came from, quick or full mode and why, seed, Deno, TypeScript and TensorFlow.js
 * versions, when the outputs were produced, and the claims recorded with their verdicts.
 *
 * The header is read from the outputs themselves: the parameters cell's output carries a run
 * record and the claims table its records (`lib/notebook/run_info.ts`). A notebook without outputs
 * is refused (a named error, nothing written). Cells run out of order, never run, or that raised
 * are listed in a warning at the top of the page, so a shared page never passes for a clean
 * top-to-bottom run.
 */
import { parseArgs } from "node:util";
import { type NbCell, type Notebook, notebookToHtml, titleOf } from "./export_html.ts";
import { escapeHtml } from "../lib/display/mime.ts";
import { PLOTLY_JS_URL } from "../lib/display/plotly.ts";
import { claimCells, type ClaimRecord } from "../lib/notebook/claims.ts";
import { CLAIMS_MIME, RUN_MIME, type RunInfo } from "../lib/notebook/run_info.ts";

/** A notebook that cannot be exported. */
export class ExportError extends Error {
  override name = "ExportError";
}

const codeCells = (nb: Notebook): NbCell[] => nb.cells.filter((c) => c.cell_type === "code");

/** The last output of the notebook carrying `mime`, or undefined. */
export function lastOutputData(nb: Notebook, mime: string): unknown {
  let found: unknown;
  for (const c of codeCells(nb)) {
    for (const o of c.outputs ?? []) {
      if (o.data && o.data[mime] !== undefined) found = o.data[mime];
    }
  }
  return found;
}

/**
 * What a reader of the page must know about how the cells ran: never run, out of order, gaps in
 * the execution counts (cells run and since deleted or re-run), errors. Empty for a clean
 * top-to-bottom run.
 *
 * @throws ExportError when no code cell holds an output
 */
export function runWarnings(nb: Notebook): string[] {
  if (!nb || !Array.isArray(nb.cells)) throw new ExportError("not a notebook: it has no cells");
  const code = codeCells(nb);
  if (!code.some((c) => (c.outputs ?? []).length > 0)) {
    throw new ExportError(
      "the notebook holds no outputs: run it in Jupyter and save it (outputs included) first",
    );
  }
  const warnings: string[] = [];
  const never = code.flatMap((c, i) => (typeof c.execution_count === "number" ? [] : [i + 1]));
  if (never.length) {
    warnings.push(
      `${never.length} of ${code.length} code cells were never run (code cells ${
        never.join(", ")
      })`,
    );
  }
  const counts = code.flatMap((c, i) =>
    typeof c.execution_count === "number" ? [{ cell: i + 1, n: c.execution_count }] : []
  );
  const back = counts.filter((c, k) => k > 0 && c.n <= counts[k - 1]!.n);
  if (back.length) {
    warnings.push(
      `cells were run out of order: ${
        back.map((c) => `code cell ${c.cell} ran as [${c.n}]`).join(", ")
      }, before the cell above it`,
    );
  } else if (counts.length && (counts[0]!.n !== 1 || counts.at(-1)!.n !== counts.length)) {
    warnings.push(
      `the execution counts run from [${counts[0]!.n}] to [${counts.at(-1)!.n}] over ` +
        `${counts.length} cells: other cells ran in this kernel too (re-runs, or cells since deleted)`,
    );
  }
  const errors = code.flatMap((c, i) =>
    (c.outputs ?? []).some((o) => o.output_type === "error") ? [i + 1] : []
  );
  if (errors.length) warnings.push(`code cells ${errors.join(", ")} raised an error`);
  return warnings;
}

function isRunInfo(x: unknown): x is RunInfo {
  const r = x as RunInfo;
  return typeof r === "object" && r !== null && typeof r.notebook === "string" &&
    typeof r.quick === "boolean" && Array.isArray(r.params);
}

/** The header of the exported page. */
export function runHeader(nb: Notebook, source: string, warnings: string[]): string {
  const run = lastOutputData(nb, RUN_MIME);
  const claims = lastOutputData(nb, CLAIMS_MIME) as { claims?: ClaimRecord[] } | undefined;
  const esc = escapeHtml;
  const parts: string[] = [`<section class="run-header"><h2>How this run was made</h2>`];
  if (warnings.length) {
    parts.push(
      `<div class="run-warning"><b>Not a clean top-to-bottom run.</b><ul>${
        warnings.map((w) => `<li>${esc(w)}</li>`).join("")
      }</ul></div>`,
    );
  }
  if (isRunInfo(run)) {
    const seed = run.params.find((p) => p.parameter === "seed");
    const mode = run.quick ? "quick" : "full";
    const why = run.quickFrom === "parameters cell"
      ? "set in the parameters cell"
      : run.quickFrom === "SGD_QUICK"
      ? "from SGD_QUICK=1"
      : "the default";
    parts.push(
      `<ul class="meta">` +
        `<li>outputs produced from ${esc(run.date)} (when the parameters cell ran)</li>` +
        `<li>${mode} mode (${esc(why)})${seed ? `, seed ${esc(seed.value)}` : ""}</li>` +
        `<li>Deno ${esc(run.deno)}, TypeScript ${esc(run.typescript)}` +
        `${run.tfjs ? `, TensorFlow.js ${esc(run.tfjs)}` : ""}</li>` +
        `<li>exported ${esc(new Date().toISOString())} from ${esc(source)}</li></ul>`,
      `<table class="params"><caption>parameters in use</caption><thead><tr><th>parameter</th>` +
        `<th>value</th><th>from</th><th>default</th></tr></thead><tbody>${
          run.params.map((p) =>
            `<tr><td><code>${esc(p.parameter)}</code></td><td>${esc(p.value)}</td>` +
            `<td>${esc(p.from)}</td><td>${esc(p.default)}</td></tr>`
          ).join("")
        }</tbody></table>`,
    );
  } else {
    parts.push(
      `<p class="run-warning">No parameters output was found (the parameters cell was not run, ` +
        `or its output was cleared): the parameters and versions of this run are unknown.</p>`,
    );
  }
  const records = Array.isArray(claims?.claims) ? claims.claims : [];
  parts.push(
    records.length
      ? `<table class="claims"><caption>claims recorded in this run</caption><thead><tr>` +
        `<th>claim</th><th>statement</th><th>statistic</th><th>value</th><th>threshold</th>` +
        `<th>verdict</th></tr></thead><tbody>${
          records.map((r) => `<tr><td><code>${esc(r.id)}</code></td>${claimCells(r)}</tr>`).join("")
        }</tbody></table>`
      : `<p class="meta">No claims table in the outputs (the cell that shows it was not run).</p>`,
  );
  parts.push(`</section>`);
  return parts.join("\n");
}

/**
 * The exported page of a saved notebook, and the warnings its header carries.
 *
 * @throws ExportError when the notebook holds no outputs
 */
export async function exportNotebook(
  nb: Notebook,
  source: string,
): Promise<{ html: string; warnings: string[] }> {
  const warnings = runWarnings(nb);
  const html = notebookToHtml(nb, {
    title: titleOf(nb, source),
    nav: runHeader(nb, source, warnings),
    plotlyInline: await Deno.readTextFile(PLOTLY_JS_URL),
  });
  return { html, warnings };
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: { out: { type: "string" } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) {
    console.error("usage: deno task export NOTEBOOK.ipynb [--out FILE.html]");
    Deno.exit(2);
  }
  const file = positionals[0]!;
  const out = values.out ?? file.replace(/\.ipynb$/, "") + ".html";
  try {
    let nb: Notebook;
    try {
      nb = JSON.parse(await Deno.readTextFile(file)) as Notebook;
    } catch (e) {
      throw new ExportError(`cannot read ${file} as a notebook: ${(e as Error).message}`);
    }
    const { html, warnings } = await exportNotebook(nb, file);
    await Deno.writeTextFile(out, html);
    console.log(`wrote ${out}${warnings.map((w) => `\n  warning: ${w}`).join("")}`);
  } catch (e) {
    if (!(e instanceof ExportError)) throw e;
    console.error(`export refused: ${file}: ${e.message} (nothing written)`);
    Deno.exit(1);
  }
}
