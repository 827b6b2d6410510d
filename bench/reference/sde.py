"""Vectorised numpy reference particle simulators for bench/sde_compare.ts.

Each case advances N particles by the same recursion as lib/dynamics/sde/, with
numpy arrays over all particles per step and numpy's default generator
(PCG64, ziggurat normals):

- sgd-1d: discrete SGD θ ← θ − ηL'(θ) + η √(|L''(θ)|/S) z on the asymmetric
  double well of lib/dynamics/landscapes.ts (piecewise quintic, same parameters);
- langevin-2d: θ ← θ − η∇L + √(2Dη) z on the sharp/flat soft-min landscape;
- sgd-2d: θ ← θ − η∇L + η ξ, ξ ~ N(0, |H|/S), |H| and its Cholesky factor in
  closed form per particle, on the same landscape;
- em-ou: Euler–Maruyama X ← X − X dt + s √dt z.

Usage: python3 sde.py SPEC.json OUTDIR. SPEC: {"cases": [{"name", "count",
"steps", "repeat", ...}]}. Writes OUTDIR/<name>.f64 (final positions,
particle-major float64) and prints {"name": seconds (best of repeat)}.
"""

import json
import sys
import time

import numpy as np

# ---- asymmetric double well (lib/dynamics/landscapes.ts, AsymmetricDoubleWell)


def quintic(a, b):
    return np.array([0, 0, a / 2, 10 - 1.5 * a - 0.5 * b, -15 + 1.5 * a + b, 6 - 0.5 * a - 0.5 * b])


class DoubleWell:
    def __init__(self, ha, hb, dl, hc, dlc, xa=0.0):
        self.ha, self.hb, self.dl, self.hc, self.dlc = ha, hb, dl, hc, dlc
        self.w1 = np.sqrt(10 * dl / (ha + hb))
        self.w2 = np.sqrt(10 * dlc / (hc + hb))
        self.xa, self.xb, self.xc = xa, xa + self.w1, xa + self.w1 + self.w2
        self.p1 = quintic(ha * self.w1**2 / dl, hb * self.w1**2 / dl)
        self.p2 = quintic(hc * self.w2**2 / dlc, hb * self.w2**2 / dlc)

    def slope_curvature(self, x):
        c1, c2 = self.p1, self.p2
        t1 = np.clip((x - self.xa) / self.w1, 0, 1)
        t2 = np.clip((self.xc - x) / self.w2, 0, 1)
        dp1 = t1 * (2 * c1[2] + t1 * (3 * c1[3] + t1 * (4 * c1[4] + t1 * 5 * c1[5])))
        dp2 = t2 * (2 * c2[2] + t2 * (3 * c2[3] + t2 * (4 * c2[4] + t2 * 5 * c2[5])))
        d21 = 2 * c1[2] + t1 * (6 * c1[3] + t1 * (12 * c1[4] + t1 * 20 * c1[5]))
        d22 = 2 * c2[2] + t2 * (6 * c2[3] + t2 * (12 * c2[4] + t2 * 20 * c2[5]))
        left, right, first = x <= self.xa, x >= self.xc, x <= self.xb
        slope = np.where(
            left,
            self.ha * (x - self.xa),
            np.where(
                right,
                self.hc * (x - self.xc),
                np.where(first, self.dl * dp1 / self.w1, -self.dlc * dp2 / self.w2),
            ),
        )
        curv = np.where(
            left,
            self.ha,
            np.where(
                right,
                self.hc,
                np.where(first, self.dl * d21 / self.w1**2, self.dlc * d22 / self.w2**2),
            ),
        )
        return slope, curv


# ---- soft-min of two isotropic bowls (lib/dynamics/landscapes.ts, sharpFlatLandscape2d defaults)

CENTERS = np.array([[-1.0, 0.0], [1.0, 0.0]])
CURV = np.array([16.0, 1.0])
TAU = 0.05


