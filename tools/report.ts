/**
 * `deno task report [--quick] [--only 01,02] [--set NB.KEY=VALUE]… [--out DIR]`
 *
 * Executes every notebooks/NN_*.ipynb in order with the Deno kernel (through
 * Jupyter's nbclient), then writes DIR/NN_*.html (default `reports/`), the
 * sibling DIR/plotly.min.js and the claims scorecard DIR/index.html.
 * A failing notebook stops the run with a non-zero exit naming the notebook,
 * the cell and the error; no scorecard is written then. `--keep-going` runs
 * the remaining notebooks anyway (for the test task's count), still exiting
 * non-zero without a scorecard. The last line printed is
 * `report-summary: {"passed": [...], "failed": [...]}`.
 */
import { parseArgs } from "node:util";
import { ensureDenoKernel, executeNotebook, findJupyterPython, JUPYTER_HINT } from "./jupyter.ts";
import { type Notebook, notebookToHtml } from "./export_html.ts";
import { type NotebookRun, scorecardHtml, tally } from "./scorecard.ts";
import type { ClaimRecord } from "../lib/notebook/claims.ts";

const root = new URL("../", import.meta.url).pathname;

/** Parses `--set nb.key=value` pairs into the SGD_PARAMS object. */
export function parseSets(sets: string[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const s of sets) {
    const m = /^([^.=]+)\.([^=]+)=(.*)$/.exec(s);
    if (!m) {
      throw new TypeError(`--set must look like NOTEBOOK.KEY=VALUE (or *.KEY=VALUE), got "${s}"`);
    }
    let value: unknown;
    try {
      value = JSON.parse(m[3]!);
    } catch {
      value = m[3];
    }
    (out[m[1]!] ??= {})[m[2]!] = value;
  }
  return out;
}

/** Lists notebooks/NN_*.ipynb in order. */
export function listNotebooks(dir = `${root}notebooks`): string[] {
  return [...Deno.readDirSync(dir)]
    .filter((e) => e.isFile && /^\d\d_[a-z0-9_]+\.ipynb$/.test(e.name))
    .map((e) => e.name)
    .sort();
}

