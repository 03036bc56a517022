"""Exports for people and publishers: schema.org ClaimReview, and a briefing an editor can
read (Markdown or self-contained HTML) built from one :class:`Briefing`."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy import select

from provenance.cells import json_text
from provenance.io.export import Export
from provenance.models import Event
from provenance.vocab import PSEUDONYM_PREFIX, format_value, grade

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
            kind = "Person" if _is_person(source) else "Organization"
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
        if note and not _names_a_pseudonym(claim):
            review["reviewBody"] = note  # the note of a claim with a protected party may name it
        reviews.append(review)
    return reviews


def _names_a_pseudonym(claim: dict[str, Any]) -> bool:
    """Whether the export hid a party of this claim (an origin, relay or document)."""
    return any(
        name.startswith(PSEUDONYM_PREFIX)
        for a in claim["attributions"]
        for name in (a["source"], *a["via"], a["document"] or "")
    )


def write_claimreview(export: Export, out: IO[str]) -> None:
    out.write(json_text(claimreview(export), indent=2) + "\n")


# ---- the briefing -----------------------------------------------------------------------

#: Each reason code in words, for readers who do not know the codes.
FLAG_WORDS = {
    "contradicted": "contradicted: a source denies it, or another claim contradicts it",
    "conflict": "conflict: another claim gives a figure that cannot also be true",
    "circular": "circular: its corroboration traces back to one origin",
    "single-source": "single source: one independent origin only",
    "low-reliability": "low reliability: every origin is graded D or worse",
    "disputed": "disputed: an analyst marked it disputed",
    "false": "false: an analyst marked it false",
    "unverified": "unverified: no analyst verdict yet",
}
STANCE_WORDS = {"asserts": "asserts", "denies": "denies", "reports": "only reports"}


@dataclass
class Point:
    """One source's figure at one date, for the charts."""

    day: dt.date
    source: str
    low: float
    high: float
    shape: str  # "exact", "approx", "range", "at-least", "at-most"
    claim: str


@dataclass
class Figure:
    subject: str
    property: str
    place: str | None
    unit: str | None
    points: list[Point] = field(default_factory=list)


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
    figures: list[Figure] = field(default_factory=list)
    #: (teller, relay) → how many attributions pass a claim along that step.
    relays: Counter[tuple[str, str]] = field(default_factory=Counter)


def _card(
    claim: dict[str, Any], grades: dict[str, str], documents: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """A claim as an editor checks it: text, value, status, flags, and each attribution
    with its stance, relays, quote and document (title and URL)."""
    attributions = []
    for a in claim["attributions"]:
        document = documents.get(a["document"] or "", {})
        attributions.append(
            {
                "source": a["source"],
                "grade": grade(grades.get(a["source"]), a["confidence"]),
                "stance": a["stance"],
                "via": list(a["via"]),
                "quote": a["quote"],
                "document": a["document"],
                "title": document.get("title"),
                "url": document.get("url"),
            }
        )
    return {
        "key": claim["key"],
        "text": claim["text"],
        "value": format_value(claim["value"], claim["unit"]),
        "status": claim["status"],
        "flags": list(claim["flags"]),
        "attributions": attributions,
    }


def attribution_words(a: dict[str, Any]) -> str:
    """``nug (C3) asserts, relayed by outlet``: who, how graded, which stance, through whom."""
    words = f"{a['source']} ({a['grade']}) {STANCE_WORDS.get(a['stance'], a['stance'])}"
    if a["via"]:
        words += ", relayed by " + " ← ".join(a["via"])
    return words


def _shape(value: Any) -> tuple[float, float, str] | None:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    if isinstance(value, int | float):
        return float(value), float(value), "exact"
    if "approx" in value:
        return float(value["approx"]), float(value["approx"]), "approx"
    if "min" in value and "max" in value:
        return float(value["min"]), float(value["max"]), "range"
    if "min" in value:
        return float(value["min"]), float(value["min"]), "at-least"
    return float(value["max"]), float(value["max"]), "at-most"


def _collect_figure(figures: dict[tuple[Any, ...], Figure], claim: dict[str, Any]) -> None:
    """A claim's asserted figure as chart points, one per asserting origin."""
    shape = _shape(claim["value"])
    day = claim["period"]["end"] or claim["period"]["start"]
    if shape is None or not claim["subject"] or not claim["property"] or not day:
        return
    # One chart per cumulative series: figures over different starts are not comparable.
    key = (
        claim["subject"],
        claim["property"],
        (claim["place"] or "").casefold(),
        claim["unit"],
        claim["period"]["start"],
    )
    figure = figures.setdefault(
        key, Figure(claim["subject"], claim["property"], claim["place"], claim["unit"])
    )
    for origin in dict.fromkeys(
        a["source"] for a in claim["attributions"] if a["stance"] == "asserts"
    ):
        figure.points.append(
            Point(dt.date.fromisoformat(day), origin, shape[0], shape[1], shape[2], claim["key"])
        )


def briefing(export: Export) -> Briefing:
    from provenance.analysis.facts import Settings
    from provenance.analysis.flags import conflicts_of
    from provenance.models import Claim

    report = Briefing(generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))
    sources = list(export.sources())
    documents = {d["key"]: d for d in export.documents()}
    grades = {s["key"]: s["reliability"] for s in sources}
    counts: Counter[str] = Counter()
    conflicted: list[dict[str, Any]] = []
    figures: dict[tuple[Any, ...], Figure] = {}
    for claim in export.claims():
        report.claims += 1
        report.by_status[claim["status"]] += 1
        report.by_flag.update(claim["flags"])
        counts.update(claim["origins"])
        _collect_figure(figures, claim)
        for a in claim["attributions"]:
            chain = [a["source"], *reversed(a["via"])]
            report.relays.update(itertools.pairwise(chain))
        if "conflict" in claim["flags"]:
            conflicted.append(claim)
        if "contradicted" in claim["flags"]:
            report.contradicted.append(_card(claim, grades, documents))
        if "single-source" in claim["flags"]:
            report.single_source.append(_card(claim, grades, documents))
    report.figures = [f for f in figures.values() if len({(p.day, p.claim) for p in f.points}) >= 2]
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
                        (
                            _card(claim, grades, documents),
                            _card(by_key[other_key], grades, documents),
                        )
                    )
    report.sources = [{**s, "claims": counts.get(s["key"], 0)} for s in sources]
    return report


def write_markdown(export: Export, out: IO[str]) -> None:
    from provenance.io.brief_markdown import markdown

    out.write(markdown(briefing(export)))


def write_html(export: Export, out: IO[str]) -> None:
    from provenance.io.brief_html import page

    out.write(page(briefing(export)))


#: Words that make an "official" source a body, not a person ("Disaster Management
#: Ministry" was a schema.org Person).
_BODY_WORDS = re.compile(
    r"\b(?:ministry|ministries|government|department|office|agency|council|commission|"
    r"committee|authority|authorities|administration|army|military|police|forces|"
    r"junta|regime|parliament|embassy|service|bureau|directorate|command|cabinet|"
    r"municipality|state|states|officials)\b",
    re.IGNORECASE,
)


def _is_person(source: dict[str, Any]) -> bool:
    """A ClaimReview author is a Person for a person or head of state, and for an official
    whose name names no body."""
    kind = source.get("kind")
    if kind in {"person", "head-of-state"}:
        return True
    return kind == "official" and not _BODY_WORDS.search(str(source.get("name") or ""))
