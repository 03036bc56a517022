"""Readers turn a file into ``(place, kind, record)`` triples, where ``place`` is
``file#/json/pointer`` or ``file:line``. Syntax errors become problems with a place too."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import jiter

from provenance.cells import is_number, restore_cell
from provenance.errors import ProvenanceError
from provenance.files import require_regular_file
from provenance.io.surrogates import LoneSurrogate, SurrogateCheck

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
        _skip_bom(handle)
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


#: The deepest interchange record nests 4 levels (claim, attributions, attribution, via);
#: anything past this is refused before it is built.
MAX_DEPTH = 32
#: The longest field is 20,000 characters; one value (or one JSONL line) past this many bytes
#: is refused before it is built.
MAX_VALUE_BYTES = 1 << 20


#: Python reads no integer of more digits than this (``sys.get_int_max_str_digits``).
MAX_DIGITS = 4300
TOO_MANY_DIGITS = f"a number with more than {MAX_DIGITS:,} digits"
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


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


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
            _skip_bom(handle)
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
    except ijson.JSONError:
        raise _syntax_problem(path, builder.pointer() if builder else meter.place) from None
    except UnicodeDecodeError as error:
        raise Problem(name, f"not UTF-8 text ({error.reason})") from None
    except (ValueError, SystemError) as error:
        # ijson's reading of a number with thousands of digits
        where = builder.pointer() if builder else meter.place
        raise Problem(where, f"a number with too many digits ({_first_line(error)})") from None


def _first_line(error: BaseException) -> str:
    cause = error.__cause__ or error.__context__ or error
    return (str(cause).splitlines() or [type(cause).__name__])[0][:120]


def _syntax_problem(path: Path, where: str) -> Problem:
    try:
        with path.open("rb") as handle:
            _skip_bom(handle)
            json.load(handle, parse_constant=_refuse_constant)
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
    yield from _document(_plain(data, f"{path}#"), str(path))


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


#: The byte order mark some editors (Windows Notepad, Excel's "UTF-8" CSV) put first.
BOM = b"\xef\xbb\xbf"


def _skip_bom(handle: Any) -> None:
    """Read past a byte order mark at the start of ``handle``, if there is one."""
    if handle.read(len(BOM)) != BOM:
        handle.seek(0)


def _lines(handle: Any) -> Iterator[bytes | None]:
    """The file's lines, each at most :data:`MAX_VALUE_BYTES` long; ``None`` stands for a
    longer line, which is skipped without being held in memory. A byte order mark
    before the first is left out."""
    _skip_bom(handle)
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
_JSONL_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, object_pairs_hook=_unique_pairs)


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


#: The cells that describe the claim, not the attribution (the rows of one claim share them).
CSV_CLAIM_COLUMNS = CSV_COLUMNS[1 : CSV_COLUMNS.index("source")]


def _csv_claim_differs(first: dict[str, str], cells: dict[str, str]) -> tuple[str, str] | None:
    """The first claim cell that a later row of the same claim fills differently, and its
    value in the first row (an empty cell repeats the first row's)."""
    for column in CSV_CLAIM_COLUMNS:
        given = cells.get(column, "")
        if given.strip() and given.strip() != first[column].strip():
            return column, first[column]
    return None


def _csv_number(text: str) -> Any:
    """A number cell as an int or a float; anything else stays text."""
    stripped = text.strip()
    if not is_number(stripped):
        return text
    if re.search(r"[.eE]", stripped):
        return float(stripped)
    return int(stripped) if len(stripped) < 400 else float(stripped)


def csv_value(row: dict[str, str]) -> Any:
    """``value`` (a number, ``~300`` for about 300, or a category) or ``value_min``/
    ``value_max`` for bounds and ranges. A category written with a leading apostrophe
    (``'007``) is that text, not a figure (:func:`read_csv` marks it as a category)."""
    value, low, high = (row.get(c, "") for c in ("value", "value_min", "value_max"))
    if low.strip() or high.strip():
        bounds: dict[str, Any] = {}
        if low.strip():
            bounds["min"] = _csv_number(low)
        if high.strip():
            bounds["max"] = _csv_number(high)
        return bounds
    if value.startswith("'"):
        return value[1:]
    if value.strip().startswith("~"):
        return {"approx": _csv_number(value.strip()[1:])}
    if not value.strip():
        return None
    return _csv_number(value)


def read_csv(path: Path) -> Iterator[Item]:
    """One attribution a row; consecutive or scattered rows sharing a ``key`` are one claim
    (claims are grouped in memory by key: rows without a key are one claim each). A cell
    past the ``csv`` module's field limit (128 KiB) is refused with its line."""
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, strict=True)  # a stray quote is an error, not text
        try:
            yield from _csv_records(path, reader)
        except csv.Error as error:
            raise Problem(f"{path}:{reader.line_num + 1}", f"invalid CSV: {error}") from None


def _csv_records(path: Path, reader: Any) -> Iterator[Item]:
    header = reader.fieldnames or []
    missing = [c for c in ("text", "source") if c not in header]
    unknown = [c for c in header if c not in CSV_COLUMNS]
    repeated = [c for i, c in enumerate(header) if c in header[:i]]
    if repeated:
        raise Problem(f"{path}:1", f"column {repeated[0]!r} appears twice")
    if missing or unknown:
        what = f"missing column {missing[0]!r}" if missing else f"unknown column {unknown[0]!r}"
        raise Problem(f"{path}:1", f"{what}; columns are {','.join(CSV_COLUMNS)}")
    claims: dict[str, tuple[str, dict[str, Any]]] = {}
    #: The claim cells of each key's first row, to hold later rows of that claim to.
    first_cells: dict[str, dict[str, str]] = {}
    order: list[str] = []
    for index, row in enumerate(reader):
        place = f"{path}:{reader.line_num}"
        if None in row:
            yield place, "error", "more cells than columns"
            continue
        cells = {k: restore_cell(v or "") for k, v in row.items()}
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
            differs = _csv_claim_differs(first_cells[key], cells)
            if differs is not None:
                column, before = differs
                yield (
                    place,
                    "error",
                    f"claim {key!r} has {column} {cells[column]!r} here but {before!r} at "
                    f"{claims[key][0]}: the rows of one claim repeat its cells or leave them "
                    "empty (a different claim needs its own key)",
                )
                continue
            claims[key][1]["attributions"].append(attribution)
            continue
        if cells.get("value", "").strip() and (
            cells.get("value_min", "").strip() or cells.get("value_max", "").strip()
        ):
            yield (
                place,
                "error",
                "value and value_min/value_max are both filled: give a figure in value, or "
                "its bounds in value_min and value_max, not both",
            )
            continue
        first_cells[key] = {c: cells.get(c, "") for c in CSV_CLAIM_COLUMNS}
        claim: dict[str, Any] = {
            "text": cells.get("text", ""),
            "subject": cells.get("subject") or None,
            "property": cells.get("property") or None,
            "value": csv_value(cells),
            **({"value_kind": "category"} if cells.get("value", "")[:1] == "'" else {}),
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
    require_regular_file(path)
    chosen = detect_format(path) if fmt == "auto" else fmt
    if chosen not in READERS:
        raise ProvenanceError(f"unknown import format {fmt!r}: choose auto, {', '.join(FORMATS)}")
    try:
        yield from READERS[chosen](path)
    except UnicodeDecodeError as error:
        raise Problem(str(path), f"not UTF-8 text ({error.reason} at byte {error.start})") from None
