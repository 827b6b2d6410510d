/**
 * The delivery check in a real Deno kernel (needs Debian's python3 with jupyter_client and the
 * `deno` kernelspec, which `.ci/run` installs): with Run All's queue of requests, the kernel's own
 * route puts some outputs under the next cell; the library's route puts none there.
 */
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url).pathname;

async function race(mode: "raw" | "lib", cells: number) {
  const out = await new Deno.Command("/usr/bin/python3", {
    args: ["tests/display/kernel_race.py", mode, String(cells)],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  assert.equal(
    out.code,
    0,
    `kernel_race.py ${mode} failed: ${new TextDecoder().decode(out.stderr)}`,
  );
  return JSON.parse(text.split("\n").at(-1)!) as { seen: number; misplaced: number };
}

Deno.test("delivery: in a live Deno kernel, no output of 40 queued cells lands under the next cell", async () => {
  const lib = await race("lib", 40);
  assert.deepEqual(lib, { mode: "lib", cells: 40, seen: 40, misplaced: 0 });
  // negative control, same harness: the kernel's own route misplaces some (measured 7 to 13 of
  // 40 per run here); if it ever misplaces none, this harness no longer shows the race
  const raw = await race("raw", 40);
  assert.equal(raw.seen, 40);
  assert.ok(
    raw.misplaced >= 1,
    `the kernel's own route misplaced none of 40: ${JSON.stringify(raw)}`,
  );
});
