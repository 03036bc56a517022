"""Claims: record, attribute, list, show, set a verdict, link."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, column, func, literal_column, or_, select, table

from provenance import vocab
from provenance.analysis.explain import explain
from provenance.analysis.facts import IdQuery, Settings
from provenance.analysis.queue import flagged_ids
from provenance.analysis.records import claim_records
from provenance.errors import MalformedOption, ProvenanceError
from provenance.read.paging import page_ids
from provenance.read.reader import Reader, dialect_name
from provenance.read.records import iso_time
from provenance.read.resolve import find_id, resolve_id
from provenance.read.tables import (
    attributions,
    claim_tags,
    claims,
    current,
    events,
    links,
    relays,
    sources,
)
from provenance.services import audit
from provenance.services.links import link as link
from provenance.vocab import Status

if TYPE_CHECKING:  # the write schemas load pydantic: reading commands do without
    from sqlalchemy.orm import Session

    from provenance.schemas import AttributionIn, ClaimIn


def add(
    writer: Reader,
    data: ClaimIn,
    *,
    analyst: str,
    new_entity: bool = False,
    allow_duplicate: bool = False,
) -> str:
    """Record a new claim with its first attribution; returns its key. A subject or
    property close to an existing one is refused ("did you mean") unless ``new_entity``;
    the same text, or the same claim key and value, from the same origin is refused unless
    ``allow_duplicate``. Written on Core (a ``Connection`` will do), as an import's new
    claims are: the command does not load the ORM."""
    from provenance.services.history import ChangeLog
    from provenance.services.inserts import insert_claims
    from provenance.services.references import References, claim_exists

    log = ChangeLog(writer)
    refs = References(create_missing=False, new_entity=new_entity, log=log)
    if data.property and not new_entity:
        check_property(writer, data.property)
    key = data.derived_key()
    stored = find_id(writer, "claim", key)
    if stored is not None:
        withdrawn = writer.execute(
            select(claims.c.withdrawn_at, claims.c.withdrawn_note).where(claims.c.id == stored)
        ).one()
        if withdrawn.withdrawn_at is not None:
            raise ProvenanceError(
                f"claim {key!r} exists and was withdrawn ({withdrawn.withdrawn_note or 'no note'})"
                "; give the new claim another --key"
            )
        raise claim_exists(key)
    if not allow_duplicate:
        origin = resolve_id(writer, "source", data.attributions[0].source)
        twin = duplicate_of(writer, data, origin)
        if twin is not None:
            first = data.attributions[0]
            if first.stance.value != "asserts":  # the same claim, another stance on it
                raise ProvenanceError(
                    f"claim {twin!r} already has this text from {first.source!r}: to record "
                    f"that it {first.stance.value} it, use `provenance claim attribute {twin} "
                    f"--source {first.source} --stance {first.stance.value}`, or give "
                    "--allow-duplicate"
                )
            raise ProvenanceError(
                f"claim {twin!r} already says this from {first.source!r} (or a source "
                "sharing its affiliation, the same origin): "
                f"add a source to it with `provenance claim attribute {twin} --source KEY`, "
                "or give --allow-duplicate"
            )
    log.watch("claim", key, absent={key})
    _, created = insert_claims(writer, [(data, key)], analyst=analyst, refs=refs)
    log.created("claim", created)
    audit.record(
        writer, analyst=analyst, action="claim.add", target=key, payload={}, changes=log.changes()
    )
    return key


def check_property(session: Reader, prop: str) -> None:
    """A property no claim uses yet, but close to one that is used: a typo?"""
    import difflib

    known = [
        p
        for p in session.scalars(
            select(claims.c.property).where(claims.c.property.is_not(None)).distinct().limit(5000)
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


def same_text_claim(
    session: Reader, text: str, among: Any, *, other_than: int | None = None
) -> str | None:
    """A live claim among ``among`` (a query of claim ids) whose text is ``text`` up to case,
    spacing and Unicode composition ("é" typed as e and a combining accent is "é")."""
    folded = " ".join(text.split()).lower()
    forms = {unicodedata.normalize(form, folded) for form in ("NFC", "NFD")}
    query = select(claims.c.key).where(
        current(),
        claims.c.id.in_(among),
        or_(
            *(
                claims.c.text.ilike(
                    form.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"),
                    escape="\\",
                )
                for form in sorted(forms)
            )
        ),
    )
    if other_than is not None:
        query = query.where(claims.c.id != other_than)
    found = session.scalar(query.limit(1))
    return None if found is None else str(found)


def duplicate_of(session: Reader, data: ClaimIn, source_id: int) -> str | None:
    """An existing live claim from the same origin with the same text, or the same claim
    key and value in the same unit (``claim add`` refuses it unless told otherwise). The
    same origin is the source or one sharing its affiliation (DESIGN §2: two junta-run
    outlets are one origin)."""
    affiliation = select(sources.c.affiliation).where(sources.c.id == source_id).scalar_subquery()
    same_origin = select(sources.c.id).where(
        or_(sources.c.id == source_id, sources.c.affiliation == affiliation)
    )
    from_origin = select(attributions.c.claim_id).where(attributions.c.source_id.in_(same_origin))
    same_text = same_text_claim(session, data.text, from_origin)
    if same_text is not None:
        return same_text
    value = data.parsed_value()
    if value is None or not data.subject or not data.property:
        return None
    subject_id = find_id(session, "entity", data.subject) or find_id(
        session, "entity", vocab.slugify(data.subject)
    )
    if subject_id is None:
        return None
    period = data.period
    query = select(claims.c.key).where(
        claims.c.withdrawn_at.is_(None),
        claims.c.id.in_(from_origin),
        claims.c.subject_id == subject_id,
        claims.c.property == data.property,
        claims.c.value_lo.is_(None) if value.lo is None else claims.c.value_lo == value.lo,
        claims.c.value_hi.is_(None) if value.hi is None else claims.c.value_hi == value.hi,
        claims.c.value_text.is_(None) if value.text is None else claims.c.value_text == value.text,
        claims.c.period_start.is_(None)
        if not period or not period.start
        else claims.c.period_start == period.start,
        claims.c.period_end.is_(None)
        if not period or not period.end
        else claims.c.period_end == period.end,
    )
    wanted = ((data.place or "").lower(), (data.unit or "").lower())
    for key, place, unit in session.execute(query.add_columns(claims.c.place, claims.c.unit)):
        if ((place or "").lower(), (unit or "").lower()) == wanted:
            return str(key)
    return None


def attribute(session: Session, claim: str, data: AttributionIn, *, analyst: str) -> str:
    from provenance.clock import utcnow
    from provenance.services.corrections import live_claim
    from provenance.services.history import ChangeLog
    from provenance.services.references import References
    from provenance.services.store import save_attribution

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
    return str(row.key)


def set_status(
    session: Session, claim: str, status: Status, *, note: str, analyst: str
) -> dict[str, Any]:
    """One claim's verdict (the many-claims form is ``verdicts.set_statuses``)."""
    from provenance.services.verdicts import set_statuses

    return set_statuses(session, [claim], status, note=note, analyst=analyst)[0]


