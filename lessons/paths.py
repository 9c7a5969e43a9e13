"""Where the project's folders are.

The package is installed in editable mode from a clone, so the folders sit beside it.
``LESSONS_ROOT`` overrides the location (used by tests that work on a copy).
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """Return the project root: ``$LESSONS_ROOT`` if set, else the folder above the package."""
    env = os.environ.get("LESSONS_ROOT")
    return Path(env).resolve() if env else Path(__file__).resolve().parent.parent


ROOT = project_root()
DATA_DIR = ROOT / "data"
SEEDS_DIR = ROOT / "seeds"
NOTEBOOKS_DIR = ROOT / "notebooks"
BUILD_DIR = ROOT / "build"
