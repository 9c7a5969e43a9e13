"""The "nothing lost" rules every writing command shares.

- :func:`check_output_dir` refuses an output folder that would write into the project's
  sources (``notebooks/``, ``data/``, ``seeds/``, ``lessons/``), into the notebooks being
  read, or over the project root.
- :func:`atomic_write` writes a file under a unique temporary name in the same folder and
  renames it into place, so a reader (or a second run) never sees a partial file, and a
  failure leaves the previous file as it was.
"""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Iterable
from pathlib import Path

from lessons import paths


class OutputRefused(ValueError):
    """An output folder would overwrite or mix with the project's inputs."""


def _inside(child: Path, parent: Path) -> bool:
    """True when ``child`` is ``parent`` or lies somewhere under it."""
    return child == parent or parent in child.parents


def protected_dirs(extra: Iterable[str | Path] = ()) -> dict[str, Path]:
    """The folders no command may write into, by the name shown in messages.

    The project's source folders, the installed package, and ``extra`` (the notebooks
    folder a command reads, when it is not the default one).
    """
    found = {
        "notebooks/": paths.NOTEBOOKS_DIR, "data/": paths.DATA_DIR,
        "seeds/": paths.SEEDS_DIR, "lessons/": paths.ROOT / "lessons",
        "the lessons package": Path(__file__).resolve().parent.parent,
    }
    for folder in extra:
        found[f"the notebooks folder being read ({folder})"] = Path(folder)
    return {name: folder.resolve() for name, folder in found.items()}


def check_output_dir(out: str | Path, *, reads: Iterable[str | Path] = ()) -> Path:
    """Return ``out`` resolved, or refuse it when writing there could destroy an input.

    Parameters
    ----------
    out : str or Path
        The folder a command is about to write into.
    reads : iterable of str or Path
        Folders the command reads from (the notebooks being rendered): ``out`` may be
        neither inside them nor around them.

    Raises
    ------
    OutputRefused
        When ``out`` is, contains or lies inside ``notebooks/``, ``data/``, ``seeds/``,
        ``lessons/`` or one of ``reads``, or when it is the project root or contains it
        (``--out .``, ``--out ..``). The message names the path and the reason.
    """
    target = Path(out).expanduser().resolve()
    root = paths.ROOT.resolve()
    if _inside(root, target):
        what = "is the project root" if target == root else "contains the project"
        raise OutputRefused(
            f"refusing to write into {target}: it {what} ({root}); "
            "choose a folder of its own, e.g. build/site")
    for name, folder in protected_dirs(reads).items():
        if _inside(target, folder) or _inside(folder, target):
            how = ("is" if target == folder else
                   "lies inside" if _inside(target, folder) else "contains")
            raise OutputRefused(
                f"refusing to write into {target}: it {how} {name} ({folder}), an input "
                "that must not be changed; choose a folder of its own, e.g. build/site")
    return target


def atomic_write(path: str | Path, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` through a unique temporary file and a rename.

    The temporary file sits in the same folder (so the rename is atomic) and is removed
    when anything fails: no ``.tmp`` and no half-written target is ever left behind, and
    two processes writing the same file at once each publish a complete one.

    Raises
    ------
    OSError
        From the file system (read-only, full); ``path`` is then unchanged.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = temporary_file(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        # a failed write() names no file: name the one that could not be written
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _owner_tag() -> str:
    return f"{socket.gethostname()}~{os.getpid()}"


def temporary_file(path: str | Path, suffix: str = ".tmp") -> tuple[int, str]:
    """Create a unique temporary file beside ``path``: ``(descriptor, name)``.

    The name records this host and process (``.<name>~<host>~<pid>~<random><suffix>``), so
    :func:`remove_stale_temporaries` can tell a file a killed run left behind from one a
    concurrent run is still writing.
    """
    path = Path(path)
    return tempfile.mkstemp(prefix=f".{path.name}~{_owner_tag()}~", suffix=suffix,
                            dir=path.parent)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, killed but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (not Linux): the signal test is all there is
    return stat.rsplit(")", 1)[-1].split()[:1] != ["Z"]


def remove_stale_temporaries(folder: str | Path, subfolders: Iterable[str] = ()) -> list[Path]:
    """Delete the temporary files in ``folder`` (and ``subfolders``) whose writer is gone.

    A run killed with SIGKILL cannot clean up after itself; the next run calls this, so
    nothing a dead process half-wrote stays around. Files of live processes, and of
    other hosts (a dask cluster on a shared file system), are left alone. Only the named
    folders are looked at, not everything below them (``--out`` may be a big folder).
    """
    removed = []
    host = socket.gethostname()
    folders = [Path(folder), *(Path(folder) / sub for sub in subfolders)]
    for tmp in (t for f in folders for t in f.glob(".*~*~*~*")):
        parts = tmp.name.split("~")
        if len(parts) < 4 or parts[1] != host or not parts[2].isdigit():
            continue
        if not _alive(int(parts[2])) and tmp.is_file():
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def atomic_copy(src: str | Path, dst: str | Path) -> Path:
    """Copy ``src`` to ``dst`` with :func:`atomic_write` (the file is read whole)."""
    return atomic_write(dst, Path(src).read_bytes())
