"""docs/architecture.md stays true: the import graph of src/automaker_kg follows its rules.

Read from the source with ``ast`` (nothing is imported). "Top level" means an import run when
the module is imported (module body, ``if``/``try`` blocks), as opposed to one inside a
function, which runs only when that function is called.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from dataclasses import dataclass, field
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "automaker_kg"


@dataclass
class Module:
    name: str
    top: set[str] = field(default_factory=set)  # modules imported at import time
    lazy: set[str] = field(default_factory=set)  # modules imported inside functions
    private: set[tuple[str, str]] = field(default_factory=set)  # (module, _name) imported


def _name_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _walk(node: ast.AST, in_function: bool, out: list[tuple[ast.AST, bool]]) -> None:
    for child in ast.iter_child_nodes(node):
        inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
        if isinstance(child, ast.Import | ast.ImportFrom):
            out.append((child, in_function))
        _walk(child, inside, out)


def _modules() -> dict[str, Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = Module(_name_of(path))
        package = module.name if path.name == "__init__.py" else module.name.rpartition(".")[0]
        imports: list[tuple[ast.AST, bool]] = []
        _walk(ast.parse(path.read_text(encoding="utf-8")), False, imports)
        for node, lazy in imports:
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                assert isinstance(node, ast.ImportFrom)
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, *([base] if base else [])])
                targets = [base]
                for alias in node.names:
                    if f"{base}.{alias.name}" in _all_names():
                        targets.append(f"{base}.{alias.name}")  # from pkg import submodule
                    elif alias.name.startswith("_") and not alias.name.startswith("__"):
                        module.private.add((base, alias.name))
            (module.lazy if lazy else module.top).update(t for t in targets if t != "__future__")
        found[module.name] = module
    return found


_NAMES: set[str] = set()


def _all_names() -> set[str]:
    if not _NAMES:
        _NAMES.update(_name_of(p) for p in PACKAGE.rglob("*.py"))
    return _NAMES


def _ours(names: set[str]) -> set[str]:
    return {n for n in names if n == "automaker_kg" or n.startswith("automaker_kg.")}


def _third_party(names: set[str]) -> set[str]:
    roots = {n.split(".")[0] for n in names}
    return {r for r in roots if r != "automaker_kg" and r not in sys.stdlib_module_names}


MODULES = _modules()

#: The foundation: imported by everything, importing only each other and third-party parsers.
FOUNDATION = {
    "automaker_kg.paths",
    "automaker_kg.files",
    "automaker_kg.children",
    "automaker_kg.errors",
    "automaker_kg.names",
    "automaker_kg.namespaces",
    "automaker_kg.terms",
    "automaker_kg.prefixes",
    "automaker_kg.temporal",
    "automaker_kg.sparqlguard",
    "automaker_kg.query_errors",
    "automaker_kg.browser",
    "automaker_kg.sources.documents",
}
#: The surfaces: what a user runs. Nothing below them imports them.
SURFACES = {"automaker_kg.cli", "automaker_kg.server", "automaker_kg.bench.runner"}

#: Private names one module still takes from another (issue 14): this list only shrinks.
KNOWN_PRIVATE_REACH_INS: set[tuple[str, str, str]] = set()


def test_every_module_is_in_the_architecture_page():
    """docs/architecture.md names each module (a new module gets its line there)."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(automaker_kg(?:\.[a-z_]+)*)`", page))
    missing = {m for m in MODULES if m not in named and m.rpartition(".")[0] not in named}
    assert not missing, f"add these to docs/architecture.md: {sorted(missing)}"


def test_the_foundation_imports_only_the_foundation():
    for name in FOUNDATION & set(MODULES):
        module = MODULES[name]
        assert _ours(module.top | module.lazy) <= FOUNDATION, name


def test_no_module_below_the_surfaces_imports_them():
    for name, module in MODULES.items():
        if name in SURFACES or name.startswith("automaker_kg.bench"):
            continue
        assert not _ours(module.top | module.lazy) & SURFACES, name


