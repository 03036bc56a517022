"""Text for a terminal: stored text made inert, and tables that fit the width they get.

Anything stored (names, notes, quotes, places, titles, analysts) may hold Rich markup
(``[/b]``) or control characters (ESC sequences that clear the screen or draw OSC-8
links). :func:`safe` turns it into a Rich ``Text`` that prints those characters as
visible symbols and never parses markup.

:class:`FitTable` lays records out at the width of the console it is printed on: every
column gets its natural width when that fits; otherwise free text wraps down to each
column's minimum, then the lowest-priority columns are dropped (named on stderr by
:func:`flush_notes`), and when even the essential columns do not fit, each record becomes
a block of ``field value`` lines. Columns marked ``whole`` (keys, reason codes) are never
cut: their lines keep their full length at every width. The table is Rich's, drawn by
:class:`~provenance.quicktable.QuickTable` when its cells fit as they are.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from provenance.cells import visible

__all__ = ["Column", "FitTable", "field", "flush_notes", "joined", "safe", "visible"]

#: Below this many columns every table is stacked, whatever fits.
STACK_BELOW = 60
#: The width of output that goes to a pipe or a file when ``COLUMNS`` does not say.
PIPED_WIDTH = 100


def safe(value: Any, style: str = "") -> Any:
    """Stored text as a Rich ``Text``: markup is not parsed, controls are made visible."""
    from rich.text import Text

    if isinstance(value, Text):
        return value
    return Text(visible("" if value is None else str(value)), style=style)


def joined(*parts: Any) -> Any:
    """A ``Text`` of parts: plain strings and ``(text, style)`` pairs, all made safe."""
    from rich.text import Text

    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            text.append(visible(str(part[0])), style=part[1])
        elif isinstance(part, Text):
            text.append_text(part)
        else:
            text.append(visible(str(part)))
    return text


def console_width(stream: IO[str]) -> int | None:
    """The width to lay out for: the terminal's own when ``stream`` is one, else
    ``COLUMNS`` or :data:`PIPED_WIDTH`."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if stream.isatty():
            return None  # Rich asks the terminal
    except (AttributeError, ValueError):
        pass
    return PIPED_WIDTH


_notes: list[str] = []


def flush_notes(stream: IO[str] | None = None) -> None:
    """Write the notes of dropped columns (once each) to stderr."""
    for note in dict.fromkeys(_notes):
        (stream or sys.stderr).write(visible(note) + "\n")
    _notes.clear()


@dataclass(frozen=True)
class Column:
    header: str
    get: Callable[[dict[str, Any]], Any]
    style: str | None = None
    justify: str = "left"
    max_width: int | None = None
    no_wrap: bool = False
    min_width: int | None = None
    #: 0: never dropped; higher numbers are dropped first when the width runs out.
    priority: int = 1
    #: Lines never cut (keys, reason codes, one per line): the column is as wide as the
    #: longest line.
    whole: bool = False
    #: Words never cut (keys among other words: "a copies b", "reported by x, y"): the
    #: column wraps between words and is at least as wide as the longest.
    words: bool = False


def field(name: str, header: str | None = None, **options: Any) -> Column:
    return Column(header or name, lambda record: record.get(name), **options)


#: Free-text columns wrap down to this many characters and no further.
WRAP_MIN = 10
#: Border and padding characters per column in a boxed table, and the one closing border.
_PER_COLUMN, _EDGE = 3, 1


