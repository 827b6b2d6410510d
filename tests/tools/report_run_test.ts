// The report command end to end on two small fixture notebooks (tests/fixtures/report_notebooks):
// overrides checked before anything runs, a failing run into an existing report, `--only` into a
// full report, SIGINT/SIGTERM during a run (no runner or kernel process left, checked by PID).
import assert from "node:assert/strict";
import { findJupyterPython } from "../../tools/jupyter.ts";

const root = new URL("../../", import.meta.url).pathname;
const fixtures = `${root}tests/fixtures/report_notebooks`;
const hasJupyter = (await findJupyterPython()) !== undefined;

function command(out: string, args: string[], env: Record<string, string> = {}) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}tools/report.ts`, "--notebooks", fixtures, "--out", out, ...args],
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  });
}

async function report(out: string, args: string[], env: Record<string, string> = {}) {
  const r = await command(out, args, env).output();
  const dec = new TextDecoder();
  return { code: r.code, text: dec.decode(r.stdout) + dec.decode(r.stderr) };
}

function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of Deno.readDirSync(d)) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) walk(p);
      else files[p.slice(dir.length + 1)] = Deno.readTextFileSync(p);
    }
  };
  walk(dir);
  return files;
}

async function withTemp(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sgd-report-test-" });
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("report overrides: every bad --set or SGD_PARAMS is rejected before anything runs", async () => {
  await withTemp(async (tmp) => {
    const out = `${tmp}/out`;
    const cases: [string[], Record<string, string>, RegExp][] = [
      [
        ["--set", "06_escape.particles=10"],
        {},
        /--set 06_escape\.…: unknown notebook "06_escape" \(known: 01_alpha, 02_beta\)/,
      ],
      [
        [],
        { SGD_PARAMS: '{"01_alpa":{"count":3}}' },
        /SGD_PARAMS\["01_alpa"\]: unknown notebook "01_alpa"/,
      ],
      [
        ["--set", "*.bogus=1"],
        {},
        /--set \*\.bogus: no notebook of this run declares parameter "bogus"/,
      ],
      [
        [],
        { SGD_PARAMS: '{"*":{"bogus":1}}' },
        /SGD_PARAMS\["\*"\]\.bogus: no notebook of this run declares parameter "bogus"/,
      ],
      // "beta" is declared by 02_beta only, which --only leaves out
      [
        ["--only", "01", "--set", "*.beta=4"],
        {},
        /--set \*\.beta: no notebook of this run declares parameter "beta"/,
      ],
      [
        ["--set", "01_alpha.bogus=1"],
        {},
        /01_alpha: TypeError: unknown parameter "bogus" from --set\["01_alpha"\]; known: value, count, sizes, mode, fail, spin/,
      ],
      [
        ["--set", "01_alpha.value=x"],
        {},
        /01_alpha: TypeError: parameter "value" from --set\["01_alpha"\] must be number, got string \("x"\)/,
      ],
      [
        ["--set", '01_alpha.sizes=[1,"x"]'],
        {},
        /parameter "sizes" from --set\["01_alpha"\], element 1, must be number, got string \("x"\)/,
      ],
      [
        ["--set", "01_alpha.sizes=[1,1e999]"],
        {},
        /--set 01_alpha.sizes: element 1 must be a finite number, got Infinity/,
      ],
      [
        ["--set", "01_alpha.count=-5"],
        {},
        /01_alpha: RangeError: parameter "count" from --set\["01_alpha"\] must be >= 1, got -5/,
      ],
      [
        ["--set", "01_alpha.count=2.5"],
        {},
        /parameter "count" from --set\["01_alpha"\] must be an integer, got 2.5/,
      ],
      [
        ["--set", "02_beta.count=11"],
        {},
        /02_beta: RangeError: parameter "count" from --set\["02_beta"\] must be <= 10, got 11/,
      ],
      [
        ["--set", "*.sizes=[0]"],
        {},
        /parameter "sizes" from --set\["\*"\], element 0, must be >= 1, got 0/,
      ],
      [
        ["--set", "01_alpha.mode=c"],
        {},
        /parameter "mode" from --set\["01_alpha"\] must be one of "a", "b", got "c"/,
      ],
      [
        [],
        { SGD_PARAMS: '{"02_beta":{"count":0}}' },
        /02_beta: RangeError: parameter "count" from SGD_PARAMS\["02_beta"\] must be >= 1, got 0/,
      ],
      [[], { SGD_PARAMS: "{oops" }, /SGD_PARAMS must be JSON/],
      [["--set", "count=3"], {}, /--set must look like NOTEBOOK.KEY=VALUE/],
    ];
    for (const [args, env, message] of cases) {
      const r = await report(out, args, env);
      assert.equal(r.code, 2, `${args.join(" ")} ${JSON.stringify(env)}: ${r.text}`);
      assert.match(r.text, message);
      assert.doesNotMatch(r.text, /\[1\/\d\]/, "no notebook may start");
      assert.throws(() => Deno.statSync(out), Deno.errors.NotFound, "nothing is written");
    }
  });
});

Deno.test({
  name:
    "report: SGD_PARAMS and --set merge (--set wins); the scorecard and each parameters table show both",
  ignore: !hasJupyter,
  fn: () =>
    withTemp(async (tmp) => {
      const r = await report(`${tmp}/out`, ["--only", "01", "--set", "01_alpha.count=3"], {
        SGD_PARAMS: '{"01_alpha":{"value":1.5,"count":4}}',
      });
      assert.equal(r.code, 0, r.text);
      const claims = JSON.parse(Deno.readTextFileSync(`${tmp}/out/claims/01_alpha.json`)).claims;
      assert.equal(claims[0].value, 1.5);
      assert.equal(claims[0].detail, "count 3");
      const index = Deno.readTextFileSync(`${tmp}/out/index.html`);
      assert.match(
        index,
        /<code>SGD_PARAMS<\/code> <code>\{&quot;01_alpha&quot;:\{&quot;value&quot;:1.5,&quot;count&quot;:4\}\}<\/code>/,
      );
      assert.match(
        index,
        /<code>--set<\/code> <code>\{&quot;01_alpha&quot;:\{&quot;count&quot;:3\}\}<\/code>/,
      );
      const page = Deno.readTextFileSync(`${tmp}/out/01_alpha.html`);
      assert.match(page, /<td>count<\/td><td>3<\/td><td>--set<\/td><td>2<\/td>/);
      assert.match(page, /<td>value<\/td><td>1.5<\/td><td>SGD_PARAMS<\/td><td>1<\/td>/);
      assert.match(page, /<td>fail<\/td><td>false<\/td><td>default<\/td><td><\/td>/);
    }),
});

Deno.test({
  name:
    "report: a failing run into an existing report leaves it intact and says where the partial output is",
  ignore: !hasJupyter,
  fn: () =>
    withTemp(async (tmp) => {
      const out = `${tmp}/out`;
      const first = await report(out, []);
      assert.equal(first.code, 0, first.text);
      const before = snapshot(out);
      assert.ok(before["index.html"] && before["claims/01_alpha.json"] && before["02_beta.html"]);
      const r = await report(out, ["--set", "02_beta.fail=true", "--set", "01_alpha.value=0.5"]);
      assert.equal(r.code, 1, r.text);
      assert.match(
        r.text,
        /notebook 02_beta.ipynb failed at cell 3 \(code cell 3\): Error: fixture failure requested/,
      );
      assert.match(r.text, new RegExp(`the report in ${out}/ is unchanged`));
      assert.ok(
        r.text.includes(
          `executed copy with the traceback: ${out}/.failed-run/executed/02_beta.ipynb`,
        ),
        r.text,
      );
      // the previous report, byte for byte (the partial run sits apart in .failed-run/)
      const after = snapshot(out);
      for (const [k, v] of Object.entries(before)) assert.equal(after[k], v, k);
      const extra = Object.keys(after).filter((k) => !(k in before));
      assert.ok(extra.every((k) => k.startsWith(".failed-run/")), extra.join(", "));
      const partial = JSON.parse(after[".failed-run/claims/02_beta.json"]!);
      assert.deepEqual(partial.claims.map((c: { id: string }) => c.id), ["first"]);
      assert.match(after[".failed-run/executed/02_beta.ipynb"]!, /fixture failure requested/);
      // the next good run replaces the report and clears the failed run's leftovers
      const again = await report(out, ["--set", "01_alpha.value=0.5"]);
      assert.equal(again.code, 0, again.text);
      assert.deepEqual(
        [...Deno.readDirSync(out)].map((e) => e.name).filter((n) => n.startsWith(".")),
        [],
      );
      assert.equal(
        JSON.parse(Deno.readTextFileSync(`${out}/claims/01_alpha.json`)).claims[0].value,
        0.5,
      );
    }),
});

Deno.test({
  name: "report --only: updates its notebooks in an existing scorecard and keeps the others",
  ignore: !hasJupyter,
  fn: () =>
    withTemp(async (tmp) => {
      const out = `${tmp}/out`;
      assert.equal((await report(out, [])).code, 0);
      const before = snapshot(out);
      const r = await report(out, ["--only", "02", "--set", "02_beta.value=5"]);
      assert.equal(r.code, 0, r.text);
      assert.match(r.text, /kept from the previous report: 01_alpha/);
      const after = snapshot(out);
      for (const k of ["01_alpha.html", "claims/01_alpha.json", "executed/01_alpha.ipynb"]) {
        assert.equal(after[k], before[k], k);
      }
      assert.equal(JSON.parse(after["claims/02_beta.json"]!).claims[0].value, 5);
      const index = after["index.html"]!;
      assert.equal((index.match(/<tr><td><a href="01_alpha.html">/g) ?? []).length, 2 + 1);
      assert.equal((index.match(/<tr><td><a href="02_beta.html">/g) ?? []).length, 2 + 1);
      assert.match(index, /class="verdict not-reproduced"/); // 02_beta's value 5 > 4
      assert.match(index, /this run: 02_beta \(the others kept from earlier runs\)/);
      const data = JSON.parse(after["report.json"]!);
      assert.deepEqual(data.runs.map((x: { id: string }) => x.id), ["01_alpha", "02_beta"]);
    }),
});

/** The process ids below `pid` (children, grandchildren, …), read from /proc. */
function descendants(pid: number): { pid: number; cmd: string }[] {
  const children = new Map<number, number[]>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(e.name)]);
    } catch { /* gone */ }
  }
  const out: { pid: number; cmd: string }[] = [];
  const todo = [pid];
  while (todo.length) {
    for (const c of children.get(todo.pop()!) ?? []) {
      let cmd = "";
      try {
        cmd = Deno.readTextFileSync(`/proc/${c}/cmdline`).replaceAll("\0", " ");
      } catch { /* gone */ }
      out.push({ pid: c, cmd });
      todo.push(c);
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  Deno.test({
    name: `report: ${sig} in full mode stops the runner and its Deno kernel (none left, by PID)`,
    ignore: !hasJupyter,
    fn: () =>
      withTemp(async (tmp) => {
        const out = `${tmp}/out`;
        const child = command(out, ["--set", "01_alpha.spin=60"]).spawn();
        const t0 = Date.now();
        let procs: { pid: number; cmd: string }[] = [];
        // wait until the kernel runs (and a little more: it is then inside the busy cell)
        while (Date.now() - t0 < 60_000) {
          procs = descendants(child.pid);
          if (procs.some((p) => / jupyter .*--kernel/.test(p.cmd))) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        assert.ok(procs.some((p) => / jupyter .*--kernel/.test(p.cmd)), "the kernel never started");
        assert.ok(procs.some((p) => p.cmd.includes("execute_notebook.py")));
        await new Promise((r) => setTimeout(r, 2500));
        procs = descendants(child.pid);
        child.kill(sig);
        const [status, stdout, stderr] = await Promise.all([
          child.status,
          new Response(child.stdout).text(),
          new Response(child.stderr).text(),
        ]);
        assert.equal(status.code, code, stdout + stderr);
        assert.match(stderr, new RegExp(`${sig} received`));
        assert.ok(Date.now() - t0 < 50_000, "stopped long before the 60 s cell would end");
        await new Promise((r) => setTimeout(r, 500));
        const left = procs.filter((p) => alive(p.pid));
        assert.deepEqual(left, [], "processes left behind");
        // nothing of the interrupted run is left in the report folder
        assert.deepEqual([...Deno.readDirSync(out)].map((e) => e.name), []);
      }),
  });
}
