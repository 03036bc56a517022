"""The analyst's decisions on suspected copying (`source copies --accept/--reject`), audited.

``accept A B`` records that the two sources are not independent: they come to share an
affiliation (the one either already has, else a new one named after A), so they count
as one family everywhere, and the event carries each changed source's field-level
``before``/``after`` (the shape every write records, so history rebuilds through it).
``reject A B`` records that they are independent: scoring then never discounts the pair,
and the pair raises no `echo`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from provenance.clock import utcnow
from provenance.errors import ProvenanceError
from provenance.models import DependenceDecision, Source
from provenance.read.resolve import resolve_id
from provenance.services import audit
from provenance.services.history import ChangeLog

DECISIONS = ("accepted", "rejected")


def _pair(session: Session, a: str, b: str) -> tuple[Source, Source]:
    first = session.get_one(Source, resolve_id(session, "source", a))
    second = session.get_one(Source, resolve_id(session, "source", b))
    if first.id == second.id:
        raise ProvenanceError(f"{a!r} and {b!r} are the same source ({first.key})")
    return first, second


def _decide(
    session: Session, first: Source, second: Source, decision: str, note: str | None, analyst: str
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    low, high = sorted((first, second), key=lambda s: s.id)
    row = session.scalars(
        select(DependenceDecision).where(
            DependenceDecision.source_a_id == low.id, DependenceDecision.source_b_id == high.id
        )
    ).one_or_none()
    before = None if row is None else {"decision": row.decision, "note": row.note}
    if row is None:
        row = DependenceDecision(source_a_id=low.id, source_b_id=high.id, decided_by=analyst)
        session.add(row)
    row.decision, row.note, row.decided_by, row.decided_at = decision, note, analyst, utcnow()
    session.flush()
    return before, {"decision": decision, "note": note}


def _refuse_a_repeat(
    first: Source,
    second: Source,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    changed: list[str],
) -> None:
    """The same decision with the same note again (either order of the pair) changes
    nothing, and writes no event."""
    if before == after and not changed:
        raise ProvenanceError(
            f"nothing changed: the pair {first.key} {second.key} is already "
            f"{after['decision']}" + (f" ({after['note']})" if after["note"] else "")
        )


def accept(
    session: Session, a: str, b: str, *, analyst: str, note: str | None = None
) -> dict[str, Any]:
    first, second = _pair(session, a, b)
    if first.affiliation and second.affiliation and first.affiliation != second.affiliation:
        raise ProvenanceError(
            f"{first.key} ({first.affiliation}) and {second.key} ({second.affiliation}) belong "
            "to different affiliations: give them one with `provenance source edit "
            f"{second.key} --affiliation {first.affiliation}` (or the other way round)"
        )
    affiliation = first.affiliation or second.affiliation or first.key
    log = ChangeLog(session)
    log.watch("source", first.key, second.key)
    changed = []
    for source in (first, second):
        if source.affiliation != affiliation:
            changed.append(source.key)
            source.affiliation = affiliation
            source.updated_at = utcnow()
    before, after = _decide(session, first, second, "accepted", note, analyst)
    _refuse_a_repeat(first, second, before, after, changed)
    audit.record(
        session,
        analyst=analyst,
        action="source.copies.accept",
        target=f"{first.key} {second.key}",
        payload={"decision": {"before": before, "after": after}},
        changes=log.changes(),
    )
    return {
        "a": first.key,
        "b": second.key,
        "decision": "accepted",
        "affiliation": affiliation,
        "changed": changed,
    }


def reject(
    session: Session, a: str, b: str, *, analyst: str, note: str | None = None
) -> dict[str, Any]:
    first, second = _pair(session, a, b)
    if first.affiliation is not None and first.affiliation == second.affiliation:
        # Independence is read from affiliations: rejecting the pair would change nothing
        # while they share one (an accept gave it, or the analyst did).
        raise ProvenanceError(
            f"{first.key} and {second.key} share the affiliation {first.affiliation!r}, so "
            f"they count as one origin whatever is decided here; give one its own first "
            f"(source edit {second.key} --affiliation …), then reject the pair"
        )
    before, after = _decide(session, first, second, "rejected", note, analyst)
    _refuse_a_repeat(first, second, before, after, [])
    audit.record(
        session,
        analyst=analyst,
        action="source.copies.reject",
        target=f"{first.key} {second.key}",
        payload={"decision": {"before": before, "after": after}},
    )
    return {"a": first.key, "b": second.key, "decision": "rejected"}
