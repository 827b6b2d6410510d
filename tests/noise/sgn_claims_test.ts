import assert from "node:assert/strict";
import {
  acrossBatchReadingFrom,
  acrossBatchStatistic,
  acrossParameterStatistic,
} from "../../lib/noise/sgn_claims.ts";
import type { SgnShapeRow } from "../../lib/noise/sgn_shape.ts";

type V = "Gaussian" | "approximately Gaussian" | "not Gaussian";
/** Rows carrying only what the statistics read: verdicts per S and α̂ upper ends. */
function rows(
  spec: { S: number; coords: V; proj?: V; control: V; upper: number; cUpper: number }[],
) {
  return spec.map((s) => ({
    S: s.S,
    param: { alpha: { upper: s.upper }, control: { upper: s.cUpper } },
    batch: {
      summary: {
        coordinates: { verdict: s.coords },
        ...(s.proj ? { projections: { verdict: s.proj } } : {}),
      },
      control: { coordinates: { verdict: s.control } },
    },
  })) as unknown as SgnShapeRow[];
}

Deno.test("acrossBatchStatistic: the smallest S from which the reading holds at every larger S; 2·max S when never", () => {
  const r = rows([
    { S: 16, coords: "not Gaussian", control: "not Gaussian", upper: 1.7, cUpper: 2.1 },
    {
      S: 32,
      coords: "approximately Gaussian",
      proj: "not Gaussian",
      control: "not Gaussian",
      upper: 1.9,
      cUpper: 2.0,
    },
    {
      S: 64,
      coords: "Gaussian",
      proj: "approximately Gaussian",
      control: "not Gaussian",
      upper: 1.8,
      cUpper: 2.2,
    },
    { S: 128, coords: "approximately Gaussian", control: "not Gaussian", upper: 1.6, cUpper: 2.05 },
  ]);
  // at 32 the projections fail: the reading holds from 64
  assert.deepEqual(acrossBatchStatistic(r), { value: 64, control: 256 });
  assert.equal(acrossBatchReadingFrom(r.slice(0, 2)), undefined);
  assert.deepEqual(acrossParameterStatistic(r), { value: 1.9, control: 2.2 });
});

Deno.test("SGN claim statistics: rows without controls are an error", () => {
  const r = rows([{ S: 16, coords: "Gaussian", control: "Gaussian", upper: 1, cUpper: 1 }]);
  const bare = r.map((x) => ({ ...x, param: { ...x.param, control: undefined } })) as SgnShapeRow[];
  assert.throws(() => acrossParameterStatistic(bare), /across-parameter control/);
  const noBatch = r.map((x) => ({
    ...x,
    batch: { ...x.batch, control: undefined },
  })) as SgnShapeRow[];
  assert.throws(() => acrossBatchStatistic(noBatch), /across-batch control/);
});
