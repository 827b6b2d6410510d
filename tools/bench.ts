/**
 * `deno task bench [--quick]`: runs `deno bench` over bench/ (the Deno.bench
 * files, `*_bench.ts`), then every side-by-side comparison script
 * `bench/*_compare.ts`, which time this library and a reference
 * (numpy / scipy / PyTorch from Debian's packages) in one run and print the
 * ratio. Run it on an otherwise idle machine: the numbers are only
 * comparable within one run.
 */
const root = new URL("../", import.meta.url).pathname;
const quick = Deno.args.includes("--quick");
const files = [...Deno.readDirSync(`${root}bench`)].filter((e) => e.isFile).map((e) => e.name)
  .sort();
let failed = 0;
const run = async (args: string[]) => {
  console.log(`\n=== deno ${args.join(" ")}`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  })
    .output();
  if (code !== 0) failed++;
};
if (files.some((f) => f.endsWith("_bench.ts"))) await run(["bench", "-A", "bench/"]);
for (const f of files.filter((f) => f.endsWith("_compare.ts"))) {
  await run(["run", "-A", `bench/${f}`, ...(quick ? ["--quick"] : [])]);
}
if (files.length === 0) console.log("bench/ is empty");
Deno.exit(failed ? 1 : 0);
