"""Field-level history: what every write changed, before and after, so that any earlier
state can be rebuilt from the audit trail alone.

Every record has a *history shape* (the interchange fields of DESIGN.md §4, keys instead
of ids, nothing computed). A write takes the shapes of the records it may touch before it
starts (:meth:`ChangeLog.watch`), and after it is done :meth:`ChangeLog.changes` diffs
them: ``{"kind", "key", "before", "after"}`` with only the fields that changed (a created
record has ``before`` null and every field in ``after``; a deleted one the reverse).
Replaying those changes in event order (:mod:`provenance.services.replay`) gives the
state as of any event.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, or_, select

from provenance.read import tables as t
from provenance.read.events import short as _short
from provenance.read.reader import Reader, flush_pending
from provenance.read.records import iso_date, iso_time

KINDS = ("source", "entity", "document", "claim", "link")
Shape = dict[str, Any]


def link_key(from_key: str, relation: str, to_key: str) -> str:
    return f"{from_key} {relation} {to_key}"


def _aliases(
    session: Reader, table: Table, owner: Any, ids: Sequence[int] | None
) -> dict[int, list[str]]:
    """The aliases of these owners (``None``: of every owner, with no list of ids)."""
    found: dict[int, list[str]] = defaultdict(list)
    query = select(owner, table.c.alias).order_by(table.c.id)
    if ids is not None:
        query = query.where(owner.in_(ids))
    for owner_id, alias in session.execute(query):
        found[owner_id].append(alias)
    return found


def sources(session: Reader, keys: Iterable[str] | None = None) -> dict[str, Shape]:
    s = t.sources.c
    query = select(
        s.id, s.key, s.name, s.kind, s.reliability, s.affiliation, s.protected, s.notes
    ).order_by(s.key)
    if keys is not None:
        query = query.where(s.key.in_(list(keys)))
    rows = list(session.execute(query))
    owners = None if keys is None else [r.id for r in rows]
    aliases = _aliases(session, t.source_aliases, t.source_aliases.c.source_id, owners)
    return {r.key: source_shape(r._mapping, aliases.get(r.id, [])) for r in rows}


def source_shape(row: Mapping[Any, Any], aliases: list[str]) -> Shape:
    """A source's history shape from its stored values (by the ``sources`` columns)."""
    return {
        "key": row["key"],
        "name": row["name"],
        "kind": row["kind"],
        "reliability": row["reliability"],
        "affiliation": row["affiliation"],
        "aliases": aliases,
        "protected": row["protected"],
        "notes": row["notes"],
    }


def entities(session: Reader, keys: Iterable[str] | None = None) -> dict[str, Shape]:
    e = t.entities.c
    query = select(e.id, e.key, e.name, e.kind).order_by(e.key)
    if keys is not None:
        query = query.where(e.key.in_(list(keys)))
    rows = list(session.execute(query))
    owners = None if keys is None else [r.id for r in rows]
    aliases = _aliases(session, t.entity_aliases, t.entity_aliases.c.entity_id, owners)
    return {r.key: entity_shape(r._mapping, aliases.get(r.id, [])) for r in rows}


def entity_shape(row: Mapping[Any, Any], aliases: list[str]) -> Shape:
    """An entity's history shape from its stored values (by the ``entities`` columns)."""
    return {"key": row["key"], "name": row["name"], "kind": row["kind"], "aliases": aliases}


def documents(session: Reader, keys: Iterable[str] | None = None) -> dict[str, Shape]:
    d = t.documents.c
    publisher = t.sources.alias("publisher")
    query = (
        select(d.key, d.title, d.url, publisher.c.key.label("publisher"), d.published, d.retrieved)
        .add_columns(d.sha256, d.language)
        .outerjoin_from(t.documents, publisher, publisher.c.id == d.publisher_id)
        .order_by(d.key)
    )
    if keys is not None:
        query = query.where(d.key.in_(list(keys)))
    return {r.key: document_shape(r._mapping, r.publisher) for r in session.execute(query)}