def test_analytics_and_layout_load_no_rdf_library_or_store():
    """The pure rooms work on networkx graphs and plain values only (at import time)."""
    forbidden = {"rdflib", "pyoxigraph", "pyshacl", "oxrdflib"}
    rooms = (
        "automaker_kg.analytics",
        "automaker_kg.render.layout",
        "automaker_kg.temporal",
        "automaker_kg.assembly",
    )
    for name, module in MODULES.items():
        if not name.startswith(rooms):
            continue
        assert not _third_party(module.top) & forbidden, name
        ours = _ours(module.top)
        assert all(o.startswith(rooms) or o in FOUNDATION for o in ours), (name, ours)


def test_no_module_takes_a_private_name_of_another():
    """`from x import _name` across modules is a reach-in; the known ones are being removed."""
    found = {
        (name, source, private)
        for name, module in MODULES.items()
        for source, private in module.private
        if source != name
    }
    assert found - KNOWN_PRIVATE_REACH_INS == set(), "new reach-ins: make the name public"
    assert KNOWN_PRIVATE_REACH_INS - found == set(), "fixed: take it off the known list"


def test_every_imported_package_is_declared():
    """Each third-party package the source imports is a dependency in pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = project["dependencies"] + [
        d for extra in project.get("optional-dependencies", {}).values() for d in extra
    ]
    names = {re.split(r"[<>=!~ \[;]", d, maxsplit=1)[0].lower().replace("_", "-") for d in declared}
    distributions = packages_distributions()
    imported = set().union(*(_third_party(m.top | m.lazy) for m in MODULES.values()))
    missing = set()
    for module in imported:
        dists = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        if not dists & names:
            missing.add(f"{module} ({', '.join(sorted(dists))})")
    assert not missing, f"declare in pyproject.toml: {sorted(missing)}"


#: The drafter's rule modules, in the order they may import each other (each only earlier ones).
DRAFT_RULES = [
    "automaker_kg.draft.names",
    "automaker_kg.draft.rules",
    "automaker_kg.draft.model",
    "automaker_kg.draft.concepts",
    "automaker_kg.draft.dates",
    "automaker_kg.draft.status",
    "automaker_kg.draft.entities",
    "automaker_kg.draft.ventures",
    "automaker_kg.draft.stakes",
    "automaker_kg.draft.areas",
    "automaker_kg.draft.technology",
    "automaker_kg.draft.labels",
]


def test_the_drafters_rules_flow_one_way():
    """Each rule module of the drafter imports only the ones before it (names, rules, model,
    dates, status, entities, ...): never the reading loop (extract), the sheet or the scorer."""
    drafting = {n for n in MODULES if n.startswith("automaker_kg.draft.")}
    assert set(DRAFT_RULES) <= drafting
    assert drafting - set(DRAFT_RULES) == {
        "automaker_kg.draft.extract",
        "automaker_kg.draft.sheet",
        "automaker_kg.draft.evaluate",
    }, "a new drafting module: give it its place in DRAFT_RULES and docs/architecture.md"
    for i, name in enumerate(DRAFT_RULES):
        used = {m for m in _ours(MODULES[name].top | MODULES[name].lazy) if m in drafting}
        assert used <= set(DRAFT_RULES[:i]), (name, used - set(DRAFT_RULES[:i]))


#: The fact-sheet package's rooms in the order they may import each other.
FACTSHEET_ROOMS = [
    "automaker_kg.sources.factsheet.schema",
    "automaker_kg.sources.factsheet.sheet",
    "automaker_kg.sources.factsheet.compile",
    "automaker_kg.sources.factsheet.turtle",
    "automaker_kg.sources.factsheet.adding",
]


def test_the_fact_sheet_rooms_flow_one_way():
    """schema, sheet, compile, turtle, add: each imports only the rooms before it."""
    package = {n for n in MODULES if n.startswith("automaker_kg.sources.factsheet.")}
    assert package == set(FACTSHEET_ROOMS), "a new room: give it its place here and in the docs"
    for i, name in enumerate(FACTSHEET_ROOMS):
        used = {m for m in _ours(MODULES[name].top | MODULES[name].lazy) if m in package}
        assert used <= set(FACTSHEET_ROOMS[:i]), (name, used - set(FACTSHEET_ROOMS[:i]))