@dataclass(frozen=True)
class ClaimFilter:
    """The filters of `claim list` (and of `export`)."""

    source: str | None = None
    #: Passed on by this source (a relay of one of the claim's attributions).
    via: str | None = None
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
    #: ``flags`` may be read from the stored work queue (the caller kept it current:
    #: ``analysis.queue.keep_current``); it is, where it is current in the reader's view.
    stored_ranking: bool = False


def changed_since(session: Reader, text: str) -> dt.datetime | int:
    """``--changed-since DATE|SEQ``: a day (from its start, UTC), a time, or the number of an
    audit event (the claims that later events changed)."""
    stripped = text.strip()
    if stripped.isdigit() and len(stripped) < 8:
        seq = events.c.seq
        if session.scalar(select(seq).where(seq == int(stripped))) is None:
            raise ProvenanceError(f"--changed-since {stripped}: there is no audit event {stripped}")
        return int(stripped)
    try:
        moment = dt.datetime.fromisoformat(stripped.replace("Z", "+00:00"))
    except ValueError:
        raise MalformedOption(
            f"--changed-since {text!r} is neither a date (YYYY-MM-DD), a time "
            "(YYYY-MM-DDTHH:MM) nor an event number (see `provenance log`)"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _changed_after(session: Reader, seq: int) -> list[str]:
    """The keys of the claims that events after ``seq`` changed (from their field-level
    changes, so an import's records count too)."""
    from provenance.read.events import EVENTS_PER_READ, event_changes

    keys: dict[str, None] = {}
    for (payload,) in session.execute(
        select(events.c.payload)
        .where(events.c.seq > seq)
        .execution_options(yield_per=EVENTS_PER_READ)
    ):
        for change in event_changes(payload):
            if change["kind"] == "claim":
                keys[change["key"]] = None
                if change["after"] and "key" in change["after"]:
                    keys[str(change["after"]["key"])] = None
    return list(keys)


def _since(day: dt.date) -> ColumnElement[bool]:
    dated = or_(claims.c.period_start.is_not(None), claims.c.period_end.is_not(None))
    return or_(
        and_(dated, func.coalesce(claims.c.period_end, claims.c.period_start) >= day),
        and_(~dated, claims.c.created_at >= dt.datetime.combine(day, dt.time())),
    )


def _until(day: dt.date) -> ColumnElement[bool]:
    dated = or_(claims.c.period_start.is_not(None), claims.c.period_end.is_not(None))
    # the end of the day (9999-12-31 has no next day to stop before)
    end_of_day = dt.datetime.combine(day, dt.time.max)
    return or_(
        and_(dated, func.coalesce(claims.c.period_start, claims.c.period_end) <= day),
        and_(~dated, claims.c.created_at <= end_of_day),
    )


def filtered_ids(session: Reader, where: ClaimFilter, *, best: int | None = None) -> IdQuery:
    """The ids of the claims a filter selects, in a stable order (oldest first; best search
    matches first). ``best``: only among the best this many search hits (SQLite), which
    are the first ids of the whole answer."""
    query = select(claims.c.id)
    if not where.include_withdrawn:
        query = query.where(current())
    if isinstance(where.changed_since, int):
        query = query.where(claims.c.key.in_(_changed_after(session, where.changed_since)))
    elif where.changed_since is not None:
        query = query.where(claims.c.updated_at >= where.changed_since)
    if where.source:
        source_id = resolve_id(session, "source", where.source)
        query = query.where(
            claims.c.id.in_(
                select(attributions.c.claim_id).where(attributions.c.source_id == source_id)
            )
        )
    if where.via:
        relay_id = resolve_id(session, "source", where.via)
        relayed = select(relays.c.attribution_id).where(relays.c.source_id == relay_id)
        query = query.where(
            claims.c.id.in_(select(attributions.c.claim_id).where(attributions.c.id.in_(relayed)))
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
                select(claim_tags.c.claim_id).where(claim_tags.c.tag == vocab.tag_form(tag))
            )
        )
    if where.since:
        query = query.where(_since(where.since))
    if where.until:
        query = query.where(_until(where.until))
    if where.flags:
        query = query.where(
            claims.c.id.in_(
                flagged_ids(session, where.settings, where.flags, stored=where.stored_ranking)
            )
        )
    if where.search is not None:  # "" too: it has no words to look for
        return _search(session, query, where.search, best)
    return query.order_by(claims.c.id)


