"""The audit trail: every write appends one event, in the same transaction, hash-chained.

``hash = sha256(canonical JSON of seq, at, analyst, action, target, payload, prev_hash)``,
so editing, deleting, reordering or inserting an event breaks verification from that event
on. Someone who can rewrite the whole chain can forge it: publish ``audit anchor`` hashes
elsewhere to detect that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import func, insert, literal, select, text

from provenance.db import WRITER_LOCK
from provenance.errors import CheckFailed
from provenance.read.events import EVENTS_PER_READ, INDEXED_KEY_MAX, indexed_keys
from provenance.read.reader import Reader, connection_of, dialect_name
from provenance.read.tables import event_keys
from provenance.read.tables import events as event_table

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


GENESIS = "0" * 64
#: The longest target an event stores (the column's size, as the key index's).
TARGET_MAX = INDEXED_KEY_MAX


#: orjson's options for :func:`canonical`: sorted keys, and dates, times and dataclasses
#: handed to ``str`` as the standard library's encoder hands them.
_ORJSON_OPTIONS = (
    orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


def canonical(value: Any) -> str:
    """JSON with sorted keys, no spaces and text as it is: what an event stores and hashes.

    orjson writes it: the standard library's encoder took a tenth of an import's time
    on the events' payloads (139 MB at 200,000 claims). Both write text, integers and the
    structure byte for byte alike (a test compares them), so the hash of every event
    stored before is what it was. What orjson refuses (an integer beyond 64 bits, a key
    that is not text, a lone surrogate) the standard library writes."""
    try:
        return orjson.dumps(value, option=_ORJSON_OPTIONS, default=str).decode()
    except TypeError:  # orjson.JSONEncodeError is one
        return json.dumps(
            value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
        )


def event_hash(
    *,
    seq: int,
    at: str,
    analyst: str,
    action: str,
    target: str | None,
    payload: str,
    prev_hash: str,
) -> str:
    body = canonical(
        {
            "seq": seq,
            "at": at,
            "analyst": analyst,
            "action": action,
            "target": target,
            "payload": payload,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(body.encode()).hexdigest()


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def record(
    session: Reader,
    *,
    analyst: str,
    action: str,
    target: str | None,
    payload: dict[str, Any],
    changes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Append one event (returned as its columns), with the field-level ``changes`` of
    what the write did (see :mod:`provenance.services.history`).

    Two transactions must not both chain onto the same last event: SQLite writers already
    hold the write lock (BEGIN IMMEDIATE); PostgreSQL takes an advisory transaction lock
    here."""
    if dialect_name(session) == "postgresql":
        # The writers' lock: a session that did not come through Database.transaction is
        # serialised too (re-entrant for one that did).
        session.execute(text(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})"))
    e = event_table.c
    last = session.execute(select(e.seq, e.hash).order_by(e.seq.desc()).limit(1)).first()
    seq, prev_hash = (last.seq + 1, last.hash) if last else (1, GENESIS)
    at = now_iso()
    body = canonical(payload if changes is None else {**payload, "changes": changes})
    if target is not None and len(target) > TARGET_MAX:
        target = target[: TARGET_MAX - 1] + "…"  # an import of many files names them all
    event: dict[str, Any] = {
        "seq": seq,
        "at": at,
        "analyst": analyst,
        "action": action,
        "target": target,
        "payload": body,
        "prev_hash": prev_hash,
    }
    event["hash"] = event_hash(**event)
    session.execute(insert(event_table).values(event))  # Core: a verdict needs no ORM
    rows = [(key, seq) for key in indexed_keys(target, payload, changes)]
    if rows:
        _insert_event_keys(session, rows)
    renamed_from = payload.get("renamed_from")
    if isinstance(renamed_from, str) and target and renamed_from != target:
        _follow_rename(session, renamed_from, target, seq)
    return event


#: A large write (an import, a merge moving many claims) records its changes this many at
#: a time in ``<action>.records`` events, then its summary event, all in one transaction.
CHANGES_PER_EVENT = 1000
#: The suffix of those events' action.
PARTS = ".records"


