/**
 * The statistics behind the two SGN claims of the post's "Modelling the SGN" section, computed
 * from {@link sgnShape} rows (notebook 02) or {@link streamedSgnShape} rows (notebook 08), so that
 * both notebooks judge the same way:
 *
 * - across batches: the smallest S from which, at every larger S, the post's reading holds
 *   (neither the followed coordinates nor the projections are "not Gaussian"), or 2·max S when
 *   it does not even hold at the largest S;
 * - across parameters: the largest upper end, over S, of the α̂ interval of one noise vector's
 *   pooled coordinates.
 *
 * Each comes with the same statistic on the rows' negative control.
 *
 * @module
 */
import type { BatchSummaries, SgnShapeRow } from "./sgn_shape.ts";
import { holdsFrom } from "./batch_normality.ts";

/** The post's reading at one S: neither the coordinates nor the projections "not Gaussian". */
export function acrossBatchReadingHolds(s: BatchSummaries): boolean {
  return s.coordinates.verdict !== "not Gaussian" && s.projections?.verdict !== "not Gaussian";
}

/**
 * The smallest S from which the reading holds at every larger S (undefined: not even at the
 * largest), on the measured summaries or, with `pick`, on others (e.g. the control's).
 */
export function acrossBatchReadingFrom(
  rows: readonly SgnShapeRow[],
  pick: (r: SgnShapeRow) => BatchSummaries = (r) => r.batch.summary,
): number | undefined {
  return holdsFrom(rows.map((r) => r.S), rows.map((r) => acrossBatchReadingHolds(pick(r))));
}

/**
 * The across-batch claim's statistic and its control's: the smallest S of the reading, or
 * 2·max S ("never") when it fails at the largest S.
 * @throws TypeError when the rows were computed without controls
 */
export function acrossBatchStatistic(rows: readonly SgnShapeRow[]): {
  value: number;
  control: number;
} {
  const never = 2 * Math.max(...rows.map((r) => r.S));
  if (rows.some((r) => !r.batch.control)) {
    throw new TypeError("rows must carry the across-batch control (sgnShape with controlPrng)");
  }
  return {
    value: acrossBatchReadingFrom(rows) ?? never,
    control: acrossBatchReadingFrom(rows, (r) => r.batch.control!) ?? never,
  };
}

/**
 * The across-parameter claim's statistic and its control's: the largest upper end over S of the
 * α̂ interval of the pooled coordinates.
 * @throws TypeError when the rows were computed without controls
 */
export function acrossParameterStatistic(rows: readonly SgnShapeRow[]): {
  value: number;
  control: number;
} {
  if (rows.some((r) => !r.param.control)) {
    throw new TypeError("rows must carry the across-parameter control (sgnShape with controlPrng)");
  }
  return {
    value: Math.max(...rows.map((r) => r.param.alpha.upper)),
    control: Math.max(...rows.map((r) => r.param.control!.upper)),
  };
}
