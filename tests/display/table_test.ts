import assert from "node:assert/strict";
import { tableDisplay } from "../../lib/display/table.ts";
import { JUPYTER_DISPLAY } from "../../lib/display/mime.ts";

Deno.test("tableDisplay: MIME bundle with caption, header and rows in text and HTML", () => {
  const t = tableDisplay("SGN across batches", [
    { model: "ResNet", S: 16, "α̂ [95% CI]": "1.50 [1.40, 1.60]" },
    { model: "MLP", S: 512, "α̂ [95% CI]": "1.98 [1.90, 2.05]" },
  ]);
  const b = t[JUPYTER_DISPLAY]();
  assert.deepEqual(Object.keys(b), ["text/plain", "text/html"]);
  assert.equal(
    b["text/plain"],
    "SGN across batches\nmodel | S | α̂ [95% CI]\nResNet | 16 | 1.50 [1.40, 1.60]\n" +
      "MLP | 512 | 1.98 [1.90, 2.05]",
  );
  assert.equal(
    b["text/html"],
    "<table><caption>SGN across batches</caption><thead><tr><th>model</th><th>S</th>" +
      "<th>α̂ [95% CI]</th></tr></thead><tbody>" +
      "<tr><td>ResNet</td><td>16</td><td>1.50 [1.40, 1.60]</td></tr>" +
      "<tr><td>MLP</td><td>512</td><td>1.98 [1.90, 2.05]</td></tr></tbody></table>",
  );
});

Deno.test("tableDisplay: caption, column names and cells are HTML-escaped (text/plain is not)", () => {
  const t = tableDisplay(`a <b> & "c"`, [{ "<k>": "x < y & z", n: -0.5, 'q"': NaN }]);
  const b = t[JUPYTER_DISPLAY]();
  assert.equal(
    b["text/html"],
    "<table><caption>a &lt;b&gt; &amp; &quot;c&quot;</caption><thead><tr><th>&lt;k&gt;</th>" +
      "<th>n</th><th>q&quot;</th></tr></thead><tbody><tr><td>x &lt; y &amp; z</td><td>-0.5</td>" +
      "<td>NaN</td></tr></tbody></table>",
  );
  assert.equal(b["text/plain"], `a <b> & "c"\n<k> | n | q"\nx < y & z | -0.5 | NaN`);
});

Deno.test("tableDisplay: rows left unmodified; edge cases", () => {
  const rows = [{ a: 1, b: "x" }];
  const copy = structuredClone(rows);
  tableDisplay("c", rows)[JUPYTER_DISPLAY]();
  assert.deepEqual(rows, copy);
  assert.throws(() => tableDisplay("c", []), {
    name: "RangeError",
    message: "rows must hold at least one row, got 0",
  });
  assert.throws(() => tableDisplay("c", [{ a: 1, b: 2 }, { a: 1 }]), {
    name: "TypeError",
    message: "rows[1] must have the columns of rows[0] (a, b), got a",
  });
  assert.throws(() => tableDisplay("c", [{ a: 1, b: 2 }, { b: 2, a: 1 }]), {
    name: "TypeError",
    message: "rows[1] must have the columns of rows[0] (a, b), got b, a",
  });
});
