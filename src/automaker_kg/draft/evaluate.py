"""Scoring drafts against curated fact sheets: precision and recall of claim matches.

A drafted claim matches a curated one when they agree on the kind, the holder (or partner,
provider), the target (or joint venture, technology), the share or range and the status. Kinds
scored: ``stake`` (an equity stake in a company),
``jv-share`` (an equity stake in a joint venture), ``jv-partner`` (joint-venture participation)
and ``technology`` (a technology arrangement or licence: same arrangement, a provider or licensor
and a technology in common, a technology and its direct broader one counting as common;
"A supplies, licenses, contributes or shares T to B" also reads as
"B acquires T"; a ``JointProject`` on a technology is its participants developing it). A
``TrustHolding`` whose holder keeps the economic interest is the holder's stake. Each
claim is in one matched pair at most, and the pairs are the most the claims allow (a maximum
bipartite matching). Every figure is also given with the status left out, and the technology
claims also strictly (:data:`EXACT`: the same technology only).

Proposed entities are matched to the curated sheet's by name: a drafted entity whose label or
alias is a label, name or alias of a curated entity takes that entity's id.

The 24 briefs are split in two halves (``docs/drafting.md``): rules were written on
:data:`DEV` only; :data:`HELD_OUT` is scored, never read while writing rules.

>>> curated = {"entities": [{"id": "lm", "type": "Company", "label": "Leapmotor"}],
...            "claims": [{"kind": "EquityStake", "status": "plan", "holder": "st",
...                        "target": "lm", "interest": "shareholding", "share": 20}]}
>>> drafted = {"entities": [{"id": "leapmotor", "type": "Company", "label": "Leapmotor"}],
...            "claims": [{"kind": "EquityStake", "status": "plan", "holder": "st",
...                        "target": "leapmotor", "interest": "shareholding", "share": 20}]}
>>> s = score(drafted, curated)
>>> (s["stake"].matched, s["stake"].drafted, s["stake"].curated)
(1, 1, 1)
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from automaker_kg.draft import rules
from automaker_kg.draft.names import taxonomy_broader
from automaker_kg.names import norm

__all__ = [
    "DEV",
    "HELD_OUT",
    "KINDS",
    "EXACT",
    "Counts",
    "comparable",
    "score",
    "curated_sheet",
    "evaluate",
    "table",
    "main",
]

DEV = [
    "2023-02-06-renault-nissan-new-agreement-kyodo",
    "2023-11-08-renault-nissan-rebalancing-completed-globeandmail",
    "2024-12-02-aramco-completes-horse-powertrain-stake-zawya",
    "2025-02-14-honda-nissan-merger-talks-broken-yomiuri",
    "2021-09-29-sylphy-e-power-dongfeng-nissan-autobuzz",
    "2022-05-10-geely-renault-korea-stake-yonhap",
    "2023-05-19-geely-aston-martin-17pct-xinhua",
    "2023-10-26-stellantis-leapmotor-stake-electrive",
    "2024-07-12-powerco-quantumscape-license-electrive",
    "2025-03-31-renault-nissan-alliance-revision-afp",
    "undated-aramco-horse-powertrain-energynews",
    "undated-vw-rivian-jv-driveteslacanada",
]
"""The briefs the rules were written on."""

HELD_OUT = [
    "2023-07-26-renault-nissan-definitive-agreements-pti",
    "2023-12-06-nissan-mitsubishi-ampere-investment-euronews",
    "2024-12-23-honda-nissan-mou-mitsubishi-rttnews",
    "2025-03-31-nissan-renault-stakes-to-10pct-ampere-cancelled-asahi",
    "2019-08-29-toyota-suzuki-stake-wsj",
    "2022-04-05-gm-honda-affordable-evs-autonews",
    "2022-10-24-toyota-byd-bz3-newsmax",
    "2023-07-27-vw-xpeng-stake-greencarcongress",
    "2024-04-16-japan-solid-state-race-jiji",
    "2024-08-06-honda-nissan-mitsubishi-mou-citizen",
    "2025-08-07-gm-hyundai-five-vehicles-autonews-europe",
    "undated-ford-vw-argo-meb-todaysmotorvehicles",
]
"""The briefs only scored."""

KINDS = ("stake", "jv-share", "jv-partner", "technology")
EXACT = "technology (exact concept)"
"""The technology claims scored strictly: the same technology, no broader one step away (a
row of its own in the tables, not in the overall figures)."""


@dataclass
class Counts:
    """Drafted, curated and matched claims of one kind (``relaxed``: status left out)."""

    drafted: int = 0
    curated: int = 0
    matched: int = 0
    matched_relaxed: int = 0

    def add(self, other: Counts) -> None:
        self.drafted += other.drafted
        self.curated += other.curated
        self.matched += other.matched
        self.matched_relaxed += other.matched_relaxed

    @property
    def precision(self) -> float | None:
        return self.matched / self.drafted if self.drafted else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.curated if self.curated else None

    @property
    def precision_relaxed(self) -> float | None:
        return self.matched_relaxed / self.drafted if self.drafted else None

    @property
    def recall_relaxed(self) -> float | None:
        return self.matched_relaxed / self.curated if self.curated else None


_LEGAL_FORMS = set(
    "ag co company corp corporation group inc limited llc ltd n nv plc s sa se v".split()
)
"""Legal-form words a company's name may carry or drop ("XPeng Inc." is XPeng)."""