def document_shape(row: Mapping[Any, Any], publisher: str | None) -> Shape:
    """A document's history shape from its stored values (by the ``documents`` columns;
    its publisher by key)."""
    return {
        "key": row["key"],
        "title": row["title"],
        "url": row["url"],
        "publisher": publisher,
        "published": iso_date(row["published"]),
        "retrieved": iso_date(row["retrieved"]),
        "sha256": row["sha256"],
        "language": row["language"],
    }


def _attributions(session: Reader, claim_ids: Sequence[int] | None) -> dict[int, list[Shape]]:
    """The attributions of these claims (``None``: of every claim, with no list of ids)."""
    a, r = t.attributions.c, t.relays.c
    relay_source = t.sources.alias("relay_source")
    relays: dict[int, list[str]] = defaultdict(list)
    relay_query = (
        select(r.attribution_id, relay_source.c.key)
        .join_from(t.relays, t.attributions, a.id == r.attribution_id)
        .join(relay_source, relay_source.c.id == r.source_id)
        .order_by(r.attribution_id, r.position)
    )
    if claim_ids is not None:
        relay_query = relay_query.where(a.claim_id.in_(claim_ids))
    for attribution_id, key in session.execute(relay_query):
        relays[attribution_id].append(key)
    found: dict[int, list[Shape]] = defaultdict(list)
    query = (
        select(a.id, a.claim_id, t.sources.c.key.label("source"), t.documents.c.key.label("doc"))
        .add_columns(a.stance, a.confidence, a.quote, a.recorded_by, a.recorded_at)
        .join_from(t.attributions, t.sources, t.sources.c.id == a.source_id)
        .outerjoin(t.documents, t.documents.c.id == a.document_id)
        .order_by(a.claim_id, a.id)
    )
    if claim_ids is not None:
        query = query.where(a.claim_id.in_(claim_ids))
    for row in session.execute(query):
        found[row.claim_id].append(
            attribution_shape(
                row.source,
                relays.get(row.id, []),
                row.doc,
                row.stance,
                row.confidence,
                row.quote,
                row.recorded_by,
                row.recorded_at,
            )
        )
    return found


def attribution_shape(
    source: str,
    via: list[str],
    document: str | None,
    stance: Any,
    confidence: int | None,
    quote: str | None,
    recorded_by: str,
    recorded_at: dt.datetime,
) -> Shape:
    """One attribution of a claim's history shape, from its stored values (keys for ids)."""
    return {
        "source": source,
        "via": via,
        "document": document,
        "stance": stance.value,
        "confidence": confidence,
        "quote": quote,
        "recorded_by": recorded_by,
        "recorded_at": iso_time(recorded_at),
    }


def claims(
    session: Reader, keys: Iterable[str] | None = None, *, ids: Sequence[int] | None = None
) -> dict[str, Shape]:
    c = t.claims.c
    merged = t.claims.alias("merged")
    query = (
        select(c.id, c.key, c.text, t.entities.c.key.label("subject"), c.property, c.value)
        .add_columns(c.unit, c.period_start, c.period_end, c.place, c.status, c.created_at)
        .add_columns(c.updated_at, c.withdrawn_at, c.withdrawn_by, c.withdrawn_note)
        .add_columns(merged.c.key.label("merged_into"))
        .outerjoin_from(t.claims, t.entities, t.entities.c.id == c.subject_id)
        .outerjoin(merged, merged.c.id == c.merged_into_id)
        .order_by(c.key)
    )
    if keys is not None:
        query = query.where(c.key.in_(list(keys)))
    if ids is not None:
        query = query.where(c.id.in_(list(ids)))
    rows = list(session.execute(query))
    every = keys is None and ids is None
    claim_ids = None if every else [row.id for row in rows]
    tags: dict[int, list[str]] = defaultdict(list)
    tag_query = select(t.claim_tags.c.claim_id, t.claim_tags.c.tag).order_by(t.claim_tags.c.tag)
    if claim_ids is not None:
        tag_query = tag_query.where(t.claim_tags.c.claim_id.in_(claim_ids))
    for claim_id, tag in session.execute(tag_query):
        tags[claim_id].append(tag)
    attributions = _attributions(session, claim_ids)
    return {
        row.key: claim_shape(
            row._mapping,
            subject=row.subject,
            tags=tags.get(row.id, []),
            attributions=attributions.get(row.id, []),
            merged_into=row.merged_into,
        )
        for row in rows
    }


