"""How the names in validated input become rows, and the columns a claim is stored with:
what every writer of claims shares, the ORM store and the Core inserts alike. On Core
alone (a ``Session`` or a ``Connection``), so that a write that needs no ORM (``claim
add``) does not load it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Table, select

from provenance import vocab
from provenance.clock import utcnow
from provenance.errors import ProvenanceError
from provenance.read import tables as t
from provenance.read.reader import Reader, connection_of, flush_pending
from provenance.read.resolve import (
    find_id,
    keys_containing,
    resolve_id,
    spellings_by_head,
    suggest,
)

if TYPE_CHECKING:  # the write schemas load pydantic: writes that validate import them
    from provenance.schemas import AttributionIn, ClaimIn
    from provenance.services.history import ChangeLog

Change = Literal["created", "updated", "unchanged"]
#: ``create`` refuses an existing key; ``upsert`` merges (fields the input leaves out keep
#: their values, an explicit null clears one); ``replace`` replaces the whole record.
Mode = Literal["create", "upsert", "replace"]

TABLES: dict[str, Table] = {"source": t.sources, "entity": t.entities, "document": t.documents}


def claim_exists(key: str) -> ProvenanceError:
    """What creating a claim whose key is taken says."""
    return ProvenanceError(
        f"claim {key!r} already exists: add a source to it with "
        f"`provenance claim attribute {key} --source KEY`"
    )


def _insert(writer: Reader, table: Table, **values: Any) -> int:
    flush_pending(writer)
    inserted = connection_of(writer).execute(table.insert().values(**values)).inserted_primary_key
    assert inserted is not None  # a single-row INSERT always has its key
    return int(inserted[0])


def _digits_folded(text: str) -> str:
    return re.sub(r"\d+", "#", text)


class Spellings:
    """The existing spellings (keys, folded aliases) a name an import creates is checked
    against for a typo, folded by their digits: keys that differ only there (``inc-41``
    beside ``inc-40``) are a numbered series, and compared once. They are read once per
    kind and first letter, and the keys the import creates join them: read and compared
    for each new name, 50,000 CSV rows naming 3,000 new sources took four minutes."""

    def __init__(self) -> None:
        self.forms: dict[tuple[str, str], dict[str, str]] = {}

    def near(self, session: Reader, kind: str, name: str) -> list[str]:
        """The keys nearest ``name`` by spelling, its own numbered series left out."""
        head = (kind, name[:1])
        if head not in self.forms:
            forms: dict[str, str] = {}
            for spelling, key in spellings_by_head(session, kind, name[:1]).items():
                forms.setdefault(_digits_folded(spelling), key)
            self.forms[head] = forms
        near = dict(self.forms[head])
        for key in keys_containing(session, kind, name):
            near.setdefault(_digits_folded(key), key)
        series = _digits_folded(name)
        near.pop(series, None)
        close = difflib.get_close_matches(series, list(near), n=3, cutoff=0.6)
        return list(dict.fromkeys(near[c] for c in close))

    def add(self, kind: str, key: str) -> None:
        forms = self.forms.get((kind, key[:1]))
        if forms is not None and len(forms) < SPELLINGS_MAX:
            forms.setdefault(_digits_folded(key), key)


#: The most spellings of one first letter a typo check compares with.
SPELLINGS_MAX = 4000


@dataclass
class References:
    """How names in the input become rows. On the command line a name must resolve (key,
    alias or prefix); an import creates what it references, and remembers it to say so."""

    create_missing: bool = False
    #: On the command line, a subject close to an existing entity is refused ("did you
    #: mean") unless the analyst says it is new.
    new_entity: bool = False
    #: Import: names created that are close to existing ones (said as warnings).
    close_names: list[str] = field(default_factory=list)
    created: dict[str, list[str]] = field(
        default_factory=lambda: {"source": [], "entity": [], "document": []}
    )
    _cache: dict[tuple[str, str], int] = field(default_factory=dict)
    _pending: list[tuple[str, str]] = field(default_factory=list)
    #: Per kind, the keys of rows by id (what the bulk path's history shapes name).
    _keys: dict[str, dict[int, str]] = field(default_factory=dict)
    #: A single write's change log: each row created for a name is watched from nothing,
    #: so the write's event records its creation (an import records its own).
    log: ChangeLog | None = None
    #: The spellings a new name is checked against for a typo, read once per first letter.
    spellings: Spellings = field(default_factory=Spellings)

    def source(self, session: Reader, name: str) -> int:
        return self._lookup(session, "source", name, self._new_source)

    def entity(self, session: Reader, name: str) -> int:
        return self._lookup(session, "entity", name, self._new_entity)

    def document(self, session: Reader, name: str) -> int:
        return self._lookup(session, "document", name, self._new_document)

    def record_done(self) -> None:
        """The record's savepoint committed: what it created stays."""
        self._pending.clear()

    def record_failed(self) -> None:
        """The record's savepoint rolled back: the rows it created are gone, and so are the
        ids cached since (the cache refills from the database)."""
        for kind, name in self._pending:
            if name in self.created[kind]:
                self.created[kind].remove(name)
        self._pending.clear()
        self._cache.clear()
        self._keys.clear()
        self.spellings.forms.clear()

    def keys_by_id(self, session: Reader, kind: str, ids: Iterable[int]) -> dict[int, str]:
        """The keys of these rows of one kind (and of others asked for before), by id: read
        once, remembered until a record fails (its savepoint may take rows and their ids
        with it)."""
        known = self._keys.setdefault(kind, {})
        missing = {row_id for row_id in ids if row_id not in known}
        if missing:
            c = TABLES[kind].c
            found = session.execute(select(c.id, c.key).where(c.id.in_(missing)))
            known.update((row_id, key) for row_id, key in found)
        return known

    def _lookup(
        self, session: Reader, kind: str, name: str, create: Callable[[Reader, str], int]
    ) -> int:
        cached = self._cache.get((kind, name))
        if cached is not None:
            return cached
        if self.create_missing or kind == "entity":
            # A subject that matches no entity key or alias becomes a new entity.
            found = find_id(session, kind, name) or find_id(session, kind, vocab.slugify(name))
            if found is None:
                slug = vocab.slugify(name)
                if not self.create_missing and not self.new_entity:
                    near = suggest(session, kind, slug)
                    if near:
                        raise ProvenanceError(
                            f"no {kind} {name!r}; did you mean {' or '.join(map(repr, near))}? "
                            "(--new-entity creates it anyway)"
                        )
                near = [n for n in self.spellings.near(session, kind, slug) if _mistyped(n, slug)]
                if near:
                    self.close_names.append(
                        f"new {kind} {vocab.slugify(name)!r} is close to "
                        f"{' or '.join(map(repr, near))}: a typo?"
                    )
                found = create(session, name)
                self.spellings.add(kind, slug)
                self.created[kind].append(name)
                self._pending.append((kind, name))
                if self.log is not None:
                    self.log.watch_new(kind, vocab.slugify(name))
        else:
            found = resolve_id(session, kind, name)
        self._cache[(kind, name)] = found
        return found

    def known(self, kind: str, key: str, row_id: int) -> None:
        """A row written by the bulk path: its key resolves without a query."""
        self._cache[(kind, key)] = row_id
        self._pending.append((kind, key))

    def forget(self, kind: str, key: str) -> None:
        """A record declared after being referenced is not 'created with defaults'."""
        if key in self.created[kind]:
            self.created[kind].remove(key)

    @staticmethod
    def _new_source(session: Reader, name: str) -> int:
        return _insert(session, t.sources, key=vocab.slugify(name), name=name, reliability="F")

    @staticmethod
    def _new_document(session: Reader, name: str) -> int:
        return _insert(session, t.documents, key=vocab.slugify(name))

    @staticmethod
    def _new_entity(session: Reader, name: str) -> int:
        return _insert(session, t.entities, key=vocab.slugify(name), name=name)


