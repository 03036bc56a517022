"""Records rebuilt from the audit trail alone, kept on disk while they are rebuilt.

``audit verify --deep`` and ``--as-of`` replay every event's field-level changes. Held as
Python dictionaries, a million claims took 1.5 GB to rebuild and as much again to read the
stored rows beside them (3 GB for `verify --deep`). Here the rebuilt records live in a
scratch SQLite file (one row a record: its shape as JSON, and the event that created it),
behind a write-back cache of the records changed last, so memory stays flat whatever the
trail's length; the stored rows are compared a chunk of keys at a time.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson
from sqlalchemy import select

from provenance.errors import ProvenanceError, terminated_unwinds
from provenance.read import tables as t
from provenance.read.events import EVENTS_PER_READ, event_changes
from provenance.read.reader import Reader
from provenance.services import history

Shape = dict[str, Any]
#: The event that created a record: (seq, at, analyst).
Creation = tuple[int, str, str]

#: Records kept in memory before they are written to the scratch file.
CACHED = 2_000
#: Keys read or compared in one statement.
CHUNK = 5_000


class Rebuilt:
    """The records as they stood after an event, rebuilt from the trail (see module)."""

    def __init__(self) -> None:
        self._folder = ""  # named in the error of a failed write
        #: what closing undoes: SIGTERM unwinds while the scratch copy exists, so that it
        #: is removed
        self._held = ExitStack()
        try:
            self._held.enter_context(terminated_unwinds())
            self._folder = self._held.enter_context(
                tempfile.TemporaryDirectory(prefix="provenance-replay-")
            )
            self._db = sqlite3.connect(Path(self._folder) / "rebuilt.db")
            self._held.callback(self._db.close)
            with self._writing():
                self._db.execute("PRAGMA journal_mode=OFF")
                self._db.execute("PRAGMA synchronous=OFF")
                self._db.execute(
                    "CREATE TABLE records (kind TEXT, key TEXT, shape BLOB, seq INTEGER, "
                    "at TEXT, analyst TEXT, seen INTEGER DEFAULT 0, PRIMARY KEY (kind, key)) "
                    "WITHOUT ROWID"
                )
        except BaseException:
            self._held.close()
            raise
        #: (kind, key) → (shape or None for a deleted record, its creation or None)
        self._cache: dict[tuple[str, str], tuple[Shape | None, Creation | None]] = {}

    def __enter__(self) -> Rebuilt:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._held.close()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A write to the scratch copy; a full temporary folder is the user's to free."""
        try:
            yield
        except (sqlite3.Error, OSError) as error:
            raise ProvenanceError(
                f"the records rebuilt from the audit trail could not be written to "
                f"{self._folder} ({error}): free space in the temporary folder, or "
                "set TMPDIR to one with room"
            ) from None

    # ---- rebuilding ----------------------------------------------------------------

    def apply(self, change: Shape, creation: Creation) -> None:
        """One field-level change: a record made, changed field by field, or deleted."""
        where = (change["kind"], change["key"])
        if change["after"] is None:
            self._put(where, None, None)
        elif change["before"] is None:
            self._put(where, dict(change["after"]), creation)
        else:
            shape, made = self._row(where)
            self._put(where, {**(shape or {}), **change["after"]}, made)

    def _row(self, where: tuple[str, str]) -> tuple[Shape | None, Creation | None]:
        if where in self._cache:
            return self._cache[where]
        found = self._db.execute(
            "SELECT shape, seq, at, analyst FROM records WHERE kind = ? AND key = ?", where
        ).fetchone()
        if found is None:
            return None, None
        shape, seq, at, analyst = found
        return orjson.loads(shape), (seq, at, analyst) if seq is not None else None

    def _put(self, where: tuple[str, str], shape: Shape | None, made: Creation | None) -> None:
        self._cache[where] = (shape, made)
        if len(self._cache) >= CACHED:
            self._flush()

    def _flush(self) -> None:
        if not self._cache:
            return
        kept = [
            (kind, key, orjson.dumps(shape), *(made or (None, None, None)))
            for (kind, key), (shape, made) in self._cache.items()
            if shape is not None
        ]
        gone = [where for where, (shape, _) in self._cache.items() if shape is None]
        with self._writing():
            self._db.executemany("DELETE FROM records WHERE kind = ? AND key = ?", gone)
            self._db.executemany(
                "INSERT OR REPLACE INTO records (kind, key, shape, seq, at, analyst) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                kept,
            )
        self._cache.clear()

    # ---- reading -------------------------------------------------------------------

    def items(self, kind: str) -> Iterator[tuple[str, Shape]]:
        """The records of one kind, by key (in code point order, as ``sorted`` gives)."""
        self._flush()
        rows = self._db.execute(
            "SELECT key, shape FROM records WHERE kind = ? ORDER BY key", (kind,)
        )
        for key, shape in rows:
            yield key, orjson.loads(shape)

    def created(self, kind: str) -> dict[str, Creation]:
        """When, and by whom, each record of one kind was (last) created."""
        self._flush()
        rows = self._db.execute(
            "SELECT key, seq, at, analyst FROM records WHERE kind = ? AND seq IS NOT NULL",
            (kind,),
        )
        return {key: (seq, at, analyst) for key, seq, at, analyst in rows}

    def taken(self, kind: str, keys: list[str]) -> dict[str, Shape]:
        """These records (those rebuilt), marked as compared."""
        self._flush()
        found: dict[str, Shape] = {}
        for batch in history.chunks(keys, 500):
            marks = ", ".join("?" for _ in batch)
            rows = self._db.execute(
                f"SELECT key, shape FROM records WHERE kind = ? AND key IN ({marks})",
                (kind, *batch),
            )
            found.update((key, orjson.loads(shape)) for key, shape in rows)
            with self._writing():
                self._db.execute(
                    f"UPDATE records SET seen = 1 WHERE kind = ? AND key IN ({marks})",
                    (kind, *batch),
                )
        return found

    def untaken(self, kind: str) -> Iterator[str]:
        """The keys of one kind :meth:`taken` never asked for."""
        self._flush()
        rows = self._db.execute(
            "SELECT key FROM records WHERE kind = ? AND seen = 0 ORDER BY key", (kind,)
        )
        for (key,) in rows:
            yield key


