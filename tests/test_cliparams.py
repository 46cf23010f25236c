"""Plain command-line values read without pydantic give what typer's own coercion gives."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param

from automaker_kg import cliparams
from automaker_kg.cli import app


def _parameters() -> list[tuple[str, object]]:
    """Every parameter of every command, with the command's name."""
    found = []

    def walk(group, prefix: str) -> None:
        ctx = Context(group)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if hasattr(command, "commands"):
                walk(command, f"{prefix}{name} ")
                continue
            found.extend((f"{prefix}{name} --{p.name}", (command, p)) for p in command.params)

    walk(typer.main.get_command(app), "")
    return found


PARAMETERS = _parameters()
SAMPLES = {
    str: ["Nissan", "", " x ", "kg:nissan", "ÿ", "1"],
    int: ["3", "-2", "+4", "007", " 5", "1_000", "x", "3.5", "", "0"],
    float: ["1.5", "2", "-0.25", "1e3", "nan", "x", " 1", "0", ".5", "5.", "+1.0"],
    bool: [True, False],
}


def _outcome(runtime, command, param, value):
    try:
        result = runtime._coerce_value(value, param=param, ctx=Context(command))
    except BadParameter as exc:
        return "error", exc.format_message()
    return type(result), repr(result)  # nan == nan


def _check(command, param, value) -> None:
    quick = param.get_runtime_param()
    assert isinstance(quick, cliparams._Quick), "every plain parameter reads quickly"
    typed = build_runtime_param(param.type_descriptor)
    assert _outcome(quick, command, param, value) == _outcome(typed, command, param, value)


@pytest.mark.parametrize(
    ("name", "pair"), [p for p in PARAMETERS if p[1][1].type_descriptor.annotation in SAMPLES]
)
def test_a_plain_value_reads_as_typer_reads_it(name, pair):
    """Each command's str, int, float and bool parameters: the same value (and type) or the
    same error message as typer's pydantic coercion, for plain and unusual spellings."""
    command, param = pair
    for value in SAMPLES[param.type_descriptor.annotation]:
        _check(command, param, value)


def test_paths_are_checked_as_typer_checks_them(tmp_path: Path):
    """A path option: typer's path checks, the same Path (existing or not)."""
    (tmp_path / "here.ttl").write_text("")
    paths = [p for p in PARAMETERS if p[1][1].type_descriptor.annotation is Path]
    assert paths
    for _, (command, param) in paths:
        for value in (str(tmp_path / "here.ttl"), str(tmp_path / "absent"), str(tmp_path)):
            _check(command, param, value)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=12), kind=st.sampled_from([int, float, str]))
def test_any_text_reads_as_typer_reads_it(text, kind):
    """Whatever is typed for a number or a string: typer's answer or typer's error."""
    command, param = next(
        pair for _, pair in PARAMETERS if pair[1].type_descriptor.annotation is kind
    )
    _check(command, param, text)


def test_bounded_numbers_and_lists_are_left_to_typer():
    """--port (bounded) keeps typer's bounds; a list option (query -p) reads item by item."""
    pairs = dict(PARAMETERS)
    command, port = pairs["serve --port"]
    _check(command, port, "70000")
    _check(command, port, "80")
    command, params = pairs["query --param"]
    _check(command, params, ("company=Nissan", "day=2024-01-01"))
