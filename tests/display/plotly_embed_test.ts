import assert from "node:assert/strict";
import { embedPlotly, PART_CHARS, plotlyParts } from "../../lib/display/plotly_embed.ts";

/** Runs the parts' scripts in order against a stand-in window and document; returns what ran. */
function runParts(parts: string[], win: Record<string, unknown> = {}): string[] {
  const ran: string[] = [];
  const document = {
    createElement: () => ({ text: "" }),
    head: { appendChild: (s: { text: string }) => ran.push(s.text) },
  };
  for (const html of parts) {
    const m = /^<script>([\s\S]*)<\/script>/.exec(html);
    assert.ok(m, "each part starts with one script");
    assert.ok(!/<\/script/i.test(m[1]!), "no </script inside the script");
    new Function("window", "document", m[1]!)(win, document);
  }
  return ran;
}

Deno.test("plotlyParts: parts under the size limit that reassemble to the source, run once", () => {
  const source = "var Plotly={};/*</script><!-- é */" + "x".repeat(2500) +
    '"quotes" and \\ backslashes';
  const parts = plotlyParts(source, "t1", "9.9.9", 1000);
  assert.equal(parts.length, Math.ceil(source.length / 1000));
  for (const p of parts) assert.ok(p.length < 1000 * 1.2 + 600, `part of ${p.length} characters`);
  assert.deepEqual(runParts(parts), [source]);
  assert.match(
    parts.at(-1)!,
    /plotly\.js 9\.9\.9 is stored in this notebook's outputs \(3 parts\)/,
  );
  // a page that already has Plotly runs nothing; parts of two embeddings never mix
  assert.deepEqual(runParts(parts, { Plotly: {} }), []);
  const win: Record<string, unknown> = {};
  const other = plotlyParts("y".repeat(1500), "t2", "1", 1000);
  assert.deepEqual(runParts([parts[0]!, other[0]!, other[1]!], win), ["y".repeat(1500)]);
  // a missing part: nothing runs (a half-saved notebook must not run half of plotly.js)
  assert.deepEqual(runParts([parts[0]!, parts[2]!]), []);
});

Deno.test("plotlyParts: the real plotly.js fits in messages under 1 MB; bad input named", async () => {
  const src = await Deno.readTextFile(
    new URL("../../node_modules/plotly.js-dist-min/plotly.min.js", import.meta.url),
  );
  const parts = plotlyParts(src, "real", "x");
  // each message, as the kernel serialises it (the HTML inside JSON), stays under 1 MB
  const bytes = (p: string) =>
    new TextEncoder().encode(JSON.stringify({ data: { "text/html": p } })).length;
  assert.ok(parts.every((p) => bytes(p) < 1_000_000), parts.map(bytes).join(", "));
  assert.equal(parts.length, Math.ceil(src.length / PART_CHARS));
  assert.throws(() => plotlyParts("", "a", "1"), /source must be plotly.js/);
  assert.throws(() => plotlyParts("x", "a b", "1"), /id must be/);
  assert.throws(() => plotlyParts("x", "a", "1", 0), /maxChars must be an integer >= 1, got 0/);
});

Deno.test("embedPlotly: outside a live kernel nothing is sent", async () => {
  assert.equal(await embedPlotly(), 0);
});
