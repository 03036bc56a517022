"""Suspected copying between sources, as stored by the last `source score`, and the
analyst's decisions on it: what `source copies`, `source show`, the `echo` flag and
`claim show` read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select

from provenance.analysis.facts import IdQuery
from provenance.read.reader import Reader
from provenance.read.tables import attributions, sources
from provenance.read.tables import dependence_decisions as decisions
from provenance.read.tables import source_dependence as dependence
from provenance.vocab import Stance

Session = Reader

#: A pair at or above this probability is suspected: `echo`, `source show`, the default
#: of `source copies --min-probability`.
SUSPECTED = 0.5


def save(session: Session, run_id: int, pairs: Iterable[Any]) -> int:
    """Replace the stored pairs with those of this scoring run."""
    session.execute(delete(dependence))
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
        session.execute(insert(dependence), rows)
    return len(rows)


def rejected_pairs(session: Session) -> set[tuple[int, int]]:
    """Source-id pairs the analyst judged independent."""
    return {
        (a, b)
        for a, b in session.execute(
            select(decisions.c.source_a_id, decisions.c.source_b_id).where(
                decisions.c.decision == "rejected"
            )
        )
    }


def _undecided() -> Any:
    return ~(
        select(decisions.c.id)
        .where(
            decisions.c.source_a_id == dependence.c.source_a_id,
            decisions.c.source_b_id == dependence.c.source_b_id,
        )
        .exists()
    )


def echo_ids(claim_ids: IdQuery | None = None) -> IdQuery:
    """Claims asserted by both sources of a suspected, undecided pair (set-based: from the
    few suspected pairs to their sources' asserting attributions)."""
    first, second = attributions.alias("first"), attributions.alias("second")
    query = (
        select(first.c.claim_id)
        .select_from(dependence)
        .join(first, first.c.source_id == dependence.c.source_a_id)
        .join(
            second,
            and_(
                second.c.claim_id == first.c.claim_id,
                second.c.source_id == dependence.c.source_b_id,
            ),
        )
        .where(
            dependence.c.probability >= SUSPECTED,
            _undecided(),
            first.c.stance == Stance.ASSERTS,
            second.c.stance == Stance.ASSERTS,
        )
        .distinct()
    )
    if claim_ids is not None:
        query = query.where(first.c.claim_id.in_(claim_ids))
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
    a, b = sources.alias("a"), sources.alias("b")
    return (
        select(
            a.c.key.label("a"),
            b.c.key.label("b"),
            dependence.c.source_a_id,
            dependence.c.source_b_id,
            dependence.c.probability,
            dependence.c.direction,
            dependence.c.shared_keys,
            dependence.c.shared_values,
            dependence.c.shared_false,
            decisions.c.decision,
        )
        .join(a, a.c.id == dependence.c.source_a_id)
        .join(b, b.c.id == dependence.c.source_b_id)
        .outerjoin(
            decisions,
            and_(
                decisions.c.source_a_id == dependence.c.source_a_id,
                decisions.c.source_b_id == dependence.c.source_b_id,
            ),
        )
        .order_by(dependence.c.probability.desc(), a.c.key, b.c.key)
    )


def pairs(session: Session, *, min_probability: float = SUSPECTED) -> list[dict[str, Any]]:
    """`source copies`: the stored pairs at or above the probability, most likely first."""
    query = _listing().where(dependence.c.probability >= min_probability)
    return [_record(row) for row in session.execute(query)]


def partners(session: Session, source_id: int) -> list[dict[str, Any]]:
    """`source show`: the source's suspected partners (rejected pairs left out)."""
    query = _listing().where(
        dependence.c.probability >= SUSPECTED,
        or_(
            dependence.c.source_a_id == source_id,
            dependence.c.source_b_id == source_id,
        ),
        or_(decisions.c.decision.is_(None), decisions.c.decision != "rejected"),
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
    mine = select(attributions.c.source_id).where(
        attributions.c.claim_id == claim_id, attributions.c.stance == Stance.ASSERTS
    )
    query = _listing().where(
        dependence.c.probability >= SUSPECTED,
        dependence.c.source_a_id.in_(mine),
        dependence.c.source_b_id.in_(mine),
        decisions.c.decision.is_(None),
    )
    return [_record(row) for row in session.execute(query)]
