"""Tables drawn without Rich's per-cell layout look exactly as Rich draws them: the same
characters with the same style at every position, at every width, for cells that fit and
(handed to Rich) cells that do not."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text

from provenance.cells import visible
from provenance.quicktable import QuickTable
from provenance.terminal import Column, FitTable

STYLES = ["", "bold", "cyan", "dim", "red on white", "underline green", "reverse"]


def drawn(renderable, width, *, color=True):
    """Every character printed and its style, line by line."""
    console = Console(
        file=io.StringIO(),
        width=width,
        force_terminal=color,
        color_system="truecolor" if color else None,
        highlight=False,
        markup=False,
        soft_wrap=False,
    )
    cells = []
    for segment in console.render(renderable, console.options):
        style = segment.style or None
        cells.extend(
            (character, None if style is None or not style else style) for character in segment.text
        )
    return cells


def build(cls, spec, widths):
    table = cls(title=spec["title"], header_style="bold", expand=False, title_justify="left")
    for (header, style, justify), width in zip(spec["columns"], widths, strict=True):
        table.add_column(header, style=style or None, justify=justify, width=width, overflow="fold")
    for row in spec["rows"]:
        table.add_row(
            *(
                Text(text, style=style) if span is None else _spanned(text, style, span)
                for text, style, span in row
            )
        )
    return table


def _spanned(text, style, span):
    value = Text(text, style=style)
    start, end, span_style = span
    value.stylize(span_style, start, end)
    return value


# as the renderer hands text over: through `visible` (a joiner that joins nothing shown)
words = st.text(alphabet="abc xyz-é…\n漢\u200d\u0301\t", min_size=0, max_size=14).map(visible)


@st.composite
def tables(draw):
    columns = draw(
        st.lists(
            st.tuples(
                st.text(alphabet="abcd ", min_size=1, max_size=9),
                st.sampled_from(STYLES),
                st.sampled_from(["left", "right", "center"]),
            ),
            min_size=1,
            max_size=4,
        )
    )
    rows = draw(
        st.lists(
            st.lists(
                st.tuples(
                    words,
                    st.sampled_from(STYLES),
                    st.one_of(
                        st.none(),
                        st.tuples(
                            st.integers(0, 6), st.integers(0, 12), st.sampled_from(STYLES[1:])
                        ),
                    ),
                ),
                min_size=len(columns),
                max_size=len(columns),
            ),
            max_size=5,
        )
    )
    widths = draw(st.lists(st.integers(1, 16), min_size=len(columns), max_size=len(columns)))
    title = draw(st.one_of(st.none(), st.text(alphabet="ab ·", max_size=30)))
    return {"columns": columns, "rows": rows, "title": title}, widths


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from([20, 60, 120]), st.booleans())
def test_every_table_looks_as_rich_draws_it(case, width, color):
    spec, widths = case
    assert drawn(build(QuickTable, spec, widths), width, color=color) == drawn(
        build(Table, spec, widths), width, color=color
    )


def test_a_table_whose_cells_fit_is_drawn_without_richs_cell_layout(monkeypatch):
    """The quick path is taken (what the equality above could not tell): Rich's own
    layout is never asked for a table whose cells all fit."""
    calls = []
    original = Table._render

    def counted(self, *args):
        calls.append(self)
        return original(self, *args)

    monkeypatch.setattr(Table, "_render", counted)
    columns = [
        Column("key", lambda r: r["key"], whole=True),
        Column("value", lambda r: r["value"], justify="right"),
    ]
    fitting = FitTable(
        [{"key": "claim-1", "value": "1,433"}, {"key": "claim-2", "value": "12"}], columns, "title"
    )
    text = "".join(character for character, _ in drawn(fitting, 80, color=False))
    assert "claim-1" in text and "1,433" in text
    assert calls == []
    wrapping = FitTable([{"key": "claim-1", "value": "a" * 200}], columns)
    drawn(wrapping, 80, color=False)
    assert len(calls) == 1


@pytest.mark.parametrize("width", [60, 100])
def test_a_cell_that_must_wrap_wraps_as_rich_wraps_it(width):
    spec = {
        "columns": [("claim", "cyan", "left"), ("text", "", "left")],
        "rows": [
            [("claim-1", "", None), ("a long text that cannot fit in its column at all", "", None)]
        ],
        "title": "t",
    }
    assert drawn(build(QuickTable, spec, [8, 12]), width) == drawn(
        build(Table, spec, [8, 12]), width
    )


@pytest.mark.parametrize("text", ["x\u200d", "\u200d", "a\tb", "👨\u200d👩"])
def test_a_joiner_or_a_tab_is_drawn_as_rich_draws_it(text):
    """Found by attacking the release: a cell ending in a zero-width joiner was padded
    one space less than Rich pads it."""
    spec = {
        "columns": [("h", "", "left"), ("g", "cyan", "right")],
        "rows": [[(text, "", None), (text, "", None)]],
        "title": None,
    }
    assert drawn(build(QuickTable, spec, [8, 8]), 40) == drawn(build(Table, spec, [8, 8]), 40)
