/**
 * `deno task report [--quick] [--only 01,02] [--set NB.KEY=VALUE]… [--out DIR] [--notebooks DIR]`
 *
 * Executes every notebooks/NN_*.ipynb in order with the Deno kernel (through
 * Jupyter's nbclient), then writes DIR/NN_*.html (default `reports/`), the
 * sibling DIR/plotly.min.js, the claims scorecard DIR/index.html and its
 * data DIR/report.json.
 *
 * - Before anything runs, every parameter override (`--set`, and the
 *   environment's `SGD_PARAMS`, which the `--set` values merge over) is
 *   checked against the notebooks' parameters cells, evaluated in a small
 *   Deno process: an unknown notebook id, a key no notebook declares, a wrong
 *   type or an out-of-range value stops the report with a message naming the
 *   notebook and the key.
 * - The run writes into DIR/.staging/ and moves into place only on success,
 *   so a failed or interrupted run leaves the previous report intact. A
 *   failing notebook stops the run with a non-zero exit naming the notebook,
 *   the cell and the error, and the partial output is kept in
 *   DIR/.failed-run/ (the message gives the path). `--keep-going` runs the
 *   remaining notebooks anyway (for the test task's count), still exiting
 *   non-zero without touching the report.
 * - `--only` updates its notebooks' entries of an existing report and keeps
 *   the others.
 * - A long profile (notebook metadata `sgd.profile`, e.g. 08, the seed's
 *   ResNet-18 experiment) runs in quick mode with the others, but in full mode
 *   only when `--only` names it.
 * - SIGINT / SIGTERM stop the notebook runner and its kernel, then exit
 *   130 / 143.
 *
 * The last line printed is `report-summary: {"passed": [...], "failed": [...]}`.
 */
import { parseArgs } from "node:util";
import { ensureDenoKernel, executeNotebook, findJupyterPython, JUPYTER_HINT } from "./jupyter.ts";
import { paramsCall } from "./check_notebooks.ts";
import { type Notebook, notebookToHtml, titleOf } from "./export_html.ts";
import { claimKey, type NotebookRun, type RunMeta, scorecardHtml, tally } from "./scorecard.ts";
import type { ClaimRecord, Verdict } from "../lib/notebook/claims.ts";
import { parseEnvObject } from "../lib/notebook/params.ts";
import { pinnedTfjsVersion } from "../lib/notebook/run_info.ts";
import { ResultCache } from "../lib/notebook/cache.ts";

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
    // JSON has no Infinity: 1e999 would reach the notebook as null
    const items = Array.isArray(value) ? value : [value];
    items.forEach((e, i) => {
      if (typeof e === "number" && !Number.isFinite(e)) {
        throw new TypeError(
          `--set ${m[1]}.${m[2]}: ${Array.isArray(value) ? `element ${i} ` : ""}` +
            `must be a finite number, got ${e}`,
        );
      }
    });
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

/**
 * A notebook's profile label, when it is a long profile (notebook metadata `sgd.profile`, e.g.
 * `{ "name": "seed scale", "minutes": 45 }`): the full report leaves profiles out unless `--only`
 * names them (quick mode runs them all), and runs them with at least a timeout of twice their
 * stated minutes.
 */
