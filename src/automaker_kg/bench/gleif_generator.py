"""GLEIF-shaped benchmark data: Level 1 (LEI-CDF) and Level 2 (RR-CDF, reporting exceptions).

:func:`generate_gleif` writes files in GLEIF's golden-copy schema (XML, or GLEIF's JSON form)
with corporate groups whose members report their direct and ultimate accounting parents, and
relationship types in the golden copy's proportions (roughly: direct consolidation 41%,
ultimate consolidation 35%, fund relations 17%, international branches 7%). LEIs are
ISO 17442 (two check digits, mod 97). Each group reports an exception for its root (no known
parent, natural persons, non-consolidating); a share of relationships is inactive with an end
date, lapsed or retired, and carries accounting and filing periods and an accounting standard.

The golden copy holds about five LEI records and eight reporting exceptions per relationship
record; here one LEI record per entity and about one exception per group keep a 1M-record
benchmark on one disk. Deterministic: the same seed gives the same bytes.

:func:`bench_gleif` times ``automaker-kg import gleif`` on such a file in a child process and
reports its wall time, CPU time and peak memory (``make bench-gleif``).

>>> lei = make_lei(12345)
>>> len(lei), lei_checks(lei)
(20, True)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TypedDict
from xml.sax.saxutils import escape

__all__ = ["GleifInfo", "make_lei", "lei_checks", "generate_gleif", "bench_gleif"]

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOUS = ["5299", "9695", "2138", "5493", "8156", "3912", "7245", "9845"]
_COUNTRIES = ["DE", "FR", "JP", "US", "GB", "CN", "KR", "IT", "ES", "NL", "SE", "IN", "BR"]
_STANDARDS = ["IFRS", "US_GAAP", "OTHER_ACCOUNTING_STANDARD"]
_SOURCES = ["FULLY_CORROBORATED", "PARTIALLY_CORROBORATED", "ENTITY_SUPPLIED_ONLY", "PENDING"]
_REASONS = ["NO_KNOWN_PERSON", "NATURAL_PERSONS", "NON_CONSOLIDATING", "NON_PUBLIC"]
_WORDS = ["Auto", "Motor", "Mobility", "Drive", "Parts", "Battery", "Systems", "Holding"]
_FORMS = ["GmbH", "SA", "Co., Ltd.", "Inc.", "S.p.A.", "AB", "Ltd", "AG"]


def _check_digits(base: str) -> str:
    number = int("".join(str(_ALPHABET.index(c)) for c in base + "00"))
    return f"{98 - number % 97:02d}"


def make_lei(n: int, lou: str = "5299") -> str:
    """A valid LEI: a LOU prefix, ``00``, 12 characters from ``n``, two check digits."""
    body = ""
    for _ in range(12):
        n, r = divmod(n, 36)
        body = _ALPHABET[r] + body
    base = lou + "00" + body
    return base + _check_digits(base)


def lei_checks(lei: str) -> bool:
    """ISO 17442 / ISO 7064 mod 97-10: the LEI as a number is 1 modulo 97."""
    return int("".join(str(_ALPHABET.index(c)) for c in lei)) % 97 == 1


@dataclass(frozen=True)
class GleifInfo:
    """What :func:`generate_gleif` wrote."""

    files: tuple[Path, ...]
    relationships: int
    entities: int
    exceptions: int


class _Terms(TypedDict):
    """The fields a member's relationships share (all but the two ends and the kind)."""

    start: dt.date
    end: dt.date | None
    status: str
    registration: str
    source: str
    standard: str
    updated: str


@dataclass
class _Rel:
    child: str
    parent: str
    kind: str
    start: dt.date
    end: dt.date | None
    status: str
    registration: str
    source: str
    standard: str
    updated: str


