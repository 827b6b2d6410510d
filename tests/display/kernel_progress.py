"""How often a live progress bar moves, measured from outside a Deno kernel.

Starts a Deno kernel and runs one cell: a loop of STEPS steps of about 10 ms of synchronous work
each, calling `bar.tick()` and `await bar.flush()` after every step, as the library's training
loop does. Records the arrival time of each of the bar's messages on IOPub. Then runs the same
loop without a bar. Prints one JSON line: number of updates, the longest gap between consecutive
updates while the loop ran (seconds), and the loop's wall time with and without the bar as measured
inside the kernel.

/usr/bin/python3 tests/display/kernel_progress.py STEPS   (run from the repository root)
"""
import json
import os
import queue
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _kernel import deno_kernel  # noqa: E402

steps = int(sys.argv[1])
with deno_kernel() as kc:
    code = f'''import {{ Progress }} from "./lib/display/progress.ts";
function work() {{ const t = performance.now(); let x = 0; while (performance.now() - t < 10) x += Math.sqrt(x + 1); return x; }}
let t0 = performance.now();
const bar = new Progress("work", {steps});
for (let i = 0; i < {steps}; i++) {{ work(); bar.tick(); await bar.flush(); }}
await bar.done();
const withBar = performance.now() - t0;
t0 = performance.now();
for (let i = 0; i < {steps}; i++) work();
const without = performance.now() - t0;
await Deno.jupyter.display({{ "text/plain": "TIMES " + JSON.stringify({{ withBar, without }}) }}, {{ raw: true }});
'''
    kc.execute(code)
    arrivals, times = [], None
    deadline = time.time() + 300
    while time.time() < deadline and times is None:
        try:
            m = kc.get_iopub_msg(timeout=30)
        except queue.Empty:
            break
        kind = m["msg_type"]
        if kind == "error":
            sys.exit(f"the cell raised: {m['content']}")
        if kind not in ("display_data", "update_display_data"):
            continue
        text = m["content"]["data"].get("text/plain", "")
        if text.startswith("work:"):
            arrivals.append(time.time())
        elif text.startswith("TIMES "):
            times = json.loads(text[6:])
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    print(json.dumps({
        "steps": steps,
        "updates": len(arrivals),
        "max_gap_s": max(gaps) if gaps else None,
        "with_bar_s": times and times["withBar"] / 1000,
        "without_bar_s": times and times["without"] / 1000,
    }))