export function profileOf(
  dir: string,
  name: string,
): { name: string; minutes: number } | undefined {
  const nb = JSON.parse(Deno.readTextFileSync(`${dir}/${name}`)) as {
    metadata?: { sgd?: { profile?: { name: string; minutes: number } } };
  };
  return nb.metadata?.sgd?.profile;
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

/** The environment that carries parameters to the notebooks. */
export interface ParamEnv {
  SGD_QUICK: string;
  SGD_PARAMS?: string;
  SGD_SET?: string;
}

/**
 * The override objects of SGD_PARAMS and --set (labelled), the notebooks they name (besides
 * "*"), and an error for each override
 * object that is not JSON, not an object of parameters, or names an unknown notebook.
 */
function overrideTargets(env: ParamEnv, ids: string[]): {
  errors: string[];
  named: Set<string>;
  objects: [string, Record<string, unknown>][];
} {
  const errors: string[] = [];
  const objects: [string, Record<string, unknown>][] = [];
  for (const [name, label] of [["SGD_PARAMS", "SGD_PARAMS"], ["SGD_SET", "--set"]] as const) {
    const raw = env[name];
    if (raw === undefined || raw === "") continue;
    try {
      objects.push([label, parseEnvObject(label === "--set" ? "--set" : name, raw)]);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  const named = new Set<string>();
  for (const [label, obj] of objects) {
    for (const [id, values] of Object.entries(obj)) {
      const where = label === "--set" ? `--set ${id}.…` : `SGD_PARAMS["${id}"]`;
      if (typeof values !== "object" || values === null || Array.isArray(values)) {
        errors.push(`${where}: must be an object of parameters, got ${JSON.stringify(values)}`);
      } else if (id !== "*" && !ids.includes(id)) {
        errors.push(`${where}: unknown notebook "${id}" (known: ${ids.join(", ")})`);
      } else if (id !== "*") named.add(id);
    }
  }
  return { errors, named, objects };
}

/**
 * Checks every parameter override before any notebook runs: each notebook id named in
 * `SGD_PARAMS` or `--set` exists; each `"*"` key is declared by at least one of the notebooks
 * that will run; and each notebook's `defineParams(...)` call, evaluated in a small Deno process
 * with the environment the notebook will get, accepts its defaults, quick values and overrides
 * (names, types, array elements, declared ranges).
 *
 * @param dir the notebooks folder
 * @param selected the notebook files that will run
 * @param env `SGD_QUICK`, `SGD_PARAMS`, `SGD_SET` as the notebooks will see them
 * @returns one message per problem, each naming the notebook and the key (empty when all is well)
 */
export async function checkOverrides(
  dir: string,
  selected: string[],
  env: ParamEnv,
): Promise<string[]> {
  const ids = listNotebooks(dir).map((n) => n.replace(/\.ipynb$/, ""));
  const { errors, named, objects } = overrideTargets(env, ids);
  const run = selected.map((n) => n.replace(/\.ipynb$/, ""));
  const toCheck = [...new Set([...run, ...named])].sort();
  const calls: [string, string][] = [];
  for (const id of toCheck) {
    const call = paramsCall(JSON.parse(await Deno.readTextFile(`${dir}/${id}.ipynb`)) as Notebook);
    if (call) calls.push([id, call]);
    else if (named.has(id)) errors.push(`${id}: overrides given, but it has no parameters cell`);
  }
  const declared: Record<string, string[]> = {};
  if (calls.length) {
    const params = new URL("../lib/notebook/params.ts", import.meta.url).href;
    const script = [
      `import { ranged, resolveParams as defineParams } from ${JSON.stringify(params)};`,
      `const out: Record<string, unknown> = {};`,
      ...calls.map(([id, call]) =>
        `try { out[${JSON.stringify(id)}] = { keys: Object.keys(${call}) }; } ` +
        `catch (e) { out[${JSON.stringify(id)}] = { error: String(e) }; }`
      ),
      `console.log(JSON.stringify(out));`,
    ].join("\n");
    const file = await Deno.makeTempFile({ prefix: "sgd-params-check-", suffix: ".ts" });
    try {
      await Deno.writeTextFile(file, script);
      const r = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--quiet", "--no-check", "--no-lock", "--allow-env", "--allow-read", file],
        clearEnv: true,
        env: {
          PATH: Deno.env.get("PATH") ?? "",
          HOME: Deno.env.get("HOME") ?? "",
          NO_COLOR: "1",
          ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)),
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const dec = new TextDecoder();
      if (r.code !== 0) {
        errors.push(`the parameters cells could not be evaluated: ${dec.decode(r.stderr).trim()}`);
        return errors;
      }
      const res = JSON.parse(dec.decode(r.stdout)) as Record<
        string,
        { keys?: string[]; error?: string }
      >;
      for (const [id, v] of Object.entries(res)) {
        if (v.error) errors.push(`${id}: ${v.error}`);
        else declared[id] = (v.keys ?? []).filter((k) => k !== "quick");
      }
    } finally {
      await Deno.remove(file).catch(() => {});
    }
  }
  for (const [label, obj] of objects) {
    const all = obj["*"];
    if (typeof all !== "object" || all === null) continue;
    for (const key of Object.keys(all)) {
      if (!run.some((id) => declared[id]?.includes(key))) {
        errors.push(
          `${label === "--set" ? `--set *.${key}` : `SGD_PARAMS["*"].${key}`}: ` +
            `no notebook of this run declares parameter "${key}"`,
        );
      }
    }
  }
  return errors;
}

/** A notebook's run or its failure. */
type Outcome = { run: NotebookRun } | { failure: string };

/** Executes one notebook into `stage/executed/`, exports its page and reads its claims. */
async function runNotebook(
  python: string,
  dir: string,
  name: string,
  { stage, quick, timeout, env, signal }: {
    stage: string;
    quick: boolean;
    timeout: number;
    env: Record<string, string>;
    signal: AbortSignal;
  },
): Promise<Outcome> {
  const id = name.replace(/\.ipynb$/, "");
  const t = performance.now();
  const executed = `${stage}/executed/${name}`;
  const profile = profileOf(dir, name);
  const failure = await executeNotebook(python, `${dir}/${name}`, executed, env, {
    timeout: quick || !profile ? timeout : Math.max(timeout, 2 * 60 * profile.minutes),
    label: id,
    signal,
  });
  const seconds = (performance.now() - t) / 1000;
  if (failure) {
    return {
      failure: `notebook ${name} failed at cell ${failure.cell ?? "?"}` +
        (failure.code_cell ? ` (code cell ${failure.code_cell})` : "") +
        `: ${failure.ename}: ${failure.evalue}`,
    };
  }
  const nb = JSON.parse(await Deno.readTextFile(executed)) as Notebook;
  const title = titleOf(nb, id);
  const nav = `<p class="meta"><a href="index.html">← claims scorecard</a> · ${id} · ` +
    `${quick ? "quick" : "full"} mode · ${seconds.toFixed(1)} s</p>`;
  await Deno.writeTextFile(`${stage}/${id}.html`, notebookToHtml(nb, { title, nav }));
  let claims: ClaimRecord[] = [], meta: Record<string, unknown> = {};
  try {
    const file = JSON.parse(await Deno.readTextFile(`${stage}/claims/${id}.json`));
    claims = file.claims;
    meta = file.meta ?? {};
  } catch { /* a notebook without claims */ }
  const run: NotebookRun = {
    id,
    title,
    seconds,
    claims,
    meta,
    quick,
    date: new Date().toISOString(),
  };
  const v = tally([run]);
  console.log(
    `  done in ${seconds.toFixed(1)} s: ${claims.length} claim(s) ` +
      `(${v.reproduced} reproduced, ${v.partly} partly, ${v["not reproduced"]} not reproduced, ` +
      `${v.inconclusive} inconclusive)`,
  );
  return { run };
}

/** The verdicts of the latest quick run into `out` (empty when there was none). */
export async function readQuickVerdicts(out: string): Promise<Record<string, Verdict>> {
  try {
    const m = JSON.parse(await Deno.readTextFile(`${out}/quick-verdicts.json`));
    return typeof m === "object" && m !== null && !Array.isArray(m) ? m : {};
  } catch {
    return {};
  }
}

/** The runs of the report already in `out` (report.json, else the claim files). */
async function previousRuns(out: string): Promise<NotebookRun[]> {
  try {
    return (JSON.parse(await Deno.readTextFile(`${out}/report.json`)) as { runs: NotebookRun[] })
      .runs;
  } catch { /* no report.json: a report written before it existed */ }
  const runs: NotebookRun[] = [];
  try {
    for (const e of Deno.readDirSync(`${out}/claims`)) {
      if (!e.name.endsWith(".json")) continue;
      const f = JSON.parse(await Deno.readTextFile(`${out}/claims/${e.name}`));
      const id = e.name.replace(/\.json$/, "");
      runs.push({ id, title: id, seconds: 0, claims: f.claims ?? [], meta: f.meta ?? {} });
    }
  } catch { /* no previous report */ }
  return runs;
}

const WORK_DIRS = [".staging", ".failed-run", ".old"];

/** Moves the finished report in `stage` into `out`, replacing what was there. */
async function moveIntoPlace(stage: string, out: string): Promise<void> {
  const old = `${out}/.old`;
  await Deno.remove(old, { recursive: true }).catch(() => {});
  await Deno.mkdir(old);
  for (const e of [...Deno.readDirSync(out)]) {
    if (!WORK_DIRS.includes(e.name)) await Deno.rename(`${out}/${e.name}`, `${old}/${e.name}`);
  }
  for (const e of [...Deno.readDirSync(stage)]) {
    await Deno.rename(`${stage}/${e.name}`, `${out}/${e.name}`);
  }
  for (const d of WORK_DIRS) await Deno.remove(`${out}/${d}`, { recursive: true }).catch(() => {});
}

async function copyIfThere(src: string, dst: string): Promise<void> {
  await Deno.copyFile(src, dst).catch(() => {});
}

/** Aborts (once) on SIGINT or SIGTERM, saying so; the runner then stops the kernel. */
function abortOnSignals(): AbortController {
  const ac = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(sig, () => {
      if (ac.signal.aborted) return;
      console.error(`\nreport: ${sig} received: stopping the notebook runner and its kernel`);
      ac.abort(sig);
    });
  }
  return ac;
}

/**
 * The parameter environment of the run (quick mode, SGD_PARAMS, --set as SGD_SET), after every
 * override has been checked against the notebooks' declarations; undefined (after printing why)
 * when one is rejected.
 */
async function overrideEnv(
  dir: string,
  names: string[],
  quick: boolean,
  set: string[],
): Promise<ParamEnv | undefined> {
  let sets: Record<string, Record<string, unknown>>;
  try {
    sets = parseSets(set);
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return undefined;
  }
  const userParams = Deno.env.get("SGD_PARAMS");
  const paramEnv: ParamEnv = {
    SGD_QUICK: quick ? "1" : "0",
    ...(userParams ? { SGD_PARAMS: userParams } : {}),
    ...(Object.keys(sets).length ? { SGD_SET: JSON.stringify(sets) } : {}),
  };
  const problems = await checkOverrides(dir, names, paramEnv);
  if (problems.length) {
    console.error(
      `error: parameter overrides rejected; no notebook was run:\n  ${problems.join("\n  ")}`,
    );
    return undefined;
  }
  return paramEnv;
}

/** Moves a failed run's staging folder to OUT/.failed-run and says where each partial output is. */
async function keepFailedRun(out: string, stage: string, failed: string[]): Promise<void> {
  const kept = `${out}/.failed-run`;
  await Deno.remove(kept, { recursive: true }).catch(() => {});
  await Deno.rename(stage, kept);
  console.error(
    `error: the report in ${out}/ is unchanged (no scorecard was written).\n` +
      `  partial output of this run: ${kept}/\n` +
      failed.map((id) =>
        `  ${id}: executed copy with the traceback: ${kept}/executed/${id}.ipynb; ` +
        `claims recorded before the error: ${kept}/claims/${id}.json\n`
      ).join(""),
  );
}

/**
 * For `--only`: the previous report's runs of the other notebooks (still in the notebooks
 * folder) copied into the staging folder, merged with this run's, sorted by id.
 */
async function mergePrevious(
  out: string,
  stage: string,
  dir: string,
  runs: NotebookRun[],
): Promise<NotebookRun[]> {
  const fresh = new Set(runs.map((r) => r.id));
  const known = new Set(listNotebooks(dir).map((n) => n.replace(/\.ipynb$/, "")));
  const kept = (await previousRuns(out)).filter((r) => !fresh.has(r.id) && known.has(r.id));
  for (const r of kept) {
    await copyIfThere(`${out}/${r.id}.html`, `${stage}/${r.id}.html`);
    await copyIfThere(`${out}/claims/${r.id}.json`, `${stage}/claims/${r.id}.json`);
    await copyIfThere(`${out}/executed/${r.id}.ipynb`, `${stage}/executed/${r.id}.ipynb`);
  }
  if (kept.length) {
    console.log(`  kept from the previous report: ${kept.map((r) => r.id).join(", ")}`);
  }
  return [...kept, ...runs].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * An empty staging folder beside `out` (claims/, executed/, plotly.min.js) and the environment
 * the notebooks run with: the parameters, headless mode, claims written into the stage.
 */
async function prepareStage(
  out: string,
  stage: string,
  paramEnv: ParamEnv,
): Promise<Record<string, string>> {
  await Deno.mkdir(out, { recursive: true });
  await Deno.remove(stage, { recursive: true }).catch(() => {});
  await Deno.mkdir(`${stage}/claims`, { recursive: true });
  await Deno.mkdir(`${stage}/executed`, { recursive: true });
  await copyPlotly(`${stage}/plotly.min.js`);
  return {
    ...Deno.env.toObject(),
    ...paramEnv,
    SGD_HEADLESS: "1",
    SGD_CLAIMS_DIR: `${stage}/claims`,
    NO_COLOR: "1",
  };
}

/**
 * Runs the notebooks in order into the stage; stops at the first failure unless `keepGoing`, and
 * at once on a signal. Returns the runs that succeeded and the ids that failed.
 */
async function runNotebooks(
  python: string,
  dir: string,
  names: string[],
  o: {
    stage: string;
    quick: boolean;
    timeout: number;
    env: Record<string, string>;
    signal: AbortSignal;
    keepGoing: boolean;
  },
): Promise<{ runs: NotebookRun[]; failed: string[] }> {
  const runs: NotebookRun[] = [], failed: string[] = [];
  for (const [k, name] of names.entries()) {
    if (o.signal.aborted) break;
    console.log(`[${k + 1}/${names.length}] ${name.replace(/\.ipynb$/, "")} …`);
    const r = await runNotebook(python, dir, name, o);
    if ("run" in r) {
      runs.push(r.run);
      continue;
    }
    if (o.signal.aborted) break;
    failed.push(name.replace(/\.ipynb$/, ""));
    console.error(`error: ${r.failure}`);
    if (!o.keepGoing) break;
  }
  return { runs, failed };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      set: { type: "string", multiple: true, default: [] },
      out: { type: "string", default: `${root}reports` },
      notebooks: { type: "string", default: `${root}notebooks` },
      timeout: { type: "string", default: "1800" },
      "keep-going": { type: "boolean", default: false },
    },
  });
  const out = values.out!.replace(/\/$/, "");
  const dir = values.notebooks!.replace(/\/$/, "");
  const ac = abortOnSignals();
  let names = listNotebooks(dir);
  if (values.only) {
    const want = values.only.split(",").map((s) => s.trim());
    names = names.filter((n) => want.some((w) => n.startsWith(w)));
    if (names.length === 0) {
      console.error(`error: --only ${values.only} matches no notebook in ${dir}/`);
      return 2;
    }
  } else if (!values.quick) {
    names = names.filter((n) => {
      const p = profileOf(dir, n);
      if (p) {
        console.log(
          `leaving out the ${p.name} profile ${n} (~${p.minutes} min on 2 cores): ` +
            `run it with --only ${n.slice(0, 2)}`,
        );
      }
      return !p;
    });
  }
  const userParams = Deno.env.get("SGD_PARAMS");
  const paramEnv = await overrideEnv(dir, names, values.quick!, values.set as string[]);
  if (!paramEnv) return 2;
  let cache: string;
  try {
    cache = cacheInUse();
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 2;
  }
  const python = await findJupyterPython();
  if (!python) {
    console.error(`error: Jupyter (nbclient) was not found. ${JUPYTER_HINT}`);
    return 2;
  }
  await ensureDenoKernel(python);
  const stage = `${out}/.staging`;
  const env = await prepareStage(out, stage, paramEnv);
  const t0 = performance.now();
  console.log(
    `report: ${names.length} notebook(s), ${values.quick ? "quick" : "full"} mode → ${out}/`,
  );
  const { runs, failed } = await runNotebooks(python, dir, names, {
    stage,
    quick: values.quick!,
    timeout: Number(values.timeout),
    env,
    signal: ac.signal,
    keepGoing: values["keep-going"]!,
  });
  const summary = () =>
    console.log(`report-summary: ${JSON.stringify({ passed: runs.map((r) => r.id), failed })}`);
  if (ac.signal.aborted) {
    await Deno.remove(stage, { recursive: true }).catch(() => {});
    console.error(`report: stopped by ${ac.signal.reason}; the report in ${out}/ is unchanged.`);
    summary();
    return ac.signal.reason === "SIGINT" ? 130 : 143;
  }
  if (failed.length) {
    await keepFailedRun(out, stage, failed);
    summary();
    return 1;
  }
  const all = values.only ? await mergePrevious(out, stage, dir, runs) : runs;
  const totalSeconds = (performance.now() - t0) / 1000;
  const meta: RunMeta = {
    date: new Date().toISOString(),
    quick: values.quick!,
    deno: Deno.version.deno,
    tfjs: pinnedTfjsVersion() ?? "?",
    totalSeconds,
    params: userParams || undefined,
    sets: paramEnv.SGD_SET,
    only: values.only ? runs.map((r) => r.id) : undefined,
    cache,
  };
  // the latest quick verdicts, kept beside the report so a full run can flag verdicts that differ
  const quickVerdicts = await readQuickVerdicts(out);
  if (values.quick) {
    for (const r of runs) for (const c of r.claims) quickVerdicts[claimKey(c)] = c.verdict;
  }
  await Deno.writeTextFile(`${stage}/quick-verdicts.json`, JSON.stringify(quickVerdicts, null, 1));
  if (Object.keys(quickVerdicts).length) meta.quickVerdicts = quickVerdicts;
  await Deno.writeTextFile(`${stage}/index.html`, scorecardHtml(all, meta));
  await Deno.writeTextFile(`${stage}/report.json`, JSON.stringify({ meta, runs: all }, null, 1));
  await moveIntoPlace(stage, out);
  console.log(`report written: ${out}/index.html (${totalSeconds.toFixed(1)} s)`);
  summary();
  return 0;
}

/** The cache the notebooks of this run use: its folder (relative to the project), or "off". */
function cacheInUse(): string {
  const c = ResultCache.fromEnv();
  return c.enabled ? c.shown(c.dir) : "off";
}

if (import.meta.main) Deno.exit(await main());
