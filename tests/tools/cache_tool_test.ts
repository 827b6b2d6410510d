import assert from "node:assert/strict";
import { formatBytes, listingLines } from "../../tools/cache.ts";
import { ResultCache } from "../../lib/notebook/cache.ts";
import { scorecardHtml } from "../../tools/scorecard.ts";

const tool = new URL("../../tools/cache.ts", import.meta.url).pathname;

async function run(...args: string[]) {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", tool, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
}

Deno.test("formatBytes: B, kB, MB", () => {
  assert.equal(formatBytes(999), "999 B");
  assert.equal(formatBytes(1500), "1.5 kB");
  assert.equal(formatBytes(2_345_678), "2.3 MB");
  assert.equal(formatBytes(123_000_000), "123 MB");
});

Deno.test("tools/cache.ts: list shows entries and sizes, clear empties the folder", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "sgd-cache-tool-" });
  try {
    const cache = new ResultCache({ dir, log: () => {} });
    await cache.cached("train", { a: 1 }, () => new Float32Array(5000), { label: "MLP 784-32-10" });
    Deno.writeTextFileSync(`${dir}/notes.txt`, "kept");
    const lines = listingLines(cache, cache.list());
    assert.match(lines[0]!, /: 1 file\(s\), 20 kB$/);
    assert.match(lines[2]!, /20 kB .* train +MLP 784-32-10 +\[train-[0-9a-f]{32}\.sgdcache\]/);
    const list = await run("list", "--dir", dir);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, /MLP 784-32-10/);
    const clear = await run("clear", "--dir", dir);
    assert.equal(clear.code, 0, clear.err);
    assert.match(clear.out, /^removed 1 file\(s\), 20 kB, from /);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["notes.txt"]);
    assert.match((await run("list", "--dir", dir)).out, /: empty/);
    const bad = await run("purge");
    assert.equal(bad.code, 2);
    assert.match(bad.err, /usage: deno run -A tools\/cache\.ts list\|clear \[--dir DIR\]/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("scorecard: the run line says which cache the notebooks used", () => {
  const meta = { date: "d", quick: true, deno: "2", tfjs: "4", totalSeconds: 1 };
  assert.match(
    scorecardHtml([], { ...meta, cache: "data/cache" }),
    /cache <code>data\/cache<\/code>/,
  );
  assert.match(scorecardHtml([], { ...meta, cache: "off" }), /cache off \(everything computed\)/);
  assert.doesNotMatch(scorecardHtml([], meta), /cache/);
});
