"""Claims: record, attribute, list, show, set a verdict, link."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, column, func, literal_column, or_, select, table
from sqlalchemy.orm import Session

from provenance.analysis.explain import explain
from provenance.analysis.facts import IdQuery, Settings
from provenance.analysis.flags import with_reason
from provenance.errors import ProvenanceError
from provenance.models import Attribution, Claim, ClaimTag, Link, utcnow
from provenance.services import audit
from provenance.services.history import ChangeLog, link_key
from provenance.services.records import claim_records, iso_time
from provenance.services.resolve import find_id, resolve_id
from provenance.vocab import Status

if TYPE_CHECKING:  # the write schemas load pydantic: reading commands do without
    from provenance.schemas import AttributionIn, ClaimIn, LinkIn


def add(
    session: Session,
    data: ClaimIn,
    *,
    analyst: str,
    new_entity: bool = False,
    allow_duplicate: bool = False,
) -> str:
    """Record a new claim with its first attribution; returns its key. A subject or
    property close to an existing one is refused ("did you mean") unless ``new_entity``;
    the same text, or the same claim key and value, from the same origin is refused unless
    ``allow_duplicate``."""
    from provenance.services.corrections import duplicate_of
    from provenance.services.store import References, save_claim

    refs = References(create_missing=False, new_entity=new_entity)
    if data.property and not new_entity:
        check_property(session, data.property)
    taken = find_id(session, "claim", data.derived_key()) is not None
    if not allow_duplicate and not taken:
        origin = resolve_id(session, "source", data.attributions[0].source)
        twin = duplicate_of(session, data, origin)
        if twin is not None:
            raise ProvenanceError(
                f"claim {twin!r} already says this from {data.attributions[0].source!r}: "
                f"add a source to it with `provenance claim attribute {twin} --source KEY`, "
                "or give --allow-duplicate"
            )
    log = ChangeLog(session)
    log.watch("claim", data.derived_key())
    key, _, _ = save_claim(session, data, analyst=analyst, refs=refs, mode="create")
    audit.record(
        session, analyst=analyst, action="claim.add", target=key, payload={}, changes=log.changes()
    )
    return key


def check_property(session: Session, prop: str) -> None:
    """A property no claim uses yet, but close to one that is used: a typo?"""
    import difflib

    known = [
        p
        for p in session.scalars(
            select(Claim.property).where(Claim.property.is_not(None)).distinct().limit(5000)
        )
        if p
    ]
    if prop in known:
        return
    near = difflib.get_close_matches(prop, known, n=3, cutoff=0.8)
    if near:
        raise ProvenanceError(
            f"no claim uses property {prop!r} yet; did you mean "
            f"{' or '.join(map(repr, near))}? (--new-entity uses it anyway)"
        )


def attribute(session: Session, claim: str, data: AttributionIn, *, analyst: str) -> str:
    from provenance.services.corrections import live_claim
    from provenance.services.store import References, save_attribution

    row = live_claim(session, claim)
    log = ChangeLog(session)
    log.watch("claim", row.key)
    save_attribution(session, row, data, analyst=analyst, refs=References(), mode="create")
    row.updated_at = utcnow()
    audit.record(
        session,
        analyst=analyst,
        action="claim.attribute",
        target=row.key,
        payload={},
        changes=log.changes(),
    )
    return row.key


def set_status(
    session: Session, claim: str, status: Status, *, note: str, analyst: str
) -> dict[str, Any]:
    if not note or not note.strip():
        raise ProvenanceError("a verdict needs a note: say why with --note")
    row = session.get_one(Claim, resolve_id(session, "claim", claim))
    log = ChangeLog(session)
    log.watch("claim", row.key)
    before = row.status
    row.status = status
    row.updated_at = utcnow()
    audit.record(
        session,
        analyst=analyst,
        action="claim.status",
        target=row.key,
        payload={"note": note.strip()},
        changes=log.changes(),
    )
    return {"claim": row.key, "from": before.value, "to": status.value}


def link(session: Session, data: LinkIn, *, analyst: str) -> dict[str, Any]:
    from provenance.services.store import save_link

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
    #: Claims changed at or after this time (a date, or the time of an audit event).
    changed_since: dt.datetime | int | None = None
    include_withdrawn: bool = False


def changed_since(session: Session, text: str) -> dt.datetime | int:
    """``--changed-since DATE|SEQ``: a day (from its start, UTC), a time, or the number of an
    audit event (the claims that later events changed)."""
    from provenance.models import Event

    stripped = text.strip()
    if stripped.isdigit() and len(stripped) < 8:
        if session.scalar(select(Event.seq).where(Event.seq == int(stripped))) is None:
            raise ProvenanceError(f"--changed-since {stripped}: there is no audit event {stripped}")
        return int(stripped)
    try:
        moment = dt.datetime.fromisoformat(stripped.replace("Z", "+00:00"))
    except ValueError:
        raise ProvenanceError(
            f"--changed-since {text!r} is neither a date (YYYY-MM-DD), a time "
            "(YYYY-MM-DDTHH:MM) nor an event number (see `provenance log`)"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _changed_after(session: Session, seq: int) -> list[str]:
    """The keys of the claims that events after ``seq`` changed (from their field-level
    changes, so an import's records count too)."""
    from provenance.models import Event
    from provenance.services.history import event_changes

    keys: dict[str, None] = {}
    for (payload,) in session.execute(
        select(Event.payload).where(Event.seq > seq).execution_options(yield_per=200)
    ):
        for change in event_changes(payload):
            if change["kind"] == "claim":
                keys[change["key"]] = None
                if change["after"] and "key" in change["after"]:
                    keys[str(change["after"]["key"])] = None
    return list(keys)


def _since(day: dt.date) -> ColumnElement[bool]:
    dated = or_(Claim.period_start.is_not(None), Claim.period_end.is_not(None))
    return or_(
        and_(dated, func.coalesce(Claim.period_end, Claim.period_start) >= day),
        and_(~dated, Claim.created_at >= dt.datetime.combine(day, dt.time())),
    )


def _until(day: dt.date) -> ColumnElement[bool]:
    dated = or_(Claim.period_start.is_not(None), Claim.period_end.is_not(None))
    return or_(
        and_(dated, func.coalesce(Claim.period_start, Claim.period_end) <= day),
        and_(~dated, Claim.created_at < dt.datetime.combine(day + dt.timedelta(days=1), dt.time())),
    )


def filtered_ids(session: Session, where: ClaimFilter) -> IdQuery:
    """The ids of the claims a filter selects, in a stable order (oldest first)."""
    query = select(Claim.id)
    if not where.include_withdrawn:
        query = query.where(Claim.withdrawn_at.is_(None))
    if isinstance(where.changed_since, int):
        query = query.where(Claim.key.in_(_changed_after(session, where.changed_since)))
    elif where.changed_since is not None:
        query = query.where(Claim.updated_at >= where.changed_since)
    if where.source:
        source_id = resolve_id(session, "source", where.source)
        query = query.where(
            Claim.id.in_(select(Attribution.claim_id).where(Attribution.source_id == source_id))
        )
    if where.status:
        query = query.where(Claim.status == where.status)
    if where.subject:
        query = query.where(Claim.subject_id == resolve_id(session, "entity", where.subject))
    if where.property:
        query = query.where(Claim.property == where.property)
    for tag in where.tags:
        query = query.where(
            Claim.id.in_(select(ClaimTag.claim_id).where(ClaimTag.tag == tag.strip().lower()))
        )
    if where.since:
        query = query.where(_since(where.since))
    if where.until:
        query = query.where(_until(where.until))
    if where.flags:
        query = query.where(Claim.id.in_(with_reason(where.settings, where.flags)))
    if where.search:
        return _search(session, query, where.search)
    return query.order_by(Claim.id)


def _search(session: Session, query: IdQuery, words: str) -> IdQuery:
    """Full-text search (migration 0002): every word must start a word of the text; best
    matches first (SQLite FTS5 bm25, PostgreSQL ts_rank)."""
    terms = re.findall(r"\w+", words)
    if not terms:
        raise ProvenanceError(f"--search {words!r} has no words to look for")
    if session.get_bind().dialect.name == "postgresql":
        vector = func.to_tsvector("simple", Claim.text)
        wanted = func.to_tsquery("simple", " & ".join(f"{t}:*" for t in terms))
        return query.where(vector.op("@@")(wanted)).order_by(
            func.ts_rank(vector, wanted).desc(), Claim.id
        )
    fts = table("claims_fts", column("rowid"))
    match = " ".join('"' + t.replace('"', '""') + '"*' for t in terms)
    return (
        query.join(fts, fts.c.rowid == Claim.id)
        .where(literal_column("claims_fts").op("MATCH")(match))
        .order_by(func.bm25(literal_column("claims_fts")), Claim.id)
    )


def list_claims(
    session: Session,
    where: ClaimFilter,
    *,
    limit: int | None = 100,
    offset: int = 0,
    internal: bool = False,
) -> tuple[list[dict[str, Any]], bool]:
    """A page of claim records, and whether more follow."""
    query = filtered_ids(session, where).offset(offset)
    if limit:
        query = query.limit(limit + 1)
    ids: list[int] = list(session.scalars(query))
    more = bool(limit) and len(ids) > (limit or 0)
    ids = ids[:limit] if limit else ids
    return claim_records(session, ids, where.settings, internal=internal), more


def show(session: Session, claim: str, settings: Settings | None = None) -> dict[str, Any]:
    """One claim's whole provenance: the record, its links, its history, and why it is
    flagged."""
    settings = settings or Settings()
    claim_id = resolve_id(session, "claim", claim)
    record = claim_records(session, [claim_id], settings, internal=True)[0]
    from_claim = Claim.__table__.alias("from_claim")
    to_claim = Claim.__table__.alias("to_claim")
    links = [
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
                Link.relation,
                Link.note,
                Link.created_by,
                Link.created_at,
            )
            .join(from_claim, from_claim.c.id == Link.from_claim_id)
            .join(to_claim, to_claim.c.id == Link.to_claim_id)
            .where(or_(Link.from_claim_id == claim_id, Link.to_claim_id == claim_id))
            .order_by(Link.id)
        )
    ]
    record["links"] = links
    record["history"] = audit.events(session, touching=record["key"])
    record["explanations"] = explain(session, claim_id, record, settings)
    return record
