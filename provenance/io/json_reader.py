"""The interchange document (JSON) streamed: records are built one at a time from
ijson's events, so memory does not grow with the file, and depth, size, duplicate keys,
runs of digits and lone surrogates are refused before a record is built."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from provenance.io.read_base import (
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_VALUE_BYTES,
    SECTIONS,
    TOO_MANY_DIGITS,
    Item,
    Problem,
    refuse_constant,
    skip_bom,
)
from provenance.io.surrogates import LoneSurrogate, SurrogateCheck

_LONG_DIGIT_RUN = re.compile(rb"[0-9]{%d,}" % (MAX_DIGITS + 1))
_LEADING_DIGITS = re.compile(rb"[0-9]*")


class _Meter:
    """A binary file that refuses to hand the parser more than :data:`MAX_VALUE_BYTES`
    without an event in between: a single value that large is refused before it is built.

    A run of more than :data:`MAX_DIGITS` digits is refused before the parser sees it:
    ijson's C backend crashed the process (a segmentation fault) converting one."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.pending = 0
        self.place = ""
        self.digits = 0  # the run of digits at the end of what was read so far
        self.name = ""
        self.line = 1  # where what the next read returns begins
        self.surrogates = SurrogateCheck()

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.handle.read(size)
        self.pending += len(data)
        if self.pending > MAX_VALUE_BYTES + len(data):
            raise Problem(self.place, f"one value is longer than {MAX_VALUE_BYTES:,} bytes")
        self._count_digits(data)
        try:
            self.surrogates.feed(data)
        except LoneSurrogate as lone:
            raise Problem(f"{self.name}:{lone.line}", str(lone)) from None
        return data

    def _count_digits(self, data: bytes) -> None:
        """Refuse a run of too many digits, naming its line (the parser reads ahead, so
        the place it has reached is not where the run is)."""
        leading = _LEADING_DIGITS.match(data).end()  # type: ignore[union-attr]
        if leading == len(data):
            self.digits += leading
        else:
            if self.digits + leading > MAX_DIGITS:
                raise Problem(f"{self.name}:{self.line}", TOO_MANY_DIGITS)
            run = _LONG_DIGIT_RUN.search(data)
            if run is not None:
                line = self.line + data.count(b"\n", 0, run.start())
                raise Problem(f"{self.name}:{line}", TOO_MANY_DIGITS)
            self.digits = len(data) - len(data.rstrip(b"0123456789"))
        self.line += data.count(b"\n")
        if self.digits > MAX_DIGITS:
            raise Problem(f"{self.name}:{self.line}", TOO_MANY_DIGITS)


def _scalar(event: str, value: Any) -> Any:
    if event == "number" and not isinstance(value, int):
        return float(value)  # ijson gives a Decimal; 1e400 becomes inf (refused as a value)
    return value


class _Builder:
    """Builds one record from parser events, refusing depth and duplicate keys before they
    are built, and naming the place of whatever goes wrong."""

    def __init__(self, meter: _Meter, place: str) -> None:
        self.meter = meter
        self.place = place
        #: The position inside each open container: a key, an index, or None (no key yet).
        self.path: list[str | None] = []

    def pointer(self) -> str:
        return self.place + "".join(f"/{part}" for part in self.path if part is not None)

    def _at(self, part: str | None) -> None:
        self.path[-1] = part
        self.meter.place = self.pointer()

    def build(self, events: Iterator[tuple[str, Any]], event: str, value: Any) -> Any:
        if event not in ("start_map", "start_array"):
            return _scalar(event, value)
        root: Any = {} if event == "start_map" else []
        stack: list[Any] = [root]
        self.path = ["0" if isinstance(root, list) else None]
        self.meter.place = self.pointer()
        for event, value in events:
            self.meter.pending = 0
            top = stack[-1]
            if event == "map_key":
                self._at(value)
                if value in top:
                    raise Problem(self.pointer(), f"duplicate key {value!r} in one object")
                top[value] = None
                continue
            if event in ("end_map", "end_array"):
                stack.pop()
                self.path.pop()
                if not stack:
                    return root
                if isinstance(stack[-1], list):
                    self._at(str(len(stack[-1])))
                continue
            item: Any = _scalar(event, value)
            if event == "start_map":
                item = {}
            elif event == "start_array":
                item = []
            if isinstance(top, dict):
                top[self.path[-1]] = item
            else:
                top.append(item)
            if event in ("start_map", "start_array"):
                if len(stack) >= MAX_DEPTH:
                    raise Problem(self.pointer(), f"nested deeper than {MAX_DEPTH} levels")
                stack.append(item)
                self.path.append("0" if isinstance(item, list) else None)
                self.meter.place = self.pointer()
            elif isinstance(top, list):
                self._at(str(len(top)))
        raise Problem(self.place, "the file ends inside this record")


