/**
 * The notebooks in a real front end: Debian's classic Jupyter Notebook (`jupyter-notebook`) on
 * 127.0.0.1, driven through headless Chromium with playwright-core, as a user would run them.
 *
 * For each notebook, in quick mode: open it, Run All, wait until every code cell has finished
 * (a timeout per notebook catches hangs), then check
 * - no cell raised;
 * - every output sits under the cell that made it: a marker display appended to each code cell
 *   (in a temporary copy) must be found in its own cell's outputs and nowhere else, and no cell
 *   holds stream output (notebook text goes through awaited displays, not `console.log`);
 * - every `await show(` drew a Plotly figure (an SVG with a trace) in its own cell;
 * - saved from the page (File → Save) and exported with `deno task export`'s exporter, the
 *   notebook opens offline with its run header and every figure drawn; exported by Jupyter's own
 *   `nbconvert --to html`, it opens offline with every figure drawn;
 * - after reloading the page, re-running the first figure cell draws again;
 * - the server log has no `Invalid Signature` (a corrupted kernel message).
 *
 * The notebooks run in a temporary folder (copies with the markers; lib/, deno.json and
 * node_modules linked), so a run never writes outputs into notebooks/.
 *
 * `deno run -A tools/frontend_check.ts [--only 01,05] [--repeat N] [--timeout S]`
 */
import { chromium, type Page } from "playwright-core";
import { parseArgs } from "node:util";
import { CHROMIUM_ARGS, findChromium } from "./browser_check.ts";
import { exportNotebook } from "./export_notebook.ts";
import { findJupyterPython } from "./jupyter.ts";
import type { Browser } from "playwright-core";
import type { Notebook } from "./export_html.ts";

const root = new URL("../", import.meta.url).pathname;

/** The outcome for one notebook. */
export interface FrontEndResult {
  notebook: string;
  seconds: number;
  cells: number;
  figures: number;
  problems: string[];
}

/** The notebook server command of Debian's classic Notebook, when installed. */
export function findNotebookServer(): string | undefined {
  for (const c of [Deno.env.get("JUPYTER_NOTEBOOK"), "/usr/bin/jupyter-notebook"]) {
    if (!c) continue;
    try {
      if (Deno.statSync(c).isFile) return c;
    } catch { /* not there */ }
  }
  return undefined;
}

/** The marker text appended to code cell `k` (0-based among code cells). */
export function cellMarker(k: number): string {
  return `⟦sgd-cell ${k}⟧`;
}

interface NotebookJson {
  cells: { cell_type: string; source: string | string[] }[];
  [key: string]: unknown;
}

/** A copy of the notebook with a marker display appended to every code cell. */
export function withMarkers(nb: NotebookJson): NotebookJson {
  let k = 0;
  return {
    ...nb,
    cells: nb.cells.map((c) => {
      if (c.cell_type !== "code") return c;
      const src = Array.isArray(c.source) ? c.source.join("") : c.source;
      // through the library's own display: it waits until the kernel has published the marker,
      // and the kernel publishes in order, so a marker under its own cell vouches for every
      // output the cell made before it
      const marker = `await (await import("../lib/display/text.ts")).say(${
        JSON.stringify(cellMarker(k++))
      });`;
      return { ...c, source: `${src}\n${marker}` };
    }),
  };
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** A temporary root holding marked copies of the notebooks and links to what they import. */
async function prepareRoot(names: string[]): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "sgd-frontend-" });
  for (const link of ["lib", "deno.json", "deno.lock", "node_modules"]) {
    await Deno.symlink(`${root}${link}`, `${dir}/${link}`);
  }
  await Deno.mkdir(`${dir}/notebooks`);
  for (const name of names) {
    const nb = JSON.parse(await Deno.readTextFile(`${root}notebooks/${name}`)) as NotebookJson;
    await Deno.writeTextFile(`${dir}/notebooks/${name}`, JSON.stringify(withMarkers(nb)));
  }
  return dir;
}

