"""Relating claims: `claim link` and `claim unlink`, each one write with its event.

A pair of claims may carry several relations, but not ones that say opposite things: a
claim that contradicts another is not the same as it, nor supports it; and of two claims,
only one updates the other. A mistaken link is removed with `claim unlink` (its last
state stays in the event)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select

from provenance.errors import ProvenanceError
from provenance.read.resolve import resolve_id
from provenance.read.tables import claims, links
from provenance.services import audit
from provenance.vocab import Relation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from provenance.schemas import LinkIn

#: Relations that read the same both ways (A contradicts B: B contradicts A).
SYMMETRIC = frozenset({Relation.CONTRADICTS, Relation.SUPPORTS, Relation.SAME_AS})
#: Relations one pair of claims cannot carry together.
OPPOSED = {
    Relation.CONTRADICTS: frozenset({Relation.SUPPORTS, Relation.SAME_AS}),
    Relation.SUPPORTS: frozenset({Relation.CONTRADICTS}),
    Relation.SAME_AS: frozenset({Relation.CONTRADICTS}),
    Relation.UPDATES: frozenset(),
}


def _links_of_pair(session: Any, a: int, b: int) -> list[tuple[int, int, int, Relation]]:
    """(id, from, to, relation) of every link of the pair, either way."""
    rows = session.execute(
        select(links.c.id, links.c.from_claim_id, links.c.to_claim_id, links.c.relation).where(
            or_(
                and_(links.c.from_claim_id == a, links.c.to_claim_id == b),
                and_(links.c.from_claim_id == b, links.c.to_claim_id == a),
            )
        )
    )
    return [(i, f, t, Relation(r)) for i, f, t, r in rows]


def _key(session: Any, claim_id: int) -> str:
    return str(session.scalar(select(claims.c.key).where(claims.c.id == claim_id)))


def _refuse_opposed(session: Any, a: int, b: int, relation: Relation) -> None:
    for _, start, _end, existing in _links_of_pair(session, a, b):
        opposed = existing in OPPOSED[relation]
        both_ways = relation is Relation.UPDATES and existing is relation and start == b
        if opposed or both_ways:
            first, second = _key(session, start), _key(session, _end)
            raise ProvenanceError(
                f"{first} already {existing.value} {second}, which the new link would "
                f"contradict; remove it first (claim unlink {first} {second} --relation "
                f"{existing.value})"
            )


def link(session: Session, data: LinkIn, *, analyst: str) -> dict[str, Any]:
    from provenance.services.history import ChangeLog, link_key
    from provenance.services.store import save_link
    from provenance.services.verdicts import live_claim_row

    ends = [live_claim_row(session, name) for name in (data.from_, data.to)]  # not withdrawn
    if ends[0].id != ends[1].id:
        _refuse_opposed(session, ends[0].id, ends[1].id, data.relation)
    log = ChangeLog(session)
    from_key, to_key, _ = save_link(session, data, analyst=analyst, exact=False, mode="create")
    log.watch_new("link", link_key(from_key, data.relation.value, to_key))
    record = {"from": from_key, "to": to_key, "relation": data.relation.value, "note": data.note}
    audit.record(
        session,
        analyst=analyst,
        action="claim.link",
        target=from_key,
        payload={},
        changes=log.changes(),
    )
    return record


def unlink(
    session: Session, a: str, b: str, relation: Relation, *, note: str | None, analyst: str
) -> dict[str, Any]:
    """Remove the link of that relation from A to B (either way for a relation that reads
    the same both ways)."""
    from provenance.models import Link
    from provenance.services.history import ChangeLog, link_key

    first, second = resolve_id(session, "claim", a), resolve_id(session, "claim", b)
    found = [
        (link_id, start, end)
        for link_id, start, end, existing in _links_of_pair(session, first, second)
        if existing is relation and (start == first or relation in SYMMETRIC)
    ]
    if not found:
        raise ProvenanceError(
            f"no link {_key(session, first)} {relation.value} {_key(session, second)}"
        )
    link_id, start, end = found[0]
    key = link_key(_key(session, start), relation.value, _key(session, end))
    log = ChangeLog(session)
    log.watch("link", key)
    session.delete(session.get_one(Link, link_id))
    session.flush()
    audit.record(
        session,
        analyst=analyst,
        action="claim.unlink",
        target=_key(session, start),
        payload={"note": note.strip()} if note and note.strip() else {},
        changes=log.changes(),
    )
    return {"removed": key}
