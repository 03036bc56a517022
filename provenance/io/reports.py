"""Exports for people and publishers: schema.org ClaimReview, and a briefing an editor can
read (Markdown or self-contained HTML) built from one :class:`Briefing`."""

from __future__ import annotations

import datetime as dt
import html
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy import select

from provenance.analysis.flags import REASONS
from provenance.io.export import Export
from provenance.models import Event
from provenance.vocab import format_value, grade

#: Analyst status → schema.org Rating (1 worst … 5 best) and its name.
RATINGS = {
    "verified": (5, "True"),
    "disputed": (3, "Disputed"),
    "retracted": (2, "Retracted"),
    "false": (1, "False"),
}


def claimreview(export: Export) -> list[dict[str, Any]]:
    """ClaimReview JSON-LD for each claim that carries an analyst verdict."""
    sources = {s["key"]: s for s in export.sources()}
    documents = {d["key"]: d for d in export.documents()}
    reviews = []
    for claim in export.claims():
        if claim["status"] not in RATINGS:
            continue
        value, name = RATINGS[claim["status"]]
        verdict = export.session.execute(
            select(Event.analyst, Event.at, Event.payload)
            .where(Event.target == claim["key"], Event.action == "claim.status")
            .order_by(Event.seq.desc())
            .limit(1)
        ).first()
        reviewer = verdict.analyst if verdict else claim["attributions"][0]["recorded_by"]
        reviewed_on = verdict.at[:10] if verdict else (claim["updated_at"] or "")[:10]
        note = json.loads(verdict.payload).get("note") if verdict else None
        authors = []
        for origin in claim["origins"] or [a["source"] for a in claim["attributions"]]:
            source = sources.get(origin, {"name": origin, "kind": None})
            kind = (
                "Person"
                if source.get("kind") in {"person", "official", "head-of-state"}
                else "Organization"
            )
            authors.append({"@type": kind, "name": source["name"]})
        appearances = []
        for key in dict.fromkeys(a["document"] for a in claim["attributions"] if a["document"]):
            document = documents.get(key, {})
            appearance = {"@type": "CreativeWork", "name": document.get("title") or key}
            if document.get("url"):
                appearance["url"] = document["url"]
            if document.get("published"):
                appearance["datePublished"] = document["published"]
            appearances.append(appearance)
        item: dict[str, Any] = {"@type": "Claim", "author": authors}
        if appearances:
            item["appearance"] = appearances
            item["firstAppearance"] = appearances[0]
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "identifier": claim["key"],
            "claimReviewed": claim["text"],
            "itemReviewed": item,
            "author": {"@type": "Person", "name": reviewer},
            "datePublished": reviewed_on,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": value,
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": name,
            },
        }
        if note:
            review["reviewBody"] = note
        reviews.append(review)
    return reviews


def write_claimreview(export: Export, out: IO[str]) -> None:
    out.write(json.dumps(claimreview(export), ensure_ascii=False, indent=2) + "\n")


# ---- the briefing -----------------------------------------------------------------------


@dataclass
class Briefing:
    generated: str
    claims: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_flag: Counter[str] = field(default_factory=Counter)
    conflicts: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    contradicted: list[dict[str, Any]] = field(default_factory=list)
    single_source: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)


def _summary(claim: dict[str, Any], grades: dict[str, str]) -> dict[str, Any]:
    return {
        "key": claim["key"],
        "text": claim["text"],
        "value": format_value(claim["value"], claim["unit"]),
        "sources": ", ".join(
            f"{a['source']} ({grade(grades.get(a['source']), a['confidence'])})"
            + (f" via {' ← '.join(a['via'])}" if a["via"] else "")
            for a in claim["attributions"]
        ),
        "status": claim["status"],
    }


def briefing(export: Export) -> Briefing:
    from provenance.analysis.facts import Settings
    from provenance.analysis.flags import conflicts_of
    from provenance.models import Claim

    report = Briefing(generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))
    sources = list(export.sources())
    grades = {s["key"]: s["reliability"] for s in sources}
    counts: Counter[str] = Counter()
    conflicted: list[dict[str, Any]] = []
    for claim in export.claims():
        report.claims += 1
        report.by_status[claim["status"]] += 1
        report.by_flag.update(claim["flags"])
        counts.update(claim["origins"])
        if "conflict" in claim["flags"]:
            conflicted.append(claim)
        if "contradicted" in claim["flags"]:
            report.contradicted.append(_summary(claim, grades))
        if "single-source" in claim["flags"]:
            report.single_source.append(_summary(claim, grades))
    if conflicted:
        session = export.session
        ids = dict(
            session.execute(
                select(Claim.key, Claim.id).where(Claim.key.in_([c["key"] for c in conflicted]))
            ).all()
        )
        pairs = conflicts_of(session, list(ids.values()), Settings())
        by_key = {c["key"]: c for c in conflicted}
        done: set[frozenset[str]] = set()
        for claim in conflicted:
            for other_key, _ in pairs.get(ids[claim["key"]], []):
                pair = frozenset((claim["key"], other_key))
                if other_key in by_key and pair not in done:
                    done.add(pair)
                    report.conflicts.append(
                        (_summary(claim, grades), _summary(by_key[other_key], grades))
                    )
    report.sources = [{**s, "claims": counts.get(s["key"], 0)} for s in sources]
    return report


