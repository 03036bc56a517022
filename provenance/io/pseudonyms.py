"""The pseudonyms an export writes for protected sources and their documents, and the
same pseudonyms read back by an import into the database that made them.

A pseudonym is a salted digest of the real key; the salt is the hash of the database's
first audit event, which no export contains, so the pseudonyms are the same in every
export of one database and say nothing outside it. Only that database can read them back:
an export re-imported where it came from names the protected sources it stood for, not
new sources called ``protected-…`` (which would count as second origins).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from provenance.models import Document, Event, Source, SourceAlias
from provenance.vocab import PSEUDONYM_DOCUMENT_PREFIX as DOCUMENT_PREFIX
from provenance.vocab import PSEUDONYM_PREFIX as SOURCE_PREFIX
from provenance.vocab import fold_name


def database_salt(session: Session) -> str:
    return session.scalar(select(Event.hash).order_by(Event.seq).limit(1)) or ""


def protected_sources(session: Session) -> set[str]:
    return set(session.scalars(select(Source.key).where(Source.protected.is_(True))))


def redacted_sources(current: Session, exported: Session | None = None) -> set[str]:
    """The keys of the sources an export of ``exported`` (the database as it stood at an
    earlier event, rebuilt from the audit trail; by default ``current`` itself) replaces
    by pseudonyms: those protected in the exported state, those protected now, and those
    merged since into a source protected now (whose keys are now its aliases, and whose
    merges the audit trail keeps even if the alias was edited away). Protecting a source
    later hides it in exports of the past too; unprotecting it later does not reveal what
    was protected then."""
    now = protected_sources(current)
    exported = current if exported is None else exported
    if exported is current:
        return now
    folded_aliases = set(
        current.scalars(
            select(SourceAlias.folded)
            .join(Source, Source.id == SourceAlias.source_id)
            .where(Source.protected.is_(True))
        )
    )
    into = _merged_into(current)

    def protected_now(key: str) -> bool:
        seen = set()
        while key not in seen:
            if key in now or fold_name(key) in folded_aliases:
                return True
            seen.add(key)
            if key not in into:
                return False
            key = into[key]
        return False

    return {
        key
        for key, protected in exported.execute(select(Source.key, Source.protected))
        if protected or protected_now(key)
    }


def _merged_into(session: Session) -> dict[str, str]:
    """Each source key merged into another (``source merge``), with the key it went into."""
    into: dict[str, str] = {}
    for (payload,) in session.execute(
        select(Event.payload).where(Event.action == "source.merge").order_by(Event.seq)
    ):
        try:
            data = json.loads(payload)
        except ValueError:
            continue
        if isinstance(data, dict):
            merged, kept = data.get("merged"), data.get("into")
            if isinstance(merged, str) and isinstance(kept, str):
                into[merged] = kept
    return into


def hidden_documents(session: Session) -> set[str]:
    """Documents published by a protected source (an export hides them too)."""
    return set(
        session.scalars(
            select(Document.key)
            .join(Source, Source.id == Document.publisher_id)
            .where(Source.protected.is_(True))
        )
    )


def documents_published_by(session: Session, sources: set[str]) -> set[str]:
    """The documents whose publisher is one of ``sources`` (an export hides them)."""
    if not sources:
        return set()
    return set(
        session.scalars(
            select(Document.key)
            .join(Source, Source.id == Document.publisher_id)
            .where(Source.key.in_(sources))
        )
    )


def _digest(salt: str, kind: str, key: str) -> str:
    return hashlib.sha256(f"{salt}:{kind}{key}".encode()).hexdigest()[:10]


def source_pseudonym(salt: str, key: str) -> str:
    """A key that already is a pseudonym (a protected source imported from another
    database's export) stays as it is: it names no one, and a round trip keeps it."""
    return key if key.startswith(SOURCE_PREFIX) else SOURCE_PREFIX + _digest(salt, "", key)


def document_pseudonym(salt: str, key: str) -> str:
    if key.startswith(DOCUMENT_PREFIX):
        return key
    return DOCUMENT_PREFIX + _digest(salt, "document:", key)


@dataclass
class OwnPseudonyms:
    """This database's pseudonyms, each with the key it stands for."""

    sources: dict[str, str]
    documents: dict[str, str]
    #: The pseudonyms met so far, to say so after the import.
    met: set[str] = field(default_factory=set)
    #: Claims whose attributions named a pseudonym (``--replace`` cannot take them).
    claims_hidden: int = 0

    @classmethod
    def of(cls, session: Session) -> OwnPseudonyms:
        protected = protected_sources(session)
        if not protected:
            return cls({}, {})
        salt = database_salt(session)
        return cls(
            {source_pseudonym(salt, key): key for key in protected},
            {document_pseudonym(salt, key): key for key in hidden_documents(session)},
        )

    def __bool__(self) -> bool:
        return bool(self.sources)

    def redacted_record(self, kind: str, raw: dict[str, Any]) -> bool:
        """A source or document record that is this database's own, redacted by an export
        (the stored record is whole: the redacted one must not overwrite it)."""
        key = raw.get("key")
        names = self.sources if kind == "source" else self.documents if kind == "document" else {}
        if isinstance(key, str) and key in names:
            self.met.add(key)
            return True
        return False

    def resolved_claim(self, raw: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """The claim record with this database's pseudonyms replaced by the keys they
        stand for; and whether any attribution had one. A quote the export withheld
        (``null`` in a hidden attribution) is left out, so the stored quote stays."""
        attributions = raw.get("attributions")
        if not isinstance(attributions, list):
            return raw, False
        resolved = [
            self._attribution(a) if isinstance(a, dict) else (a, False) for a in attributions
        ]
        if not any(hidden for _, hidden in resolved):
            return raw, False
        self.claims_hidden += 1
        return {**raw, "attributions": [a for a, _ in resolved]}, True

    def _attribution(self, raw: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        changed: dict[str, Any] = {}
        source = self._source(raw.get("source"))
        if source is not None:
            changed["source"] = source
        via = raw.get("via")
        if isinstance(via, list) and any(self._source(v) is not None for v in via):
            changed["via"] = [self._source(v) or v for v in via]
        elif isinstance(via, str) and self._source(via) is not None:
            changed["via"] = self._source(via)
        document = raw.get("document")
        if isinstance(document, str) and document in self.documents:
            self.met.add(document)
            changed["document"] = self.documents[document]
        if not changed:
            return raw, False
        resolved = {**raw, **changed}
        if "quote" in resolved and resolved["quote"] is None:
            del resolved["quote"]
        return resolved, True

    def _source(self, name: Any) -> str | None:
        if isinstance(name, str) and name in self.sources:
            self.met.add(name)
            return self.sources[name]
        return None
