"""The briefing as CommonMark (with GitHub tables): text an editor can read raw or render.

Stored text is untrusted (``extract`` copies article text into claims), so every piece
goes through :func:`md`: whitespace of every kind (CR, LF, U+2028…) becomes one space, so
a value cannot start a line or a table row; control characters become visible symbols;
and each character that can open Markdown or HTML syntax (`` \\ ` * _ [ ] < > ! | & ~ ``)
is backslash-escaped, so ``<script>``, ``![](http://tracker)`` and ``[x](javascript:…)``
render as the characters they are. Links are written only for ``http``/``https`` document
URLs, inside ``<…>`` with the characters that could end them percent-encoded.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from provenance.cells import visible

if TYPE_CHECKING:
    from provenance.io.reports import Briefing

_SPECIAL = re.compile(r"([\\`*_\[\]<>!|&~])")


def md(text: Any) -> str:
    """Stored text as inert CommonMark inline content (one line)."""
    flat = " ".join(visible(str(text)).split()) if text is not None else ""
    return _SPECIAL.sub(r"\\\1", flat)


def safe_url(url: str | None) -> str | None:
    """``url`` when it is http(s), with spaces, controls and ``<>\\`` percent-encoded."""
    if not url:
        return None
    cleaned = url.strip()
    if not re.match(r"(?i)https?://[^\s]", cleaned):
        return None
    return quote(cleaned, safe="/:?#[]@!$&'()*+,;=%~-._")


def link(title: Any, url: str | None) -> str:
    target = safe_url(url)
    text = md(title)
    if target is None:
        return text + (f" ({md(url)})" if url else "")
    return f"[{text}](<{target}>)"


def _attribution(a: dict[str, Any]) -> str:
    from provenance.io.reports import attribution_words

    line = md(attribution_words(a))
    if a["quote"]:
        line += f": “{md(a['quote'])}”"
    if a["document"]:
        line += ", in " + link(a["title"] or a["document"], a["url"])
    return line


def _flags(card: dict[str, Any]) -> str:
    return "; ".join(md(code) for code in card["flags"]) or "none"


def _card(card: dict[str, Any]) -> list[str]:
    lines = [
        f"- **{md(card['key'])}** ({md(card['status'])}): {md(card['text'])}"
        + (f" — value {md(card['value'])}" if card["value"] else ""),
        f"  - flags: {_flags(card)}",
    ]
    lines += [f"  - {_attribution(a)}" for a in card["attributions"]]
    return lines


def markdown(report: Briefing) -> str:
    from provenance.analysis.flags import REASONS
    from provenance.io.reports import FLAG_WORDS

    lines = [
        "# Provenance briefing",
        "",
        f"Generated {md(report.generated)}: {report.claims} claim"
        + ("" if report.claims == 1 else "s")
        + ".",
        "",
        "## Claims by status",
        "",
        "| status | claims |",
        "|---|---:|",
    ]
    lines += [f"| {md(s)} | {n} |" for s, n in sorted(report.by_status.items())]
    lines += ["", "## Claims by flag", "", "| flag | meaning | claims |", "|---|---|---:|"]
    lines += [
        f"| {code} | {md(FLAG_WORDS[code])} | {report.by_flag[code]} |"
        for code in REASONS
        if report.by_flag[code]
    ]
    lines += ["", "## Conflicts, side by side", ""]
    for a, b in report.conflicts:
        lines += [
            f"### {md(a['key'])} vs {md(b['key'])}",
            "",
            f"| | {md(a['key'])} | {md(b['key'])} |",
            "|---|---|---|",
            f"| text | {md(a['text'])} | {md(b['text'])} |",
            f"| value | {md(a['value'])} | {md(b['value'])} |",
            f"| status | {md(a['status'])} | {md(b['status'])} |",
            f"| flags | {_flags(a)} | {_flags(b)} |",
            "| sources | "
            + " · ".join(_attribution(x) for x in a["attributions"])
            + " | "
            + " · ".join(_attribution(x) for x in b["attributions"])
            + " |",
            "",
        ]
    if not report.conflicts:
        lines += ["No figures in conflict.", ""]
    for title, items in (
        ("Contradicted claims", report.contradicted),
        ("Single-source claims", report.single_source),
    ):
        lines += [f"## {title}", ""]
        for card in items:
            lines += _card(card)
        lines += ["None.", ""] if not items else [""]
    lines += [
        "## Source grades",
        "",
        "| source | name | grade | affiliation | claims as origin |",
        "|---|---|:-:|---|---:|",
    ]
    lines += [
        f"| {md(s['key'])} | {md(s['name'])} | {md(s['reliability'])} | "
        f"{md(s['affiliation'] or '')} | {s['claims']} |"
        for s in report.sources
    ]
    if report.relays:
        lines += ["", "## Who relays whom", ""]
        lines += [
            f"- {md(teller)} → {md(relay)}: {n} attribution{'s' if n != 1 else ''}"
            for (teller, relay), n in sorted(report.relays.items())
        ]
    return "\n".join(lines) + "\n"
