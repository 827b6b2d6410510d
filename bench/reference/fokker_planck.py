"""Reference Fokker–Planck solver in numpy/scipy for bench/fokker_planck_compare.ts.

Builds the same finite-volume discretisation as lib/dynamics/fokker_planck/
(Scharfetter–Gummel fluxes with u = a·p, v = b/a_face; in 2-D the lattice
split of the diffusion tensor, D = a_x e_x e_xᵀ + a_y e_y e_yᵀ + a_d d dᵀ,
with diagonal transfers and mirrored wall links) with vectorised numpy and
scipy.sparse, restricted to reflecting sides and tensors with
|D_xy| ≤ min(D_xx h_y/h_x, D_yy h_x/h_y) (no remainder cross term). Time
stepping: backward Euler or TR-BDF2 with one `splu` factorisation of
I − c·dt·A and a `solve` per implicit stage; steady state: `spsolve` of the
system grounded at the cell nearest a known density maximum.

Usage: python3 fokker_planck.py SPEC.json OUTDIR
SPEC: {"cases": [{"name", "dim": 1|2, "problem", "cells", "domain", "scheme",
"dt", "steps", "repeat"}...]}. Writes OUTDIR/<name>.f64 (the final density,
float64 little-endian, cells in the library's order) and prints one JSON line
{"name": seconds (best of `repeat`)}.
"""

import json
import sys
import time

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spl

TR_GAMMA = 2 - np.sqrt(2)


def bernoulli(z):
    """B(z) = z / (exp(z) − 1) with the series near 0."""
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    small = np.abs(z) < 1e-3
    zs = z[small]
    out[small] = 1 - zs / 2 + zs * zs / 12 - zs**4 / 720
    zl = z[~small]
    out[~small] = zl / np.expm1(zl)
    return out


# problems: drift b and diffusion D, the same formulas as the TypeScript side


def drift1(x):
    return -4 * x * (x * x - 1)


def diff1(x):
    return 0.2 + 0.1 * x * x


def initial1(x):
    return np.exp(-20 * (x - 1) ** 2)


def drift2(x, y):
    return -x * (x * x - 1), -y


def diff2(x, y):
    x, y = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
    return 0.3 + 0.05 * y * y, 0.1 * np.tanh(x), 0.35 + 0 * x


def initial2(x, y):
    return np.exp(-((x - 1) ** 2 + y * y) / 0.1)


def generator1(n, lo, hi):
    h = (hi - lo) / n
    xc = lo + (np.arange(n) + 0.5) * h
    dc = diff1(xc)
    xf = lo + np.arange(1, n) * h  # interior faces
    z = drift1(xf) * h / diff1(xf)
    left = bernoulli(-z) * dc[:-1] / h  # flux coefficient on the left cell
    right = -bernoulli(z) * dc[1:] / h  # on the right cell
    # dp_i/dt = (J_{i-1/2} - J_{i+1/2}) / h
    main = np.zeros(n)
    main[:-1] -= left / h
    main[1:] += right / h
    upper = -right / h  # A[i, i+1]
    lower = left / h  # A[i+1, i]
    a = sp.diags([lower, main, upper], [-1, 0, 1], format="csc")
    return a, xc, h


