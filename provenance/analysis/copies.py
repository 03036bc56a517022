"""Suspected copying between sources, as stored by the last `source score`, and the
analyst's decisions on it: what `source copies`, `source show`, the `echo` flag and
`claim show` read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select
from sqlalchemy.orm import Session, aliased

from provenance.analysis.facts import IdQuery
from provenance.models import Attribution, DependenceDecision, Source, SourceDependence
from provenance.vocab import Stance

#: A pair at or above this probability is suspected: `echo`, `source show`, the default
#: of `source copies --min-probability`.
SUSPECTED = 0.5


def save(session: Session, run_id: int, pairs: Iterable[Any]) -> int:
    """Replace the stored pairs with those of this scoring run."""
    session.execute(delete(SourceDependence))
    rows = [
        {
            "run_id": run_id,
            "source_a_id": pair.source_a,
            "source_b_id": pair.source_b,
            "probability": pair.probability,
            "a_copies_b": pair.a_copies_b,
            "b_copies_a": pair.b_copies_a,
            "direction": pair.direction,
            "shared_keys": pair.shared_keys,
            "shared_values": pair.shared_values,
            "shared_false": pair.shared_false,
        }
        for pair in pairs
    ]
    if rows:
        session.execute(insert(SourceDependence), rows)
    return len(rows)


def rejected_pairs(session: Session) -> set[tuple[int, int]]:
    """Source-id pairs the analyst judged independent."""
    return {
        (a, b)
        for a, b in session.execute(
            select(DependenceDecision.source_a_id, DependenceDecision.source_b_id).where(
                DependenceDecision.decision == "rejected"
            )
        )
    }


def _undecided() -> Any:
    return ~(
        select(DependenceDecision.id)
        .where(
            DependenceDecision.source_a_id == SourceDependence.source_a_id,
            DependenceDecision.source_b_id == SourceDependence.source_b_id,
        )
        .exists()
    )


def echo_ids(claim_ids: IdQuery | None = None) -> IdQuery:
    """Claims asserted by both sources of a suspected, undecided pair (set-based: from the
    few suspected pairs to their sources' asserting attributions)."""
    first, second = aliased(Attribution), aliased(Attribution)
    query = (
        select(first.claim_id)
        .select_from(SourceDependence)
        .join(first, first.source_id == SourceDependence.source_a_id)
        .join(
            second,
            and_(
                second.claim_id == first.claim_id,
                second.source_id == SourceDependence.source_b_id,
            ),
        )
        .where(
            SourceDependence.probability >= SUSPECTED,
            _undecided(),
            first.stance == Stance.ASSERTS,
            second.stance == Stance.ASSERTS,
        )
        .distinct()
    )
    if claim_ids is not None:
        query = query.where(first.claim_id.in_(claim_ids))
    return query


def _record(row: Any) -> dict[str, Any]:
    a, b = row.a, row.b
    copier, original = (
        (a, b) if row.direction == 1 else (b, a) if row.direction == -1 else (None, None)
    )
    return {
        "a": a,
        "b": b,
        "probability": row.probability,
        "direction": f"{copier} copies {original}" if copier else None,
        "copier": copier,
        "original": original,
        "shared_keys": row.shared_keys,
        "shared_values": row.shared_values,
        "shared_false": row.shared_false,
        "decision": row.decision,
    }


def _listing() -> Any:
    a, b = aliased(Source), aliased(Source)
    return (
        select(
            a.key.label("a"),
            b.key.label("b"),
            SourceDependence.source_a_id,
            SourceDependence.source_b_id,
            SourceDependence.probability,
            SourceDependence.direction,
            SourceDependence.shared_keys,
            SourceDependence.shared_values,
            SourceDependence.shared_false,
            DependenceDecision.decision,
        )
        .join(a, a.id == SourceDependence.source_a_id)
        .join(b, b.id == SourceDependence.source_b_id)
        .outerjoin(
            DependenceDecision,
            and_(
                DependenceDecision.source_a_id == SourceDependence.source_a_id,
                DependenceDecision.source_b_id == SourceDependence.source_b_id,
            ),
        )
        .order_by(SourceDependence.probability.desc(), a.key, b.key)
    )


def pairs(session: Session, *, min_probability: float = SUSPECTED) -> list[dict[str, Any]]:
    """`source copies`: the stored pairs at or above the probability, most likely first."""
    query = _listing().where(SourceDependence.probability >= min_probability)
    return [_record(row) for row in session.execute(query)]


def partners(session: Session, source_id: int) -> list[dict[str, Any]]:
    """`source show`: the source's suspected partners (rejected pairs left out)."""
    query = _listing().where(
        SourceDependence.probability >= SUSPECTED,
        or_(
            SourceDependence.source_a_id == source_id,
            SourceDependence.source_b_id == source_id,
        ),
        or_(DependenceDecision.decision.is_(None), DependenceDecision.decision != "rejected"),
    )
    result = []
    for row in session.execute(query):
        record = _record(row)
        other = row.b if row.source_a_id == source_id else row.a
        result.append(
            {
                "source": other,
                "probability": record["probability"],
                "direction": record["direction"],
                "shared_keys": record["shared_keys"],
                "shared_false": record["shared_false"],
                "decision": record["decision"],
            }
        )
    return result


def echo_pairs_of(session: Session, claim_id: int) -> list[dict[str, Any]]:
    """For `claim show`: the suspected, undecided pairs among the claim's asserting origins."""
    mine = select(Attribution.source_id).where(
        Attribution.claim_id == claim_id, Attribution.stance == Stance.ASSERTS
    )
    query = _listing().where(
        SourceDependence.probability >= SUSPECTED,
        SourceDependence.source_a_id.in_(mine),
        SourceDependence.source_b_id.in_(mine),
        DependenceDecision.decision.is_(None),
    )
    return [_record(row) for row in session.execute(query)]
