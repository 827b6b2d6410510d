/**
 * Shared plumbing of the side-by-side benchmarks: run a Python reference on
 * the same cases, read back its float64 results, print aligned tables.
 */

/** What a reference script left behind: its timings and one result file per case. */
export interface ReferenceRun {
  /** Seconds per case name, as printed (JSON) on the script's stdout. */
  times: Record<string, number>;
  /** The float64 array the script wrote to DIR/NAME.f64. */
  read(name: string): Promise<Float64Array>;
}

/**
 * Writes `{ cases }` to a temporary spec.json, runs
 * `/usr/bin/python3 bench/reference/SCRIPT spec.json DIR` (Debian's Python
 * with numpy, scipy, torch), hands the outputs to `use`, then removes DIR.
 */
export async function withReference<T>(
  script: string,
  cases: unknown[],
  use: (ref: ReferenceRun) => Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "sgd_bench_" });
  try {
    await Deno.writeTextFile(`${dir}/spec.json`, JSON.stringify({ cases }));
    const out = await new Deno.Command("/usr/bin/python3", {
      args: [new URL(`./reference/${script}`, import.meta.url).pathname, `${dir}/spec.json`, dir],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (!out.success) throw new Error(`reference ${script} failed with code ${out.code}`);
    const times = JSON.parse(new TextDecoder().decode(out.stdout).trim()) as Record<string, number>;
    return await use({
      times,
      read: async (name) => {
        const bytes = await Deno.readFile(`${dir}/${name}.f64`);
        return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
      },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Prints rows (the first is the header) in aligned columns. */
export function printTable(rows: string[][], align: "left" | "right" = "right"): void {
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => r[k]?.length ?? 0)));
  for (const r of rows) {
    console.log(
      r.map((v, k) => (align === "right" ? v.padStart(widths[k]!) : v.padEnd(widths[k]!))).join(
        "  ",
      ),
    );
  }
}

/** Runs `fn(r)` for r = 0..repeat−1; returns the shortest time (s) and the last result. */
export function bestOf<T>(repeat: number, fn: (r: number) => T): { seconds: number; value: T } {
  let seconds = Infinity, value: T | undefined;
  for (let r = 0; r < Math.max(1, repeat); r++) {
    const t0 = performance.now();
    value = fn(r);
    seconds = Math.min(seconds, (performance.now() - t0) / 1000);
  }
  return { seconds, value: value as T };
}

/**
 * Times our side of a comparison case by case: `bestOf(c.repeat, (r) => run(c, 100 + r))` for
 * each case (seeds 100, 101, … per repeat), keyed by case name.
 */
export function timeCases<C extends { name: string; repeat: number }, T>(
  cases: readonly C[],
  run: (c: C, seed: number) => T,
): Map<string, { seconds: number; value: T }> {
  return new Map(cases.map((c) => [c.name, bestOf(c.repeat, (r) => run(c, 100 + r))]));
}
