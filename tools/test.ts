/**
 * `deno task test`: every check of the project, in order, with one count.
 *
 * 1. `deno fmt --check`, `deno lint`, `deno check` of lib/, tools/, tests/,
 *    bench/ (one test each);
 * 2. `deno test --doc` over lib/ and tests/ (its own pass/fail counts);
 * 3. static notebook checks: names, Deno kernelspec, no outputs or execution
 *    counts stored in git, title, imports, parameters and verdict cells (one
 *    test per notebook);
 * 4. every notebook executed in quick mode through Jupyter and exported to
 *    HTML (one test per notebook) — skipped, with the reason, if Jupyter is
 *    missing;
 * 5. the exported reports opened in headless Chromium with the network
 *    blocked (one test per page) — skipped, with the reason, if Chromium is
 *    missing;
 * 6. the front-end check (`frontend_check.ts`): every notebook run in Debian's
 *    classic Jupyter Notebook through Chromium, as a user runs it (one test
 *    per notebook) — skipped, with the reason, if `jupyter-notebook` or
 *    Chromium is missing.
 *
 * Notebooks run with a fresh temporary cache of results (`SGD_CACHE_DIR`):
 * stage 4 trains and fills it, stage 6 loads from it; it is removed at the end.
 *
 * The last line is `tests: N passed, M failed` (`, K skipped` when a stage
 * could not run).
 */
import { findJupyterPython, JUPYTER_HINT } from "./jupyter.ts";
import { notebookProblems } from "./check_notebooks.ts";
import { checkReports, findChromium } from "./browser_check.ts";
import { checkFrontEnd, findNotebookServer } from "./frontend_check.ts";
import { listNotebooks } from "./report.ts";
import { stripAnsi } from "./export_html.ts";

const root = new URL("../", import.meta.url).pathname;
let passed = 0, failed = 0, skipped = 0;
const failures: string[] = [];

function count(ok: boolean, what: string): void {
  if (ok) passed++;
  else {
    failed++;
    failures.push(what);
  }
}

async function step(
  title: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ ok: boolean; out: string }> {
  console.log(`\n=== ${title}: deno ${args.join(" ")}`);
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const dec = new TextDecoder();
  let out = "";
  const pump = async (s: ReadableStream<Uint8Array>, w: (b: Uint8Array) => void) => {
    for await (const chunk of s) {
      out += dec.decode(chunk);
      w(chunk);
    }
  };
  await Promise.all([
    pump(child.stdout, (b) => Deno.stdout.writeSync(b)),
    pump(child.stderr, (b) => Deno.stderr.writeSync(b)),
  ]);
  const { code } = await child.status;
  return { ok: code === 0, out: stripAnsi(out) };
}

// the notebooks run with a fresh, temporary cache of trained models (lib/notebook/cache.ts): the
// report stage trains and fills it, the front-end stage loads from it, so both paths run and nothing
// in data/cache/ is ever needed or touched by a test
const cacheDir = Deno.makeTempDirSync({ prefix: "sgd-test-cache-" });
Deno.env.set("SGD_CACHE_DIR", cacheDir);
Deno.env.delete("SGD_CACHE");
addEventListener("unload", () => Deno.removeSync(cacheDir, { recursive: true }));

const t0 = performance.now();
const dirs = ["lib", "tools", "tests", "bench"].filter((d) => {
  try {
    return Deno.statSync(root + d).isDirectory;
  } catch {
    return false;
  }
});
count((await step("format", ["fmt", "--check"])).ok, "deno fmt --check");
count((await step("lint", ["lint"])).ok, "deno lint");
count((await step("type check", ["check", ...dirs])).ok, "deno check");

const unit = await step("unit and doc tests", ["test", "-A", "--doc", "lib", "tests"]);
const m = /(\d+) passed[^\n]*?\|\s*(\d+) failed/.exec(
  unit.out.split("\n").reverse().find((l) => / passed .*failed/.test(l)) ?? "",
);
if (m) {
  passed += Number(m[1]);
  failed += Number(m[2]);
  if (Number(m[2]) > 0) failures.push(`deno test: ${m[2]} failed`);
  if (!unit.ok && Number(m[2]) === 0) count(false, "deno test exited non-zero");
} else count(false, "deno test (no summary line: it did not run)");

