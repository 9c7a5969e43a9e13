"""pytest configuration for ``pytest --nbval notebooks``, typed as a Jupyter user types it.

The committed outputs were recorded in static mode (figures, not live widgets: see
``lessons.mode``), so strict nbval can compare them only if the kernels it starts run in
static mode too. nbval starts each kernel from this process's environment, so setting the
switch here, before any kernel starts, is enough; the caller need not set anything.
"""

import os

os.environ["LESSONS_STATIC"] = "1"
