"""Compare the derived timeline of this checkout with that of an older commit, store by store.

The derivation (``projections.timeline_ntriples``) of each given store is run twice in child
processes, once with the sources of ``--rev`` (extracted with ``git archive``) and once with
this checkout's; the sorted N-Triples of both are written to ``--work`` and compared byte for
byte. Each side's wall and CPU seconds and peak memory are printed beside the machine's load,
so the same run is also a paired timing. Exit status 1 when any store's tables differ.

    python scripts/timeline_identity.py --rev main --work ../scratch STORE [STORE ...]

A store is a folder ``build`` wrote (its ``current`` generation is read) or an Oxigraph
folder.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, resource, sys, time
import pyoxigraph
from automaker_kg.projections import timeline_pieces
store = pyoxigraph.Store.read_only(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF)
start = time.perf_counter()
table = b"".join(timeline_pieces(store))
wall = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF)
lines = sorted(table.splitlines())
with open(sys.argv[2], "wb") as out:
    out.write(b"".join(line + b"\\n" for line in lines))
print(json.dumps({
    "wall": round(wall, 2),
    "cpu": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2),
    "lines": len(lines),
    "max_rss_mb": round(after.ru_maxrss / 1024),
}))
"""


def _sources(rev: str, work: Path) -> Path:
    """The ``src`` folder of ``rev``, extracted under ``work``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev, "src"],
        check=True,
        capture_output=True,
    ).stdout
    folder = work / f"src-{rev.replace('/', '_')}"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


def _store_folder(path: Path) -> Path:
    return path / "current" if (path / "current").exists() else path


def _derive(src: Path, store: Path, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(store), str(out)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stores", nargs="+", type=Path, help="built store folders")
    parser.add_argument("--rev", default="main", help="the commit to compare with")
    parser.add_argument("--work", type=Path, required=True, help="folder for the tables")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    old_src, new_src = _sources(args.rev, args.work), ROOT / "src"
    differ = 0
    for store in args.stores:
        folder = _store_folder(store)
        name = store.resolve().name
        old_out, new_out = args.work / f"{name}.old.nt", args.work / f"{name}.new.nt"
        load = os.getloadavg()[0]
        old = _derive(old_src, folder, old_out)
        new = _derive(new_src, folder, new_out)
        same = old_out.read_bytes() == new_out.read_bytes()
        differ += not same
        print(
            f"{name}: {'identical' if same else 'DIFFERENT'} ({new['lines']} lines); "
            f"{args.rev}: {old['cpu']} s CPU, {old['wall']} s wall, {old['max_rss_mb']} MB; "
            f"this checkout: {new['cpu']} s CPU, {new['wall']} s wall, {new['max_rss_mb']} MB; "
            f"load {load:.1f}",
            flush=True,
        )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
