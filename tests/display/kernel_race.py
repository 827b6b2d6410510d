"""Run All in miniature, to measure where a Deno kernel's outputs land.

Starts a Deno kernel, queues N cells at once (as a front end's Run All does), each sending a
1.5 MB output and then a small "marker i" output, and counts markers whose parent header is
not their own cell's request. MODE "raw" sends both through Deno.jupyter.display (the kernel's
own route); MODE "lib" through the library's display (lib/display/delivery.ts). Prints one JSON
line: {"mode", "cells", "seen", "misplaced"}.

/usr/bin/python3 tests/display/kernel_race.py MODE N   (run from the repository root)
"""
import json
import os
import queue
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _kernel import deno_kernel  # noqa: E402

mode, n = sys.argv[1], int(sys.argv[2])
if mode not in ("raw", "lib"):
    sys.exit(f"MODE must be raw or lib, got {mode}")
with deno_kernel() as kc:
    kc.execute('import { display, TextLines } from "./lib/display/mod.ts";\n'
               'const big = "x".repeat(1_500_000);')
    cells = {}
    for i in range(n):
        if mode == "raw":
            code = ('await Deno.jupyter.display({"text/plain": big}, {raw: true});\n'
                    f'await Deno.jupyter.display({{"text/plain": "marker {i}"}}, {{raw: true}});')
        else:
            code = ('await display(new TextLines([big]));\n'
                    f'await display(new TextLines(["marker {i}"]));')
        cells[kc.execute(code)] = i
    seen = misplaced = idle = 0
    deadline = time.time() + 300
    while time.time() < deadline and seen < n:
        try:
            m = kc.get_iopub_msg(timeout=10)
        except queue.Empty:
            break
        if m["msg_type"] != "display_data":
            continue
        text = m["content"]["data"].get("text/plain", "")
        if text.startswith("marker "):
            seen += 1
            if cells.get(m["parent_header"].get("msg_id")) != int(text.split()[1]):
                misplaced += 1
    print(json.dumps({"mode": mode, "cells": n, "seen": seen, "misplaced": misplaced}))