def softmin_grad_hess(x):
    """x: (N, 2). Returns grad (N, 2) and Hessian entries h00, h01, h11 (N,)."""
    d = x[:, None, :] - CENTERS[None, :, :]  # (N, 2, 2)
    g = CURV[None, :, None] * d  # g_k = H_k (θ − μ_k)
    q = 0.5 * CURV[None, :] * np.sum(d * d, axis=2)  # (N, 2)
    q = q - q.min(axis=1, keepdims=True)
    w = np.exp(-q / TAU)
    w /= w.sum(axis=1, keepdims=True)
    gbar = np.einsum("nk,nkj->nj", w, g)
    h = np.einsum("nk,k->n", w, CURV)
    ggxx = np.einsum("nk,nk->n", w, g[:, :, 0] ** 2)
    ggxy = np.einsum("nk,nk->n", w, g[:, :, 0] * g[:, :, 1])
    ggyy = np.einsum("nk,nk->n", w, g[:, :, 1] ** 2)
    h00 = h - (ggxx - gbar[:, 0] ** 2) / TAU
    h01 = -(ggxy - gbar[:, 0] * gbar[:, 1]) / TAU
    h11 = h - (ggyy - gbar[:, 1] ** 2) / TAU
    return gbar, h00, h01, h11


def abs_cholesky(h00, h01, h11, scale):
    """Cholesky factor [f00, 0; f10, f11] of |H|·scale for symmetric 2×2 H."""
    m = 0.5 * (h00 + h11)
    r = np.hypot(0.5 * (h00 - h11), h01)
    l1, l2 = m + r, m - r
    a00, a01, a11 = h00.copy(), h01.copy(), h11.copy()
    neg = l1 <= 0
    a00[neg], a01[neg], a11[neg] = -h00[neg], -h01[neg], -h11[neg]
    mixed = (l2 < 0) & (l1 > 0)
    c = 1 / (l1[mixed] - l2[mixed])
    s, p = l1[mixed] + l2[mixed], 2 * l1[mixed] * l2[mixed]
    a00[mixed] = (s * h00[mixed] - p) * c
    a01[mixed] = s * h01[mixed] * c
    a11[mixed] = (s * h11[mixed] - p) * c
    a00, a01, a11 = a00 * scale, a01 * scale, a11 * scale
    f00 = np.sqrt(np.maximum(a00, 0))
    f10 = np.divide(a01, f00, out=np.zeros_like(a01), where=f00 > 0)
    f11 = np.sqrt(np.maximum(0, a11 - f10 * f10))
    return f00, f10, f11


def run(case, rng):
    n, steps, eta = case["count"], case["steps"], case.get("eta", 0.0)
    kind = case["kind"]
    if kind == "sgd-1d":
        w = DoubleWell(**case["well"])
        x = np.full(n, w.xa)
        s = case["batchSize"]
        for _ in range(steps):
            g, h = w.slope_curvature(x)
            x = x - eta * g + eta * np.sqrt(np.abs(h) / s) * rng.standard_normal(n)
        return x
    if kind == "em-ou":
        dt, sig = case["dt"], case["sigma"]
        x = np.full(n, case["x0"])
        sq = np.sqrt(dt)
        for _ in range(steps):
            x = x + (-x) * dt + sig * sq * rng.standard_normal(n)
        return x
    x = np.tile(np.array(case["x0"], dtype=float), (n, 1))
    if kind == "langevin-2d":
        sd = np.sqrt(2 * case["diffusion"] * eta)
        for _ in range(steps):
            g = softmin_grad_hess(x)[0]
            x = x - eta * g + sd * rng.standard_normal((n, 2))
        return x.ravel()
    if kind == "sgd-2d":
        scale = 1 / case["batchSize"]
        for _ in range(steps):
            g, h00, h01, h11 = softmin_grad_hess(x)
            f00, f10, f11 = abs_cholesky(h00, h01, h11, scale)
            z = rng.standard_normal((n, 2))
            xi0 = f00 * z[:, 0]
            xi1 = f10 * z[:, 0] + f11 * z[:, 1]
            x = x - eta * g + eta * np.stack([xi0, xi1], axis=1)
        return x.ravel()
    raise ValueError(kind)


def main():
    spec = json.load(open(sys.argv[1]))
    outdir = sys.argv[2]
    times = {}
    rng = np.random.default_rng(12345)
    for case in spec["cases"]:
        best = float("inf")
        for _ in range(case.get("repeat", 1)):
            t0 = time.perf_counter()
            x = run(case, rng)
            best = min(best, time.perf_counter() - t0)
        np.asarray(x, dtype="<f8").tofile(f"{outdir}/{case['name']}.f64")
        times[case["name"]] = best
    print(json.dumps(times))


if __name__ == "__main__":
    main()