def claim_shape(
    row: Mapping[Any, Any],
    *,
    subject: str | None,
    tags: list[str],
    attributions: list[Shape],
    merged_into: str | None,
) -> Shape:
    """A claim's history shape from its stored values (``row``: by the names of the
    ``claims`` columns; the other records it names given by key)."""
    withdrawn = None
    if row["withdrawn_at"] is not None:
        withdrawn = {
            "at": iso_time(row["withdrawn_at"]),
            "by": row["withdrawn_by"],
            "note": row["withdrawn_note"],
            "merged_into": merged_into,
        }
    return {
        "key": row["key"],
        "text": row["text"],
        "subject": subject,
        "property": row["property"],
        "value": row["value"],
        "unit": row["unit"],
        "period": {"start": iso_date(row["period_start"]), "end": iso_date(row["period_end"])},
        "place": row["place"],
        "tags": tags,
        "status": row["status"].value,
        "attributions": attributions,
        "withdrawn": withdrawn,
        "created_at": iso_time(row["created_at"]),
        "updated_at": iso_time(row["updated_at"]),
    }


def links(session: Reader, keys: Iterable[str] | None = None) -> dict[str, Shape]:
    link = t.links.c
    source, target = t.claims.alias("from_claim"), t.claims.alias("to_claim")
    query = (
        select(source.c.key, link.relation, target.c.key, link.note, link.created_by)
        .join_from(t.links, source, source.c.id == link.from_claim_id)
        .join(target, target.c.id == link.to_claim_id)
    )
    wanted = None if keys is None else set(keys)
    if wanted is not None:
        query = query.where(source.c.key.in_({k.split(" ")[0] for k in wanted}))
    rows = session.execute(query)
    shapes = {}
    for from_key, relation, to_key, note, created_by in rows:
        key = link_key(from_key, relation.value, to_key)
        if wanted is None or key in wanted:
            shapes[key] = {
                "from": from_key,
                "to": to_key,
                "relation": relation.value,
                "note": note,
                "created_by": created_by,
            }
    return dict(sorted(shapes.items()))


_READERS = {
    "source": sources,
    "entity": entities,
    "document": documents,
    "claim": claims,
    "link": links,
}


#: Keys read in one statement: within SQLite's and PostgreSQL's bound parameters (a merge
#: of a source with 70,000 claims once passed them all at once, past PostgreSQL's 65,535).
KEYS_PER_READ = 5_000


def chunks(values: Iterable[Any], size: int = KEYS_PER_READ) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def shapes(session: Reader, kind: str, keys: Iterable[str] | None = None) -> dict[str, Shape]:
    """The history shapes of some records of one kind (all of them with ``keys=None``),
    read a chunk of keys at a time."""
    if keys is None:
        return _READERS[kind](session, None)
    found: dict[str, Shape] = {}
    for batch in chunks(keys):
        found.update(_READERS[kind](session, batch))
    return dict(sorted(found.items()))


