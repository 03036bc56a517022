"""The one renderer: every command hands its records here with a ``--format``.

Records go to stdout, messages to stderr. ``table`` is a Rich table (or a view's own Rich
renderable), ``json`` one document, ``jsonl`` one object a line, ``csv`` one row a record
with lists joined by ``;`` and cells a spreadsheet would execute neutralised.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from typing import IO, Any

from provenance.cells import cell_text, json_text
from provenance.terminal import Column, FitTable, console_width, field, flush_notes, safe

__all__ = ["Column", "Format", "field", "render", "rich_table", "stdout_console"]


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


def public(record: dict[str, Any]) -> dict[str, Any]:
    """Leave out the underscore fields that only tables use, at any depth."""

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if not str(k).startswith("_")}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return clean(record)  # type: ignore[no-any-return]


def _as_is(record: dict[str, Any]) -> dict[str, Any]:
    return record


def to_json(value: Any) -> str:
    return json_text(value, indent=2)


def write_json_array(items: Iterable[Any], stream: IO[str]) -> None:
    """What ``to_json(list(items))`` writes, an item at a time: a long list is never held
    whole."""
    first = True
    for item in items:
        stream.write("[\n  " if first else ",\n  ")
        stream.write(to_json(item).replace("\n", "\n  "))
        first = False
    stream.write("[]\n" if first else "\n]\n")


def stdout_console(out: IO[str] | None = None) -> Any:
    from rich.console import Console

    stream = out or sys.stdout
    return Console(
        file=stream, soft_wrap=False, highlight=False, markup=False, width=console_width(stream)
    )


def render(
    records: Iterable[dict[str, Any]] | dict[str, Any],
    fmt: Format | str,
    *,
    columns: Sequence[Column] | None = None,
    title: str | None = None,
    table: Callable[[Any], Any] | None = None,
    out: IO[str] | None = None,
    internal_fields: bool = True,
    fields: Sequence[str] | None = None,
) -> None:
    """Write ``records`` (a list, or one record) in ``fmt``. ``table`` builds a custom Rich
    renderable for the table format; otherwise ``columns`` (or every key) make a table.
    ``internal_fields=False`` says the records carry no underscore fields to drop (a
    long stream is then written without inspecting every record). ``fields``: the CSV
    columns, whatever the records hold (else the first record's keys): a field only some
    records have (a withdrawn claim's ``withdrawn``) keeps its column, and a listing with
    no record still has its header."""
    stream = out or sys.stdout
    clean = public if internal_fields else _as_is
    fmt = Format(fmt)
    single = isinstance(records, dict)
    if fmt is Format.JSON:
        if isinstance(records, dict):
            stream.write(to_json(clean(records)) + "\n")
        else:
            write_json_array((clean(r) for r in records), stream)
        return
    rows: Iterable[dict[str, Any]] = [records] if isinstance(records, dict) else records
    if fmt is Format.JSONL:
        for record in rows:
            stream.write(json_text(clean(record)) + "\n")
        return
    if fmt is Format.CSV:
        write_csv(rows, stream, columns=fields)
        return
    console = stdout_console(stream)
    if table is not None:
        console.print(table(records))
    else:
        console.print(rich_table(list(rows), columns=columns, title=title, vertical=single))
    flush_notes()


def write_csv(
    rows: Iterable[dict[str, Any]],
    stream: IO[str],
    *,
    columns: Sequence[str] | None,
) -> None:
    """One row a record; the cell rules (formulas, quoting) are :mod:`provenance.cells`.
    ``columns``: the header (else the first record's keys)."""
    from provenance.cells import write_csv_row

    started = False
    headers: list[str] = list(columns or [])
    for record in rows:
        record = public(record)
        if not started:
            headers = headers or list(record)
            write_csv_row(stream, headers, header=True)
            started = True
        write_csv_row(stream, [cell_text(record.get(h)) for h in headers])
    if not started and headers:
        write_csv_row(stream, headers, header=True)


def rich_table(
    rows: list[dict[str, Any]],
    *,
    columns: Sequence[Column] | None,
    title: str | None,
    vertical: bool = False,
) -> Any:
    """Records as a :class:`FitTable` (one record without columns: field/value lines)."""
    from rich.table import Table

    if vertical and rows and columns is None:
        # One record: a two-column field/value table reads better than a wide row.
        table = Table(title=title, show_header=False, box=None, pad_edge=False)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column(overflow="fold")
        for name, value in public(rows[0]).items():
            table.add_row(safe(name), safe(cell_text(value)))
        return table
    if columns is None:
        columns = [
            field(name, priority=0 if not i else 1)
            for i, name in enumerate(public(rows[0]) if rows else {})
        ]
    return FitTable(rows, columns, title)


def rich_cell(value: Any) -> Any:
    """A cell as Rich text: renderables pass, everything else is made safe."""
    from rich.text import Text

    if value is None:
        return Text("")
    if isinstance(value, Text) or hasattr(value, "__rich_console__"):
        return value
    return safe(cell_text(value))
