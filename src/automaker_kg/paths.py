"""Where the ontology, graph and query files live, in a checkout or an installed wheel.

In a checkout they are the top-level folders ``ontology/``, ``graph/`` and ``queries/``;
the wheel carries the same folders inside the package as ``automaker_kg/data/``.

>>> (data_dir() / "ontology" / "automaker.ttl").is_file()
True
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

__all__ = [
    "data_dir",
    "ontology_dir",
    "graph_dir",
    "queries_dir",
    "default_store_path",
    "shared_dir",
]

_PACKAGE = Path(__file__).resolve().parent


def data_dir(given: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding ``ontology/``, ``graph/`` and ``queries/``: ``given`` when a
    caller names one (``--data-dir``), else the installed wheel's or the checkout's.

    >>> data_dir("/tmp/data")
    PosixPath('/tmp/data')
    """
    if given is not None:
        return Path(given)
    return _installed_data_dir()


@functools.lru_cache(maxsize=1)
def _installed_data_dir() -> Path:
    """The wheel's or the checkout's data folder, looked up once a process (two ``stat``
    calls each library query otherwise)."""
    bundled = _PACKAGE / "data"
    if (bundled / "ontology").is_dir():
        return bundled
    checkout = _PACKAGE.parent.parent
    if (checkout / "ontology").is_dir():
        return checkout
    raise FileNotFoundError(f"no ontology/ folder in {bundled} or {checkout}")


def ontology_dir() -> Path:
    return data_dir() / "ontology"


def graph_dir() -> Path:
    return data_dir() / "graph"


def queries_dir() -> Path:
    return data_dir() / "queries"


def default_store_path() -> Path:
    """The store folder: ``$AUTOMAKER_KG_STORE`` or ``.automaker-kg/`` in the working directory."""
    return Path(os.environ.get("AUTOMAKER_KG_STORE", ".automaker-kg"))


def shared_dir() -> Path | None:
    """The ``shared/`` folder beside the checkout (source articles and data), if present."""
    env = os.environ.get("AUTOMAKER_KG_SHARED")
    candidates = [Path(env)] if env else []
    candidates += [_PACKAGE.parent.parent.parent / "shared", Path.cwd().parent / "shared"]
    for candidate in candidates:
        if (candidate / "seed").is_dir():
            return candidate.resolve()
    return None
