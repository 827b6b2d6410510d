/**
 * Executed notebook (.ipynb JSON) → one self-contained HTML page that works
 * offline: markdown through `marked`, math rendered to MathML by KaTeX at
 * export time (no CDN, no fonts: browsers render MathML natively), Plotly
 * figures drawn from their JSON by the sibling `plotly.min.js`, stream output
 * stripped of ANSI escape codes, code cells as escaped preformatted text.
 */
import { Marked } from "marked";
import katex from "katex";
import { REPORT_CSS } from "./report_style.ts";
import { escapeHtml } from "../lib/display/mime.ts";

/** Minimal nbformat 4 shapes. */
export interface NbOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}
export interface NbCell {
  cell_type: string;
  source: string | string[];
  outputs?: NbOutput[];
  execution_count?: number | null;
}
export interface Notebook {
  cells: NbCell[];
  metadata?: Record<string, unknown>;
}

const join = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join("") : s ?? "");

/** The text of the notebook's first `# ` heading (markdown marks removed), else `fallback`. */
export function titleOf(nb: Notebook, fallback: string): string {
  for (const c of nb.cells) {
    if (c.cell_type !== "markdown") continue;
    const m = /^#\s+(.+)$/m.exec(join(c.source));
    if (m) return m[1]!.replace(/[*_`$]/g, "").trim();
  }
  return fallback;
}

/** Removes ANSI escape sequences (colours, cursor moves). */
export function stripAnsi(s: string): string {
  // deno-lint-ignore no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, "").replace(/\x1b\][^\x07]*\x07/g, "");
}

/**
 * Renders TeX to MathML with KaTeX; a TeX error throws, naming the formula,
 * so a broken equation fails the report instead of showing raw source.
 */
export function renderMath(tex: string, display: boolean): string {
  try {
    return katex.renderToString(tex, {
      displayMode: display,
      output: "mathml",
      throwOnError: true,
      strict: "ignore",
    });
  } catch (e) {
    throw new Error(`cannot render equation $${tex}$: ${(e as Error).message}`);
  }
}

const marked = new Marked({ gfm: true });

/**
 * Markdown with `$$…$$` (display) and `$…$` (inline) math → HTML.
 * Math is cut out before markdown parsing (so `_` and `*` inside TeX are
 * safe) and put back rendered.
 */
export function markdownToHtml(md: string): string {
  const math: string[] = [];
  const hold = (html: string) => `MATHPLACEHOLDER${math.push(html) - 1}X`;
  let text = md.replace(
    /\$\$([\s\S]+?)\$\$/g,
    (_, tex: string) => hold(renderMath(tex.trim(), true)),
  );
  text = text.replace(
    /(^|[^\\$])\$([^\s$](?:[^$\n]*?[^\s$\\])?)\$(?!\d)/g,
    (_, pre: string, tex: string) => pre + hold(renderMath(tex, false)),
  );
  const html = marked.parse(text, { async: false }) as string;
  return html.replace(/MATHPLACEHOLDER(\d+)X/g, (_, i: string) => math[Number(i)]!);
}

let plotCounter = 0;

function renderOutput(o: NbOutput): string {
  switch (o.output_type) {
    case "stream": {
      const cls = o.name === "stderr" ? "stderr" : "stdout";
      return `<pre class="${cls}">${escapeHtml(stripAnsi(join(o.text)))}</pre>`;
    }
    case "error":
      return `<pre class="error">${
        escapeHtml(stripAnsi((o.traceback ?? [`${o.ename}: ${o.evalue}`]).join("\n")))
      }</pre>`;
    case "display_data":
    case "execute_result": {
      const d = o.data ?? {};
      const plotly = d["application/vnd.plotly.v1+json"] as
        | { data: unknown; layout: unknown }
        | undefined;
      if (plotly) {
        const id = `plot-${plotCounter++}`;
        const json = JSON.stringify({ data: plotly.data, layout: plotly.layout }).replace(
          /</g,
          "\\u003c",
        );
        return `<div class="sgd-plot" id="${id}"></div><script>(function(){var f=${json};` +
          `Plotly.newPlot("${id}",f.data,f.layout,{responsive:true,displaylogo:false});})();</script>`;
      }
      if (typeof d["image/png"] === "string") {
        return `<img alt="figure" src="data:image/png;base64,${
          (d["image/png"] as string).trim()
        }">`;
      }
      if (d["image/svg+xml"]) return join(d["image/svg+xml"] as string | string[]);
      if (d["text/html"]) {
        return `<div class="html-output">${join(d["text/html"] as string | string[])}</div>`;
      }
      if (d["text/markdown"]) return markdownToHtml(join(d["text/markdown"] as string | string[]));
      if (d["text/plain"]) {
        return `<pre>${escapeHtml(stripAnsi(join(d["text/plain"] as string | string[])))}</pre>`;
      }
      return "";
    }
    default:
      return "";
  }
}

/** Joins consecutive stream outputs of the same stream into one. */
export function mergeStreams(outputs: NbOutput[]): NbOutput[] {
  const merged: NbOutput[] = [];
  for (const o of outputs) {
    const prev = merged.at(-1);
    if (o.output_type === "stream" && prev?.output_type === "stream" && prev.name === o.name) {
      merged[merged.length - 1] = { ...prev, text: join(prev.text) + join(o.text) };
    } else merged.push(o);
  }
  return merged;
}

/**
 * Converts an executed notebook to HTML.
 * @param nb the notebook JSON
 * @param options.title page title
 * @param options.plotlySrc relative URL of plotly.min.js
 * @param options.plotlyInline plotly.js source to embed instead (a single-file page)
 * @param options.nav HTML shown above the notebook (e.g. a link back to the scorecard)
 */
export function notebookToHtml(
  nb: Notebook,
  { title, plotlySrc = "plotly.min.js", plotlyInline, nav = "" }: {
    title: string;
    plotlySrc?: string;
    /** plotly.js itself, embedded in the page instead of loaded from `plotlySrc` */
    plotlyInline?: string;
    nav?: string;
  },
): string {
  const body: string[] = [];
  for (const cell of nb.cells) {
    const src = join(cell.source);
    if (cell.cell_type === "markdown") {
      body.push(`<div class="cell md-cell">${markdownToHtml(src)}</div>`);
    } else if (cell.cell_type === "code") {
      const outs = mergeStreams(cell.outputs ?? []).map(renderOutput).filter((s) => s.length > 0);
      body.push(
        `<div class="cell code-cell"><pre class="source" data-prompt="[${
          cell.execution_count ?? " "
        }]">` +
          `<code>${escapeHtml(src)}</code></pre>` +
          (outs.length ? `<div class="output">${outs.join("\n")}</div>` : "") + `</div>`,
      );
    }
  }
  const hasPlots = body.some((b) => b.includes("sgd-plot"));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
${
    !hasPlots
      ? ""
      : plotlyInline !== undefined
      ? `<script>${plotlyInline.replace(/<\/script/gi, "<\\/script")}</script>`
      : `<script src="${plotlySrc}"></script>`
  }
</head><body>
${nav}
${body.join("\n")}
</body></html>
`;
}
