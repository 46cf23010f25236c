"""Hostile fact sheets: bombs, deep nesting, odd bytes, paths out, and identity changes.

Each is refused with a SheetError naming the sheet and the field (exit 2), quickly and in
little memory; nothing is written.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from automaker_kg.paths import shared_dir
from automaker_kg.sources.factsheet import (
    MAX_SHEET_BYTES,
    MAX_SHEET_DEPTH,
    SheetError,
    add,
    parse_sheet,
)
from test_factsheet import SHEET, TEXT

needs_shared = pytest.mark.skipif(shared_dir() is None, reason="../shared not present")


def alias_bomb(levels: int = 12) -> str:
    """The 'billion laughs' in YAML: each level nine aliases of the one before."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels + 1):
        lines.append(f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _refused_in_little_memory(text: str) -> SheetError:
    tracemalloc.start()
    try:
        with pytest.raises(SheetError) as info:
            parse_sheet(text, "bomb.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 << 20, f"parsing took {peak >> 20} MB"
    return info.value


def test_alias_bomb_is_refused_at_the_first_alias() -> None:
    """Aliases are refused: the bomb never expands (the report saw 6.7 GB)."""
    error = _refused_in_little_memory(alias_bomb())
    assert "aliases (*name) are not allowed" in str(error)
    assert str(error).startswith("bomb.yaml:2:")


def test_merge_key_alias_is_refused_too() -> None:
    """``<<: *base`` needs an alias as well."""
    text = SHEET + "base: &b {x: 1}\nother:\n  <<: *b\n"
    assert "aliases" in str(_refused_in_little_memory(text))


@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_nesting_is_refused_not_a_recursion_error(style: str) -> None:
    """20,000 levels of lists (or a few hundred of mappings) end as an error, not a crash."""
    if style == "flow":
        text = "a: " + "[" * 20_000 + "]" * 20_000 + "\n"
    else:
        text = "".join(" " * i + f"k{i}:\n" for i in range(400)) + " " * 400 + "v\n"
    error = _refused_in_little_memory(text)
    assert f"nested deeper than {MAX_SHEET_DEPTH} levels" in str(error)


def test_oversized_sheet_is_refused(tmp_path: Path) -> None:
    """A sheet over the size limit is refused before it is read."""
    from automaker_kg.sources.factsheet import load_sheet

    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * MAX_SHEET_BYTES + "\n", encoding="utf-8")
    with pytest.raises(SheetError) as info:
        load_sheet(big)
    assert str(big) in str(info.value) and "larger than" in str(info.value)


@pytest.mark.parametrize(
    "name, text",
    [
        ("bomb", alias_bomb(14)),
        ("deep", "a: " + "[" * 20_000 + "]" * 20_000 + "\n"),
        ("binary", None),
    ],
)
def test_cli_add_refuses_hostile_sheets_with_exit_2(tmp_path: Path, cli, name, text) -> None:
    """Through the command line: exit 2, the sheet named, no traceback."""
    sheet = tmp_path / f"{name}.yaml"
    if text is None:
        sheet.write_bytes(b"document:\n  file: \xff\xfe.txt\n")
    else:
        sheet.write_text(text, encoding="utf-8")
    result = cli("add", sheet, "--data-dir", tmp_path)
    assert result.exit_code == 2, result.stderr
    assert str(sheet) in result.stderr and "Traceback" not in result.stderr


def _write(tmp_path: Path, sheet_text: str, document: bytes | None = None) -> tuple[Path, Path]:
    sheet = tmp_path / "tiny.yaml"
    sheet.write_text(sheet_text, encoding="utf-8")
    doc = tmp_path / "tiny.txt"
    doc.write_bytes(TEXT.encode("utf-8") if document is None else document)
    return sheet, doc


def _problems(error: SheetError) -> dict[str, str]:
    return {p.field: p.message for p in error.problems}


def test_non_utf8_document_names_the_field(tmp_path: Path, data_copy: Path) -> None:
    """A Latin-1 document is refused at document.file, saying it is not UTF-8."""
    sheet, doc = _write(tmp_path, SHEET, TEXT.replace("Alpha", "Älpha").encode("latin-1"))
    with pytest.raises(SheetError) as info:
        add(sheet, document=doc, data_dir=data_copy)
    assert "not UTF-8" in _problems(info.value)["document.file"]
    assert f"{sheet}:2: document.file:" in str(info.value)


@pytest.mark.parametrize("url", ['https://e.org/a"b', "https://e.org/<x>", "https://e.org/a b"])
def test_url_that_is_no_iri_names_the_field(tmp_path: Path, data_copy: Path, url: str) -> None:
    """A URL with a quote, angle brackets or a space is refused at document.url."""
    text = SHEET.replace("  date: 2024-01-02\n", f"  date: 2024-01-02\n  url: '{url}'\n")
    sheet, doc = _write(tmp_path, text)
    with pytest.raises(SheetError) as info:
        add(sheet, document=doc, data_dir=data_copy)
    assert "document.url" in _problems(info.value)


@needs_shared
@pytest.mark.parametrize("file", ["../../../../etc/hostname", "/etc/hostname", "../DESIGN.md"])
def test_document_file_stays_inside_shared(tmp_path: Path, data_copy: Path, file: str) -> None:
    """document.file may not leave shared/ (by .., an absolute path, or a symlink)."""
    sheet = tmp_path / "tiny.yaml"
    sheet.write_text(SHEET.replace("file: tiny.txt", f"file: {file}"), encoding="utf-8")
    with pytest.raises(SheetError) as info:
        add(sheet, data_dir=data_copy)
    assert "outside the shared/ folder" in _problems(info.value)["document.file"]


REDEFINE = """entities:
  - id: nissan
    type: Person
    label: Not Nissan
"""


def test_sheet_cannot_change_an_entitys_type_or_label(tmp_path: Path, data_copy: Path) -> None:
    """``{id: nissan, type: Person, label: Not Nissan}`` is refused: an edit of entities.ttl."""
    sheet, doc = _write(tmp_path, SHEET.replace("claims:\n", REDEFINE + "claims:\n", 1))
    with pytest.raises(SheetError) as info:
        add(sheet, document=doc, data_dir=data_copy)
    problems = _problems(info.value)
    assert "edit of graph/entities.ttl" in problems["entities[0].type"]
    assert "akg:Automaker" in problems["entities[0].type"]
    assert "'Nissan'" in problems["entities[0].label"]
    assert not (data_copy / "graph" / "articles" / "tiny.ttl").exists()


def test_sheet_may_add_facts_about_an_existing_entity(tmp_path: Path, data_copy: Path) -> None:
    """Same type and label, one more alias: accepted, and the alias is in the output."""
    same = """entities:
  - id: nissan
    type: Automaker
    label: Nissan
    name: Nissan Motor Co., Ltd.
    aliases: [NMC-test-alias]
"""
    sheet, doc = _write(tmp_path, SHEET.replace("claims:\n", same + "claims:\n", 1))
    report = add(sheet, document=doc, data_dir=data_copy)
    assert "NMC-test-alias" in report.target.read_text(encoding="utf-8")


def test_claim_id_already_used_is_reported_as_such(tmp_path: Path, data_copy: Path) -> None:
    """Reusing a claim id of another sheet is one problem at claims[0].id that says so."""
    sheet, doc = _write(tmp_path, SHEET.replace("id: tiny-stake", "id: kyodo-ampere-founding-plan"))
    with pytest.raises(SheetError) as info:
        add(sheet, document=doc, data_dir=data_copy)
    problems = _problems(info.value)
    assert list(problems) == ["claims[0].id"], str(info.value)
    assert "already used in graph/articles/2023-02-06" in problems["claims[0].id"]


# -- the command line on malformed input: exit 2, the file or option named, no traceback ----
def _malformed(tmp: Path) -> list[tuple[list[str], str]]:
    latin = tmp / "latin.txt"
    latin.write_bytes("caf\u00e9\n".encode("latin-1"))
    latin_rq = tmp / "latin.rq"
    latin_rq.write_bytes('SELECT * { ?s ?p "caf\u00e9" }'.encode("latin-1"))
    bomb = tmp / "bomb.yaml"
    bomb.write_text(alias_bomb(), encoding="utf-8")
    return [
        (["offsets", str(latin)], "latin.txt"),
        (["query", str(latin_rq)], "latin.rq"),
        (["export", "-f", "nt", "-o", str(tmp / "no" / "such" / "dir.nt")], "dir.nt"),
        (["export", "-f", "nope"], "nope"),
        (["ownership", "--as-of", "2023-13-45"], "2023-13-45"),
        (["diff", "2024-01-01", "nope"], "nope"),
        (["path", "Nobody-at-all", "Nissan"], "Nobody-at-all"),
        (["query", "cross-holdings", "-p", "nope=1"], "nope"),
        (["add", str(bomb)], "bomb.yaml"),
        (["add", str(latin)], "latin.txt"),
        (["serve", "--worker-memory", "lots"], "--worker-memory"),
    ]


def test_malformed_inputs_are_exit_2_naming_what(tmp_path: Path, built_store: Path, capsys):
    """Each malformed input: exit 2, the file, value or option named, no traceback."""
    from automaker_kg import cli

    for argv, named in _malformed(tmp_path):
        store = [] if argv[0] == "add" or argv[0] == "offsets" else ["--store", str(built_store)]
        with pytest.raises(SystemExit) as exit_info:
            cli.main([*argv, *store])
        err = capsys.readouterr().err
        assert exit_info.value.code == 2, (argv, err)
        assert named in err and "Traceback" not in err, (argv, err)


def test_serve_on_a_port_in_use_is_exit_2(built_store: Path) -> None:
    """The address in use: exit 2 saying so, no traceback (the real command)."""
    import socket

    from conftest import run_cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", port, "--workers", "1", "--store", built_store)
    assert result.exit_code == 2, result.stderr
    assert "in use" in result.stderr and "Traceback" not in result.stderr
    bad = run_cli("serve", "--port", "99999", "--store", built_store)
    assert bad.exit_code == 2 and "Traceback" not in bad.stderr
