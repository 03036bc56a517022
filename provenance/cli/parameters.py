"""Converting command-line values without building a pydantic adapter for each option.

Typer converts every option's value through a pydantic ``TypeAdapter`` it builds at parse
time; importing pydantic and building the adapters is about a fifth of a page command's
start-up. The values people type are nearly always plain: a string, a list of strings, a
number written in digits or a default, a choice spelled as listed, a date the option's own parser
reads. Those are converted here with the same result Typer's adapter would give; anything
else (a value out of range, a choice not listed, a number written another way) goes to
Typer's own conversion, so its messages and edge cases are unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, get_args, get_origin

from typer import core as typer_core
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_choice

from provenance.errors import MalformedOption

_INT = re.compile(r"[+-]?[0-9]{1,18}")
_FLOAT = re.compile(r"[+-]?(?:[0-9]{1,18}(?:\.[0-9]{0,18})?|\.[0-9]{1,18})(?:[eE][+-]?[0-9]{1,3})?")


class _Fallback(Exception):
    """The value is not plain: Typer's own conversion decides."""


def _in_bounds(number: float, descriptor: TypeDescriptor) -> bool:
    info = descriptor.parameter_info
    low, high = info.min, info.max
    return (low is None or number >= low) and (high is None or number <= high)


def _scalar(annotation: Any, descriptor: TypeDescriptor, value: Any, ctx: Any) -> Any:
    info = descriptor.parameter_info
    if info.parser is not None:
        try:
            return info.parser(value)
        except Exception as error:
            raise _Fallback from error
    if (annotation is str and isinstance(value, str)) or (
        annotation is bool and isinstance(value, bool)
    ):
        return value
    if annotation is int and (
        type(value) is int or (isinstance(value, str) and _INT.fullmatch(value))
    ):
        number = int(value)
        if _in_bounds(number, descriptor):
            return number
    if annotation is float and (
        type(value) in (int, float) or (isinstance(value, str) and _FLOAT.fullmatch(value))
    ):
        real = float(value)
        if _in_bounds(real, descriptor):
            return real
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        try:
            return coerce_cli_choice(
                value, choices=tuple(annotation), case_sensitive=info.case_sensitive, ctx=ctx
            )
        except ValueError as error:
            raise _Fallback from error
    raise _Fallback


def _plain(descriptor: TypeDescriptor) -> bool:
    """Whether this option's values can take the quick path at all."""
    info = descriptor.parameter_info
    annotation: Any = descriptor.annotation
    if descriptor.file_annotation is not None or info.clamp:
        return False
    if get_origin(annotation) in (list, tuple):
        return all(_plain_item(item, descriptor) for item in get_args(annotation))
    return _plain_item(annotation, descriptor)


def _plain_item(annotation: Any, descriptor: TypeDescriptor) -> bool:
    if descriptor.parameter_info.parser is not None:
        return True
    return annotation in (str, int, float, bool) or (
        isinstance(annotation, type) and issubclass(annotation, Enum)
    )


@dataclass(frozen=True)
class QuickRuntimeParam(RuntimeParam):
    """Plain values converted directly; the rest by the adapter Typer would have built."""

    descriptor: TypeDescriptor = field(repr=False)

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        annotation: Any = self.annotation
        try:
            if get_origin(annotation) is list:
                if not isinstance(value, (list, tuple)):
                    raise _Fallback
                (item,) = get_args(annotation)
                return [_scalar(item, self.descriptor, one, ctx) for one in value]
            if get_origin(annotation) is tuple:
                items = get_args(annotation)
                if not isinstance(value, (list, tuple)) or len(value) != len(items):
                    raise _Fallback
                return tuple(
                    _scalar(item, self.descriptor, one, ctx)
                    for item, one in zip(items, value, strict=True)
                )
            return _scalar(annotation, self.descriptor, value, ctx)
        except _Fallback:
            full = build_runtime_param(self.descriptor)
            return full._coerce_value(value, param=param, ctx=ctx)


