"""CSV: one attribution a row; the rows sharing a claim key are one claim."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from provenance.cells import is_number, restore_cell
from provenance.figures import has_two_readings, two_readings_error
from provenance.io.read_base import MAX_VALUE_BYTES, Item, Problem

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
    """A number cell as an int or a float; anything else stays text (and 2.000, which
    reads two ways, stays text too: the value parser then refuses it, naming both)."""
    stripped = text.strip()
    if not is_number(stripped) or has_two_readings(stripped.lstrip("-")):
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
    (grouped by key in a temporary database: rows without a key are one claim each). A cell
    past the ``csv`` module's field limit (128 KiB) is refused with its line."""
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        # a stray quote is an error, not text
        reader = csv.DictReader(_capped_lines(handle, path), strict=True)
        try:
            yield from _csv_records(path, reader)
        except csv.Error as error:
            raise Problem(f"{path}:{reader.line_num + 1}", f"invalid CSV: {error}") from None


def _capped_lines(handle: Any, path: Path) -> Iterator[str]:
    """The file's lines, each refused past ``MAX_VALUE_BYTES`` characters before it is held
    whole (``csv`` checks its field limit only once the line is in memory)."""
    number = 0
    while line := handle.readline(MAX_VALUE_BYTES + 1):
        number += 1
        if len(line) > MAX_VALUE_BYTES:
            raise Problem(
                f"{path}:{number}", f"the line is longer than {MAX_VALUE_BYTES:,} characters"
            )
        yield line


class _Claims:
    """The file's claims by key, in the order they first appear, in a temporary SQLite
    database on disk (SQLite's own, gone when closed): the rows of one claim may lie
    anywhere in the file, and a million claims held as dictionaries took 1.6 GB."""

    def __init__(self) -> None:
        self.db = sqlite3.connect("")  # "": a private database on disk, deleted on close
        self.db.execute(
            "CREATE TABLE claims (n INTEGER PRIMARY KEY, key TEXT UNIQUE, place TEXT, "
            "claim TEXT, cells TEXT)"
        )

    def __enter__(self) -> _Claims:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def first(self, key: str) -> tuple[str, dict[str, str], dict[str, Any]] | None:
        """The place and claim cells of the key's first row, and the claim so far."""
        row = self.db.execute(
            "SELECT place, cells, claim FROM claims WHERE key = ?", (key,)
        ).fetchone()
        return (row[0], json.loads(row[1]), json.loads(row[2])) if row else None

    def add(
        self, key: str | None, place: str, claim: dict[str, Any], cells: dict[str, str]
    ) -> None:
        self.db.execute(
            "INSERT INTO claims (key, place, claim, cells) VALUES (?, ?, ?, ?)",
            (key, place, json.dumps(claim), json.dumps(cells)),
        )

    def attach(self, key: str, claim: dict[str, Any], attribution: dict[str, Any]) -> None:
        """Another row of the key's claim (as :meth:`first` read it): one more attribution."""
        claim["attributions"].append(attribution)
        self.db.execute("UPDATE claims SET claim = ? WHERE key = ?", (json.dumps(claim), key))

    def in_order(self) -> Iterator[Item]:
        for place, text in self.db.execute("SELECT place, claim FROM claims ORDER BY n"):
            yield place, "claim", json.loads(text)


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
    with _Claims() as claims:
        yield from _rows(path, reader, claims)
        yield from claims.in_order()


def _rows(path: Path, reader: Any, claims: _Claims) -> Iterator[Item]:
    """The problems of the rows, as they come; their claims go to ``claims``."""
    for row in reader:
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
        key = cells.get("key") or None  # a row without a key is a claim of its own
        first = claims.first(key) if key is not None else None
        if key is not None and first is not None:
            first_place, first_cells, claim_so_far = first
            differs = _csv_claim_differs(first_cells, cells)
            if differs is not None:
                column, before = differs
                yield (
                    place,
                    "error",
                    f"claim {key!r} has {column} {cells[column]!r} here but {before!r} at "
                    f"{first_place}: the rows of one claim repeat its cells or leave them "
                    "empty (a different claim needs its own key)",
                )
                continue
            claims.attach(key, claim_so_far, attribution)
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
        bound = next(
            (
                (column, cells[column].strip())
                for column in ("value_min", "value_max")
                if has_two_readings(cells.get(column, "").strip().lstrip("-"))
            ),
            None,
        )
        if bound is not None:
            column, cell = bound
            message = two_readings_error(f"{column} {cell!r}", cell, whole=cell.replace(".", ""))
            yield place, "error", message
            continue
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
        claims.add(key, place, claim, {c: cells.get(c, "") for c in CSV_CLAIM_COLUMNS})
