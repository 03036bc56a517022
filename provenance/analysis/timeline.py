"""A claim key's values over time (``timeline``): cumulative figures as a series.

Claims sharing subject, property and place are ordered by the date they speak as of
(period end, else start) and chained into series: a figure joins a series when its period
starts where the series' periods start (a cumulative count "since 28 March") or nests
with the last one's (one period inside the other). Figures over unrelated periods ("at
least 14,000 since May 2024", "2,227 since 26 October") are separate series, so no change
is ever computed between them. A figure below an earlier one over a contained period is a
``conflict`` (the containment rule of ``facts.py``), marked in the series.

Each point says who asserts the figure, who denies it and who only reports it; only the
asserting origins are its sources.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select

from provenance.analysis.compare import stances
from provenance.analysis.facts import Settings, superseded_by
from provenance.analysis.records import claim_records
from provenance.errors import MalformedOption, ProvenanceError
from provenance.read.reader import Reader
from provenance.read.resolve import resolve_id
from provenance.read.tables import claims, current


def timeline(
    session: Reader, subject: str | None, prop: str | None, settings: Settings
) -> list[dict[str, Any]]:
    if not subject and not prop:
        raise MalformedOption("timeline needs --subject or --property")
    query = select(claims.c.id).where(
        current(), claims.c.subject_id.is_not(None), claims.c.property.is_not(None)
    )
    if subject:
        query = query.where(claims.c.subject_id == resolve_id(session, "entity", subject))
    if prop:
        query = query.where(claims.c.property == prop)
    as_of = func.coalesce(claims.c.period_end, claims.c.period_start)
    query = query.order_by(
        claims.c.subject_id,
        claims.c.property,
        func.lower(func.coalesce(claims.c.place, "")),
        as_of,
        claims.c.id,
    )
    records = claim_records(session, list(session.scalars(query)), settings, internal=True)
    if not records:
        raise ProvenanceError("no claims match")
    replaced = superseded_by(session, [r["key"] for r in records])
    series: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        series[(record["subject"], record["property"], (record["place"] or "").casefold())].append(
            record
        )
    result = []
    for (subject_key, property_name, _), members in series.items():
        for chain in _chains(members):
            points = []
            previous: float | None = None
            for record in chain:
                # A figure nobody asserts (only denied or reported) is shown, never
                # counted: no change is computed from or to it.
                asserted = bool(record["origins"])
                number = _midpoint(record["value"]) if asserted else None
                points.append(
                    {
                        "claim": record["key"],
                        "as_of": record["period"]["end"] or record["period"]["start"],
                        "period": record["period"],
                        "value": record["value"],
                        "unit": record["unit"],
                        "change": (number - previous)
                        if number is not None and previous is not None
                        else None,
                        "asserted": asserted,
                        "origins": record["origins"],
                        **stances(record["attributions"]),
                        "status": record["status"],
                        "conflict": "conflict" in record["flags"],
                        "conflicts_with": record["_conflicts_with"],
                        "superseded_by": replaced.get(record["key"], []),
                    }
                )
                previous = number if number is not None else previous
            result.append(
                {
                    "subject": subject_key,
                    "property": property_name,
                    "place": chain[0]["place"],
                    "basis": _basis(chain),
                    "series": points,
                }
            )
    return result


Period = tuple[str | None, str | None]


def _period(record: dict[str, Any]) -> Period:
    return record["period"]["start"], record["period"]["end"]


def _nest(a: Period, b: Period) -> bool:
    """One period inside the other (both bounded: an open end nests with nothing)."""
    if None in a or None in b:
        return False
    return (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])  # type: ignore[operator]


def _chains(members: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Records (in as-of order) split into series of shared start or nested periods."""
    chains: list[list[dict[str, Any]]] = []
    for record in members:
        mine = _period(record)
        for chain in chains:
            last = _period(chain[-1])
            if last[0] == mine[0] or _nest(last, mine):
                chain.append(record)
                break
        else:
            chains.append([record])
    return chains


def _basis(chain: list[dict[str, Any]]) -> str:
    starts = {_period(r)[0] for r in chain}
    if len(starts) == 1:
        start = starts.pop()
        return f"since {start}" if start else "no start date"
    return "nested periods"


def _midpoint(value: Any) -> float | None:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    if isinstance(value, int | float):
        return float(value)
    if "approx" in value:
        return float(value["approx"])
    bounds = [float(value[k]) for k in ("min", "max") if k in value]
    return sum(bounds) / len(bounds) if bounds else None
