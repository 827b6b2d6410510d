"""Vectorised numpy reference for bench/escape_compare.ts: first-passage
times of Langevin particles, θ ← θ − ηL'(θ) + √(2Dη) z, on the asymmetric
double well of lib/dynamics/landscapes.ts (the same numpy class as sde.py), started at
the minimum, absorbed past the barrier. The active set is compacted every
step (boolean indexing), the natural way to stop paying for particles that
have left.

Usage: python3 escape.py SPEC.json OUTDIR. SPEC: {"cases": [{"name", "count",
"steps", "repeat", "eta", "diffusion", "exit", "well": {...}}]}. Writes
OUTDIR/<name>.f64 (exit step per particle, −1 when censored) and prints
{"name": seconds (best of repeat)}.
"""

import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sde import DoubleWell  # noqa: E402


def run(c, seed):
    w = c["well"]
    well = DoubleWell(w["ha"], w["hb"], w["dl"], w["hc"], w["dlc"])
    rng = np.random.default_rng(seed)
    n, eta, exit_at = c["count"], c["eta"], c["exit"]
    sd = np.sqrt(2 * c["diffusion"] * eta)
    x = np.full(n, well.xa)
    idx = np.arange(n)
    steps = np.full(n, -1, dtype=np.float64)
    for k in range(1, c["steps"] + 1):
        slope, _ = well.slope_curvature(x)
        x = x - eta * slope + sd * rng.standard_normal(x.size)
        out = x > exit_at
        if out.any():
            steps[idx[out]] = k
            keep = ~out
            x, idx = x[keep], idx[keep]
            if x.size == 0:
                break
    return steps


def main():
    spec = json.load(open(sys.argv[1]))
    times = {}
    for c in spec["cases"]:
        best = float("inf")
        for r in range(c["repeat"]):
            t0 = time.perf_counter()
            steps = run(c, 100 + r)
            best = min(best, time.perf_counter() - t0)
        steps.astype(np.float64).tofile(os.path.join(sys.argv[2], c["name"] + ".f64"))
        times[c["name"]] = best
    print(json.dumps(times))


if __name__ == "__main__":
    main()
