"""A claim key's values over time (``timeline``): cumulative figures as a series.

Claims sharing subject, property and place form a series ordered by the date they speak
as of (period end, else start). A figure below an earlier one over a contained period is
a ``conflict`` (the containment rule of ``facts.py``), marked in the series.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select

from provenance.analysis.facts import Settings
from provenance.analysis.records import claim_records
from provenance.errors import ProvenanceError
from provenance.read.reader import Reader
from provenance.read.resolve import resolve_id
from provenance.read.tables import claims, current


def timeline(
    session: Reader, subject: str | None, prop: str | None, settings: Settings
) -> list[dict[str, Any]]:
    if not subject and not prop:
        raise ProvenanceError("timeline needs --subject or --property")
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
    series: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        series[(record["subject"], record["property"], (record["place"] or "").casefold())].append(
            record
        )
    result = []
    for (subject_key, property_name, _), members in series.items():
        points = []
        previous: float | None = None
        for record in members:
            number = _midpoint(record["value"])
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
                    "origins": record["origins"],
                    "status": record["status"],
                    "conflict": "conflict" in record["flags"],
                    "conflicts_with": record["_conflicts_with"],
                }
            )
            previous = number if number is not None else previous
        result.append(
            {
                "subject": subject_key,
                "property": property_name,
                "place": members[0]["place"],
                "series": points,
            }
        )
    return result


def _midpoint(value: Any) -> float | None:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    if isinstance(value, int | float):
        return float(value)
    if "approx" in value:
        return float(value["approx"])
    bounds = [float(value[k]) for k in ("min", "max") if k in value]
    return sum(bounds) / len(bounds) if bounds else None
