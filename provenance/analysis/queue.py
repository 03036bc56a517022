"""The work queue (``flag``): flagged claims, most severe first, and its stored ranking.

Ranking needs every claim's flags, which at a million claims takes tens of seconds, so
``flag --limit N`` reads its page from a ranking stored in the database (``flag_queue``).
That ranking is derived from the records by ``flags.flag_table``, the one place the rules
live, as of the trail's last event. Every write appends an event, so a ranking stored
before the last event is stale and is never read: the next page ranks every claim again,
stores the result and reads its page from it; after any write but a scoring run or a
large import it ranks again only the claims the writes since can have changed
(:func:`_catch_up`). A page therefore always shows what ``flag`` computes, at the cost of
an index read, those claims ranked again, or one full ranking after the writes that
change too much to follow.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, delete, func, insert, literal, select, union
from sqlalchemy.sql.selectable import Subquery

from provenance.analysis.facts import Settings, comparable, conflict_pairs
from provenance.analysis.flags import (
    CHUNK,
    PARTNERS_LISTED,
    REASONS,
    WEIGHTS,
    any_reason,
    check_reasons,
    column_name,
    conflicts_of,
    flag_table,
    origins_of,
    ranked_partners,
    reason_reader,
    with_reason,
)
from provenance.read.reader import Reader, among, connection_of, dialect_name
from provenance.read.tables import (
    attributions,
    claims,
    current,
    entities,
    events,
    flag_queue,
    flag_queue_state,
    links,
    sources,
)

if TYPE_CHECKING:
    from provenance.db import Database

#: The version of the flag rules a stored ranking was made with: a program whose rules
#: differ ranks again instead of reading a ranking made by other rules. 2: the catch-up
#: after a link named only the link's first claim, which a rename could hide; a ranking
#: stored by a program of version 1 is ranked again.
RULES = 2

#: A work queue item's fields, in order: the CSV header of a queue with nothing in it.
FLAG_FIELDS = ("claim", "text", "reasons", "independent_sources", "origins", "conflicts_with")


def flagged(
    session: Reader,
    settings: Settings,
    *,
    reasons: Sequence[str] = (),
    limit: int | None = None,
    offset: int = 0,
    claim_ids: Any = None,
    stored: bool = False,
) -> Iterator[dict[str, Any]]:
    """The work queue: flagged claims, most severe first (``flag -f json`` records), of
    all live claims or of those ``claim_ids`` selects.

    One query ranks every claim and brings each one's conflict partners (a set-based join
    aggregated per claim); origins are fetched a chunk of rows at a time, so memory and
    statement size stay bounded at a million claims. A page (``--limit``) looks up the
    conflict partners of its own claims only; a page of all claims reads the stored
    ranking when ``stored`` (the caller could keep it current: :func:`keep_current`) and
    it is current in this reader's snapshot."""
    page = bool(limit) and (limit or 0) <= CHUNK
    stored = stored and page and claim_ids is None and is_current(session, settings)
    table = stored_ranking() if stored else flag_table(settings, claim_ids)
    partners = None if page else _partners(settings)
    order = (table.c.rank, table.c.key) if stored else (table.c.severity.desc(), claims.c.key)
    query = (
        select(
            table,
            claims.c.key,
            claims.c.text,
            partners.c.partner_keys if partners is not None else literal(None).label("p"),
        )
        .join(claims, claims.c.id == table.c.id)
        .where(any_reason(table, check_reasons(reasons)))
        .order_by(*order)
        .offset(offset)
    )
    if partners is not None:
        query = query.outerjoin(partners, partners.c.claim_id == table.c.id)
    if limit:
        query = query.limit(limit)
    # Core rows straight from the connection: no ORM loading machinery for a million rows.
    rows = connection_of(session).execute(query.execution_options(yield_per=CHUNK))
    reasons_in = reason_reader(list(rows.keys()))
    for chunk in rows.partitions(CHUNK):
        origins = origins_of(session, [row.id for row in chunk])
        if page:
            found = conflicts_of(session, [row.id for row in chunk if row.is_conflict], settings)
            keys = {i: " ".join(k for k, _ in pairs) for i, pairs in found.items()}
        for row in chunk:
            partner_keys = keys.get(row.id) if page else row[-1]
            yield {  # FLAG_FIELDS
                "claim": row.key,
                "text": row.text,
                "reasons": reasons_in(row),
                "independent_sources": int(row.independent),
                "origins": origins.get(row.id, []),
                "conflicts_with": sorted(set(partner_keys.split())) if partner_keys else [],
            }