def attribution_refs(
    session: Reader, data: AttributionIn, refs: References
) -> tuple[int, list[int], int | None]:
    """The rows an attribution names: origin, relays (nearest first), document. An origin
    cannot relay its own claim, nor a relay appear twice in its chain, whatever names (key,
    alias, or spellings that resolve to one source) the input uses."""
    source_id = refs.source(session, data.source)
    via_ids = [refs.source(session, name) for name in data.via]
    if source_id in via_ids:
        raise ProvenanceError(f"source {data.source!r} cannot also relay its own claim (via)")
    for position, relay_id in enumerate(via_ids):
        first = via_ids.index(relay_id)
        if first < position:
            raise ProvenanceError(
                f"relay {data.via[position]!r} appears twice in one chain "
                f"(it names the same source as {data.via[first]!r})"
            )
    document_id = None if data.document is None else refs.document(session, data.document)
    return source_id, via_ids, document_id


#: Input fields of a claim and the columns each one sets.
CLAIM_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "subject": ("subject_id",),
    "value": ("value", "value_lo", "value_hi", "value_text"),
    "period": ("period_start", "period_end"),
    "withdrawn": ("withdrawn_at", "withdrawn_by", "withdrawn_note"),
}


def claim_values(session: Reader, data: ClaimIn, refs: References) -> dict[str, Any]:
    """A claim's columns (without key, id and timestamps), as every writer stores them."""
    value = data.parsed_value()
    period = data.period
    return {
        "text": " ".join(data.text.split()),
        "subject_id": refs.entity(session, data.subject) if data.subject else None,
        "property": data.property,
        "value": value.raw if value else None,
        "value_lo": value.lo if value else None,
        "value_hi": value.hi if value else None,
        "value_text": value.text if value else None,
        "unit": data.unit,
        "period_start": period.start if period else None,
        "period_end": period.end if period else None,
        "place": data.place,
        "status": data.status,
        "withdrawn_at": (data.withdrawn.at or utcnow()) if data.withdrawn else None,
        "withdrawn_by": data.withdrawn.by if data.withdrawn else None,
        "withdrawn_note": data.withdrawn.note if data.withdrawn else None,
    }


#: How alike two keys' words must be (digits aside) for a new one to look like a typo of
#: the other: "junta-meda" and "junta-media" are 0.95; "strike-dastra-market-2024-06-13"
#: and "strike-odvar-school-2024-01-31", which only share their pattern, 0.63.
TYPO_LIKENESS = 0.85


def _mistyped(known: str, new: str) -> bool:
    """Whether a new key looks like a typo of a known one: their words nearly the same.
    Keys that differ only in their digits ("inc-41" beside "inc-40", "doc-2024-05-02"
    beside "doc-2024-05-01") are a numbered series, not a typo."""
    one, other = _digits_folded(known), _digits_folded(new)
    if one == other:
        return False
    alike = difflib.SequenceMatcher(None, one, other)
    matched = sum(block.size for block in alike.get_matching_blocks())
    # a short key's one wrong letter ("nug", "nag") is far below the likeness
    return alike.ratio() >= TYPO_LIKENESS or max(len(one), len(other)) - matched <= 1
