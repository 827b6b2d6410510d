/**
 * The contract every {@link GradientOracle} must meet, as test helpers shared by the analytic
 * oracles' tests and the TensorFlow.js oracles' (MLP, ResNet): the gradient is the derivative of
 * the loss, and a batch gradient is the mean of the per-example rows (each row the gradient of its
 * own example). Tolerances are the caller's: float64 oracles are exact to ~1e-10, float32
 * networks to ~1e-4.
 */
import assert from "node:assert/strict";
import type { GradientOracle } from "../../lib/noise/oracle.ts";
import { assertAllClose } from "../_assert.ts";

/**
 * Asserts |∂L/∂θ_j − (L(θ + h e_j) − L(θ − h e_j))/(2h)| ≤ atol for each probed coordinate j
 * (default all) at the oracle's current θ, which is restored afterwards.
 */
export function assertGradientIsLossDerivative(
  oracle: GradientOracle,
  { h, atol, coordinates }: { h: number; atol: number; coordinates?: number[] },
): void {
  const theta = oracle.getParams();
  const g = oracle.fullGradient();
  try {
    for (const j of coordinates ?? Array.from({ length: oracle.dim }, (_, i) => i)) {
      const tp = theta.slice(), tm = theta.slice();
      tp[j]! += h;
      tm[j]! -= h;
      oracle.setParams(tp);
      const lp = oracle.loss();
      oracle.setParams(tm);
      const fd = (lp - oracle.loss()) / (2 * h);
      assert.ok(
        Math.abs(fd - g[j]!) <= atol,
        `coordinate ${j}: difference quotient ${fd}, gradient ${g[j]}`,
      );
    }
  } finally {
    oracle.setParams(theta);
  }
}

/**
 * Asserts that `perExampleGradients(indices)` is indices.length × dim, that its mean is
 * `batchGradient(indices)`, and (with `singles`) that each row equals the batch gradient of its
 * single example, all within { rtol, atol }.
 */
export function assertBatchIsMeanOfRows(
  oracle: GradientOracle,
  indices: number[],
  { rtol, atol, singles = false }: { rtol: number; atol: number; singles?: boolean },
): void {
  const rows = oracle.perExampleGradients(indices);
  assert.equal(rows.rows, indices.length);
  assert.equal(rows.cols, oracle.dim);
  const mean = new Float64Array(oracle.dim);
  for (let r = 0; r < rows.rows; r++) {
    const row = rows.data.subarray(r * rows.cols, (r + 1) * rows.cols);
    if (singles) assertAllClose(row, oracle.batchGradient([indices[r]!]), { rtol, atol });
    for (let c = 0; c < rows.cols; c++) mean[c]! += row[c]! / rows.rows;
  }
  assertAllClose(oracle.batchGradient(indices), mean, { rtol, atol });
}