def flagged_ids(
    session: Reader, settings: Settings, codes: Sequence[str], *, stored: bool = False
) -> Any:
    """Ids of live claims carrying any of the codes (``claim list --flag``): from the
    stored ranking when ``stored`` and it is current in this reader's view, else ranked."""
    if stored and is_current(session, settings):
        table = stored_ranking()
        return select(table.c.id).where(any_reason(table, check_reasons(codes)))
    return with_reason(settings, codes)


def _partners(settings: Settings) -> Subquery:
    """Every claim in conflict, with the keys of the claims it conflicts with (one string,
    space-separated: keys are slugs)."""
    values = comparable(settings.tolerance, name="comparable_pairs")
    ranked = ranked_partners(conflict_pairs(values, None))
    return (
        select(ranked.c.claim_id, func.aggregate_strings(ranked.c.other, " ").label("partner_keys"))
        .where(ranked.c.position <= PARTNERS_LISTED)
        .group_by(ranked.c.claim_id)
        .subquery("partners")
    )


def stored_ranking() -> Subquery:
    """The stored ranking with the columns of ``flags.flag_table`` (the reasons read from
    the severity's bits), plus ``rank`` and ``key`` for its index order."""
    severity = -flag_queue.c.rank
    return select(
        flag_queue.c.claim_id.label("id"),
        flag_queue.c.independent,
        severity.label("severity"),
        *(
            case((severity.bitwise_and(WEIGHTS[code]) != 0, 1), else_=0).label(column_name(code))
            for code in REASONS
        ),
        flag_queue.c.rank,
        flag_queue.c.key,
    ).subquery("stored")


def _last_event(reader: Reader) -> int:
    return int(reader.scalar(select(func.coalesce(func.max(events.c.seq), 0))) or 0)


def _stored_state(reader: Reader, settings: Settings) -> Any:
    """The stored ranking's state row when it was made with these settings and this
    program's rules (None otherwise: it must be ranked all again)."""
    state = reader.execute(select(flag_queue_state).where(flag_queue_state.c.id == 1)).first()
    if state is None or (state.rules, state.tolerance, state.min_sources) != (
        RULES,
        settings.tolerance,
        settings.min_sources,
    ):
        return None
    return state


def is_current(reader: Reader, settings: Settings) -> bool:
    """Whether the stored ranking was made after the last event, with these settings and
    this program's rules."""
    state = _stored_state(reader, settings)
    return state is not None and state.through_seq == _last_event(reader)


def _store_ranked(connection: Reader, settings: Settings, claim_ids: Any = None) -> None:
    """Rank the live claims (or those ``claim_ids`` selects) and store the flagged ones."""
    table = flag_table(settings, claim_ids)
    connection.execute(
        insert(flag_queue).from_select(
            ["claim_id", "key", "rank", "independent"],
            select(table.c.id, claims.c.key, -table.c.severity, table.c.independent)
            .join(claims, claims.c.id == table.c.id)
            .where(table.c.severity > 0),
        )
    )


def rebuild(connection: Reader, settings: Settings) -> None:
    """Rank every live claim and store the flagged ones (inside a write transaction)."""
    through = _last_event(connection)
    connection.execute(delete(flag_queue))
    connection.execute(delete(flag_queue_state))
    _store_ranked(connection, settings)
    connection.execute(
        insert(flag_queue_state).values(
            id=1,
            through_seq=through,
            tolerance=settings.tolerance,
            min_sources=settings.min_sources,
            rules=RULES,
        )
    )
    if dialect_name(connection) == "postgresql":
        connection_of(connection).exec_driver_sql("ANALYZE flag_queue")


def keep_current(database: Database, settings: Settings) -> bool:
    """Rank again and store it when the stored ranking is stale; whether the stored
    ranking may be read. False when it cannot be kept now: another writer holds the lock,
    or the database refuses (a read-only server, a role that may not read or write these
    tables). The page is then ranked on the spot, as ``flag`` ranks the whole queue."""
    from sqlalchemy.exc import DBAPIError

    from provenance.db import WriterBusy

    try:
        with database.querying() as connection:
            if is_current(connection, settings):
                return True
        with database.deriving() as connection:
            if not is_current(connection, settings) and not _catch_up(connection, settings):
                rebuild(connection, settings)
    except (WriterBusy, DBAPIError):
        return False
    return True