def _groups(relationships: int, rng: random.Random) -> Iterator[tuple[list[str], list[_Rel]]]:
    """Corporate groups (entity LEIs, relationship records) until ``relationships`` are made."""
    made, serial = 0, 0
    while made < relationships:
        size = min(2 + int(rng.paretovariate(1.6)), 60)
        lou = rng.choice(_LOUS)
        members = [make_lei(serial + i, lou) for i in range(size)]
        serial += size
        parents = {0: 0}
        rels: list[_Rel] = []
        for i in range(1, size):
            parents[i] = rng.randrange(i)
            start = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(8000))
            inactive = rng.random() < 0.05
            end = start + dt.timedelta(days=rng.randrange(30, 3000)) if inactive else None
            registration = rng.choices(["PUBLISHED", "LAPSED", "RETIRED"], [88, 10, 2])[0]
            common = _Terms(
                start=start,
                end=end,
                status="INACTIVE" if inactive else "ACTIVE",
                registration=registration,
                source=rng.choices(_SOURCES, [60, 20, 15, 5])[0],
                standard=rng.choice(_STANDARDS),
                updated=f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}T10:00:00.000Z",
            )
            roll = rng.random()
            if roll < 0.07:  # an international branch of its parent
                rels.append(
                    _Rel(members[i], members[parents[i]], "IS_INTERNATIONAL_BRANCH_OF", **common)
                )
                continue
            if roll < 0.24:  # a fund: managed by, or a sub-fund of, a group member
                kind = rng.choice(["IS_FUND-MANAGED_BY", "IS_SUBFUND_OF", "IS_FEEDER_TO"])
                rels.append(_Rel(members[i], members[parents[i]], kind, **common))
                continue
            rels.append(
                _Rel(members[i], members[parents[i]], "IS_DIRECTLY_CONSOLIDATED_BY", **common)
            )
            if rng.random() < 0.85:  # most members also report their ultimate parent
                rels.append(_Rel(members[i], members[0], "IS_ULTIMATELY_CONSOLIDATED_BY", **common))
        rels = rels[: relationships - made]
        made += len(rels)
        yield members, rels


def _date_time(value: dt.date) -> str:
    return f"{value.isoformat()}T00:00:00.000Z"


def _periods(rel: _Rel) -> list[dict]:
    relationship = {"StartDate": _date_time(rel.start), "PeriodType": "RELATIONSHIP_PERIOD"}
    if rel.end:
        relationship["EndDate"] = _date_time(rel.end)
    year = 2023
    return [
        {
            "StartDate": f"{year}-01-01T00:00:00.000Z",
            "EndDate": f"{year}-12-31T00:00:00.000Z",
            "PeriodType": "ACCOUNTING_PERIOD",
        },
        relationship,
        {
            "StartDate": f"{year + 1}-03-01T00:00:00.000Z",
            "EndDate": f"{year + 1}-03-01T00:00:00.000Z",
            "PeriodType": "DOCUMENT_FILING_PERIOD",
        },
    ]


def _relationship(rel: _Rel) -> dict:
    record: dict = {
        "Relationship": {
            "StartNode": {"NodeID": rel.child, "NodeIDType": "LEI"},
            "EndNode": {"NodeID": rel.parent, "NodeIDType": "LEI"},
            "RelationshipType": rel.kind,
            "RelationshipPeriods": _periods(rel),
            "RelationshipStatus": rel.status,
        },
        "Registration": {
            "InitialRegistrationDate": "2018-01-15T09:00:00.000Z",
            "LastUpdateDate": rel.updated,
            "RegistrationStatus": rel.registration,
            "NextRenewalDate": "2025-01-15T09:00:00.000Z",
            "ManagingLOU": make_lei(7, "5299"),
            "ValidationSources": rel.source,
            "ValidationDocuments": "ACCOUNTS_FILING",
        },
    }
    if "CONSOLIDATED" in rel.kind:
        record["Relationship"]["RelationshipQualifiers"] = [
            {"QualifierDimension": "ACCOUNTING_STANDARD", "QualifierCategory": rel.standard}
        ]
    return record


def _entity(lei: str, index: int, rng: random.Random) -> dict:
    country = rng.choice(_COUNTRIES)
    name = f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} {index} {rng.choice(_FORMS)}"
    return {
        "LEI": lei,
        "Entity": {
            "LegalName": name,
            "LegalAddress": {"FirstAddressLine": f"{index} Main Street", "Country": country},
            "RegistrationAuthority": {
                "RegistrationAuthorityID": "RA000585" if country == "GB" else "RA888888",
                "RegistrationAuthorityEntityID": f"{index:08d}",
            },
            "LegalJurisdiction": country,
            "EntityCategory": "GENERAL",
            "EntityStatus": "ACTIVE",
        },
        "Registration": {
            "InitialRegistrationDate": "2018-01-15T09:00:00.000Z",
            "LastUpdateDate": "2024-06-01T09:00:00.000Z",
            "RegistrationStatus": "ISSUED",
            "ManagingLOU": make_lei(7, "5299"),
            "ValidationSources": "FULLY_CORROBORATED",
        },
    }


