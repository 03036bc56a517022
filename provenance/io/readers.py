"""Readers turn a file into ``(place, kind, record)`` triples, where ``place`` is
``file#/json/pointer`` or ``file:line``. Syntax errors become problems with a place too."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from provenance.errors import ProvenanceError

KINDS = ("source", "entity", "document", "claim", "link")
SECTIONS = {
    "sources": "source",
    "entities": "entity",
    "documents": "document",
    "claims": "claim",
    "links": "link",
}
FORMATS = ("json", "jsonl", "csv", "yaml")

Item = tuple[str, str, Any]


class Problem(Exception):
    """A bad spot in a file that stops the reader from going on in it."""

    def __init__(self, place: str, message: str) -> None:
        super().__init__(f"{place}: {message}")


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
        head = handle.read(4096).decode("utf-8", "replace").lstrip()
    first_line = head.split("\n", 1)[0]
    if head.startswith("{"):
        try:
            json.loads(first_line)
            return "jsonl"
        except ValueError:
            return "json"
    if head.startswith(("provenance:", "sources:", "claims:", "---")):
        return "yaml"
    if first_line.startswith("key,") or ",text," in first_line:
        return "csv"
    raise ProvenanceError(f"{path}: cannot tell its format; pass --format json|jsonl|csv|yaml")


def _document(data: Any, name: str) -> Iterator[Item]:
    if not isinstance(data, dict):
        raise Problem(f"{name}#", "the document must be an object with sources, claims, …")
    version = data.get("provenance", 1)
    if version != 1:
        raise Problem(f"{name}#/provenance", f"unsupported interchange version {version!r}")
    unknown = sorted(set(data) - set(SECTIONS) - {"provenance"})
    if unknown:
        raise Problem(
            f"{name}#/{unknown[0]}", f"is not a known section (expected {', '.join(SECTIONS)})"
        )
    for section, kind in SECTIONS.items():
        records = data.get(section, [])
        if not isinstance(records, list):
            raise Problem(f"{name}#/{section}", "must be a list")
        for index, record in enumerate(records):
            yield f"{name}#/{section}/{index}", kind, record


def read_json(path: Path) -> Iterator[Item]:
    """Stream the interchange document: records are built one at a time, so memory does not
    grow with the file. On a syntax error the file is parsed again by ``json`` to name the
    line and column."""
    import ijson

    name = str(path)
    counts = dict.fromkeys(SECTIONS, 0)
    try:
        with path.open("rb") as handle:
            events = ijson.parse(handle, use_float=True)
            prefix, event, value = next(events, ("", "end", None))
            if event != "start_map":
                raise Problem(f"{name}#", "the document must be an object with sources, claims, …")
            for prefix, event, value in events:
                if prefix != "" or event != "map_key":
                    continue
                if value == "provenance":
                    _, _, version = next(events)
                    if version != 1:
                        raise Problem(
                            f"{name}#/provenance", f"unsupported interchange version {version!r}"
                        )
                elif value in SECTIONS:
                    yield from _section(events, name, value, counts)
                else:
                    raise Problem(
                        f"{name}#/{value}",
                        f"is not a known section (expected {', '.join(SECTIONS)})",
                    )
    except ijson.JSONError:
        raise _syntax_problem(path) from None
    except UnicodeDecodeError as error:
        raise Problem(name, f"not UTF-8 text ({error.reason})") from None
    except RecursionError:
        raise Problem(name, "JSON nested too deeply") from None


def _section(events: Any, name: str, section: str, counts: dict[str, int]) -> Iterator[Item]:
    import ijson

    _, event, _ = next(events)
    if event != "start_array":
        raise Problem(f"{name}#/{section}", "must be a list")
    depth, builder = 0, None
    for _, event, value in events:
        if depth == 0:
            if event == "end_array":
                return
            builder = ijson.ObjectBuilder()
        builder.event(event, value)  # type: ignore[union-attr]
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
        if depth == 0:
            index = counts[section]
            counts[section] += 1
            yield f"{name}#/{section}/{index}", SECTIONS[section], builder.value  # type: ignore[union-attr]
            if depth > 10_000:
                raise RecursionError


def _syntax_problem(path: Path) -> Problem:
    try:
        with path.open("rb") as handle:
            json.load(handle)
    except json.JSONDecodeError as error:
        return Problem(
            f"{path}:{error.lineno}", f"invalid JSON: {error.msg} (column {error.colno})"
        )
    except UnicodeDecodeError as error:
        return Problem(str(path), f"not UTF-8 text ({error.reason} at byte {error.start})")
    except (RecursionError, ValueError):
        return Problem(str(path), "invalid JSON (nested too deeply)")
    return Problem(str(path), "invalid JSON")


def read_yaml(path: Path) -> Iterator[Item]:
    import yaml

    try:
        with path.open("rb") as handle:
            data = yaml.safe_load(handle)  # safe: never constructs Python objects
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise Problem(f"{path}{line}", f"invalid YAML: {error.problem}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise Problem(f"{path}", f"invalid YAML: {error}") from None
    except RecursionError:
        raise Problem(f"{path}", "YAML nested too deeply") from None
    yield from _document(_plain(data), str(path))


def _plain(value: Any) -> Any:
    """YAML turns 2025-05-02 into a date; the interchange format wants strings."""
    import datetime as dt

    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def read_jsonl(path: Path) -> Iterator[Item]:
    """One typed object a line; a bad line is reported and reading goes on."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            place = f"{path}:{number}"
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                yield place, "error", f"not UTF-8 text ({error.reason})"
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield place, "error", f"invalid JSON: {error.msg} (column {error.colno})"
                continue
            except RecursionError:
                yield place, "error", "JSON nested too deeply"
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


