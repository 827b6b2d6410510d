/**
 * Finding Jupyter and the Deno kernel, and executing a notebook headless.
 * Shared by the report and the notebook checks.
 */

/** How to install what is missing. */
export const JUPYTER_HINT =
  "Install Jupyter's headless runner: `sudo apt-get install jupyter-nbconvert python3-nbclient` " +
  "(Debian/Ubuntu) or `python3 -m pip install nbclient nbformat`.";

async function run(
  cmd: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } catch (e) {
    return { code: 127, stdout: "", stderr: (e as Error).message };
  }
}

/**
 * A Python interpreter that can import nbclient: `$SGD_PYTHON`, then
 * `python3` on PATH, then Debian's `/usr/bin/python3`. Undefined when none.
 */
export async function findJupyterPython(): Promise<string | undefined> {
  const candidates = [Deno.env.get("SGD_PYTHON"), "python3", "/usr/bin/python3"].filter((
    c,
  ): c is string => !!c);
  for (const py of candidates) {
    const r = await run(py, ["-c", "import nbclient, nbformat, jupyter_client"]);
    if (r.code === 0) return py;
  }
  return undefined;
}

/** Whether a kernelspec named `deno` is registered. */
export async function hasDenoKernel(python: string): Promise<boolean> {
  const r = await run(python, [
    "-c",
    "import jupyter_client.kernelspec as k, sys; sys.exit(0 if 'deno' in k.find_kernel_specs() else 1)",
  ]);
  return r.code === 0;
}

/**
 * Registers Deno's kernel (`deno jupyter --install`) when it is missing.
 * Other kernels are not touched.
 */
export async function ensureDenoKernel(python: string): Promise<void> {
  if (await hasDenoKernel(python)) return;
  console.log("registering the Deno Jupyter kernel (deno jupyter --install)");
  const r = await run(Deno.execPath(), ["jupyter", "--install"]);
  if (r.code !== 0 || !(await hasDenoKernel(python))) {
    throw new Error(`could not register the Deno kernel: ${r.stderr.trim()}`);
  }
}

/** Failure of a notebook, as reported by tools/execute_notebook.py. */
export interface NotebookFailure {
  cell: number | null;
  code_cell?: number;
  ename: string;
  evalue: string;
}

/** Kills the kernel whose "pid pgid" line is in `pidFile` (its whole process group), if alive. */
export function killKernel(pidFile: string): number | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(pidFile);
  } catch {
    return undefined; // the kernel never started
  }
  const [pid, pgid] = text.trim().split(/\s+/).map(Number);
  for (const target of [-(pgid ?? pid ?? 0), pid ?? 0]) {
    if (!Number.isInteger(target) || target === 0 || target === -1) continue;
    try {
      Deno.kill(target, "SIGKILL");
    } catch { /* already gone */ }
  }
  return pid;
}

/**
 * Executes `src` into `dst` with the Deno kernel. Prints "still running"
 * lines every `tickSeconds` so long work shows progress. When `signal`
 * aborts, the runner gets SIGTERM (it kills its kernel and exits), and
 * after `graceSeconds` the runner and the kernel's process group get
 * SIGKILL; the failure's `ename` is then "Interrupted".
 * @returns null on success, the failure otherwise
 */
export async function executeNotebook(
  python: string,
  src: string,
  dst: string,
  env: Record<string, string>,
  { timeout = 1800, tickSeconds = 15, label = src, signal, graceSeconds = 5 }: {
    timeout?: number;
    tickSeconds?: number;
    label?: string;
    signal?: AbortSignal;
    graceSeconds?: number;
  } = {},
): Promise<NotebookFailure | null> {
  const script = new URL("./execute_notebook.py", import.meta.url).pathname;
  const pidFile = await Deno.makeTempFile({ prefix: "sgd-kernel-", suffix: ".pid" });
  const child = new Deno.Command(python, {
    args: [script, src, dst, "--timeout", String(timeout), "--pid-file", pidFile],
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let hard: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already exited */ }
    hard = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already exited */ }
      killKernel(pidFile);
    }, graceSeconds * 1000);
  };
  if (signal?.aborted) stop();
  else signal?.addEventListener("abort", stop, { once: true });
  const t0 = performance.now();
  const timer = setInterval(() => {
    console.log(`  … ${label}: ${((performance.now() - t0) / 1000).toFixed(0)} s elapsed`);
  }, tickSeconds * 1000);
  let out: Deno.CommandOutput;
  try {
    out = await child.output();
  } finally {
    clearInterval(timer);
    clearTimeout(hard);
    signal?.removeEventListener("abort", stop);
    if (signal?.aborted) killKernel(pidFile); // whatever the runner did, no kernel outlives it
    await Deno.remove(pidFile).catch(() => {});
  }
  const stderr = new TextDecoder().decode(out.stderr);
  if (signal?.aborted) {
    return { cell: null, ename: "Interrupted", evalue: `stopped by ${String(signal.reason)}` };
  }
  if (out.code === 0) return null;
  const line = stderr.trim().split("\n").reverse().find((l) => l.startsWith("{"));
  if (out.code === 3 && line) return JSON.parse(line) as NotebookFailure;
  return {
    cell: null,
    ename: `execute_notebook.py exit ${out.code}`,
    evalue: stderr.trim().slice(-2000),
  };
}
