"""Command-line values read without loading pydantic when they are plain.

Typer (0.2x) coerces every parameter value through a pydantic ``TypeAdapter``, so any
command with an option loads pydantic and builds an adapter per parameter: about as much
CPU as importing pyoxigraph, typer and rich together, on every run. :class:`QuickGroup`
gives each parameter of the command being run a coercion that answers the plain cases
itself (a string; a whole or decimal number in its simplest spelling; a path, checked by
typer's own path checks) with the value typer's adapter would give, and hands every other
case (another spelling, a bound, a choice, a file, an error) to typer's own coercion, so
answers and messages stay typer's.

It leans on typer's private ``_TyperParameter`` and ``typer._coercion``: with a typer
that lacks them, :class:`QuickGroup` is a plain ``TyperGroup`` and typer coerces as usual.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args, get_origin

import typer.core

try:  # typer's runtime coercion (typer >= 0.2x); absent: nothing to speed up
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_path
except ImportError:  # pragma: no cover - another typer
    RuntimeParam = None  # type: ignore[assignment,misc]

__all__ = ["QuickGroup", "quick_value"]

_WHOLE = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_UNKNOWN = object()


def quick_value(annotation: Any, info: Any, value: Any) -> Any:
    """``value`` as typer's adapter reads it for ``annotation``, or ``_UNKNOWN`` when the
    case is not a plain one (typer's coercion answers it).

    >>> quick_value(int, None, "12"), quick_value(float, None, "-2.5"), quick_value(str, None, "x")
    (12, -2.5, 'x')
    >>> quick_value(int, None, "1_000") is _UNKNOWN
    True
    """
    if annotation is str:
        return value if isinstance(value, str) else _UNKNOWN
    if annotation is bool:
        return value if type(value) is bool else _UNKNOWN
    bounded = info is not None and (info.min is not None or info.max is not None)
    if annotation is int and not bounded:
        if type(value) is int:
            return value
        return int(value) if isinstance(value, str) and _WHOLE.fullmatch(value) else _UNKNOWN
    if annotation is float and not bounded:
        if type(value) is float:
            return value
        return float(value) if isinstance(value, str) and _DECIMAL.fullmatch(value) else _UNKNOWN
    return _UNKNOWN


if RuntimeParam is not None:

    class _Quick(RuntimeParam):
        """Plain values answered here; the rest by typer's coercion, built when needed."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            multiple = isinstance(value, list | tuple)
            annotation: Any = self.annotation
            if multiple:  # list[X]: each item as an X (typer answers a tuple[...] itself)
                listed = get_origin(annotation) is list and len(get_args(annotation)) == 1
                annotation = get_args(annotation)[0] if listed else None
            items = list(value) if multiple else [value]
            if (
                annotation is Path
                and self.parameter_info.path_type is None
                and all(isinstance(x, str) and x for x in items)
            ):
                # typer's own path checks, given a Path (its adapter only turns str into one)
                found = [
                    coerce_cli_path(
                        Path(x), self.parameter_info, path_type=Path, param=param, ctx=ctx
                    )
                    for x in items
                ]
                return found if multiple else found[0]
            found = [quick_value(annotation, self.parameter_info, item) for item in items]
            if any(item is _UNKNOWN for item in found):
                typed = build_runtime_param(param.type_descriptor)
                return typed._coerce_value(value, param=param, ctx=ctx)
            return found if multiple else found[0]


def _speed_up(params: Any) -> None:
    """Give each of ``params`` that typer would coerce through pydantic a :class:`_Quick`
    coercion (once; other parameters are left as they are)."""
    if RuntimeParam is None:
        return  # pragma: no cover - another typer
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            continue
        if descriptor.file_annotation is not None or descriptor.is_choice:
            continue
        if descriptor.parameter_info.parser is not None:
            continue
        param._runtime_param = _Quick(
            parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
        )


class QuickGroup(typer.core.TyperGroup):
    """A typer group whose parameters, and its commands', read plain values without
    pydantic (see the module)."""

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)
        _speed_up(params)
        return params

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None and ctx is not None:
            _speed_up(command.get_params(ctx))  # its own and its help option (kept by click)
        return command