def read_json(path: Path) -> Iterator[Item]:
    """Stream the interchange document: records are built one at a time, so memory does not
    grow with the file, and depth, size and duplicate keys are checked before a record is
    built. On a syntax error the file is parsed again by ``json`` to name the line."""
    import ijson

    name = str(path)
    counts = dict.fromkeys(SECTIONS, 0)
    builder = None
    meter = _Meter(None)
    meter.place = f"{name}#"
    meter.name = name
    try:
        with path.open("rb") as handle:
            skip_bom(handle)
            meter.handle = handle
            events = iter(ijson.basic_parse(meter))
            event, value = next(events, ("end", None))
            if event != "start_map":
                raise Problem(f"{name}#", "the document must be an object with sources, claims, …")
            seen: set[str] = set()
            for event, value in events:
                meter.pending = 0
                if event == "end_map":
                    break
                if value in seen:
                    raise Problem(f"{name}#/{value}", f"duplicate key {value!r} in one object")
                seen.add(value)
                meter.place = f"{name}#/{value}"
                if value == "provenance":
                    _, version = next(events)
                    if version != 1:
                        raise Problem(
                            f"{name}#/provenance", f"unsupported interchange version {version!r}"
                        )
                elif value in SECTIONS:
                    event, _ = next(events)
                    if event != "start_array":
                        raise Problem(f"{name}#/{value}", "must be a list")
                    for event, item in events:
                        meter.pending = 0
                        if event == "end_array":
                            break
                        place = f"{name}#/{value}/{counts[value]}"
                        builder = _Builder(meter, place)
                        record = builder.build(events, event, item)
                        builder = None
                        counts[value] += 1
                        meter.place = f"{name}#/{value}"
                        yield place, SECTIONS[value], record
                else:
                    raise Problem(
                        f"{name}#/{value}",
                        f"is not a known section (expected {', '.join(SECTIONS)})",
                    )
            for _ in events:
                pass  # the parser checks what follows the document
    except ijson.JSONError as error:
        where = builder.pointer() if builder else meter.place
        raise _syntax_problem(path, where, error) from None
    except UnicodeDecodeError as error:
        raise Problem(name, f"not UTF-8 text ({error.reason})") from None
    except (ValueError, SystemError) as error:
        # ijson's reading of a number with thousands of digits
        where = builder.pointer() if builder else meter.place
        raise Problem(where, f"a number with too many digits ({_first_line(error)})") from None


def _first_line(error: BaseException) -> str:
    cause = error.__cause__ or error.__context__ or error
    return (str(cause).splitlines() or [type(cause).__name__])[0][:120]


#: A file this size or smaller is parsed again by ``json`` to name the line of a syntax
#: error; a larger one is named by where the streaming parser stopped (``json`` would
#: hold it whole, twice over).
MAX_REPARSE_BYTES = 32 << 20


def _syntax_problem(path: Path, where: str, error: BaseException) -> Problem:
    try:
        if path.stat().st_size > MAX_REPARSE_BYTES:
            return Problem(where, f"invalid JSON ({_first_line(error)})")
    except OSError:
        pass
    try:
        with path.open("rb") as handle:
            skip_bom(handle)
            json.load(handle, parse_constant=refuse_constant)
    except json.JSONDecodeError as error:
        return Problem(
            f"{path}:{error.lineno}", f"invalid JSON: {error.msg} (column {error.colno})"
        )
    except UnicodeDecodeError as error:
        return Problem(str(path), f"not UTF-8 text ({error.reason} at byte {error.start})")
    except RecursionError:
        return Problem(where, "invalid JSON (nested too deeply)")
    except ValueError as error:
        return Problem(where, f"invalid JSON: {error}")
    return Problem(where, "invalid JSON")
