"""The briefing as one self-contained HTML page: inline CSS and inline SVG charts, no
scripts, nothing fetched. Every stored string is HTML-escaped (quotes too) after its
control characters are made visible; a document URL becomes a link only when it is
http(s). Tables turn into labelled blocks on a phone-width screen, and the page prints.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from provenance.cells import visible
from provenance.io.brief_markdown import safe_url

if TYPE_CHECKING:
    from provenance.io.reports import Briefing, Figure

CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:72rem;margin:2rem auto;
padding:0 1rem;color:#1d2329;line-height:1.45;overflow-wrap:anywhere}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
h3{font-size:1rem;margin:1.2rem 0 .3rem}
table{border-collapse:collapse;margin:.5rem 0;width:100%;table-layout:auto}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f7}td.n{text-align:right}tr:nth-child(even) td{background:#fafbfc}
.conflict td{background:#fff1f0}.muted{color:#57606a}.flag{font-family:ui-monospace,monospace}
ul.claims{padding-left:1.2rem}ul.claims li{margin:.6rem 0}ul.atts{padding-left:1.2rem}
blockquote{margin:.2rem 0 .2rem 1rem;padding-left:.6rem;border-left:3px solid #d0d7de;
color:#3d444d}
figure{margin:1rem 0;break-inside:avoid;max-width:36rem}
figure svg{width:100%;height:auto;display:block}
figcaption{font-size:.85rem;color:#57606a}
.denies{color:#b42318;font-weight:600}.reports{color:#57606a}
@media (max-width:40rem){
 body{margin:1rem auto;padding:0 .6rem}
 table,thead,tbody,tr,th,td{display:block;width:100%}
 thead{display:none}
 td{border:none;border-bottom:1px solid #eaeef2}
 td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:#57606a}
 tr{border:1px solid #d0d7de;margin:.5rem 0}
}
@media print{body{max-width:none;margin:0}a{color:inherit}
 a[href]::after{content:" <" attr(href) ">";font-size:.8em;color:#57606a}
 h2{break-after:avoid}tr,li{break-inside:avoid}}
"""


def esc(text: Any) -> str:
    return html.escape(visible("" if text is None else str(text)), quote=True)


def _link(title: Any, url: str | None) -> str:
    target = safe_url(url)
    if target is None:
        return esc(title) + (f' <span class="muted">({esc(url)})</span>' if url else "")
    return f'<a href="{esc(target)}" rel="noopener noreferrer">{esc(title)}</a>'