#: Events after which only some claims are ranked again, and which claims. A verdict, or
#: a claim's attributions added, corrected or removed, change that claim's reasons alone
#: (no rule reads another claim's status or sources; conflicts compare values). A new
#: claim changes those of the claims sharing its subject and property (conflicts are found
#: within a claim key, and across periods within subject and property). A withdrawn
#: claim leaves the queue, and its conflicts and contradictions go with it: its subject and
#: property, and the claims it is linked with (a restored one brings them back). A decision
#: on a suspected pair of copies changes those of the claims of either source (``echo``;
#: independence, circularity and low reliability read a claim's origins, and relays never
#: count). A new source, entity or document has no claims yet; no rule reads an entity's
#: names or a document.
SCOPES: dict[str, frozenset[str]] = {
    "claim.status": frozenset({"claim"}),
    "claim.attribute": frozenset({"claim"}),
    "claim.unattribute": frozenset({"claim"}),
    "claim.attribution.edit": frozenset({"claim"}),
    "claim.add": frozenset({"claim", "subject and property"}),
    "claim.withdraw": frozenset({"claim", "subject and property", "linked"}),
    "claim.restore": frozenset({"claim", "subject and property", "linked"}),
    "source.copies.accept": frozenset({"sources"}),
    "source.copies.reject": frozenset({"sources"}),
    "source.add": frozenset(),
    "entity.add": frozenset(),
    "entity.edit": frozenset(),
    "document.add": frozenset(),
    "document.edit": frozenset(),
}
#: Events whose field-level changes say which records they changed: a link, an edit of a
#: claim (its value, period, subject or property) or of a source, an import, a merge (of
#: claims, sources or entities: the claims it moved or withdrew are among its changes). A
#: changed claim changes the reasons of the claims sharing the subjects and properties it
#: had and has and of the claims it is linked with; a link, those at its two
#: ends (``contradicted``: both are named, so a later rename hides neither); a source's
#: grade or affiliation, those of the claims it is attributed to.
FROM_CHANGES = frozenset(
    {
        "claim.link",
        "claim.unlink",
        "claim.edit",
        "source.edit",
        "import",
        "import.records",
        "claim.merge",
        "source.merge",
        "source.merge.records",
        "entity.merge",
        "entity.merge.records",
    }
)
#: The fields of a source that flag rules read (independence by affiliation, low
#: reliability by grade).
SOURCE_FIELDS = ("reliability", "affiliation")
#: More events than this since the stored ranking: rank everything again.
CATCH_UP_MAX = 200
#: Changes of more bytes than this (an import of a few thousand claims): rank everything
#: again, which then costs less than reading them.
CATCH_UP_BYTES = 2_000_000


def _changes_size(connection: Reader, seqs: list[int]) -> int:
    if not seqs:
        return 0
    size = select(func.sum(func.length(events.c.payload))).where(events.c.seq.in_(seqs))
    return int(connection.scalar(size) or 0)


def _read_by_rules(shapes: list[dict[str, Any]]) -> bool:
    """Whether a source's change touches what the rules read of it: its grade or its
    affiliation (an edit of its name, notes or aliases changes no claim's reasons); a
    source created or deleted does."""
    return not shapes or any(field in shape for shape in shapes for field in SOURCE_FIELDS)


def _read_changes(
    connection: Reader, seqs: list[int], targets: dict[str, set[str]]
) -> tuple[set[str], set[str]]:
    """Add what these events changed to ``targets``; returns the subjects and properties
    their claims had or have."""
    subjects: set[str] = set()
    properties: set[str] = set()
    if not seqs:
        return subjects, properties
    for (payload,) in connection.execute(select(events.c.payload).where(events.c.seq.in_(seqs))):
        for change in json.loads(payload).get("changes", []):
            kind, key = change.get("kind"), change.get("key")
            shapes = [s for s in (change.get("before"), change.get("after")) if isinstance(s, dict)]
            if kind == "claim" and isinstance(key, str):
                for scope in ("claim", "subject and property", "linked"):
                    targets[scope].add(key)
                subjects.update(s["subject"] for s in shapes if isinstance(s.get("subject"), str))
                properties.update(
                    s["property"] for s in shapes if isinstance(s.get("property"), str)
                )
            elif kind == "link":
                ends = (s.get(end) for s in shapes for end in ("from", "to"))
                targets["claim"].update(end for end in ends if isinstance(end, str))
            elif kind == "source" and isinstance(key, str) and _read_by_rules(shapes):
                targets["source"].add(key)
    return subjects, properties


