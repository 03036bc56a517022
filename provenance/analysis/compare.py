"""Side-by-side comparisons (``compare``): per claim key, between two sources, or between
two claims. The grouping and the conflict test are the ones flags use (``facts.py``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select

from provenance.analysis.facts import (
    Settings,
    comparable,
    conflict_pairs,
    superseded_by,
    units_differ,
)
from provenance.analysis.records import claim_records
from provenance.errors import ProvenanceError
from provenance.read.reader import Reader
from provenance.read.records import iso_date
from provenance.read.resolve import resolve_id
from provenance.read.tables import attributions, claims, current, entities, links, sources
from provenance.vocab import Stance


def _key_of(record: dict[str, Any]) -> tuple[Any, ...]:
    place = (record["place"] or "").casefold()
    return (
        record["subject"],
        record["property"],
        record["period"]["start"],
        record["period"]["end"],
        place,
    )


def by_subject(
    session: Reader, subject: str, prop: str | None, settings: Settings
) -> list[dict[str, Any]]:
    """Every claim key of a subject (and property), each with its claims' values."""
    subject_id = resolve_id(session, "entity", subject)
    query = select(claims.c.id).where(
        current(), claims.c.subject_id == subject_id, claims.c.property.is_not(None)
    )
    if prop:
        query = query.where(claims.c.property == prop)
    query = query.order_by(
        claims.c.property,
        claims.c.period_start,
        claims.c.period_end,
        func.lower(func.coalesce(claims.c.place, "")),
        claims.c.id,
    )
    ids = list(session.scalars(query))
    if not ids:
        raise ProvenanceError(
            f"no claims with a property about {subject!r}"
            + (f" and property {prop!r}" if prop else "")
        )
    records = claim_records(session, ids, settings, internal=True)
    replaced = superseded_by(session, [r["key"] for r in records])
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        groups[_key_of(record)].append(record)
    result = []
    for members in groups.values():
        first = members[0]
        keys = {m["key"] for m in members}
        result.append(
            {
                "subject": first["subject"],
                "property": first["property"],
                "period": first["period"],
                "place": first["place"],
                "agree": not any(keys.intersection(m["_value_conflicts"]) for m in members),
                "claims": [
                    {
                        "claim": m["key"],
                        "value": m["value"],
                        "unit": m["unit"],
                        "origins": m["origins"],
                        **stances(m["attributions"]),
                        "status": m["status"],
                        "conflicts_with": m["_conflicts_with"],
                        "plausibility": m["plausibility"],
                        "superseded_by": replaced.get(m["key"], []),
                        "_attributions": m["attributions"],
                    }
                    for m in members
                ],
            }
        )
    return result


