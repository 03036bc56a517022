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


def _keys(session: Any, *claim_ids: int) -> list[str]:
    """The claims' keys, in the order of ``claim_ids``, in one query."""
    found = dict(
        session.execute(
            select(claims.c.id, claims.c.key).where(claims.c.id.in_(set(claim_ids)))
        ).all()
    )
    return [str(found[claim_id]) for claim_id in claim_ids]


def _clash(new: Relation, reversed_: bool, existing: Relation) -> str | None:
    """Why a new link of the pair cannot stand beside an existing one (``reversed_``: the
    existing one runs the other way), or None."""
    if existing in OPPOSED[new]:
        return "which the new link would contradict"
    if existing is new and reversed_ and new is Relation.UPDATES:
        return "and two claims cannot each update the other"
    if existing is new and reversed_:
        return "which reads the same both ways"
    return None


def _refuse_bad_update(session: Any, a: int, b: int) -> None:
    """A updates B replaces B's figure in every comparison: only a figure of the same
    thing (subject and property), and never round a circle (C updates B updates A, then
    A updates C took all three out of every comparison)."""
    found = session.execute(
        select(claims.c.id, claims.c.subject_id, claims.c.property).where(claims.c.id.in_([a, b]))
    )
    rows = {claim_id: (subject, prop) for claim_id, subject, prop in found}
    (subject_a, property_a), (subject_b, property_b) = rows[a], rows[b]
    if None not in (subject_a, property_a, subject_b, property_b) and (
        (subject_a, property_a) != (subject_b, property_b)
    ):
        first, second = _keys(session, a, b)
        raise ProvenanceError(
            f"{first} cannot update {second}: an update replaces a figure of the same "
            "subject and property, and these are about different things"
        )
    seen, frontier = {b}, [b]
    while frontier:
        updated = session.scalars(
            select(links.c.to_claim_id).where(
                links.c.from_claim_id.in_(frontier), links.c.relation == Relation.UPDATES
            )
        ).all()
        if a in updated:
            first, second = _keys(session, a, b)
            raise ProvenanceError(
                f"{first} cannot update {second}: {second} already updates {first} through "
                "other updates (a circle of updates leaves every figure in it out)"
            )
        frontier = [claim_id for claim_id in updated if claim_id not in seen]
        seen.update(frontier)


def refuse_opposed(session: Any, a: int, b: int, relation: Relation) -> None:
    """Refuse a new link A → B that says the opposite of one the pair has (every writer
    of links: `claim link`, an import)."""
    for _, start, end, existing in _links_of_pair(session, a, b):
        why = _clash(relation, start == b, existing)
        if why is None:
            continue
        first, second = _keys(session, start, end)
        already = f"{first} already {existing.value} {second}, {why}"
        if existing is relation and relation in SYMMETRIC:
            raise ProvenanceError(already)  # the link the user asks for is there
        raise ProvenanceError(
            f"{already}; remove it first (claim unlink {first} {second} --relation "
            f"{existing.value})"
        )
    if relation is Relation.UPDATES:
        _refuse_bad_update(session, a, b)


def opposed_links_of(session: Any, claim_id: int) -> str | None:
    """Two links of one claim with one other claim that cannot stand together (after a
    merge moved the duplicate's links), in words; or None."""
    rows = session.execute(
        select(links.c.from_claim_id, links.c.to_claim_id, links.c.relation)
        .where(or_(links.c.from_claim_id == claim_id, links.c.to_claim_id == claim_id))
        .order_by(links.c.id)
    ).all()
    for i, (start, end, relation) in enumerate(rows):
        for other_start, other_end, other in rows[i + 1 :]:
            if {start, end} != {other_start, other_end}:
                continue
            if _clash(Relation(relation), start != other_start, Relation(other)):
                one, two, three, four = _keys(session, start, end, other_start, other_end)
                return (
                    f"{one} {Relation(relation).value} {two} "
                    f"beside {three} {Relation(other).value} {four}"
                )
    return None


def link(session: Session, data: LinkIn, *, analyst: str) -> dict[str, Any]:
    from provenance.services.history import ChangeLog, link_key
    from provenance.services.store import save_link
    from provenance.services.verdicts import live_claim_row

    # a withdrawn claim takes no new link; a merged one's old key names the claim kept
    ends = [live_claim_row(session, name).key for name in (data.from_, data.to)]
    data = data.model_copy(update={"from_": ends[0], "to": ends[1]})
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
        first_key, second_key = _keys(session, first, second)
        raise ProvenanceError(f"no link {first_key} {relation.value} {second_key}")
    link_id, start, end = found[0]
    start_key, end_key = _keys(session, start, end)
    key = link_key(start_key, relation.value, end_key)
    log = ChangeLog(session)
    log.watch("link", key)
    session.delete(session.get_one(Link, link_id))
    session.flush()
    audit.record(
        session,
        analyst=analyst,
        action="claim.unlink",
        target=start_key,
        payload={"note": note.strip()} if note and note.strip() else {},
        changes=log.changes(),
    )
    return {"removed": key}
