"""Readers turn a file into ``(place, kind, record)`` triples, where ``place`` is
``file#/json/pointer`` or ``file:line``. Syntax errors become problems with a place too.
This module picks the reader (by suffix, else by the first bytes) and holds JSONL and
YAML; the streamed JSON document is :mod:`json_reader`'s, CSV :mod:`csv_reader`'s."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import jiter

from provenance.errors import ProvenanceError
from provenance.files import require_regular_file
from provenance.io.csv_reader import read_csv
from provenance.io.json_reader import read_json
from provenance.io.read_base import (
    FORMATS,
    KINDS,
    MAX_DEPTH,
    MAX_VALUE_BYTES,
    SECTIONS,
    TOO_MANY_DIGITS,
    Item,
    Problem,
    document_records,
    refuse_constant,
    skip_bom,
)

__all__ = ["KINDS", "SECTIONS", "Item", "Problem", "detect_format", "read"]


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("json", "jsonl", "csv"):
        return suffix
    if suffix in ("yaml", "yml"):
        return "yaml"
    if suffix == "ndjson":
        return "jsonl"
    # By content: a JSON document starts with '{' and spans lines; JSONL's first line parses.
    with path.open("rb") as handle:
        skip_bom(handle)
        head = handle.read(4096).decode("utf-8", "replace").lstrip()
    first_line = head.split("\n", 1)[0]
    if head.startswith("{"):
        try:
            first = json.loads(first_line)
        except ValueError:
            return "json"
        # One line may be a whole document (`jq -c`): it names sections, not a "type".
        whole = (
            isinstance(first, dict)
            and "type" not in first
            and bool(set(first) & {"provenance", *SECTIONS})
        )
        return "json" if whole else "jsonl"
    if head.startswith(("provenance:", "sources:", "claims:", "---")):
        return "yaml"
    if first_line.startswith("key,") or ",text," in first_line:
        return "csv"
    raise ProvenanceError(f"{path}: cannot tell its format; pass --format json|jsonl|csv|yaml")


def _yaml_loader(path: Path, base: Any = None) -> Any:
    """PyYAML's safe loader (it never constructs Python objects) that also refuses aliases,
    depth past :data:`MAX_DEPTH` and duplicate keys while composing, before anything is
    expanded: an alias bomb ("billion laughs") never gets built. On libyaml's loader
    (``base``) composing is C code that never calls ``compose_node``: the events were
    checked before (:func:`_checked_events`); duplicate keys are still refused here."""
    import yaml

    parent: Any = base or yaml.SafeLoader

    class Loader(parent):  # type: ignore[misc]
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            line = f"{path}:{event.start_mark.line + 1}"
            if isinstance(event, yaml.AliasEvent):
                raise Problem(line, "YAML aliases (*name) are not accepted")
            if isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_VALUE_BYTES:
                raise Problem(line, f"one value is longer than {MAX_VALUE_BYTES:,} characters")
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH + 3:
                    raise Problem(line, f"nested deeper than {MAX_DEPTH} levels")
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, list | dict):
                    raise Problem(f"{path}:{key_node.start_mark.line + 1}", "a key must be text")
                if key in seen:
                    raise Problem(
                        f"{path}:{key_node.start_mark.line + 1}",
                        f"duplicate key {key!r} in one mapping",
                    )
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return Loader


def _checked_events(path: Path, handle: IO[bytes], yaml: Any) -> None:
    """The checks of :func:`_yaml_loader`, on libyaml's events: its C scanner reads a 50 MB
    scalar in a second, where PyYAML's Python one took 243 s to reach the size check."""
    depth = 0
    for event in yaml.parse(handle, Loader=yaml.CSafeLoader):
        line = f"{path}:{event.start_mark.line + 1}"
        if isinstance(event, yaml.AliasEvent):
            raise Problem(line, "YAML aliases (*name) are not accepted")
        if isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_VALUE_BYTES:
            raise Problem(line, f"one value is longer than {MAX_VALUE_BYTES:,} characters")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH + 2:
                raise Problem(line, f"nested deeper than {MAX_DEPTH} levels")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def read_yaml(path: Path) -> Iterator[Item]:
    import yaml

    try:
        with path.open("rb") as handle:
            if getattr(yaml, "__with_libyaml__", False):
                # Checked event by event first; then no alias is left to expand.
                _checked_events(path, handle, yaml)
                handle.seek(0)
                loader = _yaml_loader(path, base=yaml.CSafeLoader)(handle)
            else:
                loader = _yaml_loader(path)(handle)
            try:
                data = loader.get_single_data()
            finally:
                loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        if "maximum nesting depth" in str(error.problem):  # libyaml's own limit, met first
            raise Problem(f"{path}{line}", f"nested deeper than {MAX_DEPTH} levels") from None
        raise Problem(f"{path}{line}", f"invalid YAML: {error.problem}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise Problem(f"{path}", f"invalid YAML: {error}") from None
    except RecursionError:
        raise Problem(f"{path}", "YAML nested too deeply") from None
    yield from document_records(_plain(data, f"{path}#"), str(path))


def _plain(value: Any, place: str) -> Any:
    """YAML turns 2025-05-02 into a date; the interchange format wants strings. Bytes
    (``!!binary``) and sets have no place in it."""
    import datetime as dt

    if isinstance(value, dict):
        return {str(k): _plain(v, f"{place}/{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, f"{place}/{i}") for i, v in enumerate(value)]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        raise Problem(place, "binary data (!!binary) is not accepted: write the text itself")
    if isinstance(value, set):
        raise Problem(place, "a set (!!set) is not accepted: write a list")
    return value


def _depth(value: Any) -> int:
    """How deeply a parsed JSON value nests (iteratively: no recursion limit to hit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record = dict(pairs)
    if len(record) == len(pairs):
        return record
    record = {}
    for key, value in pairs:
        if key in record:
            raise ValueError(f"duplicate key {key!r} in one object")
        record[key] = value
    return record


def _lines(handle: Any) -> Iterator[bytes | None]:
    """The file's lines, each at most :data:`MAX_VALUE_BYTES` long; ``None`` stands for a
    longer line, which is skipped without being held in memory. A byte order mark
    before the first is left out."""
    skip_bom(handle)
    while True:
        line = handle.readline(MAX_VALUE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_VALUE_BYTES and not line.endswith(b"\n"):
            while (rest := handle.readline(MAX_VALUE_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


#: One decoder for every line (``json.loads`` with options makes one per call).
_JSONL_DECODER = json.JSONDecoder(parse_constant=refuse_constant, object_pairs_hook=_unique_pairs)


def _json_line(line: str, raw: bytes) -> Any:
    """``json.loads(line, parse_constant=…, object_pairs_hook=…)``, its errors included.

    jiter (pydantic's JSON parser, in Rust) reads the line (``raw``, its UTF-8 bytes) in
    a third of the time and refuses what the standard library would (a duplicate key,
    NaN); whatever it refuses, and whatever the standard library would read otherwise
    (a lone surrogate, 4,300+ digits, a nesting past its limit), is read again by the
    standard library, whose result or error is the one given. A test holds the two
    equal wherever jiter reads a line."""
    if line.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", line, 0)
    try:
        return jiter.from_json(raw, allow_inf_nan=False, catch_duplicate_keys=True)
    except ValueError:
        return _JSONL_DECODER.decode(line)


def read_jsonl(path: Path) -> Iterator[Item]:
    """One typed object a line; a bad line is reported and reading goes on."""
    with path.open("rb") as handle:
        for number, raw in enumerate(_lines(handle), start=1):
            place = f"{path}:{number}"
            if raw is None:
                yield place, "error", f"the line is longer than {MAX_VALUE_BYTES:,} bytes"
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                yield place, "error", f"not UTF-8 text ({error.reason})"
                continue
            if not line.strip():
                continue
            try:
                record = _json_line(line, raw)
            except json.JSONDecodeError as error:
                yield place, "error", f"invalid JSON: {error.msg} (column {error.colno})"
                continue
            except RecursionError:
                yield place, "error", f"nested deeper than {MAX_DEPTH} levels"
                continue
            except ValueError as error:  # NaN, a duplicate key, a number of 4,300+ digits
                if "integer string conversion" in str(error):
                    yield place, "error", TOO_MANY_DIGITS
                else:
                    yield place, "error", f"invalid JSON: {str(error).splitlines()[0][:120]}"
                continue
            # A line with at most MAX_DEPTH brackets cannot nest deeper: walk only the rest.
            brackets = line.count("{") + line.count("[")
            if brackets > MAX_DEPTH and _depth(record) > MAX_DEPTH:
                yield place, "error", f"nested deeper than {MAX_DEPTH} levels"
                continue
            if not isinstance(record, dict):
                yield place, "error", 'each line must be a JSON object with a "type"'
                continue
            kind = record.pop("type", None)
            if kind not in KINDS:
                yield (
                    place,
                    "error",
                    (
                        f"type {kind!r} must be one of: {', '.join(KINDS)}"
                        if kind is not None
                        else '"type" is required'
                    ),
                )
                continue
            if kind == "claim" and record.get("provenance") is not None:
                record.pop("provenance")
            yield place, kind, record


READERS = {"json": read_json, "jsonl": read_jsonl, "csv": read_csv, "yaml": read_yaml}


#: The first bytes of text in UTF-16 or UTF-32: a BOM, or a NUL beside an ASCII letter.
_WIDE_TEXT = re.compile(rb"^(?:\xff\xfe|\xfe\xff|\x00\x00\xfe\xff|[\x00-\x7f]?\x00)")


def read(path: Path, fmt: str = "auto") -> Iterator[Item]:
    require_regular_file(path)
    with path.open("rb") as handle:
        if _WIDE_TEXT.match(handle.read(4)):  # JSON and YAML readers would say "invalid"
            raise Problem(
                str(path), "not UTF-8 text (UTF-16 or UTF-32, by its first bytes): save it as UTF-8"
            )
    chosen = detect_format(path) if fmt == "auto" else fmt
    if chosen not in READERS:
        raise ProvenanceError(f"unknown import format {fmt!r}: choose auto, {', '.join(FORMATS)}")
    try:
        yield from READERS[chosen](path)
    except UnicodeDecodeError as error:
        raise Problem(str(path), f"not UTF-8 text ({error.reason} at byte {error.start})") from None