def stances(attributions: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Who asserts a claim, who denies it and who only reports it (origins, in order).
    A denial is never a source of the value: only ``asserted_by`` is."""
    found: dict[str, list[str]] = {"asserted_by": [], "denied_by": [], "reported_by": []}
    names = {"asserts": "asserted_by", "denies": "denied_by", "reports": "reported_by"}
    for attribution in attributions:
        bucket = found[names[attribution["stance"]]]
        if attribution["source"] not in bucket:
            bucket.append(attribution["source"])
    return found


def between_sources(session: Reader, a: str, b: str, settings: Settings) -> dict[str, Any]:
    """Where two sources (as origins) agree, conflict, or speak alone, per claim key."""
    ids = [resolve_id(session, "source", name) for name in (a, b)]
    if ids[0] == ids[1]:
        raise ProvenanceError("compare --sources needs two different sources")
    keys = dict(
        session.execute(select(sources.c.id, sources.c.key).where(sources.c.id.in_(ids))).all()
    )
    names = [keys[i] for i in ids]
    asserted = [
        select(attributions.c.claim_id).where(
            attributions.c.source_id == i, attributions.c.stance == Stance.ASSERTS
        )
        for i in ids
    ]
    values = comparable(
        settings.tolerance,
        select(claims.c.id).where(or_(claims.c.id.in_(asserted[0]), claims.c.id.in_(asserted[1]))),
    )
    side = {}
    for label, query in zip(("a", "b"), asserted, strict=True):
        alias = values.alias()
        side[label] = (alias, alias.c.id.in_(query))
    a_side, a_in = side["a"]
    b_side, b_in = side["b"]
    same = and_(
        a_side.c.subject_id == b_side.c.subject_id,
        a_side.c.property == b_side.c.property,
        a_side.c.place_k == b_side.c.place_k,
        a_side.c.period_start.is_not_distinct_from(b_side.c.period_start),
        a_side.c.period_end.is_not_distinct_from(b_side.c.period_end),
    )
    clash = or_(
        a_side.c.lo > b_side.c.hi,
        b_side.c.lo > a_side.c.hi,
        a_side.c.text != b_side.c.text,
        units_differ(a_side, b_side),
    )
    key_columns = [
        a_side.c.subject_id,
        a_side.c.property,
        a_side.c.period_start,
        a_side.c.period_end,
        a_side.c.place_k,
    ]
    shared = session.execute(
        select(*key_columns, func.max(case((clash, 1), else_=0)).label("conflict"))
        .where(a_in, b_in.self_group(), same)
        .group_by(*key_columns)
    ).all()
    only = {}
    for label, (mine, mine_in), (other, other_in), other_id in (
        ("only_a", side["a"], side["b"], ids[1]),
        ("only_b", side["b"], side["a"], ids[0]),
    ):
        other_same = and_(
            other_in,
            other.c.subject_id == mine.c.subject_id,
            other.c.property == mine.c.property,
            other.c.place_k == mine.c.place_k,
            other.c.period_start.is_not_distinct_from(mine.c.period_start),
            other.c.period_end.is_not_distinct_from(mine.c.period_end),
        )
        mine_key = select(
            mine.c.subject_id,
            mine.c.property,
            mine.c.period_start,
            mine.c.period_end,
            mine.c.place_k,
        ).distinct()
        # A key where the other side denies one of these claims is not this side's alone:
        # it is counted once, as that denial.
        denied = select(attributions.c.claim_id).where(
            attributions.c.source_id == other_id, attributions.c.stance == Stance.DENIES
        )
        contested = {
            tuple(row) for row in session.execute(mine_key.where(mine_in, mine.c.id.in_(denied)))
        }
        only[label] = [
            row
            for row in session.execute(mine_key.where(mine_in, ~exists().where(other_same)))
            if tuple(row) not in contested
        ]
    subjects = (
        dict(session.execute(select(entities.c.id, entities.c.key)).all())
        if (shared or only["only_a"] or only["only_b"])
        else {}
    )

    def describe(row: Any, verdict: str) -> dict[str, Any]:
        return {
            "subject": subjects.get(row[0]),
            "property": row[1],
            "period": {"start": iso_date(row[2]), "end": iso_date(row[3])},
            "place": row[4] or None,
            "verdict": verdict,
        }

    items = [describe(r, "conflict" if r.conflict else "agree") for r in shared]
    items += [describe(r, "only_a") for r in only["only_a"]]
    items += [describe(r, "only_b") for r in only["only_b"]]
    _attach_values(session, items, names)
    denials = {
        "a_denies": _denials(session, ids[0], ids[1], "a_denies"),
        "b_denies": _denials(session, ids[1], ids[0], "b_denies"),
    }
    items += denials["a_denies"] + denials["b_denies"]
    for item in items:  # the place as written, not as folded for matching
        item["place"] = item.pop("_place", item["place"])
    return {
        "a": names[0],
        "b": names[1],
        "shared": len(shared),
        "agree": sum(1 for r in shared if not r.conflict),
        "conflict": sum(1 for r in shared if r.conflict),
        "only_a": len(only["only_a"]),
        "only_b": len(only["only_b"]),
        "a_denies": len(denials["a_denies"]),
        "b_denies": len(denials["b_denies"]),
        "items": sorted(
            items,
            key=lambda i: (
                i["verdict"] not in ("conflict", "a_denies", "b_denies"),
                i["subject"] or "",
                i["property"] or "",
            ),
        ),
    }


def _denials(session: Reader, denier: int, asserter: int, verdict: str) -> list[dict[str, Any]]:
    """Claims that ``denier`` denies and ``asserter`` asserts: a disagreement over the
    claim itself, whatever its value."""
    denies = attributions.alias("denies")
    asserts = attributions.alias("asserts")
    rows = session.execute(
        select(claims.c.key, claims.c.value, claims.c.unit, claims.c.property, claims.c.place)
        .add_columns(claims.c.period_start, claims.c.period_end, entities.c.key)
        .join(denies, and_(denies.c.claim_id == claims.c.id, denies.c.source_id == denier))
        .join(asserts, and_(asserts.c.claim_id == claims.c.id, asserts.c.source_id == asserter))
        .outerjoin(entities, entities.c.id == claims.c.subject_id)
        .where(current(), denies.c.stance == Stance.DENIES, asserts.c.stance == Stance.ASSERTS)
        .order_by(claims.c.key)
    ).all()
    # One row a claim (two relays of the same denial join twice); no DISTINCT, since
    # PostgreSQL has no equality for the JSON value column.
    rows = list({row[0]: row for row in rows}.values())
    a_stance, b_stance = ("denies", "asserts") if verdict == "a_denies" else ("asserts", "denies")
    return [
        {
            "subject": subject,
            "property": prop,
            "period": {"start": iso_date(start), "end": iso_date(end)},
            "place": place,
            "verdict": verdict,
            "claim": key,
            "a_values": [{"claim": key, "value": value, "unit": unit, "stance": a_stance}],
            "b_values": [{"claim": key, "value": value, "unit": unit, "stance": b_stance}],
        }
        for key, value, unit, prop, place, start, end, subject in rows
    ]


def _attach_values(session: Reader, items: list[dict[str, Any]], names: list[str]) -> None:
    """Each item's values from each side (only for the items shown)."""
    for item in items:
        subject_id = session.scalar(select(entities.c.id).where(entities.c.key == item["subject"]))
        for label, name in zip(("a_values", "b_values"), names, strict=True):
            query = (
                select(claims.c.key, claims.c.value, claims.c.unit)
                .join(attributions, attributions.c.claim_id == claims.c.id)
                .join(sources, sources.c.id == attributions.c.source_id)
                .where(
                    sources.c.key == name,
                    current(),
                    attributions.c.stance == Stance.ASSERTS,
                    claims.c.subject_id == subject_id,
                    claims.c.property == item["property"],
                    func.coalesce(func.lower(claims.c.place), "") == (item["place"] or ""),
                )
            )
            for column, day in (
                (claims.c.period_start, item["period"]["start"]),
                (claims.c.period_end, item["period"]["end"]),
            ):
                query = query.where(
                    column.is_(None) if day is None else column == dt.date.fromisoformat(day)
                )
            found = session.execute(query.add_columns(claims.c.place)).all()
            item[label] = [
                {"claim": k, "value": v, "unit": u, "stance": "asserts"} for k, v, u, _ in found
            ]
            if found:
                item["_place"] = found[0][3]


def two_claims(session: Reader, first: str, second: str, settings: Settings) -> dict[str, Any]:
    ids = [resolve_id(session, "claim", name) for name in (first, second)]
    if ids[0] == ids[1]:
        raise ProvenanceError("compare needs two different claims")
    a, b = claim_records(session, ids, settings, internal=True)
    values = comparable(settings.tolerance, select(claims.c.id).where(claims.c.id.in_(ids)))
    pairs = session.execute(select(conflict_pairs(values, [ids[0]]).subquery())).all()
    why = next((p[2] for p in pairs if p[1] == ids[1]), None)
    comparable_keys = (
        a["subject"] is not None and a["property"] is not None and _key_of(a) == _key_of(b)
    )
    linked = [
        {
            "from": a["key"] if f == ids[0] else b["key"],
            "to": b["key"] if t == ids[1] else a["key"],
            "relation": r.value,
            "note": n,
        }
        for f, t, r, n in session.execute(
            select(
                links.c.from_claim_id, links.c.to_claim_id, links.c.relation, links.c.note
            ).where(
                or_(
                    and_(links.c.from_claim_id == ids[0], links.c.to_claim_id == ids[1]),
                    and_(links.c.from_claim_id == ids[1], links.c.to_claim_id == ids[0]),
                )
            )
        )
    ]
    return {
        "a": a,
        "b": b,
        "same_key": comparable_keys,
        "conflict": why is not None,
        "conflict_kind": why,
        "links": linked,
    }
