"""Import: all-or-nothing, idempotent, every bad record reported with its place.

Records are validated and written in one pass inside the caller's transaction; if any
record is bad, the caller's transaction is rolled back and :class:`InvalidInput` lists
every problem. Links are applied last, so they may name claims that come later in a file.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from provenance import fast_validation
from provenance.errors import InvalidInput, Problems, ProvenanceError
from provenance.io.import_lookups import merged_into_ids, next_claim_id, stored_claims
from provenance.io.import_report import ImportReport, plan_line, repeated_claim_problems
from provenance.io.pseudonyms import OwnPseudonyms
from provenance.io.readers import Problem, read
from provenance.read.records import attributions_of
from provenance.read.tables import claims, sources
from provenance.schemas import ClaimIn, DocumentIn, EntityIn, LinkIn, SourceIn, problems
from provenance.services import audit
from provenance.services.bulk import (
    insert_declarations,
    new_declarations,
    save_claims,
    stored_keys,
)
from provenance.services.catalog import file_sha256
from provenance.services.history import ChangeLog, link_key
from provenance.services.references import Mode, References
from provenance.services.store import (
    save_claim,
    save_document,
    save_entity,
    save_link,
    save_source,
)
from provenance.services.upkeep import DeferredUpkeep

MODELS: dict[str, type[BaseModel]] = {
    "source": SourceIn,
    "entity": EntityIn,
    "document": DocumentIn,
    "claim": ClaimIn,
    "link": LinkIn,
}
#: Claims written together by the bulk path.
BATCH = 1000
#: Field-level changes carried by one audit event: an import of a million records appends
#: More fields than any kind of record has: refused whole, not named one by one.
FIELDS_MAX = 100
#: Records written one at a time (sources, entities, documents) are diffed this many at once.
COLLECT_EVERY = 500
#: Per-record lines a dry run keeps to show (the counts are always complete).
PLAN_LINES = 10_000


class Importer:
    def __init__(
        self,
        session: Session,
        *,
        analyst: str,
        on_record: Callable[[], None] | None = None,
        mode: Mode = "upsert",
        input_bytes: int = 0,
    ) -> None:
        """``input_bytes``: the size of the files about to be read (a large import builds
        the read-only indexes once at its end)."""
        self.session = session
        self.mode: Mode = mode
        self.log = ChangeLog(session)
        #: The changes on their way into ``import.records`` events and the summary.
        self.parts = audit.Parts(session, analyst=analyst, action="import")
        #: The notes of the verdicts a file sets (``status_note``), by claim key.
        self.status_notes: dict[str, str] = {}
        #: The withdrawn claims the files record: their links are theirs to restore (only
        #: these keys: a set of every key of a million claims took 100 MB).
        self.declared_claims: set[str] = set()
        self.on_record = on_record
        self.seen = 0
        self.pause_after = int(os.environ.get("PROVENANCE_TEST_PAUSE_AFTER") or 0)
        self.analyst = analyst
        self.refs = References(create_missing=True)
        self.report = ImportReport()
        self.problems = Problems()
        self.links: list[tuple[str, LinkIn]] = []
        self.buffer: dict[str, tuple[str, ClaimIn]] = {}
        #: Sources, entities or documents (one kind at a time) waiting to be written.
        self.declaring: list[tuple[str, str, SourceIn | EntityIn | DocumentIn]] = []
        self.declaring_keys: set[str] = set()
        #: The place of each source, entity and document key declared in the current file.
        self.declared: dict[tuple[str, str], str] = {}
        #: Claims get no such map (a million places would not fit in flat memory): a claim
        #: key written since the file began (an id at or above ``file_start``) is a repeat,
        #: whose first place is looked up in the file afterwards.
        self.file_start = 0
        self.file: tuple[Path, str] | None = None
        self.repeats: list[tuple[Path, str, str, str]] = []
        #: Withdrawn claims that name the claim they were merged into (set at the end).
        self.merged: list[tuple[str, str, str]] = []
        self.upkeep = DeferredUpkeep(session, input_bytes=input_bytes)
        self.pseudonyms = OwnPseudonyms.of(session)

    def _pause_for_tests(self) -> None:
        """Fault injection for the crash-safety test: after N records, say so on stderr and
        wait to be killed (PROVENANCE_TEST_PAUSE_AFTER=N)."""
        self.seen += 1
        if self.seen == self.pause_after:
            self._flush_declarations()
            self._flush()
            self.session.flush()
            sys.stderr.write("paused inside the import transaction\n")
            sys.stderr.flush()
            signal.pause()

    def add_record(self, place: str, kind: str, raw: Any) -> None:
        """One record that did not come from a file (a rebuilt past state)."""
        self._record(place, kind, raw)

    def add_file(self, path: Path, fmt: str = "auto") -> None:
        self.report.files.append({"file": path.name, "sha256": file_sha256(path)})
        self.declared.clear()
        self._flush_declarations()
        self._flush()
        self.file = (path, fmt)
        self.file_start = next_claim_id(self.session)
        try:
            for place, kind, raw in read(path, fmt):
                if self.on_record is not None:
                    self.on_record()
                if self.pause_after:
                    self._pause_for_tests()
                if kind == "error":
                    self.problems.append(f"{place}: {raw}")
                    continue
                self._record(place, kind, raw)
        except Problem as problem:
            self.problems.append(str(problem))

    def _record(self, place: str, kind: str, raw: Any) -> None:
        if not isinstance(raw, dict):
            self.problems.append(f"{place}: must be an object")
            return
        if len(raw) > FIELDS_MAX:  # validation would name each unknown one
            self.problems.append(
                f"{place}: {len(raw):,} fields, more than any record has (at most {FIELDS_MAX})"
            )
            return
        if self.pseudonyms:
            if self.pseudonyms.redacted_record(kind, raw):
                self.report.count(kind, "unchanged")
                return
            if kind == "claim":
                raw, hidden = self.pseudonyms.resolved_claim(raw)
                if hidden and self.mode == "replace":
                    self.problems.append(
                        f"{place}: names this database's pseudonym for a protected source, "
                        "whose quote the export withheld; --replace would lose it (import "
                        "without --replace, or export with --include-protected)"
                    )
                    return
        if kind == "claim" and ("text" not in raw or "attributions" not in raw):
            raw = self._completed(raw)
        try:
            # A claim in the shape validation would give it needs no Python-level checks.
            fast = fast_validation.claim(raw) if kind == "claim" else None
            data = fast if fast is not None else MODELS[kind].model_validate(raw)
        except ValidationError as error:
            self.problems.extend(problems(error, place))
            return
        except RecursionError:
            self.problems.append(f"{place}: nested too deeply")
            return
        if isinstance(data, LinkIn):
            self.links.append((place, data))
            return
        key = getattr(data, "key", None)
        if key is not None and not isinstance(data, ClaimIn):
            first = self.declared.setdefault((kind, key), place)
            if first != place:
                self.problems.append(f"{place}: {kind} {key!r} appears twice (first at {first})")
                return
        if isinstance(data, ClaimIn):
            self._flush_declarations()
            key = data.derived_key()
            if data.withdrawn is not None:
                self.declared_claims.add(key)
            if data.status_note:
                self.status_notes[key] = data.status_note
            if data.withdrawn is not None and data.withdrawn.merged_into:
                self.merged.append((place, key, data.withdrawn.merged_into))
            if key in self.buffer:
                self._flush()
            self.buffer[key] = (place, data)
            if len(self.buffer) >= BATCH:
                self._flush()
            return
        self._flush()  # a declaration may update what buffered claims reference
        assert isinstance(data, SourceIn | EntityIn | DocumentIn)
        if self.declaring and (self.declaring[0][1] != kind or data.key in self.declaring_keys):
            self._flush_declarations()
        self.declaring.append((place, kind, data))
        self.declaring_keys.add(data.key)
        if len(self.declaring) >= COLLECT_EVERY:
            self._flush_declarations()

    def _completed(self, raw: dict[str, Any]) -> dict[str, Any]:
        """A record that names a stored claim by key and leaves out its text or its
        attributions (``{"key": …, "status": "false"}``) keeps the stored ones: a merge
        keeps what a file leaves out, these two included. Any other record is left to
        validation, which asks for them."""
        key = raw.get("key")
        if self.mode != "upsert" or not isinstance(key, str):
            return raw  # --replace replaces whole records: they must be whole
        if key in self.buffer:
            self._flush()  # an earlier record of this file made it
        stored = self.session.execute(
            select(claims.c.id, claims.c.text).where(claims.c.key == key)
        ).first()
        if stored is None:
            return raw
        kept = {"text": stored.text} if "text" not in raw else {}
        if "attributions" not in raw:
            kept["attributions"] = [
                {k: v for k, v in attribution.items() if not k.startswith("_")}
                for attribution in attributions_of(self.session, [stored.id]).get(stored.id, [])
            ]
        return {**kept, **raw}

    def _alias_came_too_late(self, place: str, kind: str, data: Any, named: dict[str, str]) -> bool:
        """An alias that a record above already used as a name (``named``: folded name →
        the key made for it), before this declaration: the import created a new record
        for that name instead (noted; nothing is written)."""
        from provenance.vocab import fold_name

        late = [alias for alias in getattr(data, "aliases", []) if fold_name(alias) in named]
        for alias in late:
            self.problems.append(
                f"{place}: alias {alias!r} of {kind} {data.key!r} names a {kind} that records "
                f"above already used, so the import would have made a new {kind} "
                f"{named[fold_name(alias)]!r}; declare {data.key!r} before the records that name "
                f"it as {alias!r}"
            )
        return bool(late)

    def _flush_declarations(self) -> None:
        """Write the waiting declarations: new ones without aliases in one go, the rest (and
        all of them, if that fails) one at a time through the store, which names problems."""
        if not self.declaring:
            return
        from provenance.vocab import fold_name, slugify

        batch, self.declaring = self.declaring, []
        self.declaring_keys.clear()
        kind = batch[0][1]
        named = {fold_name(name): slugify(name) for name in self.refs.created.get(kind, [])}
        batch = [item for item in batch if not self._alias_came_too_late(*item, named)]
        if not batch:
            return
        keys = [data.key for _, _, data in batch]
        # Created with defaults earlier in this import (a claim named it first): the
        # declaration completes a record no event has yet, so its history starts empty.
        self.log.watch_new(kind, *(k for k in keys if k in self.refs.created[kind]))
        self.session.flush()
        stored = stored_keys(self.session, kind, keys)
        self.log.watch(kind, *keys, absent={k for k in keys if k not in stored})
        fresh = new_declarations(self.session, kind, [data for _, _, data in batch], stored=stored)
        if fresh:
            try:
                with self.session.begin_nested():
                    created = insert_declarations(self.session, kind, fresh, refs=self.refs)
            except (ProvenanceError, IntegrityError):
                self.refs.record_failed()
                fresh = []
            else:
                self.refs.record_done()
                self.log.created(kind, created)
                self.report.count(kind, "created", len(fresh))
        written = {id(data) for data in fresh}
        for place, _, data in batch:
            if id(data) not in written:
                self._apply(place, kind, data, collect=False)
        self._collect()

    def _flush(self) -> None:
        """Write the buffered claims in one go; if that fails, once more one at a time, so
        that every bad record is named."""
        if not self.buffer:
            return
        batch = list(self.buffer.values())
        self.buffer.clear()
        stored = stored_claims(self.session, [claim.derived_key() for _, claim in batch])
        self.upkeep.before_changing(stored.values())
        self.upkeep.before_inserting(new=len(batch) - len(stored), batch=len(batch))
        batch = self._without_repeats(batch, stored)
        if not batch:
            return
        keys = [claim.derived_key() for _, claim in batch]
        # Only the claims already stored have a shape to read before the write.
        self.log.watch("claim", *keys, absent={k for k in keys if k not in stored})
        try:
            with self.session.begin_nested():
                changes, attributions, created = save_claims(
                    self.session,
                    [claim for _, claim in batch],
                    analyst=self.analyst,
                    refs=self.refs,
                    mode=self.mode,
                    existing={k for k in keys if k in stored},
                )
        except (ProvenanceError, IntegrityError):
            self.refs.record_failed()
            for place, claim in batch:
                self._apply(place, "claim", claim)
            return
        self.refs.record_done()
        self.log.created("claim", created)
        for change, results in zip(changes, attributions, strict=True):
            self.report.count("claim", change)
            for result in results:
                self.report.count("attribution", result)
        self._collect()

    def _without_repeats(
        self, batch: list[tuple[str, ClaimIn]], stored: dict[str, int]
    ) -> list[tuple[str, ClaimIn]]:
        """The batch without claims whose key the same file already declared (noted);
        ``stored``: the ids of the batch's claim keys already stored."""
        if self.file is None:
            return batch
        # A claim key written since the file began (an id at or above its first) is a repeat.
        again = {key for key, claim_id in stored.items() if claim_id >= self.file_start}
        if not again:
            return batch
        path, fmt = self.file
        kept = []
        for place, claim in batch:
            key = claim.derived_key()
            if claim.key is not None and key in again:
                self.repeats.append((path, fmt, place, key))
            else:
                kept.append((place, claim))
        return kept

    def _collect(self) -> None:
        """Move what the records changed into the audit trail, a chunk at a time."""
        changes = self.log.changes()
        for change in changes:
            self._note_verdict(change)
            if len(self.report.plan) < PLAN_LINES:
                self.report.plan.append(plan_line(change))
            else:
                self.report.plan_cut += 1
        self.parts.add(changes, target=self._target(), payload={})

    def _target(self) -> str:
        return ", ".join(f["file"] for f in self.report.files)

    def _note_verdict(self, change: dict[str, Any]) -> None:
        """A verdict set by the import carries its note, as `claim status` writes one: the
        record's ``status_note``, or which import set it."""
        if change["kind"] != "claim" or "status" not in (change["after"] or {}):
            return
        if change["before"] is None and change["after"]["status"] == "unverified":
            return  # the default of a new claim is no verdict
        files = ", ".join(f["file"] for f in self.report.files)
        change["note"] = self.status_notes.get(change["key"]) or f"set by import of {files}"

    def _apply(self, place: str, kind: str, data: BaseModel, *, collect: bool = True) -> None:
        session = self.session
        mode = self.mode
        if isinstance(data, ClaimIn):
            self.log.watch("claim", data.derived_key())
        elif isinstance(data, SourceIn | EntityIn | DocumentIn):
            self.log.watch(kind, data.key)
        if isinstance(data, SourceIn) and self._would_unprotect(data):
            self.problems.append(
                f"{place}: source {data.key!r} is protected in this database, and the file "
                "would make it unprotected (its identity in every export); if that is meant, "
                f"`source edit {data.key} --not-protected` first"
            )
            return
        try:
            with session.begin_nested():
                if isinstance(data, SourceIn):
                    self.report.count(kind, save_source(session, data, refs=self.refs, mode=mode))
                elif isinstance(data, EntityIn):
                    self.report.count(kind, save_entity(session, data, refs=self.refs, mode=mode))
                elif isinstance(data, DocumentIn):
                    self.report.count(kind, save_document(session, data, refs=self.refs, mode=mode))
                elif isinstance(data, ClaimIn):
                    _, change, attributions = save_claim(
                        session, data, analyst=self.analyst, refs=self.refs, mode=mode
                    )
                    self.report.count("claim", change)
                    for result in attributions:
                        self.report.count("attribution", result)
        except ProvenanceError as error:
            self.refs.record_failed()
            self.problems.append(f"{place}: {error}")
        except IntegrityError as error:
            self.refs.record_failed()
            reason = str(error.orig).splitlines()[0] if error.orig else str(error)
            self.problems.append(f"{place}: conflicts with what is stored ({reason})")
        else:
            self.refs.record_done()
        if collect and self.log.watching >= COLLECT_EVERY:
            self._collect()  # read back what changed a batch at a time, not per record

    def _would_unprotect(self, data: SourceIn) -> bool:
        """Whether the record turns a protected source unprotected: another database's
        export says ``"protected": false`` of a source it never protected, and a merge
        takes what the file says."""
        if data.protected or (self.mode != "replace" and "protected" not in data.model_fields_set):
            return False
        stored = self.session.scalar(select(sources.c.protected).where(sources.c.key == data.key))
        return bool(stored)

    def _merged_into(self) -> None:
        if self.merged:
            self.log.watch("claim", *(key for _, key, _ in self.merged))
            self.problems.extend(merged_into_ids(self.session, self.merged))
            self._collect()

    def finish(self) -> ImportReport:
        """Apply links, and fail with every problem found, or record the import event."""
        self._flush_declarations()
        self._flush()
        self._merged_into()
        for place, link in self.links:
            self.log.watch("link", link_key(link.from_, link.relation.value, link.to))
            try:
                with self.session.begin_nested():
                    _, _, change = save_link(
                        self.session,
                        link,
                        analyst=self.analyst,
                        exact=True,
                        declared=self.declared_claims,
                    )
                    self.report.count("link", change)
            except ProvenanceError as error:
                self.problems.append(f"{place}: {error}")
        self.problems.extend(repeated_claim_problems(self.repeats))
        if self.problems:
            raise InvalidInput(self.problems)
        self.upkeep.finish()
        self.report.created_with_defaults = {
            kind: sorted(set(keys)) for kind, keys in self.refs.created.items() if keys
        }
        self.report.warnings = list(dict.fromkeys(self.refs.close_names))
        if self.pseudonyms.met:
            self.report.notes.append(
                f"read {len(self.pseudonyms.met)} pseudonym(s) of this database's protected "
                "sources and their documents as what they stand for (an export's redacted "
                "records of them are left out: the stored ones stay whole)"
            )
        # Records created with defaults (a referenced source, entity or document).
        for kind, keys in self.report.created_with_defaults.items():
            self.log.watch_new(kind, *(_slug(k) for k in keys))
        self._collect()
        for kind, keys in self.report.created_with_defaults.items():
            self.report.count(kind, "created", len(keys))
        if not self.report.changed:
            return self.report  # nothing written, nothing to audit
        self.parts.finish(
            target=self._target(),
            payload={
                "files": self.report.files,
                "counts": {k: dict(c) for k, c in self.report.counts.items() if c},
                "created_with_defaults": self.report.created_with_defaults,
                "mode": self.mode,
            },
        )
        return self.report


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reading it names the problem


def _slug(name: str) -> str:
    from provenance.vocab import slugify

    return slugify(name)


def import_files(
    session: Session,
    paths: Sequence[Path],
    *,
    analyst: str,
    fmt: str = "auto",
    on_record: Callable[[], None] | None = None,
    mode: Mode = "upsert",
) -> ImportReport:
    importer = Importer(
        session,
        analyst=analyst,
        on_record=on_record,
        mode=mode,
        input_bytes=sum(_size(path) for path in paths),
    )
    for path in paths:
        importer.add_file(path, fmt)
    return importer.finish()
