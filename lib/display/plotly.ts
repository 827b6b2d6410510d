/**
 * A Plotly figure that Jupyter displays: the MIME bundle carries
 * `application/vnd.plotly.v1+json` (rendered natively by VS Code and by
 * JupyterLab's Plotly renderer), `text/html` (a div and a script, for
 * front ends without that renderer) and `text/plain` (title and trace
 * summary, for terminals and tests).
 *
 * How plotly.js reaches a page without a Plotly renderer: never as one kernel
 * message (4.8 MB; the Deno kernel has been seen to corrupt messages that large,
 * "Invalid Signature", and to hang the front end). The notebooks' parameters
 * cells store it in their outputs in parts under 1 MB (`plotly_embed.ts`), so
 * saved and exported copies draw offline. As a fallback, the kernel serves it
 * itself, once, from 127.0.0.1 on a free port; each figure's
 * script loads it from there when `window.Plotly` is missing (so a reloaded or
 * reopened page draws again while the kernel runs), and says what to do when it
 * cannot (a kernel on another machine, or one that has been restarted since the
 * output was made). Headless runs (`SGD_HEADLESS=1`) serve nothing: the report
 * draws every figure from its Plotly JSON with a sibling `plotly.min.js`.
 *
 * @module
 */
import { display, escapeHtml, JUPYTER_DISPLAY, type MimeBundle } from "./mime.ts";
import { isHeadless, jupyterApi } from "./delivery.ts";
import { assertObject } from "../stats/validate.ts";

/** A Plotly trace (any trace type). */
export type Trace = Record<string, unknown>;
/** A Plotly layout. */
export type Layout = Record<string, unknown>;
/** What every figure builder returns: a plain Plotly specification. */
export interface FigureSpec {
  data: Trace[];
  layout: Layout;
}

let counter = 0;
/** The URL plotly.js is served from in this kernel; "" when it cannot be served. */
let servedUrl: string | undefined;

/** Where the pinned plotly.js is (its package.json sits beside it). */
export const PLOTLY_JS_URL: URL = new URL(
  "../../node_modules/plotly.js-dist-min/plotly.min.js",
  import.meta.url,
);

function plotlySource(): Uint8Array | undefined {
  try {
    return Deno.readFileSync(PLOTLY_JS_URL);
  } catch {
    return undefined;
  }
}

/**
 * Serves plotly.min.js from 127.0.0.1 on a free port, once per process, and returns its URL
 * (undefined when plotly.js or the network permission is missing). The server does not keep the
 * process alive.
 */
export function servePlotly(): string | undefined {
  if (servedUrl !== undefined) return servedUrl || undefined;
  servedUrl = "";
  const src = plotlySource();
  if (!src) return undefined;
  try {
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      () =>
        new Response(src.slice(), {
          headers: {
            "content-type": "text/javascript; charset=utf-8",
            "access-control-allow-origin": "*",
            "cache-control": "max-age=86400",
          },
        }),
    );
    server.unref();
    servedUrl = `http://127.0.0.1:${server.addr.port}/plotly.min.js`;
  } catch {
    return undefined;
  }
  return servedUrl;
}

/** Wraps a {@link FigureSpec} for display. */
export class PlotlyFigure {
  readonly spec: FigureSpec;
  constructor(spec: FigureSpec) {
    assertObject("spec", spec);
    if (!Array.isArray(spec.data)) throw new TypeError("spec.data must be an array of traces");
    spec.data.forEach((t, i) => assertObject(`spec.data[${i}]`, t));
    assertObject("spec.layout", spec.layout);
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
   * The HTML fallback: a div and a script drawing into it with `window.Plotly`, loading
   * plotly.js first from `plotlyUrl` when the page has none (one load per page, shared by every
   * figure). When it cannot, the div says why and what to do.
   */
  toHtml({ plotlyUrl }: { plotlyUrl?: string } = {}): string {
    const id = `sgd-plot-${Date.now().toString(36)}-${counter++}`;
    const json = JSON.stringify({ ...this.spec, config: { responsive: true } })
      .replace(/</g, "\\u003c");
    const missing = plotlyUrl
      ? `plotly.js could not be loaded from the kernel (${plotlyUrl}): re-run this cell while ` +
        `its kernel runs on this machine, or export the notebook (deno task report).`
      : "plotly.js is not loaded: re-run this cell in a live session, or export the notebook " +
        "(deno task report).";
    const load = plotlyUrl
      ? `var w=window.__sgdPlotly;if(!w){w=window.__sgdPlotly=new Promise(function(ok,no){` +
        `var s=document.createElement("script");s.src=${JSON.stringify(plotlyUrl)};` +
        `s.onload=ok;s.onerror=no;document.head.appendChild(s);});}` +
        `w.then(draw,function(){window.__sgdPlotly=null;fail();});`
      : "fail();";
    return `<div id="${id}" class="sgd-plot" title="${escapeHtml(this.title)}"></div>` +
      `<script>(function(){var f=${json};` +
      // the output may be gone by the time plotly.js arrives (cell cleared or re-run): do nothing
      `function draw(){if(!document.getElementById("${id}"))return;if(!window.Plotly)return fail();` +
      `Plotly.newPlot("${id}",f.data,f.layout,f.config);}` +
      `function fail(){var d=document.getElementById("${id}");` +
      `if(d)d.textContent=${JSON.stringify(missing)};}` +
      `if(window.Plotly){draw();return;}${load}})();</script>`;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return {
      "application/vnd.plotly.v1+json": this.spec,
      // only a live kernel has a page to serve: not headless runs, not tests or scripts
      "text/html": this.toHtml({
        plotlyUrl: isHeadless() || !jupyterApi() ? undefined : servePlotly(),
      }),
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
