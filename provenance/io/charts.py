"""The HTML brief's drawings, as inline SVG made with matplotlib's SVG backend.

matplotlib is imported here only, and this module only by the HTML export, so every other
command starts without it. Text stays text in the SVG (``svg.fonttype: none``: small,
searchable, printable) and is escaped by matplotlib's XML writer; ``$`` is escaped so a
name is never read as mathtext. Ids are made from a fixed salt, so the same data draws
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
import warnings
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from provenance.cells import visible

if TYPE_CHECKING:
    from provenance.io.reports import Figure

#: Colour-blind-safe (Okabe–Ito) colours, one per source in a chart.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
MARKERS = {"exact": "o", "approx": "o", "range": "_", "at-least": "^", "at-most": "v"}


def label(text: Any) -> str:
    """Stored text safe for a matplotlib label: controls visible, no mathtext."""
    return visible(str(text)).replace("$", r"\$")


@contextmanager
def _style() -> Iterator[None]:
    import matplotlib

    with matplotlib.rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": "provenance",
            "font.family": "sans-serif",
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        yield


def _svg(figure: Any, title: str) -> str:
    buffer = io.StringIO()
    with warnings.catch_warnings():
        # A glyph missing from the font (␛ for a stored ESC) still prints as text.
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # Scale with the page: drop the fixed size, keep the viewBox; name the image.
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    return svg.replace("<svg", f'<svg role="img" aria-label="{_attr(title)}"', 1)


def _attr(text: str) -> str:
    import html

    return html.escape(visible(text), quote=True)


def figure_chart(figure: Figure) -> str:
    """A figure's values over time, one colour per asserting source: exact values and
    approximations as dots, ranges as bars from the low to the high bound, lower and
    upper bounds as triangles pointing the way the truth may lie."""
    from matplotlib.figure import Figure as Canvas

    by_source: dict[str, list[Any]] = defaultdict(list)
    for point in figure.points:
        by_source[point.source].append(point)
    title = f"{figure.subject} · {figure.property}" + (f" · {figure.place}" if figure.place else "")
    from matplotlib.dates import DateFormatter
    from matplotlib.ticker import MaxNLocator

    with _style():
        # Fixed margins and at most four dated ticks: a constrained layout, a "best" legend
        # place and date tick rules took 0.15–0.3 s a chart, and a brief may draw hundreds.
        # The legend goes under the drawing, three sources a row, and makes the figure taller.
        rows = -(-len(by_source) // 3)
        height = 3.0 + 0.2 * rows
        canvas = Canvas(figsize=(5.0, height))
        canvas.subplots_adjust(
            left=0.15, right=0.97, top=1 - 0.5 / height, bottom=(0.55 + 0.2 * rows) / height
        )
        axes = canvas.add_subplot()
        axes.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        axes.xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))  # type: ignore[no-untyped-call]
        for index, (source, points) in enumerate(sorted(by_source.items())):
            colour = COLOURS[index % len(COLOURS)]
            points.sort(key=lambda p: p.day)
            days = [p.day for p in points]
            axes.plot(
                days,
                [(p.low + p.high) / 2 for p in points],
                color=colour,
                linewidth=1,
                alpha=0.5,
                label=label(source),
            )
            for point in points:
                if point.shape == "range":
                    axes.vlines(point.day, point.low, point.high, color=colour, linewidth=6)
                else:
                    axes.plot(
                        [point.day],
                        [point.low],
                        marker=MARKERS[point.shape],
                        markersize=7,
                        color=colour,
                        markerfacecolor="white" if point.shape == "approx" else colour,
                        linestyle="none",
                    )
        # Wrapped: a long place name must not run past the drawing.
        days = sorted({p.day for p in figure.points})
        if days[0] == days[-1]:  # one day: a week around it, not years
            axes.set_xlim(days[0] - dt.timedelta(days=3), days[0] + dt.timedelta(days=3))
        axes.set_title(textwrap.fill(label(title), 52), loc="left", fontsize=10)
        axes.set_ylabel(label(figure.unit or "value"))
        axes.grid(axis="y", color="#e1e4e8")
        axes.legend(
            loc="upper left",
            bbox_to_anchor=(-0.15, -0.5 / height * 1.6),
            frameon=False,
            fontsize=8,
            ncols=3,
        )
        return _svg(canvas, f"chart: {title}")


def relay_graph(relays: dict[tuple[str, str], int]) -> str:
    """Who relays whom: each source placed by how far it stands from an origin, an arrow
    from the teller to the outlet that passed the claim on, labelled with how many
    attributions take that step."""
    from matplotlib.figure import Figure as Canvas

    nodes = sorted({n for edge in relays for n in edge})
    depth = dict.fromkeys(nodes, 0)
    for _ in nodes:  # longest distance from an origin (bounded: cycles cannot loop)
        for teller, relay in relays:
            depth[relay] = max(depth[relay], min(depth[teller] + 1, len(nodes)))
    layers: dict[int, list[str]] = defaultdict(list)
    for node in nodes:
        layers[depth[node]].append(node)
    place: dict[str, tuple[float, float]] = {}
    tallest = max(len(v) for v in layers.values())
    for level, members in layers.items():
        for row, node in enumerate(members):
            place[node] = (level, -row + (len(members) - 1) / 2)
    with _style():
        height = max(2.0, 0.6 * tallest + 0.8)
        canvas = Canvas(figsize=(5.0, height), layout="constrained")
        axes = canvas.add_subplot()
        axes.set_axis_off()
        for (teller, relay), count in sorted(relays.items()):
            start, end = place[teller], place[relay]
            axes.annotate(
                "",
                xy=end,
                xytext=start,
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": "#57606a",
                    "shrinkA": 28,
                    "shrinkB": 28,
                },
            )
            middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
            axes.text(
                *middle,
                str(count),
                ha="center",
                va="center",
                fontsize=8,
                color="#57606a",
                bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white", "edgecolor": "none"},
            )
        for node, (x, y) in place.items():
            axes.text(
                x,
                y,
                label(node),
                ha="center",
                va="center",
                fontsize=9,
                bbox={"boxstyle": "round", "facecolor": "#f3f5f7", "edgecolor": "#8c959f"},
            )
        deepest = max(depth.values())
        axes.set_xlim(-0.6, deepest + 0.6)
        axes.set_ylim(-tallest / 2 - 0.2, tallest / 2 + 0.2)
        return _svg(canvas, "who relays whom")