class FitTable:
    """Records as a table laid out at the console's width (see the module's docstring)."""

    def __init__(
        self,
        rows: Sequence[dict[str, Any]],
        columns: Sequence[Column],
        title: Any = None,
        *,
        cell: Callable[[Any], Any] | None = None,
    ) -> None:
        from provenance.output import rich_cell

        self.columns = list(columns)
        self.title = title
        to_cell = cell or rich_cell
        self.cells = [[to_cell(column.get(row)) for column in self.columns] for row in rows]

    def _lines(self, index: int) -> list[str]:
        texts = [self.columns[index].header]
        for row in self.cells:
            value = row[index]
            texts.append(value.plain if hasattr(value, "plain") else str(value))
        return [line for text in texts for line in text.split("\n")]

    def _widths(self, index: int) -> tuple[int, int]:
        """(minimum, natural) width of a column."""
        column = self.columns[index]
        lines = self._lines(index)
        body = lines[1:] or [""]
        header_word = max((len(w) for w in column.header.split()), default=1)
        longest = max(len(line) for line in body)
        if column.whole or column.no_wrap:
            size = max(longest, len(column.header) if column.whole else header_word, 1)
            return size, size
        natural = max(max(len(line) for line in lines), 1)
        if column.max_width:
            natural = max(min(natural, column.max_width), header_word)
        floor = max(column.min_width or WRAP_MIN, header_word)
        if column.words:
            word = max((len(w) for line in body for w in line.split()), default=1)
            return max(min(natural, floor), word), max(natural, word)
        return min(natural, floor), natural

    def layout(self, width: int) -> tuple[list[int], list[int]] | None:
        """The columns kept and their widths at ``width``, or None to stack."""
        if width < STACK_BELOW or not self.columns:
            return None
        sizes = [self._widths(i) for i in range(len(self.columns))]
        kept = list(range(len(self.columns)))

        def room(indices: list[int]) -> int:
            return width - _PER_COLUMN * len(indices) - _EDGE

        while sum(sizes[i][0] for i in kept) > room(kept):
            droppable = [i for i in kept if self.columns[i].priority > 1]
            if not droppable:
                return None
            # The highest priority number goes first; among equals, the rightmost.
            kept.remove(max(droppable, key=lambda i: (self.columns[i].priority, i)))
        free = room(kept)
        widths = {i: sizes[i][0] for i in kept}
        spare = free - sum(widths.values())
        wants = {i: sizes[i][1] - sizes[i][0] for i in kept if sizes[i][1] > sizes[i][0]}
        while spare > 0 and wants:
            total = sum(wants.values())
            given = 0
            for i, want in list(wants.items()):
                share = min(want, max(1, spare * want // total))
                share = min(share, spare - given)
                widths[i] += share
                given += share
                wants[i] -= share
                if wants[i] <= 0:
                    del wants[i]
            spare -= given
            if given == 0:
                break
        return kept, [widths[i] for i in kept]

    def __rich_console__(self, console: Any, options: Any) -> Iterator[Any]:
        from provenance.quicktable import QuickTable

        plan = self.layout(options.max_width)
        if plan is None:
            yield from self._stacked(options.max_width)
            return
        kept, widths = plan
        dropped = [c.header for i, c in enumerate(self.columns) if i not in kept]
        if dropped and self.cells:
            _notes.append(
                f"note: at {options.max_width} columns the table leaves out "
                + ", ".join(dropped)
                + "; widen the terminal (or set COLUMNS) or use -f json to see "
                + ("it" if len(dropped) == 1 else "them")
            )
        table = QuickTable(
            title=self.title, header_style="bold", expand=False, title_justify="left"
        )
        for index, size in zip(kept, widths, strict=True):
            column = self.columns[index]
            table.add_column(
                column.header,
                style=column.style,
                justify=column.justify,  # type: ignore[arg-type]
                width=size,
                no_wrap=column.whole or column.no_wrap,
                overflow="fold",
            )
        for row in self.cells:
            table.add_row(*(row[i] for i in kept))
        yield table

    def _stacked(self, width: int) -> Iterator[Any]:
        """One block per record: its first column as a heading, the rest as lines; a whole
        value too long to stand beside its label goes on its own line below it."""
        from rich.padding import Padding
        from rich.table import Table
        from rich.text import Text

        if self.title is not None:
            yield self.title if not isinstance(self.title, str) else Text(self.title, "bold")
        label_width = 2 + max((len(c.header) for c in self.columns[1:]), default=0)

        def grid() -> Any:
            block = Table.grid(padding=(0, 1))
            block.add_column(style="dim", no_wrap=True, width=label_width)
            block.add_column(overflow="fold")
            return block

        for number, row in enumerate(self.cells):
            if number:
                yield Text("")
            # The first column (the key) on a line of its own, as wide as it needs.
            heading = row[0] if hasattr(row[0], "plain") else Text(str(row[0]))
            yield Text.assemble(heading, style="bold")
            block = grid()
            for column, value in zip(self.columns[1:], row[1:], strict=True):
                plain = value.plain if hasattr(value, "plain") else str(value)
                if not plain.strip():
                    continue
                longest = max(len(line) for line in plain.split("\n"))
                if column.whole and label_width + 1 + longest > width:
                    if block.row_count:
                        yield block
                    yield Text("  " + column.header, style="dim")
                    yield Padding(value, (0, 0, 0, max(0, min(4, width - longest))))
                    block = grid()
                else:
                    block.add_row(Text("  " + column.header), value)
            if block.row_count:
                yield block
