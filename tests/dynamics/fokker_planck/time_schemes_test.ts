import assert from "node:assert/strict";
import {
  backwardEulerStep,
  crankNicolsonStep,
  type InitialGuess,
  type StepArrays,
  type StepSystem,
  timeStep,
  TR_GAMMA,
  trBdf2Step,
} from "../../../lib/dynamics/fokker_planck/time_schemes.ts";
import { assertAllClose } from "../../_assert.ts";

/**
 * dp/dt = −λ p for one cell, all the loss counted as outflow (rate λ p); the shifted solve is
 * exact, and `guesses` records the initial guess each solve receives.
 */
function decay(lambda: number) {
  const guesses: number[] = [];
  const sys: StepSystem = {
    solveShifted: (c, b, x) => {
      guesses.push(x[0]!);
      x[0] = b[0]! / (1 + c * lambda);
    },
    divergence: (q, out) => (out[0] = -lambda * q[0]!),
    addOutflowRates: (q, w, acc) => (acc[0] = acc[0]! + w * lambda * q[0]!),
  };
  return { sys, guesses };
}

function arrays(p0: number, prev = 0): StepArrays {
  return {
    p: Float64Array.of(p0),
    prev: Float64Array.of(prev),
    next: new Float64Array(1),
    star: new Float64Array(1),
    rhs: new Float64Array(1),
    outflow: new Float64Array(1),
  };
}

/** Amplification factor R(z) = p⁺/p for z = −λ dt, and the outflow over the step. */
function amplification(step: typeof backwardEulerStep, z: number) {
  const { sys } = decay(-z), s = arrays(1);
  step(sys, 1, s, "none");
  return { r: s.next[0]!, outflow: s.outflow[0]! };
}

Deno.test("backward Euler and Crank–Nicolson: amplification factors 1/(1 − z) and (1 + z/2)/(1 − z/2)", () => {
  for (const z of [-0.01, -0.5, -3, -100]) {
    assertAllClose(amplification(backwardEulerStep, z).r, 1 / (1 - z), { rtol: 1e-15 });
    assertAllClose(amplification(crankNicolsonStep, z).r, (1 + z / 2) / (1 - z / 2), {
      rtol: 1e-14,
    });
  }
});

Deno.test("TR-BDF2: second order (local error ∝ z³), L-stable (R(z) → 0 as z → −∞)", () => {
  const err = (z: number) => Math.abs(amplification(trBdf2Step, z).r - Math.exp(z));
  // the local error is C z³ + O(z⁴): halving z divides it by ≈ 8
  const ratio = err(-0.02) / err(-0.01);
  assert.ok(Math.abs(ratio - 8) < 0.1, `ratio ${ratio}`);
  assert.ok(Math.abs(amplification(trBdf2Step, -1e8).r) < 1e-7);
  // Crank–Nicolson is only A-stable: R(−∞) = −1
  assertAllClose(amplification(crankNicolsonStep, -1e8).r, -1, { rtol: 1e-7 });
});

Deno.test("every scheme's outflow quadrature conserves mass + outflow to round-off", () => {
  for (const step of [backwardEulerStep, crankNicolsonStep, trBdf2Step]) {
    for (const z of [-0.1, -2, -50]) {
      const { r, outflow } = amplification(step, z);
      // a few roundings of O(1) numbers
      assertAllClose(r + outflow, 1, { rtol: 4e-15 });
    }
  }
});

Deno.test("initial guesses: none, the current density, or extrapolated from the previous step", () => {
  // backward Euler with p = 1, prev = 0.5: no guess (0 left in x), p, or 2p − prev
  for (const [guess, seen] of [["none", 0], ["current", 1], ["extrapolate", 1.5]] as const) {
    const d = decay(1), s = arrays(1, 0.5);
    s.next[0] = 0;
    backwardEulerStep(d.sys, 0.1, s, guess as InitialGuess);
    assert.equal(d.guesses[0], seen);
  }
  // TR-BDF2: the stage guess p + γ(p − prev), then the second solve starts from p + (p* − p)/γ
  const d = decay(1), s = arrays(1, 2);
  trBdf2Step(d.sys, 0.1, s, "extrapolate");
  assertAllClose(d.guesses[0]!, 1 - TR_GAMMA, { rtol: 1e-15 });
  const star = s.star[0]!;
  assertAllClose(d.guesses[1]!, 1 + (star - 1) / TR_GAMMA, { rtol: 1e-15 });
});

Deno.test("timeStep dispatches on the scheme name", () => {
  for (
    const [scheme, step] of [
      ["backward-euler", backwardEulerStep],
      ["crank-nicolson", crankNicolsonStep],
      ["tr-bdf2", trBdf2Step],
    ] as const
  ) {
    const a = arrays(1), b = arrays(1);
    timeStep(scheme, decay(2).sys, 0.3, a, "none");
    step(decay(2).sys, 0.3, b, "none");
    assert.deepEqual(a.next, b.next);
  }
});