class Parts:
    """The changes of one large write, recorded :data:`CHANGES_PER_EVENT` at a time in
    ``<action>.records`` events as they come, so that what the write holds stays flat
    however many records it changes; the rest go with its summary (:meth:`finish`), which
    is then the only event of a small write. A point among the parts names a state that
    never existed (``--as-of`` takes the summary's)."""

    def __init__(self, session: Reader, *, analyst: str, action: str) -> None:
        self.session = session
        self.analyst = analyst
        self.action = action
        self.pending: list[dict[str, Any]] = []
        self.parts = 0

    def add(
        self, changes: list[dict[str, Any]], *, target: str | None, payload: dict[str, Any]
    ) -> None:
        """Changes to record; ``target`` and ``payload`` (with ``part`` added) go with
        each part this writes."""
        self.pending.extend(changes)
        while len(self.pending) >= CHANGES_PER_EVENT:
            chunk = self.pending[:CHANGES_PER_EVENT]
            del self.pending[:CHANGES_PER_EVENT]
            self.parts += 1
            record(
                self.session,
                analyst=self.analyst,
                action=self.action + PARTS,
                target=target,
                payload={**payload, "part": self.parts},
                changes=chunk,
            )

    def finish(
        self,
        *,
        target: str | None,
        payload: dict[str, Any],
        first: Sequence[dict[str, Any]] = (),
    ) -> dict[str, Any]:
        """The summary event, with ``first`` and then the changes no part took."""
        changes, self.pending = [*first, *self.pending], []
        return record(
            self.session,
            analyst=self.analyst,
            action=self.action,
            target=target,
            payload=payload,
            changes=changes,
        )


