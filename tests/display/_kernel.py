"""A Deno Jupyter kernel for the probes in this folder (kernel_race.py, kernel_progress.py)."""
import contextlib

from jupyter_client.manager import KernelManager


@contextlib.contextmanager
def deno_kernel():
    """Starts a Deno kernel in the current folder, yields its client, and shuts it down."""
    km = KernelManager(kernel_name="deno")
    km.start_kernel(cwd=".")
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