CSV_COLUMNS = (
    "key",
    "text",
    "subject",
    "property",
    "value",
    "value_min",
    "value_max",
    "unit",
    "period_start",
    "period_end",
    "place",
    "tags",
    "status",
    "source",
    "via",
    "document",
    "stance",
    "confidence",
    "quote",
)


def _csv_number(text: str) -> Any:
    try:
        number = float(text)
    except ValueError:
        return text
    return (
        int(number)
        if number.is_integer() and "." not in text and "e" not in text.lower()
        else number
    )


def csv_value(row: dict[str, str]) -> Any:
    """``value`` (a number, ``~300`` for about 300, or a category) or ``value_min``/
    ``value_max`` for bounds and ranges."""
    value, low, high = (row.get(c, "").strip() for c in ("value", "value_min", "value_max"))
    if low or high:
        bounds: dict[str, Any] = {}
        if low:
            bounds["min"] = _csv_number(low)
        if high:
            bounds["max"] = _csv_number(high)
        return bounds
    if value.startswith("~"):
        return {"approx": _csv_number(value[1:].strip())}
    return _csv_number(value) if value else None


def _restore(cell: str) -> str:
    """Undo the export's spreadsheet safety: ``'=x`` was written for ``=x``."""
    cell = cell.strip()
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r":
        return cell[1:]
    return cell


def read_csv(path: Path) -> Iterator[Item]:
    """One attribution a row; consecutive or scattered rows sharing a ``key`` are one claim
    (claims are grouped in memory by key: rows without a key are one claim each)."""
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in ("text", "source") if c not in header]
        unknown = [c for c in header if c not in CSV_COLUMNS]
        if missing or unknown:
            what = f"missing column {missing[0]!r}" if missing else f"unknown column {unknown[0]!r}"
            raise Problem(f"{path}:1", f"{what}; columns are {','.join(CSV_COLUMNS)}")
        claims: dict[str, tuple[str, dict[str, Any]]] = {}
        order: list[str] = []
        for index, row in enumerate(reader):
            place = f"{path}:{reader.line_num}"
            if None in row:
                yield place, "error", "more cells than columns"
                continue
            cells = {k: _restore(v or "") for k, v in row.items()}
            attribution = {
                "source": cells.get("source") or None,
                "via": [v.strip() for v in cells.get("via", "").split(";") if v.strip()],
                "document": cells.get("document") or None,
                "stance": cells.get("stance") or "asserts",
                "confidence": cells.get("confidence") or None,
                "quote": cells.get("quote") or None,
            }
            key = cells.get("key") or f"\x00row{index}"
            if key in claims:
                claims[key][1]["attributions"].append(attribution)
                continue
            claim: dict[str, Any] = {
                "text": cells.get("text", ""),
                "subject": cells.get("subject") or None,
                "property": cells.get("property") or None,
                "value": csv_value(cells),
                "unit": cells.get("unit") or None,
                "place": cells.get("place") or None,
                "tags": [t.strip() for t in cells.get("tags", "").split(";") if t.strip()],
                "status": cells.get("status") or None,
                "attributions": [attribution],
            }
            if cells.get("key"):
                claim["key"] = cells["key"]
            if cells.get("period_start") or cells.get("period_end"):
                claim["period"] = {
                    "start": cells.get("period_start") or None,
                    "end": cells.get("period_end") or None,
                }
            claims[key] = (place, claim)
            order.append(key)
        for key in order:
            place, claim = claims[key]
            yield place, "claim", claim


READERS = {"json": read_json, "jsonl": read_jsonl, "csv": read_csv, "yaml": read_yaml}


def read(path: Path, fmt: str = "auto") -> Iterator[Item]:
    if not path.is_file():
        raise ProvenanceError(f"no file {str(path)!r}")
    chosen = detect_format(path) if fmt == "auto" else fmt
    if chosen not in READERS:
        raise ProvenanceError(f"unknown import format {fmt!r}: choose auto, {', '.join(FORMATS)}")
    try:
        yield from READERS[chosen](path)
    except UnicodeDecodeError as error:
        raise Problem(str(path), f"not UTF-8 text ({error.reason} at byte {error.start})") from None
