"""Claims: record, attribute, list, show, set a verdict, link."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, column, func, literal_column, or_, select, table

from provenance.analysis.explain import explain
from provenance.analysis.facts import IdQuery, Settings
from provenance.analysis.flags import with_reason
from provenance.analysis.records import claim_records
from provenance.errors import ProvenanceError
from provenance.read.paging import page_ids
from provenance.read.reader import Reader, dialect_name
from provenance.read.records import iso_time
from provenance.read.resolve import resolve_id
from provenance.read.tables import attributions, claim_tags, claims, links
from provenance.services import audit
from provenance.vocab import Status

if TYPE_CHECKING:  # the write schemas load pydantic: reading commands do without
    from sqlalchemy.orm import Session

    from provenance.schemas import AttributionIn, ClaimIn, LinkIn


def add(session: Session, data: ClaimIn, *, analyst: str) -> str:
    """Record a new claim with its first attribution; returns its key."""
    from provenance.services.store import References, save_claim

    refs = References(create_missing=False)
    key, _, _ = save_claim(session, data, analyst=analyst, refs=refs, mode="create")
    audit.record(
        session,
        analyst=analyst,
        action="claim.add",
        target=key,
        payload=data.model_dump(mode="json", exclude_none=True, by_alias=True),
    )
    return key


def attribute(session: Session, claim: str, data: AttributionIn, *, analyst: str) -> str:
    from provenance.models import Claim, utcnow
    from provenance.services.store import References, save_attribution

    row = session.get_one(Claim, resolve_id(session, "claim", claim))
    save_attribution(session, row, data, analyst=analyst, refs=References(), mode="create")
    row.updated_at = utcnow()
    audit.record(
        session,
        analyst=analyst,
        action="claim.attribute",
        target=row.key,
        payload=data.model_dump(mode="json", exclude_none=True),
    )
    return str(row.key)


def set_status(
    session: Session, claim: str, status: Status, *, note: str, analyst: str
) -> dict[str, Any]:
    if not note or not note.strip():
        raise ProvenanceError("a verdict needs a note: say why with --note")
    from provenance.models import Claim, utcnow

    row = session.get_one(Claim, resolve_id(session, "claim", claim))
    before = row.status
    row.status = status
    row.updated_at = utcnow()
    audit.record(
        session,
        analyst=analyst,
        action="claim.status",
        target=row.key,
        payload={"from": before.value, "to": status.value, "note": note.strip()},
    )
    return {"claim": row.key, "from": before.value, "to": status.value}


def link(session: Session, data: LinkIn, *, analyst: str) -> dict[str, Any]:
    from provenance.services.store import save_link

    from_key, to_key, _ = save_link(session, data, analyst=analyst, exact=False, mode="create")
    record = {"from": from_key, "to": to_key, "relation": data.relation.value, "note": data.note}
    audit.record(session, analyst=analyst, action="claim.link", target=from_key, payload=record)
    return record


@dataclass(frozen=True)
class ClaimFilter:
    """The filters of `claim list` (and of `export`)."""

    source: str | None = None
    status: Status | None = None
    subject: str | None = None
    property: str | None = None
    tags: Sequence[str] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    search: str | None = None
    flags: Sequence[str] = ()
    settings: Settings = field(default_factory=Settings)


def _since(day: dt.date) -> ColumnElement[bool]:
    dated = or_(claims.c.period_start.is_not(None), claims.c.period_end.is_not(None))
    return or_(
        and_(dated, func.coalesce(claims.c.period_end, claims.c.period_start) >= day),
        and_(~dated, claims.c.created_at >= dt.datetime.combine(day, dt.time())),
    )


def _until(day: dt.date) -> ColumnElement[bool]:
    dated = or_(claims.c.period_start.is_not(None), claims.c.period_end.is_not(None))
    return or_(
        and_(dated, func.coalesce(claims.c.period_start, claims.c.period_end) <= day),
        and_(
            ~dated, claims.c.created_at < dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
        ),
    )


def filtered_ids(session: Reader, where: ClaimFilter) -> IdQuery:
    """The ids of the claims a filter selects, in a stable order (oldest first)."""
    query = select(claims.c.id)
    if where.source:
        source_id = resolve_id(session, "source", where.source)
        query = query.where(
            claims.c.id.in_(
                select(attributions.c.claim_id).where(attributions.c.source_id == source_id)
            )
        )
    if where.status:
        query = query.where(claims.c.status == where.status)
    if where.subject:
        query = query.where(claims.c.subject_id == resolve_id(session, "entity", where.subject))
    if where.property:
        query = query.where(claims.c.property == where.property)
    for tag in where.tags:
        query = query.where(
            claims.c.id.in_(
                select(claim_tags.c.claim_id).where(claim_tags.c.tag == tag.strip().lower())
            )
        )
    if where.since:
        query = query.where(_since(where.since))
    if where.until:
        query = query.where(_until(where.until))
    if where.flags:
        query = query.where(claims.c.id.in_(with_reason(where.settings, where.flags)))
    if where.search:
        return _search(session, query, where.search)
    return query.order_by(claims.c.id)


def _search(session: Reader, query: IdQuery, words: str) -> IdQuery:
    """Full-text search (migration 0002): every word must start a word of the text; best
    matches first (SQLite FTS5 bm25, PostgreSQL ts_rank)."""
    terms = re.findall(r"\w+", words)
    if not terms:
        raise ProvenanceError(f"--search {words!r} has no words to look for")
    if dialect_name(session) == "postgresql":
        vector = func.to_tsvector("simple", claims.c.text)
        wanted = func.to_tsquery("simple", " & ".join(f"{t}:*" for t in terms))
        return query.where(vector.op("@@")(wanted)).order_by(
            func.ts_rank(vector, wanted).desc(), claims.c.id
        )
    fts = table("claims_fts", column("rowid"))
    match = " ".join('"' + t.replace('"', '""') + '"*' for t in terms)
    return (
        query.join(fts, fts.c.rowid == claims.c.id)
        .where(literal_column("claims_fts").op("MATCH")(match))
        .order_by(func.bm25(literal_column("claims_fts")), claims.c.id)
    )


def list_claims(
    session: Reader,
    where: ClaimFilter,
    *,
    limit: int | None = 100,
    offset: int = 0,
    internal: bool = False,
) -> tuple[list[dict[str, Any]], bool]:
    """A page of claim records, and whether more follow."""
    ids, more = page_ids(session, filtered_ids(session, where), limit=limit, offset=offset)
    return claim_records(session, ids, where.settings, internal=internal), more


def show(session: Reader, claim: str, settings: Settings | None = None) -> dict[str, Any]:
    """One claim's whole provenance: the record, its links, its history, and why it is
    flagged."""
    settings = settings or Settings()
    claim_id = resolve_id(session, "claim", claim)
    record = claim_records(session, [claim_id], settings, internal=True)[0]
    from_claim = claims.alias("from_claim")
    to_claim = claims.alias("to_claim")
    linked = [
        {
            "from": row.from_key,
            "to": row.to_key,
            "relation": row.relation.value,
            "note": row.note,
            "created_by": row.created_by,
            "created_at": iso_time(row.created_at),
        }
        for row in session.execute(
            select(
                from_claim.c.key.label("from_key"),
                to_claim.c.key.label("to_key"),
                links.c.relation,
                links.c.note,
                links.c.created_by,
                links.c.created_at,
            )
            .join(from_claim, from_claim.c.id == links.c.from_claim_id)
            .join(to_claim, to_claim.c.id == links.c.to_claim_id)
            .where(or_(links.c.from_claim_id == claim_id, links.c.to_claim_id == claim_id))
            .order_by(links.c.id)
        )
    ]
    record["links"] = linked
    record["history"] = audit.events(session, target=record["key"])
    record["explanations"] = explain(session, claim_id, record, settings)
    return record
