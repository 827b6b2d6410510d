/**
 * plotly.js carried by a notebook's own outputs, so that a saved notebook draws its figures with no
 * kernel and no network: reopened in Jupyter, or exported by Jupyter's own HTML exporters
 * (Notebook's "Download as HTML", JupyterLab's "Export as HTML", `jupyter nbconvert --to html`).
 *
 * The parameters cell of every notebook calls `await embedPlotly()`. It sends plotly.js (4.8 MB)
 * as a few `display_data` outputs of at most {@link PART_CHARS} characters each (the Deno kernel
 * has been seen to corrupt single messages of several MB; see `plotly.ts`), each a script that
 * stores its part; the last joins the parts and runs them, once per page. Every figure's own
 * script then finds `window.Plotly` already there. The kernel's local server (`servePlotly`) stays
 * as the fallback for notebooks that do not embed. Headless runs (`SGD_HEADLESS=1`) and scripts
 * send nothing: the report's pages bring their own plotly.js.
 *
 * @module
 */
import { escapeHtml } from "./mime.ts";
import { isHeadless, jupyterApi, publish } from "./delivery.ts";
import { PLOTLY_JS_URL } from "./plotly.ts";

/** The most characters of plotly.js in one output (one kernel message stays under 1 MB). */
export const PART_CHARS = 820_000;

/** Makes `s` safe inside a `<script>` element as a JSON string literal. */
function scriptString(s: string): string {
  return JSON.stringify(s).replace(/<\//g, "<\\/").replace(/<!--/g, "<\\!--");
}

/**
 * The HTML of each output: a script storing part i of n under `id`; the last one also runs the
 * joined source when the page has no `window.Plotly` yet, and shows a one-line note.
 *
 * @param source plotly.js
 * @param id a name unique to this embedding (parts of two embeddings never mix)
 * @param version plotly.js version, for the note
 * @param maxChars the largest part (default {@link PART_CHARS})
 */
export function plotlyParts(
  source: string,
  id: string,
  version: string,
  maxChars = PART_CHARS,
): string[] {
  if (typeof source !== "string" || source.length === 0) {
    throw new TypeError("source must be plotly.js as a non-empty string");
  }
  if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new RangeError(`id must be [A-Za-z0-9_-]+, got "${id}"`);
  if (!Number.isInteger(maxChars) || maxChars < 1) {
    throw new RangeError(`maxChars must be an integer >= 1, got ${maxChars}`);
  }
  const n = Math.ceil(source.length / maxChars);
  const key = JSON.stringify(id);
  return Array.from({ length: n }, (_, i) => {
    const part = source.slice(i * maxChars, (i + 1) * maxChars);
    const store = `var P=window.__sgdPlotlyParts=window.__sgdPlotlyParts||{};` +
      `var a=P[${key}]=P[${key}]||[];a[${i}]=${scriptString(part)};`;
    if (i < n - 1) return `<script>(function(){${store}})();</script>`;
    const run = `if(!window.Plotly){var c=0;for(var k=0;k<${n};k++)if(typeof a[k]==="string")c++;` +
      `if(c===${n}){var s=document.createElement("script");s.text=a.join("");` +
      `document.head.appendChild(s);}}delete P[${key}];`;
    return `<script>(function(){${store}${run}})();</script>` +
      `<div class="sgd-plotly-embedded" style="color:#57606a;font-size:12px">plotly.js ${
        escapeHtml(version)
      } is stored in this notebook's outputs (${n} parts), so its figures draw without a kernel ` +
      `or network, and in HTML exported by Jupyter.</div>`;
  });
}

let embedCount = 0;

/**
 * In a live Deno kernel, sends plotly.js as outputs of the running cell (see the module doc) and
 * returns the number of parts sent; elsewhere (headless runs, scripts, tests) sends nothing and
 * returns 0. Throws when plotly.js cannot be read from `node_modules/`.
 */
export async function embedPlotly(): Promise<number> {
  if (isHeadless() || !jupyterApi()?.broadcast) return 0;
  const source = await Deno.readTextFile(PLOTLY_JS_URL);
  let version = "";
  try {
    version = JSON.parse(await Deno.readTextFile(new URL("package.json", PLOTLY_JS_URL))).version ??
      "";
  } catch { /* the note then omits it */ }
  const parts = plotlyParts(source, `p${Date.now().toString(36)}${embedCount++}`, version);
  for (const [i, html] of parts.entries()) {
    await publish("display_data", {
      data: {
        "text/html": html,
        "text/plain": i === parts.length - 1
          ? `plotly.js ${version} stored (${parts.length} parts)`
          : "",
      },
      metadata: {},
    });
  }
  return parts.length;
}
