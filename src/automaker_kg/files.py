"""Files written atomically: a reader sees the old file or the new one, never half of one,
and once the call returns the new one survives a crash (file and folder fsynced).

>>> import tempfile
>>> target = Path(tempfile.mkdtemp()) / "graph" / "x.ttl"
>>> write_atomic(target, "<urn:a> <urn:b> <urn:c> .\\n")
>>> target.read_text(encoding="utf-8")
'<urn:a> <urn:b> <urn:c> .\\n'
>>> [p.name for p in target.parent.iterdir()]  # no temporary file left
['x.ttl']
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic", "replace_atomic", "fsync_dir", "temporary_beside"]


def fsync_dir(folder: str | os.PathLike[str]) -> None:
    """Flush ``folder``'s entries (a rename or a new file in it) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temporary_beside(target: Path) -> tuple[int, Path]:
    """A new hidden temporary file in ``target``'s folder (created): its descriptor and path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    return fd, Path(name)


def replace_atomic(tmp: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Move the finished file ``tmp`` onto ``target`` (same folder): fsync, rename, fsync the
    folder. ``tmp`` is removed if this fails."""
    try:
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(Path(target).parent)


def write_atomic(target: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8, newlines as given) to ``target`` atomically."""
    target = Path(target)
    fd, tmp = temporary_beside(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    replace_atomic(tmp, target)
