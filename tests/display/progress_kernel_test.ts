/**
 * A live progress bar in a real Deno kernel (needs Debian's python3 with jupyter_client and the
 * `deno` kernelspec, which `.ci/run` installs): a loop that ticks and flushes after every step of
 * synchronous work gets its bar updated on IOPub while it runs, at least once a second.
 */
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("Progress: in a live kernel, a ticking and flushing loop of ~4 s moves its bar at least once a second", async () => {
  const out = await new Deno.Command("/usr/bin/python3", {
    args: ["tests/display/kernel_progress.py", "400"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  assert.equal(out.code, 0, `kernel_progress.py failed: ${dec.decode(out.stderr)}`);
  const r = JSON.parse(dec.decode(out.stdout).trim().split("\n").at(-1)!) as {
    updates: number;
    max_gap_s: number;
    with_bar_s: number;
    without_bar_s: number;
  };
  console.log(`progress in a live kernel: ${JSON.stringify(r)}`);
  // the first display, one update per 500 ms interval over the loop's ≥ 4 s, and the final one
  assert.ok(r.updates >= 1 + Math.floor(r.with_bar_s) + 1, JSON.stringify(r));
  // the bar's interval is 500 ms; a gap over 1 s would mean updates were held back
  assert.ok(r.max_gap_s <= 1, JSON.stringify(r));
});
