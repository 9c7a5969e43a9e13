"""The render cache's keys: what every page shares, and what one execution depends on.

A page is re-rendered only when its key changes: :func:`page_digest` of the notebook, its
parameters and :func:`project_fingerprint`. The key is written into the page's cache stamp
(``executed/<page>.json``), read back by :func:`read_stamp`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lessons import paths

#: the installed ``lessons`` package (its files feed the render fingerprint)
PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: Bump when the page format or the key's bytes change, so old stamps stop matching
#: (2: the files are hashed by :func:`lessons.data.hash_files`, framed as the data cache does).
_CACHE_VERSION = "lessons-render-2"


def project_fingerprint(root: Path | None = None, package_dir: Path | None = None) -> str:
    """Hash of the inputs every page shares: lock file, ``data/``, ``seeds/``, package, Python.

    Parameters
    ----------
    root : Path, optional
        Project root (default :data:`lessons.paths.ROOT`) holding ``requirements/lock.txt``
        (the versions of papermill, nbconvert, plotly and plotly.js), ``data/`` and
        ``seeds/`` (the article the pages quote); every file of the two folders counts.
    package_dir : Path, optional
        The ``lessons`` package (default the installed one): every ``.py``, ``.yaml`` and
        ``.json`` file in it, and every file of its ``templates/`` (page template, styles).

    The Python version counts too. An output folder never feeds back into the hash: the
    output guard keeps it out of ``data/``, ``seeds/`` and the package.
    """
    root = paths.ROOT if root is None else root
    package_dir = PACKAGE_DIR if package_dir is None else package_dir
    templates = package_dir / "publish" / "templates"
    files: list[tuple[str, Path]] = [("requirements/lock.txt", root / "requirements" / "lock.txt")]
    for name in ("data", "seeds"):
        folder = root / name
        if folder.is_dir():
            files += [(f"{name}/{p.relative_to(folder).as_posix()}", p)
                      for p in sorted(folder.rglob("*")) if p.is_file()]
    for p in sorted(package_dir.rglob("*")):
        if not p.is_file() or "__pycache__" in p.parts:
            continue
        if p.suffix in {".py", ".yaml", ".yml", ".json"} or templates in p.parents:
            files.append((f"lessons/{p.relative_to(package_dir).as_posix()}", p))
    from lessons.data import hash_files  # imported here: lessons.data loads pandas

    digest = hashlib.sha256(_CACHE_VERSION.encode())
    digest.update(sys.version.encode() + b"\0")
    return hash_files(digest, files).hexdigest()


def page_digest(notebook: bytes, parameters: Mapping[str, Any], fingerprint: str) -> str:
    """Cache key of one execution: notebook bytes, parameters and the project fingerprint.

    A parameter naming a file (a scenario file, checked by the catalog into an absolute
    path) counts with the file's content, so editing the file re-renders its pages.
    """
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(notebook)
    digest.update(json.dumps(dict(parameters), sort_keys=True, default=str).encode())
    from lessons.data import hash_files  # imported here: lessons.data loads pandas

    named = [(name, Path(value)) for name, value in sorted(parameters.items())
             if isinstance(value, str) and os.path.isabs(value) and Path(value).is_file()]
    return hash_files(digest, named).hexdigest()



def read_stamp(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None

