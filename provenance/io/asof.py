"""The database as it stood at an earlier point, rebuilt from the audit trail alone.

``--as-of DATE|SEQ`` replays the field-level changes of every event up to that point
(:func:`provenance.services.replay.replay`) into a scratch SQLite database, then runs the
ordinary reading code on it: `claim show`, every export format and its filters behave as
they do now, on the past. Computed values (flags, independence) are computed again from
the past records; stored scores (`trust`, `plausibility`) are results of a scoring run,
not records, and come back empty.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from provenance.config import sqlite_url
from provenance.errors import MalformedOption, ProvenanceError
from provenance.figures import needs_category_mark
from provenance.models import Event
from provenance.services import audit
from provenance.services.replay import Rebuilt, replay
from provenance.vocab import without_input_limits

_LINK_FIELDS = ("from", "to", "relation", "note")


def point(session: Session, text: str) -> int:
    """The number of the last event at the point ``text`` names: an event number, a day
    (its end, UTC) or a time; inside an import, its end (see :func:`_whole_writes`)."""
    return _whole_writes(session, _named_point(session, text))


def _whole_writes(session: Session, seq: int) -> int:
    """A large write (an import, a merge moving many claims) records its changes in several
    ``<action>.records`` events, then its summary, all in one transaction: a point among
    them is the write's end (the states between never existed)."""
    action = session.scalar(select(Event.action).where(Event.seq == seq))
    if action is None or not action.endswith(audit.PARTS):
        return seq
    end = session.scalar(
        select(Event.seq)
        .where(Event.seq > seq, Event.action.not_like("%" + audit.PARTS))
        .order_by(Event.seq)
        .limit(1)
    )
    return int(end) if end is not None else seq


def _named_point(session: Session, text: str) -> int:
    stripped = text.strip()
    if stripped.isdigit() and len(stripped) < 8:
        seq = int(stripped)
        last = session.scalar(select(Event.seq).order_by(Event.seq.desc()).limit(1)) or 0
        if seq > last:
            raise ProvenanceError(f"--as-of {seq}: the audit trail ends at event {last}")
        return seq
    try:
        if len(stripped) == 10:  # the whole day (9999-12-31 has no next day to stop before)
            moment = dt.datetime.combine(dt.date.fromisoformat(stripped), dt.time.max)
            inclusive = True
        else:
            moment = dt.datetime.fromisoformat(stripped.replace("Z", "+00:00"))
            if moment.tzinfo is not None:
                moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
            inclusive = True
    except ValueError:
        raise MalformedOption(
            f"--as-of {text!r} is neither an event number (see `provenance log`), a date "
            "(YYYY-MM-DD) nor a time (YYYY-MM-DDTHH:MM:SS)"
        ) from None
    stamp = moment.isoformat(timespec="microseconds") + "Z"
    query = select(Event.seq).order_by(Event.seq.desc()).limit(1)
    query = query.where(Event.at <= stamp if inclusive else Event.at < stamp)
    return int(session.scalar(query) or 0)


def interchange(rebuilt: Rebuilt) -> Iterator[tuple[str, dict[str, Any]]]:
    """The rebuilt records as interchange records, in import order (links in the order
    they were made, as pages list them)."""
    for kind in ("source", "entity", "document", "claim"):
        for _, shape in rebuilt.items(kind):
            record = dict(shape)
            if kind == "claim":
                if isinstance(record.get("value"), str) and needs_category_mark(record["value"]):
                    record["value_kind"] = "category"
                if record.get("withdrawn") is None:
                    record.pop("withdrawn", None)
            yield kind, record
    made = rebuilt.created("link")
    linked = dict(rebuilt.items("link"))
    for key in sorted(linked, key=lambda k: (made.get(k, (0,))[0], k)):
        yield "link", {f: linked[key].get(f) for f in _LINK_FIELDS}


def _links_as_made(scratch: Session, rebuilt: Rebuilt) -> None:
    """Who made each rebuilt link and when, as its event says (the import that rebuilds
    them would otherwise stand for both)."""
    from sqlalchemy import and_, update

    from provenance.read.tables import claims, links

    def claim_id(key: str) -> Any:
        return select(claims.c.id).where(claims.c.key == key).scalar_subquery()

    created = rebuilt.created("link")
    for key, link in rebuilt.items("link"):
        _, at, analyst = created.get(key, (0, None, None))
        values: dict[str, Any] = {"created_by": link.get("created_by") or analyst or "unknown"}
        if at is not None:
            moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
            values["created_at"] = moment.astimezone(dt.UTC).replace(tzinfo=None)
        scratch.execute(
            update(links)
            .where(
                and_(
                    links.c.from_claim_id == claim_id(link["from"]),
                    links.c.to_claim_id == claim_id(link["to"]),
                    links.c.relation == link["relation"],
                )
            )
            .values(**values)
        )


@contextmanager
def rebuilt(session: Session, when: str) -> Iterator[tuple[Session, int]]:
    """A reading session on the database as it stood at ``when``, and the event number."""
    from provenance.db import initialise, open_database
    from provenance.io.importer import Importer

    seq = point(session, when)
    with (
        replay(session, until_seq=seq) as past,
        tempfile.TemporaryDirectory(prefix="provenance-as-of-") as folder,
    ):
        url = sqlite_url(Path(folder) / "as-of.db")
        initialise(url)
        database = open_database(url)
        try:
            # the past as it was: what an earlier release took passes caps added since
            with without_input_limits(), database.transaction() as scratch:
                importer = Importer(scratch, analyst="as-of", mode="replace")
                for place, (kind, record) in enumerate(interchange(past)):
                    importer.add_record(f"event {seq} #{place}", kind, record)
                importer.finish()
                _links_as_made(scratch, past)
            with database.reading() as scratch:
                yield scratch, seq
        finally:
            database.close()


def key_then(history: list[dict[str, Any]], key: str, seq: int) -> str:
    """The key a record had after event ``seq``, from its history (oldest first): each
    later rename *of it* (aimed at its key of the time) started from its earlier key. A
    rename of another record is in its history too when it changed this one (a claim
    merged into the renamed one), and says nothing about this one's key."""
    then = key
    for event in reversed(history):
        if event["seq"] <= seq:
            break
        payload = event["payload"] if isinstance(event["payload"], dict) else {}
        renamed_from = payload.get("renamed_from")
        if isinstance(renamed_from, str) and event["target"] == then:
            then = renamed_from
    return then


def show(session: Session, claim: str, when: str) -> dict[str, Any]:
    """`claim show --as-of`: the claim as it stood then, with the history up to then."""
    from provenance.read.resolve import resolve_key
    from provenance.services import audit, claims

    key = resolve_key(session, "claim", claim)
    history = audit.history(session, "claim", key)
    with rebuilt(session, when) as (scratch, seq):
        then = key_then(history, key, seq)
        try:
            record = claims.show(scratch, then)
        except ProvenanceError:
            raise ProvenanceError(f"claim {key!r} did not exist yet at event {seq}") from None
    record["history"] = [e for e in history if e["seq"] <= seq]
    record["as_of"] = seq
    return record