def generator2(nx, ny, x0, x1, y0, y1):
    hx, hy = (x1 - x0) / nx, (y1 - y0) / ny
    xc = x0 + (np.arange(nx) + 0.5) * hx
    yc = y0 + (np.arange(ny) + 0.5) * hy
    X, Y = np.meshgrid(xc, yc)  # [j, i]

    def split(dxx, dxy, dyy):
        ad = np.minimum(np.minimum(np.abs(dxy), dxx * hy / hx), dyy * hx / hy) / (hx * hy)
        sg = np.where(dxy >= 0, 1.0, -1.0)
        rem = dxy - sg * ad * hx * hy
        if np.max(np.abs(rem)) > 1e-12 * np.max(np.abs(dxy) + 1e-300):
            raise ValueError("reference supports |Dxy| <= min(Dxx hy/hx, Dyy hx/hy) only")
        return np.maximum(0, dxx - ad * hx * hx), np.maximum(0, dyy - ad * hy * hy), ad, sg

    dxx, dxy, dyy = diff2(X, Y)
    ax, ay, ad, sg = split(dxx, dxy, dyy)
    ne = np.where(sg > 0, ad, 0.0)
    se = np.where(sg < 0, ad, 0.0)
    idx = np.arange(nx * ny).reshape(ny, nx)
    rows, cols, vals = [], [], []

    def add(r, c, v):
        rows.append(np.ravel(r))
        cols.append(np.ravel(c))
        vals.append(np.ravel(v))

    # x-faces between (i, j) and (i+1, j)
    xf = x0 + np.arange(1, nx) * hx
    XF, YF = np.meshgrid(xf, yc)
    bx, _ = drift2(XF, YF)
    fxx, fxy, fyy = diff2(XF, YF)
    axf = split(fxx, fxy, fyy)[0]
    z = bx * hx / axf
    cl = bernoulli(-z) * ax[:, :-1] / hx
    cr = -bernoulli(z) * ax[:, 1:] / hx
    L, R = idx[:, :-1], idx[:, 1:]
    add(L, L, -cl / hx)
    add(L, R, -cr / hx)
    add(R, L, cl / hx)
    add(R, R, cr / hx)
    # y-faces between (i, j) and (i, j+1)
    yf = y0 + np.arange(1, ny) * hy
    XF, YF = np.meshgrid(xc, yf)
    _, by = drift2(XF, YF)
    fxx, fxy, fyy = diff2(XF, YF)
    ayf = split(fxx, fxy, fyy)[1]
    z = by * hy / ayf
    cb = bernoulli(-z) * ay[:-1, :] / hy
    ct = -bernoulli(z) * ay[1:, :] / hy
    B, T = idx[:-1, :], idx[1:, :]
    add(B, B, -cb / hy)
    add(B, T, -ct / hy)
    add(T, B, cb / hy)
    add(T, T, ct / hy)
    # interior diagonal pairs: NE (i, j)-(i+1, j+1), SE (i, j)-(i+1, j-1)
    for fam, c, c2 in (
        (ne, idx[:-1, :-1], idx[1:, 1:]),
        (se, idx[1:, :-1], idx[:-1, 1:]),
    ):
        fl = fam.ravel()
        ac, a2 = fl[c], fl[c2]
        add(c, c, -ac)
        add(c, c2, a2)
        add(c2, c2, -a2)
        add(c2, c, ac)
    # diagonal links across one reflecting wall: mirrored to the tangential neighbour, carrying
    # the other family there (the mirror image of D has D_xy of the opposite sign)
    nef, sef = ne.ravel(), se.ravel()
    for di, dj in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
        fam, other = (nef, sef) if di * dj > 0 else (sef, nef)
        jj, ii = np.meshgrid(np.arange(ny), np.arange(nx), indexing="ij")
        pi, pj = ii + di, jj + dj
        out_x = (pi < 0) | (pi >= nx)
        out_y = (pj < 0) | (pj >= ny)
        one = out_x ^ out_y
        mi = np.where(out_x, ii, pi)[one]
        mj = np.where(out_y, jj, pj)[one]
        c = idx[jj[one], ii[one]]
        m = idx[mj, mi]
        add(c, c, -fam[c])
        add(c, m, other[m])
    a = sp.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(nx * ny, nx * ny),
    )
    a.sum_duplicates()
    return a, (X.ravel(), Y.ravel()), hx * hy


def build(case):
    if case["dim"] == 1:
        lo, hi = case["domain"]
        a, xc, vol = generator1(case["cells"], lo, hi)
        p0 = initial1(xc)
        ground = np.argmin(np.abs(xc - 1))
    else:
        (x0, x1), (y0, y1) = case["domain"]
        nx, ny = case["cells"]
        a, (X, Y), vol = generator2(nx, ny, x0, x1, y0, y1)
        p0 = initial2(X, Y)
        ground = np.argmin((X - 1) ** 2 + Y**2)
    p0 = p0 / (p0.sum() * vol)
    return a, p0, vol, ground


def run(case):
    a, p, vol, ground = build(case)
    n = a.shape[0]
    if case["scheme"] == "steady":
        # grounded system: row k -> identity, column k -> right-hand side
        m = (-a).tolil()
        rhs = np.asarray(a[:, ground].todense()).ravel()
        m[:, ground] = 0
        m[ground, :] = 0
        m[ground, ground] = 1
        rhs[ground] = 1
        x = spl.spsolve(m.tocsc(), rhs)
        return x / (x.sum() * vol)
    dt, steps = case["dt"], case["steps"]
    eye = sp.identity(n, format="csc")
    if case["scheme"] == "backward-euler":
        lu = spl.splu((eye - dt * a).tocsc())
        for _ in range(steps):
            p = lu.solve(p)
        return p
    c = 0.5 * TR_GAMMA * dt
    a1 = 1 / (TR_GAMMA * (2 - TR_GAMMA))
    a0 = a1 - 1
    lu = spl.splu((eye - c * a).tocsc())
    acsr = a.tocsr()
    for _ in range(steps):
        star = lu.solve(p + c * (acsr @ p))
        p = lu.solve(a1 * star - a0 * p)
    return p


def main():
    spec = json.load(open(sys.argv[1]))
    outdir = sys.argv[2]
    times = {}
    for case in spec["cases"]:
        best = float("inf")
        for _ in range(case.get("repeat", 1)):
            t0 = time.perf_counter()
            p = run(case)
            best = min(best, time.perf_counter() - t0)
        np.asarray(p, dtype="<f8").tofile(f"{outdir}/{case['name']}.f64")
        times[case["name"]] = best
    print(json.dumps(times))


if __name__ == "__main__":
    main()