#: A search page looks first among this many of the best hits (SQLite).
SEARCH_WINDOW = 1000
#: The most words ``--search`` takes (all must match: more only narrows to nothing).
SEARCH_WORDS_MAX = 100


def _search(session: Reader, query: IdQuery, words: str, best: int | None) -> IdQuery:
    """Full-text search (migrations 0002, 0009): every word must start a word of the text; best
    matches first (SQLite FTS5 bm25, PostgreSQL ts_rank)."""
    terms = re.findall(r"\w+", words)
    if not terms:
        raise ProvenanceError(f"--search {words!r} has no words to look for")
    if len(terms) > SEARCH_WORDS_MAX:  # PostgreSQL's query parser ran out of stack at 20,000
        raise ProvenanceError(
            f"--search takes at most {SEARCH_WORDS_MAX} words ({len(terms)} given): "
            "every word must match, so a few distinctive ones find the claims"
        )
    if dialect_name(session) == "postgresql":
        vector: ColumnElement[Any] = literal_column(
            "claims.text_fts"
        )  # to_tsvector('simple', text), stored (0009)
        wanted = func.to_tsquery("simple", " & ".join(f"{t}:*" for t in terms))
        return query.where(vector.op("@@")(wanted)).order_by(
            func.ts_rank(vector, wanted).desc(), claims.c.id
        )
    fts = table("claims_fts", column("rowid"))
    match = " ".join('"' + t.replace('"', '""') + '"*' for t in terms)
    rank = func.bm25(literal_column("claims_fts")).label("rank")
    hits = select(fts.c.rowid.label("id"), rank).where(
        literal_column("claims_fts").op("MATCH")(match)
    )
    if best is not None:
        hits = hits.order_by(rank, fts.c.rowid).limit(best)
    found = hits.subquery("hits")
    return query.join(found, found.c.id == claims.c.id).order_by(found.c.rank, claims.c.id)


def list_claims(
    session: Reader,
    where: ClaimFilter,
    *,
    limit: int | None = 100,
    offset: int = 0,
    internal: bool = False,
) -> tuple[list[dict[str, Any]], bool]:
    """A page of claim records, and whether more follow."""
    if where.search is not None and limit and dialect_name(session) == "sqlite":
        # Ranking a search's hits in the full-text index alone, then keeping those the
        # other filters let through, takes less than half the time of ranking them joined
        # with their claims (0.14 s, not 0.35 s, for 95,000 hits of a million claims). The
        # page is among the best hits when more than a page of them pass the filters.
        window = max(SEARCH_WINDOW, 4 * (offset + limit + 1))
        ids, more = page_ids(
            session, filtered_ids(session, where, best=window), limit=limit, offset=offset
        )
        if more:
            return claim_records(session, ids, where.settings, internal=internal), more
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
    record["history"] = audit.history(session, "claim", record["key"])
    record["explanations"] = explain(session, claim_id, record, settings)
    return record
