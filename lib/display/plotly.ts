/**
 * A Plotly figure that Jupyter displays: the MIME bundle carries
 * `application/vnd.plotly.v1+json` (rendered natively by VS Code and by
 * JupyterLab's Plotly renderer), `text/html` (a div and a script, for
 * front ends without that renderer; the first figure of a session inlines
 * plotly.js, so no network is needed) and `text/plain` (title and trace
 * summary, for terminals and tests).
 *
 * @module
 */
import { display, escapeHtml, JUPYTER_DISPLAY, type MimeBundle } from "./mime.ts";

/** A Plotly trace (any trace type). */
export type Trace = Record<string, unknown>;
/** A Plotly layout. */
export type Layout = Record<string, unknown>;
/** What every figure builder returns: a plain Plotly specification. */
export interface FigureSpec {
  data: Trace[];
  layout: Layout;
}

let plotlyInlined = false;
let counter = 0;

function headless(): boolean {
  try {
    return Deno.env.get("SGD_HEADLESS") === "1";
  } catch {
    return false;
  }
}

function plotlySource(): string | undefined {
  try {
    return Deno.readTextFileSync(
      new URL("../../node_modules/plotly.js-dist-min/plotly.min.js", import.meta.url),
    );
  } catch {
    return undefined;
  }
}

/** Wraps a {@link FigureSpec} for display. */
export class PlotlyFigure {
  readonly spec: FigureSpec;
  constructor(spec: FigureSpec) {
    if (!Array.isArray(spec.data)) throw new TypeError("spec.data must be an array of traces");
    this.spec = spec;
  }

  /** Title text of the figure, if any. */
  get title(): string {
    const t = this.spec.layout.title;
    if (typeof t === "string") return t;
    if (t && typeof t === "object" && typeof (t as { text?: unknown }).text === "string") {
      return (t as { text: string }).text;
    }
    return "";
  }

  toString(): string {
    const traces = this.spec.data.map((t) => {
      const n = Array.isArray(t.x) ? t.x.length : Array.isArray(t.z) ? t.z.length : 0;
      return `${t.type ?? "scatter"}${t.name ? ` "${t.name}"` : ""} (${n} points)`;
    });
    return `Figure: ${this.title.replace(/<[^>]+>/g, "")}\n  ${traces.join("\n  ")}`;
  }

  /**
   * The HTML fallback: a div and a script drawing into it. With
   * `inlinePlotly`, plotly.js itself (4.8 MB) is put in front, for front ends
   * that have no Plotly renderer and no network.
   */
  toHtml({ inlinePlotly = false }: { inlinePlotly?: boolean } = {}): string {
    const id = `sgd-plot-${Date.now().toString(36)}-${counter++}`;
    const json = JSON.stringify({ ...this.spec, config: { responsive: true } })
      .replace(/</g, "\\u003c");
    const src = inlinePlotly ? plotlySource() : undefined;
    const loader = src ? `<script>if (!window.Plotly) {${src}\n}</script>` : "";
    return `${loader}<div id="${id}" class="sgd-plot" title="${escapeHtml(this.title)}"></div>` +
      `<script>(function(){var f=${json};` +
      `if(window.Plotly){Plotly.newPlot("${id}",f.data,f.layout,f.config);}` +
      `else{document.getElementById("${id}").textContent="plotly.js is not loaded";}})();</script>`;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    // Inline plotly.js once per live session. Not in headless runs (the report
    // draws from the Plotly JSON with a sibling plotly.min.js): a 4.8 MB
    // message there was seen to reach nbclient too late and be dropped.
    const inlinePlotly = !plotlyInlined && !headless();
    if (inlinePlotly) plotlyInlined = true;
    return {
      "application/vnd.plotly.v1+json": this.spec,
      "text/html": this.toHtml({ inlinePlotly }),
      "text/plain": this.toString(),
    };
  }
}

/**
 * Displays a figure in the running notebook cell: `await show(lineFigure(...))`.
 * Awaited, so the output cannot be lost by a headless runner (see `display`).
 */
export async function show(spec: FigureSpec): Promise<void> {
  await display(new PlotlyFigure(spec));
}
