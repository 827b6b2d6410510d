/**
 * Opens every exported report in headless Chromium (the system browser,
 * Debian's `chromium`, driven by playwright-core, which never downloads a
 * browser of its own) with every non-file request blocked, and checks:
 * no console errors or page errors, every Plotly figure rendered (an SVG
 * holding at least one trace inside each plot div), every equation rendered
 * (each MathML element laid out with a non-zero box, no `$$` left in the
 * text), no request that left the file system, and a readable layout of
 * every figure: no two of its texts (main title and note, axis titles, tick
 * labels, legends, annotations such as panel titles, colour bars, sliders)
 * overlapping, and none cut off by the edge of the figure
 * ({@link figureTextBoxes} measures, `figure_overlaps.ts` judges).
 *
 * `deno run -A tools/browser_check.ts [DIR]` (default `reports/`).
 */
import { chromium } from "playwright-core";
import { describeProblem, layoutProblems, type Rect, type TextBox } from "./figure_overlaps.ts";

/** The outcome for one page. */
export interface PageCheck {
  file: string;
  plots: number;
  equations: number;
  errors: string[];
}

/**
 * Flags for Debian's Chromium here: no sandbox (root), no GPU, and no background networking (the
 * machine's closed network refuses those connections).
 */
export const CHROMIUM_ARGS: string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Where Chromium is: `$CHROMIUM_PATH`, else the usual system paths. */
export function findChromium(): string | undefined {
  const candidates = [
    Deno.env.get("CHROMIUM_PATH"),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
  ];
  for (const c of candidates) {
    if (!c) continue;
    try {
      if (Deno.statSync(c).isFile) return c;
    } catch { /* not there */ }
  }
  return undefined;
}

/** The text boxes of one drawn figure, in pixels relative to its SVG. */
export interface FigureBoxes {
  /** The figure's title, without its note. */
  title: string;
  frame: Rect;
  boxes: TextBox[];
}

/**
 * Runs in the page: the boxes of the texts of every drawn Plotly figure under `selector`, each
 * named after the element it belongs to: "title" (with its note), "x-axis title", "y2-axis title",
 * "x2 tick labels", "legend" (its background box; "legend2"… for a panel's own legend),
 * "annotation k" (the panel titles of a grid), "colour bar k", "slider". The frame is the
 * figure's SVG. Self-contained, as `page.evaluate` sends it as source.
 */
export function figureTextBoxes(selector: string): FigureBoxes[] {
  const rel = (r: DOMRect, o: DOMRect) => ({
    x: r.left - o.left,
    y: r.top - o.top,
    width: r.width,
    height: r.height,
  });
  return [...document.querySelectorAll(selector)].map((div) => {
    const svg = div.querySelector("svg.main-svg");
    if (!svg) return { title: "", frame: { x: 0, y: 0, width: 0, height: 0 }, boxes: [] };
    const origin = svg.getBoundingClientRect();
    const boxes: TextBox[] = [];
    const add = (element: string, e: Element, text = e.textContent ?? "") => {
      if (getComputedStyle(e).display === "none" || getComputedStyle(e).visibility === "hidden") {
        return;
      }
      boxes.push({ element, text, ...rel(e.getBoundingClientRect(), origin) });
    };
    div.querySelectorAll("text.gtitle").forEach((e) => add("title", e));
    div.querySelectorAll(".infolayer g[class^='g-'][class$='title'] > text").forEach((e) => {
      const m = /^g-([xy]\d*)title$/.exec(e.parentElement?.getAttribute("class") ?? "");
      if (m) add(`${m[1]}-axis title`, e);
    });
    div.querySelectorAll(".cartesianlayer g[class$='tick'] > text").forEach((e) => {
      const m = /^([xy]\d*)tick$/.exec(e.parentElement?.getAttribute("class") ?? "");
      if (m) add(`${m[1]} tick labels`, e);
    });
    div.querySelectorAll(".infolayer > g[class^='legend']").forEach((g) => {
      const bg = g.querySelector("rect.bg");
      const names = [...g.querySelectorAll("text.legendtext")].map((t) => t.textContent).join(", ");
      if (bg) add(g.getAttribute("class") ?? "legend", bg, names);
    });
    div.querySelectorAll("g.annotation").forEach((g, k) => {
      const t = g.querySelector("text");
      if (t) add(`annotation ${k + 1}`, t);
    });
    div.querySelectorAll("g.colorbar").forEach((g, k) => {
      g.querySelectorAll("text").forEach((t) => add(`colour bar ${k + 1}`, t));
    });
    div.querySelectorAll("g.slider-container text").forEach((t) => add("slider", t));
    // deno-lint-ignore no-explicit-any
    const layout = (div as any).layout as { title?: string | { text?: string } } | undefined;
    const raw = typeof layout?.title === "string" ? layout.title : layout?.title?.text ?? "";
    const title = raw.replace(/<sub>[\s\S]*?<\/sub>/g, "").replace(/<br\s*\/?>/g, " ")
      .replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim();
    return { title, frame: rel(origin, origin), boxes };
  });
}

