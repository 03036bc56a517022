"""Rich's table, drawn without Rich's per-cell layout when no cell needs it.

Rich lays out every cell through a padding, a wrap and a crop of its lines: about 70 µs
a cell, which made drawing a 500-line ``compare`` page take longer than its queries. A
:class:`FitTable <provenance.terminal.FitTable>` already sizes its columns so that its
cells usually fit as they are; their lines then only need padding to the column's width.
:class:`QuickTable` draws those tables itself, character for character and style for
style as Rich would (a test compares the two on many tables), and hands any other table
(a cell that wraps, a tab, a renderable that is not text) to Rich.

It supports the one shape :class:`FitTable` builds: a boxed table with a header row,
edges and cell padding of one space on either side.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

#: The cell padding Rich's default table uses (top, right, bottom, left).
_PADDING = (0, 1, 0, 1)


class QuickTable(Table):
    def _render(self, console: Any, options: Any, widths: list[int]) -> Any:
        rows = self._rows_of_lines(console, widths)
        if rows is None:
            yield from super()._render(console, options, widths)
            return
        border = console.get_style(self.style or "") + console.get_style(self.border_style or "")
        box = self.box.substitute(options, safe=console.safe_box)  # type: ignore[union-attr]
        new_line = Segment.line()
        edges = [
            (Segment(left, border), Segment(right, border), Segment(divider, border))
            for left, right, divider in (
                (box.head_left, box.head_right, box.head_vertical),
                (box.mid_left, box.mid_right, box.mid_vertical),
                (box.foot_left, box.foot_right, box.foot_vertical),
            )
        ]
        yield Segment(box.get_top(widths), border)
        yield new_line
        for index, row in enumerate(rows):
            left, right, divider = edges[0 if index == 0 else (2 if index == len(rows) - 1 else 1)]
            height = max(len(lines) for lines, _ in row)
            for line_no in range(height):
                yield left
                for column, ((lines, blank), width) in enumerate(zip(row, widths, strict=True)):
                    if line_no < len(lines):
                        yield from lines[line_no]
                    else:
                        yield Segment(" " * width, blank)
                    if column < len(widths) - 1:
                        yield divider
                yield right
                yield new_line
            if index == 0:
                yield Segment(box.get_row(widths, "head", edge=True), border)
                yield new_line
        yield Segment(box.get_bottom(widths), border)
        yield new_line

    def _rows_of_lines(
        self, console: Any, widths: list[int]
    ) -> list[list[tuple[list[list[Segment]], Style]]] | None:
        """Each row as its cells' lines of segments (padded to the column's width) and the
        style of a cell's blank lines; None when Rich must lay the table out itself."""
        if not self._drawable():
            return None
        header_style = console.get_style(self.header_style or "")
        columns: list[list[tuple[list[list[Segment]], Style]]] = []
        for column, width in zip(self.columns, widths, strict=True):
            inner = width - 2
            style = header_style + console.get_style(column.header_style)
            header = _lines(Text(str(column.header)), inner, column.justify, style, console)
            if header is None or len(header) != 1:  # a header of two lines is aligned low
                return None
            cells = [(header, style)]
            style = console.get_style(column.style or "")
            for value in column._cells:
                lines = _lines(value, inner, column.justify, style, console)
                if lines is None:
                    return None
                cells.append((lines, style))
            columns.append(cells)
        return [list(row) for row in zip(*columns, strict=True)]

    def _drawable(self) -> bool:
        return (
            self.box is not None
            and self.show_header
            and self.show_edge
            and not self.show_footer
            and not self.show_lines
            and not self.leading
            and not self.row_styles
            and not self.collapse_padding
            and self.pad_edge
            and self.padding == _PADDING
            and not any(row.style or row.end_section for row in self.rows)
            and all(
                column.vertical == "top" and column.header_style == "" for column in self.columns
            )
        )


def _lines(
    value: Any, inner: int, justify: str, style: Style, console: Any
) -> list[list[Segment]] | None:
    """A cell's lines, each padded to ``inner`` (None if any line would wrap)."""
    if not isinstance(value, Text) or value.justify or value.overflow:
        return None
    plain = value.plain
    # Tabs expand, and Rich measures a line that ends in a zero-width joiner one cell
    # wider than the joiner's own width: both are left to Rich.
    if "\t" in plain or "\u200d" in plain:
        return None
    lines = value.split("\n", allow_blank=True) if "\n" in plain else [value]
    padded = []
    for line in lines:
        plain = line.plain
        width = cell_len(plain)
        if width > inner or (justify != "left" and plain != plain.rstrip()):
            return None
        padded.append(_padded(line, inner - width, justify, style, console))
    return padded


def _padded(line: Text, gap: int, justify: str, style: Style, console: Any) -> list[Segment]:
    """One line of a cell: the padding, the text justified with ``gap`` spaces (in the
    text's own style, as Rich pads it), the padding."""
    base = console.get_style(line.style) if line.style else None
    before = gap if justify == "right" else gap // 2 if justify == "center" else 0
    body = list(line.render(console)) if line.spans else [Segment(line.plain, base)]
    if before:
        body.insert(0, Segment(" " * before, base))
    if gap - before:
        body.append(Segment(" " * (gap - before), base))
    if style:
        body = [Segment(text, style + part) for text, part, _ in body]
    return [Segment(" ", style), *body, Segment(" ", style)]