console.log("\n=== notebook checks (stored without outputs, structure)");
const notebooks = listNotebooks();
for (const name of notebooks) {
  const problems = notebookProblems(
    name,
    JSON.parse(await Deno.readTextFile(`${root}notebooks/${name}`)),
  );
  console.log(
    `${problems.length ? "FAIL" : "ok  "} ${name}${problems.map((p) => `\n  ${p}`).join("")}`,
  );
  count(problems.length === 0, `notebook check ${name}`);
}

const python = await findJupyterPython();
const reportDir = `${root}reports-test`;
if (!python) {
  console.log(
    `\nSKIPPED notebook execution and browser check (${notebooks.length} notebooks): ` +
      `Jupyter was not found. ${JUPYTER_HINT}`,
  );
  skipped += 2 * notebooks.length + 1;
} else {
  const rep = await step("notebooks in quick mode", [
    "run",
    "-A",
    "tools/report.ts",
    "--quick",
    "--keep-going",
    "--out",
    reportDir,
  ]);
  const line = rep.out.split("\n").reverse().find((l) => l.startsWith("report-summary: "));
  if (!line) count(false, "report (no summary: it did not run)");
  else {
    const s = JSON.parse(line.slice("report-summary: ".length)) as {
      passed: string[];
      failed: string[];
    };
    for (const id of s.passed) count(true, id);
    for (const id of s.failed) count(false, `notebook ${id} raised`);
    const ran = s.passed.length + s.failed.length;
    if (ran < notebooks.length) count(false, `${notebooks.length - ran} notebook(s) not executed`);
  }
  const chromium = findChromium();
  if (!chromium) {
    console.log(
      "\nSKIPPED browser check: Chromium not found (install Debian's `chromium` or set CHROMIUM_PATH)",
    );
    skipped++;
  } else if (rep.ok) {
    console.log("\n=== offline browser check of the exported reports");
    for (const r of await checkReports(reportDir, chromium)) {
      // every `await show(` of the notebook must have produced a figure
      const source = r.file === "index.html" ? "" : await Deno.readTextFile(
        `${root}notebooks/${r.file.replace(/\.html$/, ".ipynb")}`,
      ).catch(() => "");
      const expected = (source.match(/await show\(/g) ?? []).length;
      if (r.plots < expected) {
        r.errors.push(`${r.plots} figures rendered, the notebook shows ${expected}`);
      }
      const ok = r.errors.length === 0;
      console.log(
        `${ok ? "ok  " : "FAIL"} ${r.file}: ${r.plots} plots, ${r.equations} equations` +
          (ok ? "" : r.errors.map((e) => `\n  ${e}`).join("")),
      );
      count(ok, `browser check ${r.file}`);
    }
  } else {
    console.log("\nbrowser check not run: the report failed");
    count(false, "browser check (report failed)");
  }
}

const notebookServer = findNotebookServer();
if (!notebookServer || !findChromium()) {
  console.log(
    `\nSKIPPED front-end check (${notebooks.length} notebooks): ` +
      (notebookServer
        ? "Chromium not found"
        : "jupyter-notebook not found (apt-get install jupyter-notebook)"),
  );
  skipped += notebooks.length;
} else {
  console.log("\n=== front-end check: Run All in classic Jupyter Notebook through Chromium");
  try {
    for (const r of await checkFrontEnd(notebooks)) {
      const ok = r.problems.length === 0;
      console.log(
        `${ok ? "ok  " : "FAIL"} ${r.notebook}: ${r.cells} cells, ${r.figures} figures drawn, ` +
          `${r.seconds.toFixed(1)} s${r.problems.map((p) => `\n  ${p}`).join("")}`,
      );
      count(ok, `front-end check ${r.notebook}`);
    }
  } catch (e) {
    console.log(`front-end check failed to run: ${(e as Error).message}`);
    count(false, "front-end check (did not run)");
  }
}

console.log(`\n${((performance.now() - t0) / 1000).toFixed(0)} s`);
if (failures.length) console.log(`failures:\n  ${failures.join("\n  ")}`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
Deno.exit(failed ? 1 : 0);
