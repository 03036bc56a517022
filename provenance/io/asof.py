"""The database as it stood at an earlier point, rebuilt from the audit trail alone.

``--as-of DATE|SEQ`` replays the field-level changes of every event up to that point
(:func:`provenance.services.history.replay`) into a scratch SQLite database, then runs the
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
from provenance.services import history

_LINK_FIELDS = ("from", "to", "relation", "note")


def point(session: Session, text: str) -> int:
    """The number of the last event at the point ``text`` names: an event number, a day
    (its end, UTC) or a time."""
    stripped = text.strip()
    if stripped.isdigit() and len(stripped) < 8:
        seq = int(stripped)
        last = session.scalar(select(Event.seq).order_by(Event.seq.desc()).limit(1)) or 0
        if seq > last:
            raise ProvenanceError(f"--as-of {seq}: the audit trail ends at event {last}")
        return seq
    try:
        if len(stripped) == 10:
            moment = dt.datetime.combine(
                dt.date.fromisoformat(stripped) + dt.timedelta(days=1), dt.time()
            )
            inclusive = False
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


def interchange(state: history.State) -> Iterator[tuple[str, dict[str, Any]]]:
    """The rebuilt records as interchange records, in import order."""
    for kind in ("source", "entity", "document", "claim"):
        for key in sorted(state.get(kind, {})):
            record = dict(state[kind][key])
            if kind == "claim":
                if isinstance(record.get("value"), str) and needs_category_mark(record["value"]):
                    record["value_kind"] = "category"
                if record.get("withdrawn") is None:
                    record.pop("withdrawn", None)
            yield kind, record
    for key in sorted(state.get("link", {})):
        link = state["link"][key]
        yield "link", {f: link.get(f) for f in _LINK_FIELDS}


@contextmanager
def rebuilt(session: Session, when: str) -> Iterator[tuple[Session, int]]:
    """A reading session on the database as it stood at ``when``, and the event number."""
    from provenance.db import initialise, open_database
    from provenance.io.importer import Importer

    seq = point(session, when)
    state = history.replay(session, until_seq=seq)
    with tempfile.TemporaryDirectory(prefix="provenance-as-of-") as folder:
        url = sqlite_url(Path(folder) / "as-of.db")
        initialise(url)
        database = open_database(url)
        try:
            with database.transaction() as scratch:
                importer = Importer(scratch, analyst="as-of", mode="replace")
                for place, (kind, record) in enumerate(interchange(state)):
                    importer.add_record(f"event {seq} #{place}", kind, record)
                importer.finish()
            with database.reading() as scratch:
                yield scratch, seq
        finally:
            database.close()


def show(session: Session, claim: str, when: str) -> dict[str, Any]:
    """`claim show --as-of`: the claim as it stood then, with the history up to then."""
    from provenance.read.resolve import resolve_key
    from provenance.services import audit, claims

    key = resolve_key(session, "claim", claim)
    history = audit.history(session, "claim", key)
    with rebuilt(session, when) as (scratch, seq):
        # Renamed since then: the claim had the key the first later rename started from.
        renames = [
            e["payload"]["renamed_from"]
            for e in history
            if e["seq"] > seq and isinstance(e["payload"].get("renamed_from"), str)
        ]
        then = renames[0] if renames else key
        try:
            record = claims.show(scratch, then)
        except ProvenanceError:
            raise ProvenanceError(f"claim {key!r} did not exist yet at event {seq}") from None
    record["history"] = [e for e in history if e["seq"] <= seq]
    record["as_of"] = seq
    return record
