"""Memory a student's kernel holds after a lesson, for sizing a class on JupyterHub.

Rows (``make bench``):

- ``kernel_rss_mb_NN``: resident memory (RSS) of the kernel process after lesson NN was run
  top to bottom in **live** mode (widgets, as a student in JupyterLab runs it), for the
  heaviest lessons 04, 07 and 09, and 00 as the lightest.
- ``kernel_rss_mb_max``: the largest of these: the figure
  ``docs/teaching-with-jupyterhub.md`` sizes a class with.
- ``class_of_30_gb``: memory for thirty students, each with one kernel of that size plus
  the single-user server a JupyterHub spawns per student (``SERVER_MB``, an estimate: a
  ``jupyter-server`` process idles at about that size; it varies with extensions).

Each lesson runs in its own fresh kernel, in a temporary working folder, so nothing is
written next to the notebooks.
"""

from __future__ import annotations

import os
import tempfile

import nbformat
import psutil
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from lessons.sources.catalog import load_catalog

LESSONS = ("00", "04", "07", "09")
#: A single-user Jupyter server's own RSS (MB): an estimate for the class table. ``ps``
#: showed 81 MB for a JupyterLab 4.6 server just started here; serving pages adds some, so
#: 100 MB is allowed. It varies with extensions and the hub's configuration.
SERVER_MB = 100.0
STUDENTS = 30


def kernel_rss_mb(notebook_path: str) -> float:
    """Run a notebook in a fresh live-mode kernel and return that kernel's RSS in MB."""
    nb = nbformat.read(notebook_path, as_version=4)
    env = {k: v for k, v in os.environ.items() if k != "LESSONS_STATIC"}
    with tempfile.TemporaryDirectory() as work:
        km = KernelManager(kernel_name="python3")
        km.start_kernel(env=env, cwd=work)
        try:
            NotebookClient(nb, km=km, timeout=600).execute()
            pid = km.provisioner.process.pid
            return psutil.Process(pid).memory_info().rss / 2**20
        finally:
            km.shutdown_kernel(now=True)


def run() -> list[dict]:
    catalog = load_catalog()
    rows, sizes = [], []
    for lid in LESSONS:
        size = kernel_rss_mb(str(catalog.get(lid).path))
        sizes.append(size)
        rows.append({"name": f"kernel_rss_mb_{lid}", "value": round(size, 1), "unit": "MB",
                     "note": f"kernel RSS after lesson {lid}, live mode"})
    worst = max(sizes)
    rows.append({"name": "kernel_rss_mb_max", "value": round(worst, 1), "unit": "MB",
                 "note": "largest of the lessons measured"})
    per_student = worst + SERVER_MB
    rows.append({"name": f"class_of_{STUDENTS}_gb", "value": round(STUDENTS * per_student
                                                                    / 1024, 2),
                 "unit": "GB", "note": f"{STUDENTS} x (kernel max + {SERVER_MB:.0f} MB server, "
                 "an estimate)"})
    return rows