#: A catch-up names at most this many changed claims as a list of ids (SQLite takes at
#: most 32,766 parameters in a statement); more are selected by a subquery.
LISTED_MAX = 20_000


def _catch_up(connection: Reader, settings: Settings) -> bool:
    """Bring a stored ranking made with these settings and rules up to the last event by
    ranking again only the claims the events since can have changed. False when the
    events since are not all such events (or too many): the caller ranks everything."""
    state = _stored_state(connection, settings)
    if state is None:
        return False
    since = connection.execute(
        select(events.c.seq, events.c.action, events.c.target)
        .where(events.c.seq > state.through_seq)
        .order_by(events.c.seq)
        .limit(CATCH_UP_MAX + 1)
    ).all()
    if len(since) > CATCH_UP_MAX or any(
        e.action not in SCOPES and e.action not in FROM_CHANGES for e in since
    ):
        return False
    read = [e.seq for e in since if e.action in FROM_CHANGES]
    if _changes_size(connection, read) > CATCH_UP_BYTES:
        return False
    targets: dict[str, set[str]] = {
        scope: set() for scope in ("claim", "subject and property", "linked", "source")
    }
    for e in since:
        for scope in SCOPES.get(e.action, ()) if e.target else ():
            if scope == "sources":  # the target names the pair: "a b"
                targets["source"].update(e.target.split())
            else:
                targets[scope].add(e.target)
    subjects, properties = _read_changes(connection, read, targets)
    parts: list[Any] = [select(claims.c.id).where(claims.c.key.in_(targets["claim"]))]
    # Every pairing of the subjects and properties those claims have, and had before the
    # changes read: more claims than changed, never fewer. Read into lists first: as
    # subqueries joined by OR, PostgreSQL scanned every claim for them (0.7 s at 200,000).
    named = connection.execute(
        select(claims.c.subject_id, claims.c.property).where(
            claims.c.key.in_(targets["subject and property"])
        )
    ).all()
    subject_ids = {row.subject_id for row in named if row.subject_id is not None}
    if subjects:
        subject_ids.update(
            connection.scalars(select(entities.c.id).where(entities.c.key.in_(subjects)))
        )
    family_properties = {row.property for row in named if row.property is not None}
    family_properties.update(properties)
    if subject_ids and family_properties:
        parts.append(
            select(claims.c.id).where(
                claims.c.subject_id.in_(subject_ids), claims.c.property.in_(family_properties)
            )
        )
    if targets["linked"]:
        linked = select(claims.c.id).where(claims.c.key.in_(targets["linked"]))
        parts.append(select(links.c.to_claim_id).where(links.c.from_claim_id.in_(linked)))
        parts.append(select(links.c.from_claim_id).where(links.c.to_claim_id.in_(linked)))
    if targets["source"]:
        graded = select(sources.c.id).where(sources.c.key.in_(targets["source"]))
        # Relays never count in a claim's reasons: the claims the source is attributed to.
        parts.append(select(attributions.c.claim_id).where(attributions.c.source_id.in_(graded)))
    changed = union(*parts).subquery("changed")
    listed = list(connection.scalars(select(changed.c[0]).limit(LISTED_MAX + 1)))

    def affected(column: Any) -> Any:
        """``column`` among the changed claims: as a list of ids, unless there are many."""
        if len(listed) <= LISTED_MAX:
            return among(connection, column, listed)
        return column.in_(select(changed.c[0]))

    connection.execute(delete(flag_queue).where(affected(flag_queue.c.claim_id)))
    _store_ranked(connection, settings, select(claims.c.id).where(affected(claims.c.id), current()))
    connection.execute(
        flag_queue_state.update()
        .where(flag_queue_state.c.id == 1)
        .values(through_seq=since[-1].seq if since else state.through_seq)
    )
    return True