# ------------------------------------------------------------------------------------ writers


def _xml(element: str, value: object, prefix: str, indent: str) -> str:
    if isinstance(value, dict):
        inner = "".join(_xml(k, v, prefix, indent + "  ") for k, v in value.items())
        return f"{indent}<{prefix}:{element}>\n{inner}{indent}</{prefix}:{element}>\n"
    if isinstance(value, list):
        item = element[:-1]  # RelationshipPeriods -> RelationshipPeriod
        inner = "".join(_xml(item, v, prefix, indent + "  ") for v in value)
        return f"{indent}<{prefix}:{element}>\n{inner}{indent}</{prefix}:{element}>\n"
    return f"{indent}<{prefix}:{element}>{escape(str(value))}</{prefix}:{element}>\n"


_XML = {
    "rr": ("http://www.gleif.org/data/schema/rr/2016", "RelationshipData", "RelationshipRecords",
           "RelationshipRecord"),
    "lei": ("http://www.gleif.org/data/schema/leidata/2016", "LEIData", "LEIRecords", "LEIRecord"),
    "repex": ("http://www.gleif.org/data/schema/repex/2016", "ReportingExceptionData",
              "ReportingExceptions", "Exception"),
}  # fmt: skip


class _File:
    """One output file, XML or JSON, written record by record."""

    def __init__(self, path: Path, kind: str, fmt: str) -> None:
        self.path, self.kind, self.fmt, self.count = path, kind, fmt, 0
        self.fh: IO[str] = open(path, "w", encoding="utf-8", buffering=1 << 20)  # noqa: SIM115
        if fmt == "xml":
            ns, root, container, _ = _XML[kind]
            self.fh.write(
                f'<?xml version="1.0" encoding="UTF-8"?>\n<{kind}:{root} xmlns:{kind}="{ns}">\n'
                f"  <{kind}:Header>\n    <{kind}:ContentDate>2024-06-05T00:00:00Z"
                f"</{kind}:ContentDate>\n    <{kind}:FileContent>GLEIF_FULL_PUBLISHED"
                f"</{kind}:FileContent>\n  </{kind}:Header>\n  <{kind}:{container}>\n"
            )
        else:
            self.fh.write("[\n")

    def write(self, record: dict) -> None:
        if self.fmt == "xml":
            self.fh.write(_xml(_XML[self.kind][3], record, self.kind, "  "))
        else:
            self.fh.write((",\n" if self.count else "") + json.dumps(record))
        self.count += 1

    def close(self) -> None:
        if self.fmt == "xml":
            _, root, container, _ = _XML[self.kind]
            self.fh.write(f"  </{self.kind}:{container}>\n</{self.kind}:{root}>\n")
        else:
            self.fh.write("\n]\n")
        self.fh.close()