def _runtime_param(self: Any) -> RuntimeParam:
    if self._runtime_param is None:
        descriptor = self.type_descriptor
        self._runtime_param = (
            QuickRuntimeParam(
                annotation=descriptor.annotation,
                parameter_info=descriptor.parameter_info,
                descriptor=descriptor,
            )
            if _plain(descriptor)
            else build_runtime_param(descriptor)
        )
    return self._runtime_param  # type: ignore[no-any-return]


def install() -> None:
    """Use the quick conversion for every Typer parameter, refuse an option that takes
    one value given twice, and report a malformed option found past the parser as every
    other usage error (idempotent)."""
    typer_core._TyperParameter.get_runtime_param = _runtime_param  # type: ignore[method-assign]
    invoke = typer_core.TyperCommand.invoke
    if not hasattr(invoke, "__wrapped__"):
        typer_core.TyperCommand.invoke = _usage_error_in_context(invoke)  # type: ignore[method-assign]
    parse_args = typer_core.TyperCommand.parse_args
    if not hasattr(parse_args, "__wrapped__"):
        typer_core.TyperCommand.parse_args = _one_value_once(parse_args)  # type: ignore[method-assign]
    parse_group = typer_core.TyperGroup.parse_args
    if not hasattr(parse_group, "__wrapped__"):
        typer_core.TyperGroup.parse_args = _one_value_once(parse_group, group=True)  # type: ignore[method-assign]


def repeated_option(command: Any, args: list[str], *, group: bool = False) -> str | None:
    """The first option that takes one value and is given twice in ``args`` (a command's
    own words): Click keeps the last, so `--source a --source b` lost a without a word.
    A ``group``'s own options end at its first argument (the command's name)."""
    names: dict[str, Any] = {}
    for param in command.params:
        for name in [*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())]:
            if name.startswith("-"):
                names[name] = param
    seen: dict[str, str] = {}
    at = 0
    while at < len(args):
        word = args[at]
        at += 1
        if word == "--":
            return None  # what follows are arguments
        attached = False
        if word.startswith("--"):
            name, equals, _ = word.partition("=")
            attached = bool(equals)
        else:
            name = word[:2]
            attached = len(word) > 2
        if group and not word.startswith("-"):
            return None  # the command: what follows is its own
        param = names.get(name) if word.startswith("-") and len(word) > 1 else None
        if param is None or getattr(param, "is_flag", False) or getattr(param, "count", False):
            continue
        if not param.multiple:
            if param.name in seen:
                first = seen[param.name]
                longest = max([first, name], key=len)
                return longest if first == name else f"{longest} (as {first} and {name})"
            seen[param.name] = name
        if not attached:
            at += param.nargs  # its value (or values) may look like an option
    return None


def _usage_error_in_context(invoke: Any) -> Any:
    """A :class:`MalformedOption` a command raises (a date its option reads for itself, a
    service refusing an argument) becomes Click's usage error in that command's context:
    one mechanism, one wording, with where its help is."""

    def invoke_command(self: Any, ctx: Any) -> Any:
        try:
            return invoke(self, ctx)
        except MalformedOption as error:
            from typer._click.exceptions import UsageError

            raise UsageError("; ".join(error.lines()), ctx=ctx) from None

    invoke_command.__wrapped__ = invoke  # type: ignore[attr-defined]
    return invoke_command


def _one_value_once(parse_args: Any, *, group: bool = False) -> Any:
    def parse(self: Any, ctx: Any, args: list[str]) -> Any:
        from typer._click.exceptions import UsageError

        repeated = repeated_option(self, args, group=group)
        if repeated is not None:
            raise UsageError(f"{repeated} given twice: give it once", ctx=ctx)
        return parse_args(self, ctx, args)

    parse.__wrapped__ = parse_args  # type: ignore[attr-defined]
    return parse