def _md(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_markdown(export: Export, out: IO[str]) -> None:
    report = briefing(export)
    lines = [
        "# Provenance briefing",
        "",
        f"Generated {report.generated}: {report.claims} claims.",
        "",
        "## Claims by status",
        "",
        "| status | claims |",
        "|---|---:|",
    ]
    lines += [f"| {s} | {n} |" for s, n in sorted(report.by_status.items())]
    lines += ["", "## Claims by flag", "", "| flag | claims |", "|---|---:|"]
    lines += [f"| {code} | {report.by_flag[code]} |" for code in REASONS if report.by_flag[code]]
    lines += ["", "## Conflicts, side by side", ""]
    if report.conflicts:
        lines += [
            "| claim | value | sources | | claim | value | sources |",
            "|---|---:|---|---|---|---:|---|",
        ]
        for a, b in report.conflicts:
            lines.append(
                f"| {_md(a['key'])} | {_md(a['value'])} | {_md(a['sources'])} | vs | "
                f"{_md(b['key'])} | {_md(b['value'])} | {_md(b['sources'])} |"
            )
    else:
        lines.append("No figures in conflict.")
    for title, items in (
        ("Contradicted claims", report.contradicted),
        ("Single-source claims", report.single_source),
    ):
        lines += ["", f"## {title}", ""]
        lines += [
            f"- **{_md(c['key'])}**: {_md(c['text'])} — {_md(c['sources'])}" for c in items
        ] or ["None."]
    lines += [
        "",
        "## Source grades",
        "",
        "| source | name | grade | affiliation | claims |",
        "|---|---|:-:|---|---:|",
    ]
    lines += [
        f"| {_md(s['key'])} | {_md(s['name'])} | {s['reliability']} | "
        f"{_md(s['affiliation'] or '')} | {s['claims']} |"
        for s in report.sources
    ]
    out.write("\n".join(lines) + "\n")


CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:72rem;margin:2rem auto;
padding:0 1rem;color:#1d2329;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:.5rem 0;width:100%}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f7}td.n{text-align:right}tr:nth-child(even) td{background:#fafbfc}
.conflict td{background:#fff1f0!important}.muted{color:#57606a}
"""


def _table(
    headers: list[str], rows: list[list[Any]], numeric: set[int] | None = None, row_class: str = ""
) -> str:
    numeric = numeric or set()
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        f"<tr{f' class={row_class!r}' if row_class else ''}>"
        + "".join(
            f"<td{' class=n' if i in numeric else ''}>{html.escape(str(c))}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def write_html(export: Export, out: IO[str]) -> None:
    """A self-contained page: inline styles, no scripts, nothing fetched."""
    report = briefing(export)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Provenance briefing</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Provenance briefing</h1>",
        f'<p class="muted">Generated {html.escape(report.generated)}: {report.claims} claims.</p>',
        "<h2>Claims by status</h2>",
        _table(["status", "claims"], [[s, n] for s, n in sorted(report.by_status.items())], {1}),
        "<h2>Claims by flag</h2>",
        _table(
            ["flag", "claims"], [[c, report.by_flag[c]] for c in REASONS if report.by_flag[c]], {1}
        ),
        "<h2>Conflicts, side by side</h2>",
    ]
    if report.conflicts:
        parts.append(
            _table(
                ["claim", "value", "sources", "claim", "value", "sources"],
                [
                    [a["key"], a["value"], a["sources"], b["key"], b["value"], b["sources"]]
                    for a, b in report.conflicts
                ],
                row_class="conflict",
            )
        )
    else:
        parts.append("<p>No figures in conflict.</p>")
    for title, items in (
        ("Contradicted claims", report.contradicted),
        ("Single-source claims", report.single_source),
    ):
        parts.append(f"<h2>{title}</h2>")
        parts.append(
            _table(
                ["claim", "text", "sources", "status"],
                [[c["key"], c["text"], c["sources"], c["status"]] for c in items],
            )
            if items
            else "<p>None.</p>"
        )
    parts.append("<h2>Source grades</h2>")
    parts.append(
        _table(
            ["source", "name", "grade", "affiliation", "claims"],
            [
                [s["key"], s["name"], s["reliability"], s["affiliation"] or "", s["claims"]]
                for s in report.sources
            ],
            {4},
        )
    )
    parts.append("</body></html>")
    out.write("\n".join(parts) + "\n")