def generate_gleif(
    out_dir: Path | str, relationships: int, *, seed: int = 7, fmt: str = "xml"
) -> GleifInfo:
    """Write ``rr.<fmt>``, ``lei.<fmt>`` and ``repex.<fmt>`` with ``relationships`` records.

    Raises ``ValueError`` for fewer than 1 relationship or an unknown format.
    """
    if relationships < 1:
        raise ValueError("at least 1 relationship record")
    if fmt not in {"xml", "json"}:
        raise ValueError(f"format must be xml or json, not {fmt!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    files = {k: _File(out / f"{k}.{fmt}", k, fmt) for k in ("rr", "lei", "repex")}
    entities = 0
    try:
        for members, rels in _groups(relationships, rng):
            for lei in members:
                files["lei"].write(_entity(lei, entities, rng))
                entities += 1
            for rel in rels:
                files["rr"].write(_relationship(rel))
            for category in (
                "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT",
                "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT",
            ):
                if rng.random() < 0.5:
                    files["repex"].write(
                        {
                            "LEI": members[0],
                            "ExceptionCategory": category,
                            "ExceptionReason": rng.choice(_REASONS),
                        }
                    )
    finally:
        for f in files.values():
            f.close()
    return GleifInfo(
        tuple(f.path for f in files.values()), files["rr"].count, entities, files["repex"].count
    )


# ------------------------------------------------------------------------------------ bench


_BUILD = (
    "import json, resource, sys, time\n"
    "from pathlib import Path\n"
    "from automaker_kg.build import build\n"
    "from automaker_kg.sources.runner import import_files\n"
    "data = Path(sys.argv[1])\n"
    "import_files('gleif', [Path(f) for f in sys.argv[3:]], graph_dir=data / 'graph',"
    " stream_bytes=0)\n"
    "t, cpu = time.perf_counter(), time.process_time()\n"
    "r = build(sys.argv[2], data_dir=data, full=True)\n"
    "print(json.dumps({'build_s': time.perf_counter() - t, 'cpu': time.process_time() - cpu,"
    " 'triples': r.triples, 'claims': r.claims, 'phases': r.phases,"
    " 'peak_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))\n"
)
"""A child process: import the LEI and exception files beside the RR file's import, then
``build --full`` the data folder; its own figures as JSON (the import's CPU time is not in
``cpu``; ``peak_kb`` is the process's peak, the build's in practice)."""


def bench_gleif(
    sizes: list[int], work: Path | str, *, fmt: str = "xml", seed: int = 7, build: bool = False
) -> list[dict]:
    """Generate an RR file per size and time ``automaker-kg import gleif`` on it in a child
    process: wall and CPU seconds, peak resident memory (MB), output size, records per second.

    ``build``: then import the LEI and exception files too and time ``build --full`` of the
    result in another child process (``build_*`` figures: seconds, CPU seconds, peak MB,
    triples, seconds per step).
    """
    rows = []
    work = Path(work)
    for size in sizes:
        folder = work / f"gleif-{size}"
        info = generate_gleif(folder, size, seed=seed, fmt=fmt)
        data = folder / "data"
        (data / "graph").mkdir(parents=True, exist_ok=True)
        ontology = data / "ontology"
        if not ontology.exists():
            from automaker_kg.paths import ontology_dir

            ontology.symlink_to(ontology_dir())
        code = (
            "import resource, sys, time\n"
            "from pathlib import Path\n"
            "from automaker_kg.sources.runner import import_files\n"
            "t = time.perf_counter()\n"
            "(o,) = import_files('gleif', [Path(sys.argv[1])], graph_dir=Path(sys.argv[2]),"
            " stream_bytes=0)\n"
            "print(time.perf_counter() - t, o.result.report.read, o.target)\n"
        )
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code, str(info.files[0]), str(data / "graph")],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds, read, target = done.stdout.split()
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        rows.append(
            {
                "records": size,
                "format": fmt,
                "input_mb": round(info.files[0].stat().st_size / 1e6, 1),
                "import_s": round(float(seconds), 1),
                "wall_s": round(wall, 1),
                "cpu_s": round(cpu, 1),
                "peak_mb": round(after.ru_maxrss / 1024, 1),
                "output_mb": round(Path(target).stat().st_size / 1e6, 1),
                "records_per_s": round(int(read) / float(seconds)),
            }
        )
        if build:
            rows[-1].update(_bench_build(info, data, folder / "store"))
    return rows


def _bench_build(info: GleifInfo, data: Path, store: Path) -> dict:
    """Import the LEI and exception files, then time ``build --full`` in a child process."""
    import shutil

    shutil.rmtree(store, ignore_errors=True)
    load = os.getloadavg()[0]
    done = subprocess.run(
        [sys.executable, "-c", _BUILD, str(data), str(store), *map(str, info.files[1:])],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    got = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "build_s": round(got["build_s"], 1),
        "build_cpu_s": round(got["cpu"], 1),
        "build_peak_mb": round(got["peak_kb"] / 1024, 1),
        "triples": got["triples"],
        "triples_per_record": round(got["triples"] / info.relationships, 1),
        "build_phases_s": {k: round(v, 1) for k, v in got["phases"].items()},
        "load_average": [round(load, 1), round(os.getloadavg()[0], 1)],
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m automaker_kg.bench.gleif_generator [SIZE ...]``: print the bench as JSON."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000])
    parser.add_argument("--work", type=Path, default=Path("bench-results/gleif"))
    parser.add_argument("--format", choices=["xml", "json"], default="xml")
    parser.add_argument(
        "--build", action="store_true", help="also time build --full of the imported files"
    )
    args = parser.parse_args(argv)
    for row in bench_gleif(args.sizes, args.work, fmt=args.format, build=args.build):
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