def _norm(text: str) -> str:
    """A name folded for matching: :func:`automaker_kg.names.norm`, possessive, punctuation
    and trailing legal-form words dropped.

    >>> _norm("Geely Holding Group"), _norm("XPeng Inc."), _norm("Toyota's")
    ('geely holding', 'xpeng', 'toyota')
    """
    text = re.sub(r"['\u2019]s\b", "", norm(str(text)))
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def _many(value: Any) -> list[str]:
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [str(v).split(":", 1)[-1] for v in values]


def _names(sheet: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for e in sheet.get("entities") or []:
        for text in [e.get("label"), e.get("name"), *(e.get("aliases") or []), e.get("id")]:
            if text:
                out.setdefault(_norm(text), e["id"])
    return out


def _share(claim: dict[str, Any]) -> tuple:
    """An exact share, or a range with its open ends closed at 0 and 100 ("more than 50%"
    and "50% to 100%" are one range).

    >>> _share({"share": 20}), _share({"share_min": 50}), _share({"share_max": 15})
    (('=', 20.0), (50.0, 100.0), (0.0, 15.0))
    """
    if "share" in claim:
        return ("=", float(claim["share"]))
    return (float(claim.get("share_min", 0.0)), float(claim.get("share_max", 100.0)))


def comparable(
    sheet: dict[str, Any], types: dict[str, str], rename: dict[str, str] | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """The sheet's scored claims as (kind, fields): ids renamed, one stake per holder."""
    rename = rename or {}

    def ids(value: Any) -> list[str]:
        return [rename.get(v, v) for v in _many(value)]

    out: list[tuple[str, dict[str, Any]]] = []
    for c in sheet.get("claims") or []:
        status = c.get("status")
        trust = c.get("kind") == "TrustHolding" and c.get("economic_interest_retained") is True
        if c.get("kind") == "EquityStake" or trust:
            # shares held in trust with the economic interest kept are the holder's stake
            for target in ids(c.get("target")):
                kind = "jv-share" if types.get(target) == "JointVenture" else "stake"
                for holder in ids(c.get("holder")):
                    stake = {
                        "holder": holder,
                        "target": target,
                        "share": _share(c),
                        "interest": c.get("interest", "shareholding"),
                    }
                    out.append((kind, {**stake, "status": status}))
        elif c.get("kind") == "JointVentureParticipation":
            for org in ids(c.get("organization")):
                for member in ids(c.get("member")):
                    out.append(("jv-partner", {"holder": member, "target": org, "status": status}))
        elif c.get("kind") == "TechnologyArrangement":
            fields: dict[str, Any] = {
                "providers": set(ids(c.get("provider"))),
                "recipients": set(ids(c.get("recipient"))),
                "technologies": set(ids(c.get("technology"))),
                "arrangement": c.get("arrangement"),
                "status": status,
            }
            out.append(("technology", fields))
        elif c.get("kind") == "JointProject" and c.get("technology"):
            # co-development: each participant develops the technology (the same fact as a
            # TechnologyArrangement of kind develops with the participants as providers)
            fields = {
                "providers": set(ids(c.get("participant"))),
                "recipients": set(),
                "technologies": set(ids(c.get("technology"))),
                "arrangement": "develops",
                "status": status,
            }
            out.append(("technology", fields))
        elif c.get("kind") == "TechnologyLicence":  # a technology arrangement of kind licenses
            fields = {
                "providers": set(ids(c.get("licensor"))),
                "recipients": set(ids(c.get("licensee"))),
                "technologies": set(ids(c.get("technology"))),
                "arrangement": "licenses",
                "status": status,
            }
            out.append(("technology", fields))
    return out


def _same(
    kind: str,
    a: dict[str, Any],
    b: dict[str, Any],
    status: bool,
    near: dict[str, set[str]] | None = None,
) -> bool:
    if status and a["status"] != b["status"]:
        return False
    if kind == "technology":
        return _in_common(a["technologies"], b["technologies"], near or {}) and any(
            arr_a == arr_b and bool(prov_a & prov_b)
            for prov_a, arr_a in _views(a)
            for prov_b, arr_b in _views(b)
        )
    keys = ("holder", "target") if kind == "jv-partner" else _STAKE_KEYS
    return all(a[k] == b[k] for k in keys)


_STAKE_KEYS = ("holder", "target", "share", "interest")


def _in_common(a: set[str], b: set[str], near: dict[str, set[str]]) -> bool:
    """A technology in common: the same one, or one and its direct broader concept ("EVs"
    drafted where the analyst wrote battery electric vehicles, the EV platform where the
    sheet names the product, MEB).

    >>> near = {"bev": {"ev"}, "ev": {"bev"}}
    >>> _in_common({"ev"}, {"bev"}, near), _in_common({"ev"}, {"battery"}, near)
    (True, False)
    """
    return bool(a & b) or any(near.get(t, set()) & b for t in a)


def neighbours(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """(narrower, broader) pairs as a map of each technology to its direct neighbours, both
    ways (one step only: a concept two steps up is not the same fact)."""
    out: dict[str, set[str]] = {}
    for narrow, broad in pairs:
        out.setdefault(narrow, set()).add(broad)
        out.setdefault(broad, set()).add(narrow)
    return out


def _sheet_broader(sheet: dict[str, Any], rename: dict[str, str]) -> list[tuple[str, str]]:
    """The (narrower, broader) pairs of a sheet's technologies (``broader:`` of an entity)."""
    out = []
    for e in sheet.get("entities") or []:
        if e.get("type") == "Technology":
            for b in _many(e.get("broader")):
                out.append((rename.get(e["id"], e["id"]), b))
    return out


def _views(claim: dict[str, Any]) -> list[tuple[set[str], str]]:
    """The (providers, arrangement) readings of one technology claim: A supplies, licenses,
    contributes or shares a technology to B is also B acquiring it; sharing goes both ways
    (A shares T with B is B sharing T with A, as the ontology defines akg:Shares)."""
    views = [(claim["providers"], claim["arrangement"])]
    if claim["arrangement"] == "shares" and claim.get("recipients"):
        views.append((claim["recipients"], "shares"))
    if claim.get("recipients") and claim["arrangement"] in rules.GIVING:
        views.append((claim["recipients"], "acquires"))
    return views


def _matches(
    kind: str,
    drafted: list[dict],
    curated: list[dict],
    status: bool,
    near: dict[str, set[str]] | None = None,
) -> int:
    """The most pairs of a drafted and a curated claim that match, each claim in one pair at
    most (a maximum bipartite matching by augmenting paths: a first-come pairing could take
    the curated claim a later drafted claim alone could match).

    >>> a = {"holder": "a", "target": "x", "share": ("=", 5.0), "interest": "s", "status": "p"}
    >>> _matches("stake", [a, a], [a], status=True)
    1
    """
    edges = [[i for i, c in enumerate(curated) if _same(kind, d, c, status, near)] for d in drafted]
    owner: dict[int, int] = {}  # curated index -> drafted index

    def augment(d: int, seen: set[int]) -> bool:
        for i in edges[d]:
            if i in seen:
                continue
            seen.add(i)
            if i not in owner or augment(owner[i], seen):
                owner[i] = d
                return True
        return False

    return sum(augment(d, set()) for d in range(len(drafted)))


def score(
    drafted: dict[str, Any],
    curated: dict[str, Any],
    types: dict[str, str] | None = None,
    known: Iterable[tuple[str, str]] = (),
    broader: Iterable[tuple[str, str]] = (),
) -> dict[str, Counts]:
    """Counts per kind for one drafted sheet against its curated sheet (both as YAML data).

    ``types``: entity types known elsewhere (the graph), to tell joint ventures. ``known``:
    (name, id) of the graph's entities, so that a proposed entity the graph has under a
    fuller or shorter name ("Toyota Motor Corp." for Toyota) counts as that entity.
    ``broader``: the taxonomy's (narrower, broader) technology pairs; the sheets' own
    technologies add theirs.
    """
    names = _names(curated)
    for text, ident in known:
        names.setdefault(_norm(text), ident)
    rename: dict[str, str] = {}
    for e in drafted.get("entities") or []:
        for text in [e.get("label"), *(e.get("aliases") or []), e.get("id")]:
            hit = names.get(_norm(text)) if text else None
            if hit:
                rename[e["id"]] = hit
                break
    # a proposed joint venture the text does not name: the curated one with the same partners
    drafted_partners = _partners(drafted, rename)
    curated_partners = _partners(curated, {})
    curated_jvs = {
        e["id"] for e in curated.get("entities") or [] if e.get("type") == "JointVenture"
    }
    curated_jvs |= {t for t, ty in (types or {}).items() if ty == "JointVenture"}
    for e in drafted.get("entities") or []:
        if e.get("type") != "JointVenture" or e["id"] in rename:
            continue
        mine = drafted_partners.get(e["id"], set())
        same = [j for j in curated_jvs if mine and curated_partners.get(j) == mine]
        if len(same) == 1:
            rename[e["id"]] = same[0]
    all_types = dict(types or {})
    for sheet, ren in ((curated, {}), (drafted, rename)):  # the curated type wins
        for e in sheet.get("entities") or []:
            all_types.setdefault(ren.get(e["id"], e["id"]), e.get("type", ""))
    d = comparable(drafted, all_types, rename)
    c = comparable(curated, all_types)
    near = neighbours([*broader, *_sheet_broader(curated, {}), *_sheet_broader(drafted, rename)])
    out = {}
    for kind in KINDS:
        dk = [f for k, f in d if k == kind]
        ck = [f for k, f in c if k == kind]
        out[kind] = Counts(
            drafted=len(dk),
            curated=len(ck),
            matched=_matches(kind, dk, ck, status=True, near=near),
            matched_relaxed=_matches(kind, dk, ck, status=False, near=near),
        )
    dt = [f for k, f in d if k == "technology"]
    ct = [f for k, f in c if k == "technology"]
    out[EXACT] = Counts(
        drafted=len(dt),
        curated=len(ct),
        matched=_matches("technology", dt, ct, status=True),
        matched_relaxed=_matches("technology", dt, ct, status=False),
    )
    return out


def _partners(sheet: dict[str, Any], rename: dict[str, str]) -> dict[str, set[str]]:
    """Joint venture (or any company) -> its partners and shareholders in the sheet."""
    out: dict[str, set[str]] = {}
    for c in sheet.get("claims") or []:
        if c.get("kind") == "JointVentureParticipation":
            for org in _many(c.get("organization")):
                out.setdefault(org, set()).update(rename.get(m, m) for m in _many(c.get("member")))
    return out


def curated_sheet(brief: str, data_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """The curated sheet under ``graph/`` whose document has the brief's file name."""
    from automaker_kg.paths import data_dir as default_data_dir

    root = default_data_dir(data_dir)
    for path in sorted((root / "graph").rglob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        file = str(((data or {}).get("document") or {}).get("file", ""))
        if Path(file).stem == brief:
            return path
    return None


def evaluate(
    briefs: Sequence[str],
    *,
    briefs_dir: str | os.PathLike[str],
    data_dir: str | os.PathLike[str] | None = None,
) -> tuple[dict[str, Counts], list[str]]:
    """Draft each brief (its own curated sheet left out of the names) and score the drafts.

    Returns the summed counts per kind and the briefs that have no curated sheet yet.
    """
    from automaker_kg.draft import draft_document
    from automaker_kg.draft.names import known_names

    graph_names = known_names(data_dir)
    types = {n.id: n.type for n in graph_names}
    known = [(n.text, n.id) for n in graph_names]
    broader = taxonomy_broader(data_dir)
    total = {kind: Counts() for kind in (*KINDS, EXACT)}
    missing = []
    for brief in briefs:
        sheet = curated_sheet(brief, data_dir)
        if sheet is None:
            missing.append(brief)
            continue
        _, text = draft_document(
            Path(briefs_dir) / f"{brief}.txt", data_dir=data_dir, leave_out=[sheet.stem]
        )
        drafted = yaml.safe_load(text)
        curated = yaml.safe_load(sheet.read_text(encoding="utf-8"))
        for kind, counts in score(drafted, curated, types, known, broader).items():
            total[kind].add(counts)
    return total, missing


def _f(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def table(name: str, counts: dict[str, Counts], missing: Iterable[str] = ()) -> str:
    """A markdown table of precision and recall per kind and overall, then the technology
    claims scored strictly (:data:`EXACT`) when ``counts`` has them."""
    rows = [
        f"### {name}",
        "",
        "| kind | curated | drafted | matched | precision | recall "
        "| precision (no status) | recall (no status) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    overall = Counts()
    for kind in KINDS:
        c = counts[kind]
        overall.add(c)
        rows.append(
            f"| {kind} | {c.curated} | {c.drafted} | {c.matched} | {_f(c.precision)} "
            f"| {_f(c.recall)} | {_f(c.precision_relaxed)} | {_f(c.recall_relaxed)} |"
        )
    c = overall
    rows.append(
        f"| **overall** | {c.curated} | {c.drafted} | {c.matched} | {_f(c.precision)} "
        f"| {_f(c.recall)} | {_f(c.precision_relaxed)} | {_f(c.recall_relaxed)} |"
    )
    if EXACT in counts:  # the strict technology figures, beside the overall ones
        c = counts[EXACT]
        rows.append(
            f"| {EXACT} | {c.curated} | {c.drafted} | {c.matched} | {_f(c.precision)} "
            f"| {_f(c.recall)} | {_f(c.precision_relaxed)} | {_f(c.recall_relaxed)} |"
        )
    missing = list(missing)
    if missing:
        rows.append("")
        rows.append(f"Not scored (no curated sheet yet): {', '.join(missing)}")
    return "\n".join(rows) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m automaker_kg.draft.evaluate [BRIEFS_DIR]``: print both halves' tables."""
    import sys

    from automaker_kg.paths import shared_dir

    args = list(sys.argv[1:] if argv is None else argv)
    if args:
        briefs_dir = Path(args[0])
    else:
        shared = shared_dir()
        if shared is None:
            print("error: cannot find shared/briefs; give the folder", file=sys.stderr)
            return 2
        briefs_dir = shared / "briefs"
    for name, briefs in (("dev (rules written on these)", DEV), ("held-out", HELD_OUT)):
        counts, missing = evaluate(briefs, briefs_dir=briefs_dir)
        print(
            table(f"{name}: {len(briefs) - len(missing)} of {len(briefs)} briefs", counts, missing)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