/** Starts the notebook server; resolves once its API answers. */
async function startServer(server: string, dir: string, port: number, logPath: string) {
  const log = await Deno.open(logPath, { write: true, create: true, truncate: true });
  const child = new Deno.Command(server, {
    args: [
      "--no-browser",
      "--allow-root",
      `--ip=127.0.0.1`,
      `--port=${port}`,
      `--notebook-dir=${dir}/notebooks`,
      "--NotebookApp.token=",
      "--NotebookApp.password=",
      "--NotebookApp.open_browser=False",
    ],
    env: {
      SGD_QUICK: "1",
      SGD_CLAIMS_DIR: `${dir}/claims`,
      NO_COLOR: "1",
      PATH: `${Deno.execPath().replace(/\/[^/]+$/, "")}:${Deno.env.get("PATH") ?? ""}`,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const pump = async (s: ReadableStream<Uint8Array>) => {
    for await (const chunk of s) await log.write(chunk);
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]).catch(() => {});
  for (let i = 0; i < 120; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api`);
      await r.body?.cancel();
      if (r.ok) return { child, pumps, log };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGTERM");
  throw new Error(`jupyter-notebook did not start on port ${port} (log: ${logPath})`);
}

interface CellState {
  index: number;
  prompt: unknown;
  source: string;
  outputs: { type: string; text: string }[];
  plots: number;
  drawn: number;
}

/** Per-cell state of the open notebook, read from classic Notebook's JavaScript API. */
function readCells(page: Page): Promise<{ busy: boolean; cells: CellState[] }> {
  return page.evaluate(() => {
    // deno-lint-ignore no-explicit-any
    const J = (globalThis as any).Jupyter;
    // deno-lint-ignore no-explicit-any
    const code = J.notebook.get_cells().filter((c: any) => c.cell_type === "code");
    const icon = document.querySelector("#kernel_indicator_icon");
    return {
      busy: !!icon && icon.classList.contains("kernel_busy_icon"),
      // deno-lint-ignore no-explicit-any
      cells: code.map((c: any, index: number) => {
        const el: HTMLElement = c.element[0];
        return {
          index,
          prompt: c.input_prompt_number ?? null,
          source: c.get_text(),
          // deno-lint-ignore no-explicit-any
          outputs: c.output_area.outputs.map((o: any) => ({
            type: o.output_type === "stream" ? `stream:${o.name}` : o.output_type,
            text: o.output_type === "error"
              ? `${o.ename}: ${o.evalue}`
              : o.output_type === "stream"
              ? String(o.text).slice(0, 200)
              : String(o.data?.["text/plain"] ?? "").slice(0, 200),
          })),
          // the library's figure divs (lib/display/plotly.ts), there before plotly.js draws
          plots: el.querySelectorAll(".sgd-plot").length,
          // Plotly sets _fullLayout on a div it has drawn into (any trace type)
          drawn: [...el.querySelectorAll(".sgd-plot")].filter((d) =>
            // deno-lint-ignore no-explicit-any
            (d as any)._fullLayout && d.querySelector("svg.main-svg")
          ).length,
        };
      }),
    };
  });
}

/** What is wrong with the finished cells (empty when everything is under its own cell). */
export function cellProblems(cells: CellState[]): string[] {
  const problems: string[] = [];
  for (const c of cells) {
    for (const o of c.outputs) {
      if (o.type === "error") problems.push(`cell ${c.index} raised ${o.text}`);
      if (o.type.startsWith("stream")) {
        problems.push(`cell ${c.index} has ${o.type} output (use an awaited display): ${o.text}`);
      }
      const m = /⟦sgd-cell (\d+)⟧/.exec(o.text);
      if (m && Number(m[1]) !== c.index) {
        problems.push(`the marker of cell ${m[1]} appeared under cell ${c.index}`);
      }
    }
    const own = c.outputs.some((o) => o.text.includes(cellMarker(c.index)));
    if (!own && !c.outputs.some((o) => o.type === "error")) {
      problems.push(`cell ${c.index}: its marker is missing (output lost or misplaced)`);
    }
    const shows = (c.source.match(/await show\(/g) ?? []).length;
    if (c.plots < shows) {
      problems.push(
        `cell ${c.index}: ${c.plots} figures for ${shows} show( (outputs: ${
          c.outputs.map((o) => `${o.type} ${JSON.stringify(o.text.slice(0, 60))}`).join(", ")
        })`,
      );
    }
    if (c.plots > 0 && c.drawn < c.plots) {
      problems.push(`cell ${c.index}: ${c.plots - c.drawn} figure(s) not drawn`);
    }
  }
  return problems;
}

async function waitForKernel(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    // deno-lint-ignore no-explicit-any
    () => (globalThis as any).Jupyter?.notebook?.kernel?.is_connected?.() === true,
    null,
    { timeout: timeoutMs },
  );
}

/** Runs every code cell and waits until all are numbered and the kernel is idle. */
async function runAll(
  page: Page,
  timeoutMs: number,
): Promise<{ cells: CellState[]; hung: boolean; seconds: Map<number, number> }> {
  // deno-lint-ignore no-explicit-any
  await page.evaluate(() => (globalThis as any).Jupyter.notebook.execute_all_cells());
  const t0 = Date.now();
  let state = await readCells(page);
  // seconds each cell took, as seen by polling: from the previous cell's end to its own
  const seconds = new Map<number, number>();
  let last = t0;
  while (Date.now() - t0 < timeoutMs) {
    await new Promise((r) => setTimeout(r, 250));
    state = await readCells(page);
    for (const c of state.cells) {
      if (typeof c.prompt === "number" && !seconds.has(c.index)) {
        const now = Date.now();
        seconds.set(c.index, (now - last) / 1000);
        last = now;
      }
    }
    const done = state.cells.every((c) => typeof c.prompt === "number") && !state.busy;
    if (done) {
      // every output has left the kernel before its cell ended (each display waits until the
      // kernel has published it), but the notebook server relays the kernel's output and reply
      // channels separately, so an output can reach the page just after its cell's reply; and the
      // figures may still be drawing: give both up to 30 s (late but under its own cell is fine)
      const complete = (cells: CellState[]) =>
        cells.every((c) =>
          c.drawn >= c.plots &&
          (c.outputs.some((o) => o.type === "error") ||
            c.outputs.some((o) => o.text.includes(cellMarker(c.index))))
        );
      for (let i = 0; i < 60; i++) {
        if (complete(state.cells)) break;
        await new Promise((r) => setTimeout(r, 500));
        state = await readCells(page);
      }
      return { cells: state.cells, hung: false, seconds };
    }
  }
  return { cells: state.cells, hung: true, seconds };
}

/** Reloads the page and re-runs the first figure cell: it must draw again. */
async function reloadAndRedraw(
  page: Page,
  seconds: Map<number, number>,
  timeoutMs: number,
): Promise<string[]> {
  const before = await readCells(page);
  // the figure cell that ran quickest (re-running it must not redo minutes of training)
  const target = before.cells.filter((c) => /await show\(/.test(c.source))
    .sort((a, b) => (seconds.get(a.index) ?? Infinity) - (seconds.get(b.index) ?? Infinity))[0];
  if (!target) return [];
  await page.reload();
  await waitForKernel(page, timeoutMs);
  await page.evaluate((i: number) => {
    // deno-lint-ignore no-explicit-any
    const J = (globalThis as any).Jupyter;
    // deno-lint-ignore no-explicit-any
    const cell = J.notebook.get_cells().filter((c: any) => c.cell_type === "code")[i];
    cell.clear_output();
    cell.execute();
  }, target.index);
  // the cell may take as long again as it did in Run All (it recomputes), then the page may need
  // a while to load plotly.js from the kernel and draw
  const limit = timeoutMs + 3000 * (seconds.get(target.index) ?? 0);
  const t0 = Date.now();
  let finished = false;
  while (Date.now() - t0 < limit) {
    await new Promise((r) => setTimeout(r, 500));
    const c = (await readCells(page)).cells[target.index]!;
    finished ||= c.outputs.some((o) => o.text.includes(cellMarker(target.index)));
    if (finished && c.drawn >= 1) return [];
  }
  const s = ((Date.now() - t0) / 1000).toFixed(0);
  const seen = (await readCells(page)).cells[target.index]!.outputs
    .map((o) => `${o.type}: ${o.text.slice(0, 120)}`).join(" | ");
  return [
    `after a reload, cell ${target.index} shows ${seen || "no output"}`,
    finished
      ? `after a reload, re-running cell ${target.index} drew nothing within ${s} s`
      : `after a reload, re-running cell ${target.index} did not finish within ${s} s`,
  ];
}

/** Counts the drawn library figures of an HTML file opened offline (every non-file request aborted). */
async function drawnOffline(browser: Browser, file: string, want: number): Promise<number> {
  const page = await browser.newPage();
  try {
    await page.route(
      "**/*",
      (r) => r.request().url().startsWith("file:") ? r.continue() : r.abort(),
    );
    await page.goto(`file://${file}`);
    // the same test of "drawn" as readCells: Plotly's _fullLayout and an SVG in the div
    const drawn = () =>
      page.evaluate(() =>
        [...document.querySelectorAll(".sgd-plot")].filter((d) =>
          // deno-lint-ignore no-explicit-any
          (d as any)._fullLayout && d.querySelector("svg.main-svg")
        ).length
      );
    for (const t0 = Date.now(); Date.now() - t0 < 30_000;) {
      const n = await drawn();
      if (n >= want) return n;
      await new Promise((r) => setTimeout(r, 250));
    }
    return await drawn();
  } finally {
    await page.close();
  }
}

/**
 * Saves the notebook from the page (outputs included, as a user's File → Save), then exports the
 * saved file both ways and opens each page offline: with `deno task export`'s exporter (run header
 * and every figure), and with Jupyter's own `jupyter nbconvert --to html` (what Notebook's
 * "Download as HTML" and JupyterLab's "Export as HTML" use: every figure, drawn by the plotly.js the
 * notebook stores in its outputs).
 */
async function saveAndExport(
  page: Page,
  browser: Browser,
  dir: string,
  name: string,
  figures: number,
  python: string | undefined,
): Promise<string[]> {
  // deno-lint-ignore no-explicit-any
  await page.evaluate(() => (globalThis as any).Jupyter.notebook.save_notebook());
  const saved = `${dir}/notebooks/${name}`;
  const stem = name.replace(/\.ipynb$/, "");
  const problems: string[] = [];
  const ours = `${dir}/${stem}.export.html`;
  const { html } = await exportNotebook(
    JSON.parse(await Deno.readTextFile(saved)) as Notebook,
    name,
  );
  await Deno.writeTextFile(ours, html);
  const a = await drawnOffline(browser, ours, figures);
  if (a < figures) {
    problems.push(`deno task export of the saved notebook drew ${a} of ${figures} figures offline`);
  }
  if (!html.includes('class="run-header"')) {
    problems.push("deno task export of the saved notebook has no run header");
  }
  if (!python) return [...problems, "nbconvert check not run: Jupyter's Python not found"];
  const r = await new Deno.Command(python, {
    args: [
      "-m",
      "nbconvert",
      "--to",
      "html",
      "--output-dir",
      dir,
      "--output",
      `${stem}.nbconvert`,
      saved,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (r.code !== 0) {
    return [
      ...problems,
      `nbconvert failed: ${new TextDecoder().decode(r.stderr).trim().split("\n").at(-1)}`,
    ];
  }
  const b = await drawnOffline(browser, `${dir}/${stem}.nbconvert.html`, figures);
  if (b < figures) {
    problems.push(`nbconvert's HTML of the saved notebook drew ${b} of ${figures} figures offline`);
  }
  return problems;
}

/** Deletes every session (and so its kernel) of the notebook server, so none is left running. */
async function shutDownKernels(port: number): Promise<void> {
  const api = `http://127.0.0.1:${port}/api`;
  const sessions = await (await fetch(`${api}/sessions`)).json() as { id: string }[];
  for (const s of sessions) {
    await (await fetch(`${api}/sessions/${s.id}`, { method: "DELETE" })).body?.cancel();
  }
}

/** Runs the front-end check of the named notebooks. */
export async function checkFrontEnd(
  names: string[],
  { timeoutS = 300, chromiumPath = findChromium(), server = findNotebookServer() }: {
    timeoutS?: number;
    chromiumPath?: string;
    server?: string;
  } = {},
): Promise<FrontEndResult[]> {
  if (!chromiumPath) throw new Error("Chromium not found (install Debian's `chromium`)");
  if (!server) throw new Error("jupyter-notebook not found (install Debian's `jupyter-notebook`)");
  const dir = await prepareRoot(names);
  const port = freePort();
  const logPath = `${dir}/server.log`;
  const srv = await startServer(server, dir, port, logPath);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: CHROMIUM_ARGS,
  });
  const results: FrontEndResult[] = [];
  const python = await findJupyterPython(); // for nbconvert, found once
  let logSeen = 0;
  try {
    for (const name of names) {
      const t0 = performance.now();
      const problems: string[] = [];
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      // nothing beyond this machine may be reached (the notebook server, the kernel's plotly.js)
      await page.route(
        "**/*",
        (r) => /^(http|ws):\/\/127\.0\.0\.1[:/]/.test(r.request().url()) ? r.continue() : r.abort(),
      );
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      // the page's console errors, shown with the problems when there are any
      const consoleErrors: string[] = [];
      page.on("console", (m) => {
        // classic Notebook's own noise: a missing widgets extension and its fallout
        const noise = /nbextensions\/widgets|about:blank|status of 404|net::ERR_FAILED/;
        if (m.type() === "error" && !noise.test(m.text())) {
          consoleErrors.push(m.text().slice(0, 300));
        }
      });
      let cells: CellState[] = [];
      try {
        await page.goto(`http://127.0.0.1:${port}/notebooks/${name}`);
        await waitForKernel(page, 60_000);
        const run = await runAll(page, timeoutS * 1000);
        cells = run.cells;
        if (run.hung) problems.push(`did not finish within ${timeoutS} s (hang)`);
        problems.push(...cellProblems(cells));
        if (!run.hung) {
          const shows = cells.reduce(
            (n, c) => n + (c.source.match(/await show\(/g) ?? []).length,
            0,
          );
          problems.push(...await saveAndExport(page, browser, dir, name, shows, python));
          problems.push(...await reloadAndRedraw(page, run.seconds, 60_000));
        }
      } catch (e) {
        problems.push(`front end failed: ${(e as Error).message.split("\n")[0]}`);
      }
      if (problems.length && consoleErrors.length) {
        problems.push(`console errors: ${consoleErrors.slice(0, 5).join(" | ")}`);
      }
      await page.close();
      await shutDownKernels(port);
      const log = await Deno.readTextFile(logPath);
      const bad = (log.slice(logSeen).match(/Invalid Signature/g) ?? []).length;
      logSeen = log.length;
      if (bad) problems.push(`server log: ${bad} × Invalid Signature (a corrupted kernel message)`);
      results.push({
        notebook: name,
        seconds: (performance.now() - t0) / 1000,
        cells: cells.length,
        figures: cells.reduce((s, c) => s + c.drawn, 0),
        problems,
      });
    }
  } finally {
    await browser.close();
    srv.child.kill("SIGTERM");
    await srv.child.status;
    await srv.pumps;
    srv.log.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  return results;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      only: { type: "string" },
      repeat: { type: "string", default: "1" },
      timeout: { type: "string", default: "300" },
    },
  });
  let names = [...Deno.readDirSync(`${root}notebooks`)].map((e) => e.name)
    .filter((n) => /^\d\d_.*\.ipynb$/.test(n)).sort();
  if (values.only) {
    const want = values.only.split(",").map((s) => s.trim());
    names = names.filter((n) => want.some((w) => n.startsWith(w)));
  }
  let failed = 0;
  for (let r = 1; r <= Number(values.repeat); r++) {
    for (const res of await checkFrontEnd(names, { timeoutS: Number(values.timeout) })) {
      const ok = res.problems.length === 0;
      if (!ok) failed++;
      console.log(
        `${ok ? "ok  " : "FAIL"} run ${r} ${res.notebook}: ${res.cells} cells, ${res.figures} ` +
          `figures drawn, ${res.seconds.toFixed(1)} s${
            res.problems.map((p) => `\n  ${p}`).join("")
          }`,
      );
    }
  }
  Deno.exit(failed ? 1 : 0);
}