def _table(
    headers: list[str],
    rows: list[list[str]],
    *,
    numeric: set[int] | None = None,
    row_class: str = "",
    raw: bool = False,
) -> str:
    """A table; cells are escaped here unless ``raw`` (then the caller escaped them)."""
    numeric = numeric or set()
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join(
        f"<tr{f' class={row_class!r}' if row_class else ''}>"
        + "".join(
            f'<td data-label="{esc(headers[i])}"{" class=n" if i in numeric else ""}>'
            f"{c if raw else esc(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _attribution(a: dict[str, Any]) -> str:
    from provenance.io.reports import attribution_words

    stance = a["stance"]
    words = esc(attribution_words(a))
    if stance != "asserts":
        words = f'<span class="{esc(stance)}">{words}</span>'
    parts = [words]
    if a["document"]:
        parts.append("in " + _link(a["title"] or a["document"], a["url"]))
    item = ", ".join(parts)
    if a["quote"]:
        item += f"<blockquote>“{esc(a['quote'])}”</blockquote>"
    return item


def _flags(card: dict[str, Any]) -> str:
    return ", ".join(f'<span class="flag">{esc(c)}</span>' for c in card["flags"]) or "none"


def _card_cell(card: dict[str, Any]) -> str:
    atts = "".join(f"<li>{_attribution(a)}</li>" for a in card["attributions"])
    return (
        f"<strong>{esc(card['key'])}</strong>: {esc(card['text'])}"
        + (f"<br>value <strong>{esc(card['value'])}</strong>" if card["value"] else "")
        + f"<br>status {esc(card['status'])} · flags {_flags(card)}"
        + f'<ul class="atts">{atts}</ul>'
    )


def _cards(items: list[dict[str, Any]]) -> str:
    if not items:
        return "<p>None.</p>"
    return '<ul class="claims">' + "".join(f"<li>{_card_cell(c)}</li>" for c in items) + "</ul>"


def page(report: Briefing) -> str:
    from provenance.analysis.flags import REASONS
    from provenance.io.reports import FLAG_WORDS

    plural = "" if report.claims == 1 else "s"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        "<title>Provenance briefing</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Provenance briefing</h1>",
        f'<p class="muted">Generated {esc(report.generated)}: {report.claims} claim{plural}.</p>',
        "<h2>Claims by status</h2>",
        _table(
            ["status", "claims"],
            [[s, str(n)] for s, n in sorted(report.by_status.items())],
            numeric={1},
        ),
        "<h2>Claims by flag</h2>",
        _table(
            ["flag", "meaning", "claims"],
            [[c, FLAG_WORDS[c], str(report.by_flag[c])] for c in REASONS if report.by_flag[c]],
            numeric={2},
        ),
        "<h2>Conflicts, side by side</h2>",
    ]
    if report.conflicts:
        parts.append(
            _table(
                ["claim", "in conflict with"],
                [[_card_cell(a), _card_cell(b)] for a, b in report.conflicts],
                row_class="conflict",
                raw=True,
            )
        )
    else:
        parts.append("<p>No figures in conflict.</p>")
    parts += _drawings(report)
    for title, items in (
        ("Contradicted claims", report.contradicted),
        ("Single-source claims", report.single_source),
    ):
        parts += [f"<h2>{title}</h2>", _cards(items)]
    parts.append("<h2>Source grades</h2>")
    parts.append(
        _table(
            ["source", "name", "grade", "affiliation", "claims as origin"],
            [
                [s["key"], s["name"], s["reliability"], s["affiliation"] or "", str(s["claims"])]
                for s in report.sources
            ],
            numeric={4},
        )
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


#: The most charts a brief draws (each takes matplotlib about 0.05 s); the rest are listed.
MAX_CHARTS = 60


def _drawable(figure: Figure) -> bool:
    """matplotlib draws dates from year 1 to 9999 and a chart pads its dates by days: a
    figure dated at either end of the calendar is listed, not drawn."""
    return all(1 < point.day.year < 9999 for point in figure.points)


def drawn_figures(figures: list[Figure]) -> list[Figure]:
    """The figures a brief draws, in their order: all of them, or the ``MAX_CHARTS`` whose
    sources disagree the most (most distinct values, then most values)."""
    figures = [f for f in figures if _drawable(f)]
    if len(figures) <= MAX_CHARTS:
        return figures
    ranked = sorted(
        range(len(figures)),
        key=lambda i: (
            -len({(p.low, p.high, p.shape) for p in figures[i].points}),
            -len(figures[i].points),
            i,
        ),
    )
    return [figures[i] for i in sorted(ranked[:MAX_CHARTS])]


def _drawings(report: Briefing) -> list[str]:
    """The figures over time and the relay graph (matplotlib, imported only here)."""
    from provenance.io import charts

    parts = ["<h2>Figures over time</h2>"]
    drawn = drawn_figures(report.figures)
    if report.figures:
        for figure in drawn:
            parts.append(
                f'<figure class="chart">{charts.figure_chart(figure)}<figcaption>'
                f"{esc(figure.subject)} · {esc(figure.property)}"
                + (f" · {esc(figure.place)}" if figure.place else "")
                + ": each asserting source's figures by the date they speak as of; bars are "
                "ranges, ▲ lower bounds, ▼ upper bounds, hollow dots approximations. "
                "Denials are not drawn.</figcaption></figure>"
            )
        left = [f for f in report.figures if not any(f is d for d in drawn)]
        if left:
            parts.append(
                f"<details><summary>{len(left):,} more figures, not drawn (the "
                f"{len(drawn):,} above disagree the most; a figure dated in year 1 or 9999 "
                "is never drawn): <code>provenance timeline</code> shows each</summary><ul>"
                + "".join(
                    f"<li>{esc(f.subject)} · {esc(f.property)}"
                    + (f" · {esc(f.place)}" if f.place else "")
                    + f" ({len(f.points):,} values)</li>"
                    for f in left
                )
                + "</ul></details>"
            )
    else:
        parts.append("<p>No figure has two dated values to draw.</p>")
    parts.append("<h2>Who relays whom</h2>")
    if report.relays:
        parts.append(
            f'<figure class="chart">{charts.relay_graph(report.relays)}<figcaption>'
            "An arrow runs from a source to the outlet that relayed its claims; the number "
            "is how many attributions take that step.</figcaption></figure>"
        )
    else:
        parts.append("<p>No claim was relayed.</p>")
    return parts
