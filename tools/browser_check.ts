/**
 * Opens every exported report in headless Chromium (the system browser,
 * Debian's `chromium`, driven by playwright-core, which never downloads a
 * browser of its own) with every non-file request blocked, and checks:
 * no console errors or page errors, every Plotly figure rendered (an SVG
 * holding at least one trace inside each plot div), every equation rendered
 * (each MathML element laid out with a non-zero box, no `$$` left in the
 * text), and no request that left the file system.
 *
 * `deno run -A tools/browser_check.ts [DIR]` (default `reports/`).
 */
import { chromium } from "playwright-core";

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