def replay(session: Reader, *, until_seq: int | None = None) -> Rebuilt:
    """The records as they stood after event ``until_seq`` (all events by default)."""
    rebuilt = Rebuilt()
    e = t.events.c
    query = select(e.seq, e.at, e.analyst, e.payload).order_by(e.seq)
    if until_seq is not None:
        query = query.where(e.seq <= until_seq)
    try:
        for seq, at, analyst, payload in session.execute(
            query.execution_options(yield_per=EVENTS_PER_READ)
        ):
            for change in event_changes(payload):
                rebuilt.apply(change, (seq, at, analyst))
    except BaseException:
        rebuilt.close()
        raise
    return rebuilt


#: The table of each kind that has a key column.
_KEYED = {"source": t.sources, "entity": t.entities, "document": t.documents, "claim": t.claims}


def differences(session: Reader, rebuilt: Rebuilt) -> list[str]:
    """Every stored record that differs from what the events rebuild, in words, by kind
    then key; the stored rows are read a chunk of keys at a time."""
    found: list[tuple[int, str, str]] = []
    for index, kind in enumerate(history.KINDS):
        for batch in _stored_keys(session, kind):
            stored = history.shapes(session, kind, batch)
            made = rebuilt.taken(kind, batch)
            for key in batch:
                if key not in made:
                    found.append((index, key, f"{kind} {key}: stored, but no event created it"))
                elif key in stored and made[key] != stored[key]:
                    found.append(
                        (index, key, history.record_difference(kind, key, made[key], stored[key]))
                    )
        for key in rebuilt.untaken(kind):
            found.append(
                (index, key, f"{kind} {key}: the events have it, but it is not stored (deleted)")
            )
    return [message for _, _, message in sorted(found)]


def _stored_keys(session: Reader, kind: str) -> Iterator[list[str]]:
    if kind not in _KEYED:  # links: keyed by their ends, fewer than the claims they join
        yield from history.chunks(history.links(session), CHUNK)
        return
    table = _KEYED[kind]
    rows = session.execute(
        select(table.c.key).order_by(table.c.id).execution_options(yield_per=CHUNK)
    )
    for partition in rows.partitions(CHUNK):
        yield [key for (key,) in partition]


def derived_differences(session: Reader) -> list[str]:
    """Stored columns that are kept in step with a record's own fields and that the
    analysis or lookups read, where they no longer agree: a claim's interval and folded
    category (``value_lo``, ``value_hi``, ``value_text``: compare, flags and trust read
    them, not ``value``) and an alias's folded form (what a name is looked up by)."""
    from provenance.vocab import fold_name, parse_value

    found: list[str] = []
    c = t.claims.c
    rows = session.execute(
        select(c.key, c.value, c.value_lo, c.value_hi, c.value_text)
        .order_by(c.key)
        .execution_options(yield_per=CHUNK)
    )
    for key, value, lo, hi, text in rows:
        try:
            wanted = parse_value(value)
        except ValueError:
            found.append(f"claim {key}: its value {value!r} is no value provenance stores")
            continue
        expected = (wanted.lo, wanted.hi, wanted.text) if wanted else (None, None, None)
        if (lo, hi, text) != expected:
            found.append(
                f"claim {key}: value_lo, value_hi, value_text are {lo!r}, {hi!r}, {text!r}; "
                f"its value {value!r} gives {expected[0]!r}, {expected[1]!r}, {expected[2]!r}"
            )
    for kind, table, owners in (
        ("source", t.source_aliases, t.sources),
        ("entity", t.entity_aliases, t.entities),
    ):
        owner_id = table.c.source_id if kind == "source" else table.c.entity_id
        aliases = session.execute(
            select(owners.c.key, table.c.alias, table.c.folded)
            .join(owners, owners.c.id == owner_id)
            .order_by(owners.c.key, table.c.alias)
            .execution_options(yield_per=CHUNK)
        )
        for key, alias, folded in aliases:
            if folded != fold_name(alias):
                found.append(
                    f"{kind} {key}: alias {alias!r} is looked up as {folded!r}, "
                    f"not {fold_name(alias)!r}"
                )
    return found
