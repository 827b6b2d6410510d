#!/usr/bin/env python3
"""Executes one notebook with nbclient (the engine of `jupyter nbconvert
--execute`) and writes the executed copy, outputs included.

Usage: execute_notebook.py IN.ipynb OUT.ipynb [--kernel deno] [--timeout 1800] [--settle-ms 100]
                           [--pid-file PATH]

Deno's kernel forwards stdout and display messages on IOPub asynchronously,
and now and then they arrive after the cell's "idle" status, when nbclient
has moved on and drops them (measured: 1 to 6 cells of 30 lost their output
per run). Each code cell is therefore run with a short pause appended,
`await new Promise((r) => setTimeout(r, SETTLE))`, which lets the kernel
drain its queue first (0 of 60 lost with 20 ms; the default is 100 ms for
loaded CI machines). The saved notebook keeps the original sources. A side
effect: a value left as the last expression of a cell is not displayed
(notebooks display with `await display(...)` / `await show(...)`).

Exit status 0 on success. When a cell raises, the executed copy is still
written (up to the failing cell) and the script exits 3 after printing one
JSON line to stderr: {"cell": <index among all cells>, "code_cell": <n>,
"ename": ..., "evalue": ...}. Exit status 2 means Jupyter itself is missing
or broken (message on stderr).

SIGINT, SIGTERM or SIGHUP kill the kernel's process group (the kernel runs in a session of its
own, so it would outlive this script) and exit 128 + the signal number. `--pid-file` receives the
kernel's process id once it has started, so the caller can kill it should this script itself be
killed outright."""
import argparse
import json
import os
import signal
import sys

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError
except ImportError as e:  # pragma: no cover - reported by the caller
    print(f"jupyter (nbclient, nbformat) is not importable: {e}", file=sys.stderr)
    sys.exit(2)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--kernel", default="deno")
    ap.add_argument("--timeout", type=int, default=1800)
    ap.add_argument("--settle-ms", type=int, default=100)
    ap.add_argument("--pid-file")
    a = ap.parse_args()
    kernel = {}

    def stop(signum, _frame):
        pgid = kernel.get("pgid") or kernel.get("pid")
        if pgid:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except OSError:
                pass
        print(f"interrupted by signal {signum}; kernel stopped", file=sys.stderr)
        os._exit(128 + signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)
    nb = nbformat.read(a.src, as_version=4)
    originals = {}
    if a.settle_ms > 0:
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and cell.source.strip():
                originals[i] = cell.source
                cell.source = cell.source + f"\n;await new Promise((r) => setTimeout(r, {a.settle_ms}));"
    client = NotebookClient(
        nb,
        timeout=a.timeout,
        kernel_name=a.kernel,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(a.src))}},
    )

    def started(**_kw):
        prov = getattr(client.km, "provisioner", None)
        kernel["pid"] = getattr(prov, "pid", None)
        kernel["pgid"] = getattr(prov, "pgid", None)
        if a.pid_file and kernel["pid"]:
            with open(a.pid_file, "w") as f:
                f.write(f"{kernel['pid']} {kernel['pgid'] or kernel['pid']}\n")

    client.on_notebook_start = started
    def restore():
        for i, src in originals.items():
            nb.cells[i].source = src

    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as e:
        restore()
        failing = None
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                failing = i
                break
        info = {"cell": failing, "ename": type(e).__name__, "evalue": str(e).strip().splitlines()[-1] if str(e).strip() else ""}
        if failing is not None:
            err = next(o for o in nb.cells[failing].outputs if o.get("output_type") == "error")
            info.update(ename=err.get("ename", ""), evalue=err.get("evalue", ""))
            info["code_cell"] = sum(1 for c in nb.cells[: failing + 1] if c.cell_type == "code")
        elif isinstance(e, CellTimeoutError):
            info["evalue"] = f"a cell ran past the {a.timeout} s timeout"
        nbformat.write(nb, a.dst)
        print(json.dumps(info), file=sys.stderr)
        return 3
    restore()
    nbformat.write(nb, a.dst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