def _insert_event_keys(session: Reader, rows: list[tuple[str, int]]) -> None:
    """The rows straight to the driver (an import's event names a thousand keys: the
    statement layer would cost more than the insert); ``COPY`` on PostgreSQL, where an
    ``executemany`` was a twelfth of an import's time."""
    cursor = connection_of(session).connection.cursor()
    try:
        if dialect_name(session) == "postgresql":
            with cursor.copy('COPY event_keys ("key", seq) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany('INSERT INTO event_keys ("key", seq) VALUES (?, ?)', rows)
    finally:
        cursor.close()


def _follow_rename(session: Reader, old: str, new: str, seq: int) -> None:
    """A renamed record keeps its history: the events of its old key become its too."""
    k = event_keys.c
    taken = select(k.seq).where(k.key == new).scalar_subquery()
    earlier = select(literal(new[:TARGET_MAX]), k.seq).where(
        k.key == old, k.seq < seq, k.seq.not_in(taken)
    )
    session.execute(insert(event_keys).from_select(["key", "seq"], earlier))


def event_record(event: Any) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at,
        "analyst": event.analyst,
        "action": event.action,
        "target": event.target,
        "payload": json.loads(event.payload),
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


#: An event's fields, in order: the CSV header of a trail with no event in it.
EVENT_FIELDS = ("seq", "at", "analyst", "action", "target", "payload", "prev_hash", "hash")


def events(
    session: Reader,
    *,
    target: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    newest_first: bool = False,
    since: str | None = None,
    until: str | None = None,
    analyst: str | None = None,
    action: str | None = None,
    touching: str | None = None,
) -> list[dict[str, Any]]:
    """Events, filtered: ``since``/``until`` are ISO times (``at`` compares as text),
    ``action`` matches a whole action or its group (``claim`` matches ``claim.status``),
    ``touching`` a record key the event targets or changes."""
    e = event_table.c
    query = select(event_table)
    if target is not None:
        query = query.where(e.target == target)
    if since is not None:
        query = query.where(e.at >= since)
    if until is not None:
        query = query.where(e.at < until)
    if analyst is not None:
        query = query.where(e.analyst == analyst)
    if action is not None:
        query = query.where((e.action == action) | e.action.like(action + ".%"))
    if touching is not None:
        touched = select(event_keys.c.seq).where(event_keys.c.key == touching)
        query = query.where(e.seq.in_(touched))
    query = query.order_by(e.seq.desc() if newest_first else e.seq)
    if limit:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return [event_record(row) for row in session.execute(query)]


def history(session: Reader, kind: str, key: str) -> list[dict[str, Any]]:
    """The events about the ``kind`` record of that key, oldest first: of those that
    touch the key (a source may share a claim's key), the events of that kind aimed at
    it and those that changed it. Earlier keys of a renamed record count as its own; the
    history starts where the record was made, so a key used again after a rename (or a
    removal) does not inherit the history of the record that had it before."""
    found = events(session, touching=key)
    current = key
    kept = []
    for event in reversed(found):  # newest first: a rename comes after the old key's events
        action, target, payload = event["action"], event["target"], event["payload"]
        changes = payload.get("changes", []) if isinstance(payload, dict) else []
        mine = [
            c
            for c in changes
            if isinstance(c, dict) and c.get("kind") == kind and c.get("key") == current
        ]
        if not (target == current and action.startswith(kind + ".")) and not mine:
            continue
        kept.append(event)
        renamed_from = payload.get("renamed_from") if isinstance(payload, dict) else None
        if isinstance(renamed_from, str) and target == current:
            current = renamed_from  # before this event, the record had that key
        elif any(c.get("before") is None for c in mine):
            break  # the record was made here: older events are another record's
    return kept[::-1]


@dataclass(frozen=True)
class ChainReport:
    events: int
    head: str
    anchor_found: bool | None = None


def _walk(session: Reader) -> Iterator[Any]:
    # Streamed in seq order, so verification holds in constant memory.
    query = (
        select(event_table).order_by(event_table.c.seq).execution_options(yield_per=EVENTS_PER_READ)
    )
    yield from session.execute(query)


def verify(session: Reader, *, anchor: str | None = None) -> ChainReport:
    """Recompute the chain; raise :class:`CheckFailed` naming the first bad event."""
    expected_seq, prev_hash, count, anchor_found = 1, GENESIS, 0, False
    for event in _walk(session):
        if event.seq != expected_seq:
            raise CheckFailed(
                f"audit chain broken at event {event.seq}: expected event {expected_seq} "
                "(an event was deleted or inserted)"
            )
        if event.prev_hash != prev_hash:
            raise CheckFailed(
                f"audit chain broken at event {event.seq}: it does not follow event "
                f"{event.seq - 1} (an event before it was edited, deleted or reordered)"
            )
        recomputed = event_hash(
            seq=event.seq,
            at=event.at,
            analyst=event.analyst,
            action=event.action,
            target=event.target,
            payload=event.payload,
            prev_hash=event.prev_hash,
        )
        if recomputed != event.hash:
            raise CheckFailed(
                f"audit chain broken at event {event.seq} ({event.action} {event.target or ''}):"
                " its content does not match its hash (it was edited)"
            )
        anchor_found = anchor_found or event.hash == anchor
        prev_hash, expected_seq, count = event.hash, expected_seq + 1, count + 1
    if count == 0:
        _refuse_an_empty_trail(session)
    if anchor is not None and not anchor_found:
        raise CheckFailed(
            f"anchor {anchor[:16]}… is not in the audit chain: the history was rewritten "
            "or the anchor belongs to another database"
        )
    return ChainReport(events=count, head=prev_hash, anchor_found=anchor_found if anchor else None)


def _refuse_an_empty_trail(session: Reader) -> None:
    """No events but data: every write appends an event, so the trail was deleted."""
    from provenance.read import tables

    for table, name in (
        (tables.claims, "claims"),
        (tables.sources, "sources"),
        (tables.entities, "entities"),
        (tables.documents, "documents"),
    ):
        rows = session.scalar(select(func.count()).select_from(table)) or 0
        if rows:
            raise CheckFailed(
                f"audit trail broken: it has no events, but the database holds {rows:,} "
                f"{name} (every write appends an event, so the events were deleted)"
            )


def head(session: Reader) -> dict[str, Any]:
    last = session.execute(
        select(event_table.c.seq, event_table.c.hash, event_table.c.at)
        .order_by(event_table.c.seq.desc())
        .limit(1)
    ).first()
    if last is None:
        return {"seq": 0, "hash": GENESIS, "at": None}
    return {"seq": last.seq, "hash": last.hash, "at": last.at}


def unindexed_events(session: Reader) -> list[str]:
    """Events the key index (``event_keys``) no longer finds by a key they name: ``log
    KEY`` and a record's history read the index, so a deleted row hides the event there.
    (Rows the index has beyond these are a renamed record's earlier events.)"""
    e, k = event_table.c, event_keys.c
    found: list[str] = []
    events = session.execute(
        select(e.seq, e.target, e.payload)
        .order_by(e.seq)
        .execution_options(yield_per=EVENTS_PER_READ)
    )
    for partition in events.partitions(EVENTS_PER_READ):
        first, last = partition[0].seq, partition[-1].seq
        listed: dict[int, set[str]] = {}
        for key, seq in session.execute(select(k.key, k.seq).where(k.seq.between(first, last))):
            listed.setdefault(seq, set()).add(key)
        for seq, target, payload in partition:
            try:
                body = json.loads(payload)
            except ValueError:
                continue  # the chain's check names a payload that is not JSON
            changes = body.pop("changes", None) if isinstance(body, dict) else None
            named = [
                change
                for change in (changes if isinstance(changes, list) else [])
                if isinstance(change, dict) and isinstance(change.get("key"), str)
            ]
            wanted = indexed_keys(target, body, named)
            missing = [key for key in wanted if key not in listed.get(seq, set())]
            if missing:
                shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
                found.append(
                    f"event {seq}: the key index lost {len(missing)} of its keys ({shown}): "
                    "`log KEY` and the records' history would not show it"
                )
    return found


def verify_records(session: Session) -> None:
    """Rebuild every record from the events' field-level changes and compare it with the
    stored rows; raise :class:`CheckFailed` naming every row that differs."""
    from provenance.services import replay

    with replay.replay(session) as rebuilt:
        found = replay.differences(session, rebuilt)
    found += replay.derived_differences(session)
    found += unindexed_events(session)
    if found:
        shown = found[:50] + ([f"… and {len(found) - 50} more"] if len(found) > 50 else [])
        raise CheckFailed(
            f"{len(found)} stored record{'s differ' if len(found) != 1 else ' differs'} "
            "from the audit trail (changed outside provenance):",
            shown,
        )