/**
 * The layout problems of the figures of one page, one line each, naming the page, the figure (its
 * title, else its position) and the elements (see `figure_overlaps.ts`).
 */
export function figureLayoutErrors(file: string, figures: FigureBoxes[]): string[] {
  return figures.flatMap((f, i) =>
    layoutProblems(f.boxes, f.frame).map((p) =>
      `${file}: figure ${i + 1} "${f.title || "(untitled)"}": ${describeProblem(p)}`
    )
  );
}

/** Checks every `*.html` in `dir`. */
export async function checkReports(dir: string, executablePath: string): Promise<PageCheck[]> {
  const files = [...Deno.readDirSync(dir)].filter((e) => e.isFile && e.name.endsWith(".html")).map((
    e,
  ) => e.name).sort();
  const browser = await chromium.launch({
    executablePath,
    args: CHROMIUM_ARGS,
  });
  const results: PageCheck[] = [];
  try {
    for (const file of files) {
      const errors: string[] = [];
      const context = await browser.newContext({ offline: true });
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("file://") || url.startsWith("data:")) return route.continue();
        errors.push(`blocked request to ${url}`);
        return route.abort();
      });
      const page = await context.newPage();
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(`console error: ${m.text()}`);
      });
      page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
      page.on("requestfailed", (r) => {
        if (r.url().startsWith("file://")) errors.push(`failed to load ${r.url()}`);
      });
      const path = await Deno.realPath(`${dir}/${file}`);
      await page.goto(`file://${path}`, { waitUntil: "load" });
      const found = await page.evaluate(async () => {
        const plots = [...document.querySelectorAll(".sgd-plot")];
        // wait (up to 20 s) for Plotly to draw into every plot div
        for (let i = 0; i < 200; i++) {
          if (plots.every((p) => p.querySelector("svg.main-svg"))) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        const bad: string[] = [];
        plots.forEach((p, i) => {
          const svg = p.querySelector("svg.main-svg");
          const traces =
            p.querySelectorAll("g.trace, g.hm image, .heatmaplayer image, g.imagelayer image")
              .length;
          if (!svg) bad.push(`plot ${i} (${p.id}) has no SVG`);
          else if (traces === 0) bad.push(`plot ${i} (${p.id}) has an SVG but no trace drawn`);
        });
        const maths = [...document.querySelectorAll("math")];
        maths.forEach((m, i) => {
          const r = m.getBoundingClientRect();
          if (!(r.width > 0 && r.height > 0)) {
            bad.push(`equation ${i} is not laid out (${r.width}×${r.height})`);
          }
        });
        const text = document.body.innerText;
        if (text.includes("$$")) bad.push("raw $$ left in the page text");
        return { plots: plots.length, equations: maths.length, bad };
      });
      errors.push(...found.bad);
      if (found.plots > 0) {
        // Plotly may redraw once more to grow a margin for a legend or tick labels
        await page.evaluate(() => document.fonts.ready.then(() => {}));
        await page.waitForTimeout(250);
        const figures = await page.evaluate(figureTextBoxes, ".sgd-plot");
        errors.push(...figureLayoutErrors(file, figures));
      }
      results.push({ file, plots: found.plots, equations: found.equations, errors });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return results;
}

if (import.meta.main) {
  const dir = Deno.args[0] ?? new URL("../reports", import.meta.url).pathname;
  const exe = findChromium();
  if (!exe) {
    console.error("error: Chromium not found (install Debian's `chromium` or set CHROMIUM_PATH)");
    Deno.exit(2);
  }
  const res = await checkReports(dir, exe);
  let failed = 0;
  for (const r of res) {
    const ok = r.errors.length === 0;
    if (!ok) failed++;
    console.log(
      `${ok ? "ok  " : "FAIL"} ${r.file}: ${r.plots} plots, ${r.equations} equations${
        ok ? "" : "\n  " + r.errors.join("\n  ")
      }`,
    );
  }
  Deno.exit(failed ? 1 : 0);
}