function titleOf(nb: Notebook, fallback: string): string {
  for (const c of nb.cells) {
    if (c.cell_type !== "markdown") continue;
    const m = /^#\s+(.+)$/m.exec(Array.isArray(c.source) ? c.source.join("") : c.source);
    if (m) return m[1]!.replace(/[*_`$]/g, "").trim();
  }
  return fallback;
}

async function tfjsVersion(): Promise<string> {
  const cfg = JSON.parse(await Deno.readTextFile(`${root}deno.json`));
  return /@([\d.]+)$/.exec(cfg.imports["@tensorflow/tfjs"] ?? "")?.[1] ?? "?";
}

/** Copies plotly.min.js from node_modules (installing the npm imports first if needed). */
async function copyPlotly(dst: string): Promise<void> {
  const src = `${root}node_modules/plotly.js-dist-min/plotly.min.js`;
  try {
    await Deno.stat(src);
  } catch {
    const r = await new Deno.Command(Deno.execPath(), { args: ["install"], cwd: root }).output();
    if (r.code !== 0) throw new Error(`deno install failed: ${new TextDecoder().decode(r.stderr)}`);
  }
  await Deno.copyFile(src, dst);
}

/**
 * Executes one notebook into `out/executed/`, exports its page and reads its claims; null (after
 * printing where and why) when the notebook raised.
 */
async function runNotebook(
  python: string,
  name: string,
  { out, quick, timeout, env }: {
    out: string;
    quick: boolean;
    timeout: number;
    env: Record<string, string>;
  },
): Promise<NotebookRun | null> {
  const id = name.replace(/\.ipynb$/, "");
  const t = performance.now();
  const executed = `${out}/executed/${name}`;
  const failure = await executeNotebook(python, `${root}notebooks/${name}`, executed, env, {
    timeout,
    label: id,
  });
  const seconds = (performance.now() - t) / 1000;
  if (failure) {
    console.error(
      `error: notebook ${name} failed at cell ${failure.cell ?? "?"}` +
        (failure.code_cell ? ` (code cell ${failure.code_cell})` : "") +
        `: ${failure.ename}: ${failure.evalue}\n  executed copy with the traceback: ${executed}\n` +
        `  no scorecard was written.`,
    );
    return null;
  }
  const nb = JSON.parse(await Deno.readTextFile(executed)) as Notebook;
  const title = titleOf(nb, id);
  const nav = `<p class="meta"><a href="index.html">← claims scorecard</a> · ${id} · ` +
    `${quick ? "quick" : "full"} mode · ${seconds.toFixed(1)} s</p>`;
  await Deno.writeTextFile(`${out}/${id}.html`, notebookToHtml(nb, { title, nav }));
  let claims: ClaimRecord[] = [], meta: Record<string, unknown> = {};
  try {
    const file = JSON.parse(await Deno.readTextFile(`${out}/claims/${id}.json`));
    claims = file.claims;
    meta = file.meta ?? {};
  } catch { /* a notebook without claims */ }
  const run = { id, title, seconds, claims, meta };
  const v = tally([run]);
  console.log(
    `  done in ${seconds.toFixed(1)} s: ${claims.length} claim(s) ` +
      `(${v.reproduced} reproduced, ${v.partly} partly, ${v["not reproduced"]} not reproduced)`,
  );
  return run;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      set: { type: "string", multiple: true, default: [] },
      out: { type: "string", default: `${root}reports` },
      timeout: { type: "string", default: "1800" },
      "keep-going": { type: "boolean", default: false },
    },
  });
  const out = values.out!.replace(/\/$/, "");
  const python = await findJupyterPython();
  if (!python) {
    console.error(`error: Jupyter (nbclient) was not found. ${JUPYTER_HINT}`);
    return 2;
  }
  await ensureDenoKernel(python);
  let names = listNotebooks();
  if (values.only) {
    const want = values.only.split(",").map((s) => s.trim());
    names = names.filter((n) => want.some((w) => n.startsWith(w)));
    if (names.length === 0) throw new RangeError(`--only ${values.only} matches no notebook`);
  }
  const sets = parseSets(values.set as string[]);
  const claimsDir = `${out}/claims`;
  const execDir = `${out}/executed`;
  await Deno.remove(claimsDir, { recursive: true }).catch(() => {});
  await Deno.remove(`${out}/index.html`).catch(() => {});
  await Deno.mkdir(claimsDir, { recursive: true });
  await Deno.mkdir(execDir, { recursive: true });
  await copyPlotly(`${out}/plotly.min.js`);
  const env: Record<string, string> = {
    ...Deno.env.toObject(),
    SGD_QUICK: values.quick ? "1" : "0",
    SGD_HEADLESS: "1",
    SGD_CLAIMS_DIR: claimsDir,
    NO_COLOR: "1",
  };
  if (Object.keys(sets).length) env.SGD_PARAMS = JSON.stringify(sets);
  const timeout = Number(values.timeout);
  const runs: NotebookRun[] = [];
  const failed: string[] = [];
  const t0 = performance.now();
  console.log(
    `report: ${names.length} notebook(s), ${values.quick ? "quick" : "full"} mode → ${out}/`,
  );
  for (const [k, name] of names.entries()) {
    console.log(`[${k + 1}/${names.length}] ${name.replace(/\.ipynb$/, "")} …`);
    const run = await runNotebook(python, name, { out, quick: values.quick!, timeout, env });
    if (run) {
      runs.push(run);
      continue;
    }
    failed.push(name.replace(/\.ipynb$/, ""));
    if (!values["keep-going"]) break;
  }
  const summary = () =>
    console.log(`report-summary: ${JSON.stringify({ passed: runs.map((r) => r.id), failed })}`);
  if (failed.length) {
    summary();
    return 1;
  }
  const totalSeconds = (performance.now() - t0) / 1000;
  await Deno.writeTextFile(
    `${out}/index.html`,
    scorecardHtml(runs, {
      date: new Date().toISOString(),
      quick: values.quick!,
      deno: Deno.version.deno,
      tfjs: await tfjsVersion(),
      totalSeconds,
      params: env.SGD_PARAMS,
    }),
  );
  console.log(`report written: ${out}/index.html (${totalSeconds.toFixed(1)} s)`);
  summary();
  return 0;
}

if (import.meta.main) Deno.exit(await main());