def links_of_claims(session: Reader, claim_keys: Iterable[str]) -> list[str]:
    """The link keys that touch these claims (a rename or merge changes them)."""
    source, target = t.claims.alias("source"), t.claims.alias("target")
    found: dict[str, None] = {}
    for wanted in chunks(claim_keys):
        rows = session.execute(
            select(source.c.key, t.links.c.relation, target.c.key)
            .select_from(t.links)
            .join(source, source.c.id == t.links.c.from_claim_id)
            .join(target, target.c.id == t.links.c.to_claim_id)
            .where(or_(source.c.key.in_(wanted), target.c.key.in_(wanted)))
        )
        for a, relation, b in rows:
            found[link_key(a, getattr(relation, "value", relation), b)] = None
    return list(found)


def diff(kind: str, key: str, before: Shape | None, after: Shape | None) -> Shape | None:
    """One record's change, field by field; None when nothing changed."""
    if before == after:
        return None
    if before is None or after is None:
        return {"kind": kind, "key": key, "before": before, "after": after}
    fields = [f for f in after if before.get(f) != after.get(f)]
    fields += [f for f in before if f not in after]
    return {
        "kind": kind,
        "key": key,
        "before": {f: before.get(f) for f in fields},
        "after": {f: after.get(f) for f in fields},
    }


class ChangeLog:
    """The records a write may touch, as they were before it, to diff them afterwards."""

    def __init__(self, session: Reader) -> None:
        self.session = session
        self._before: dict[tuple[str, str], Shape | None] = {}
        #: The shapes of records a write created, as it wrote them (not read back).
        self._created: dict[tuple[str, str], Shape] = {}

    def watch(self, kind: str, *keys: str, absent: Collection[str] = ()) -> None:
        """Take the shapes of these records as they are now; ``absent``: keys known not
        to be stored (nothing to read for them)."""
        fresh = [k for k in keys if (kind, k) not in self._before]
        if not fresh:
            return
        flush_pending(self.session)
        wanted = [k for k in fresh if k not in absent]
        found = shapes(self.session, kind, wanted) if wanted else {}
        for key in fresh:
            self._before[(kind, key)] = found.get(key)

    @property
    def watching(self) -> int:
        return len(self._before)

    def watch_new(self, kind: str, *keys: str) -> None:
        """Records known not to exist yet (the bulk path): nothing to read."""
        for key in keys:
            self._before.setdefault((kind, key), None)

    def created(self, kind: str, made: dict[str, Shape]) -> None:
        """Records the write has just created, with their shapes built from the values it
        wrote (exactly what :func:`shapes` would read back): :meth:`changes` does not
        read them. Say so only once what created them is committed (its savepoint
        released), and nothing may change them before :meth:`changes`."""
        for key, shape in made.items():
            self._created[(kind, key)] = shape

    def changes(self) -> list[Shape]:
        """Diff every watched record against its state now; forget them."""
        flush_pending(self.session)
        by_kind: dict[str, list[str]] = defaultdict(list)
        for kind, key in self._before:
            by_kind[kind].append(key)
        out: list[Shape] = []
        for kind in KINDS:
            keys = by_kind.get(kind)
            if not keys:
                continue
            made = {k: self._created[(kind, k)] for k in keys if (kind, k) in self._created}
            unread = [k for k in keys if k not in made]
            now = {**shapes(self.session, kind, unread), **made} if unread else made
            for key in keys:
                change = diff(kind, key, self._before[(kind, key)], now.get(key))
                if change is not None:
                    out.append(change)
        self._before.clear()
        self._created.clear()
        return out


# ---- comparing with a rebuilt past (provenance.services.replay) ---------------------


def record_difference(kind: str, key: str, rebuilt: Shape, stored: Shape) -> str:
    """How a stored record differs from what the events rebuild, field by field."""
    fields = sorted(f for f in set(rebuilt) | set(stored) if rebuilt.get(f) != stored.get(f))
    detail = "; ".join(
        f"{f} is {_short(stored.get(f))}, the events say {_short(rebuilt.get(f))}" for f in fields
    )
    return f"{kind} {key}: {detail}"
