"""What every command shares: the database, the analyst, the message console.

Heavy modules (SQLAlchemy through ``provenance.db``, Rich) are imported inside functions so
that ``provenance --help`` starts without them.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from provenance.config import analyst_name, database_url
from provenance.output import Format

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from provenance.db import Database


#: The largest row count or offset an option takes (beyond any database; SQLite's integers
#: stop at 2**63, and a larger --limit was a driver overflow, not a message).
MAX_ROWS = 10**12
#: The largest percentage a tolerance takes (a larger one was an overflow in SQL).
MAX_PERCENT = 10**6


@dataclass
class State:
    db: str | None = None
    analyst: str | None = None

    @property
    def url(self) -> str:
        return database_url(self.db)

    @property
    def who(self) -> str:
        return analyst_name(self.analyst)

    @contextmanager
    def database(self) -> Iterator[Database]:
        from provenance.db import open_database

        database = open_database(self.url)
        _end_start_up()
        database.on_wait = _tell_waiting
        try:
            yield database
        finally:
            database.close()

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One write transaction for the whole command."""
        with self.database() as database, database.transaction() as session:
            yield session

    @contextmanager
    def changing(self) -> Iterator[Connection]:
        """One write transaction on a Core connection (writes that need no ORM)."""
        with self.database() as database, database.changing() as connection:
            yield connection

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.database() as database, database.reading() as session:
            yield session

    @contextmanager
    def querying(self) -> Iterator[Connection]:
        """For commands that only read through the read layer: no ORM is loaded."""
        with self.database() as database, database.querying() as connection:
            yield connection


#: Allocations between two collections of the youngest generation (Python's default: 700).
YOUNG_COLLECTED_EVERY = 10_000


def _end_start_up() -> None:
    """``main`` keeps the cycle collector off while a command starts: start-up makes the
    modules, classes and tables that live until exit, and looking for garbage among them
    cost a page as much as its queries. Once the database is open they are set aside for
    good (``gc.freeze``) and collection resumes for what the command itself makes, so a
    long import's memory stays flat. (Where ``main`` did not start the process, a test
    calling the app in-process, nothing changes.)

    The youngest generation is collected every 10,000 allocations, not 700: an import
    allocates a few short-lived objects per field of every record, and at 200,000
    claims spent 1.5 s of 24 s collecting them that often."""
    if not gc.isenabled():
        gc.freeze()
        gc.set_threshold(YOUNG_COLLECTED_EVERY, 10, 10)
        gc.enable()


def _tell_waiting(message: str) -> None:
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    if not isinstance(obj, State):  # invoked without the root callback (library use)
        obj = State()
        ctx.find_root().obj = obj
    return obj


_console: Any = None


def console() -> Any:
    """Messages and progress go to stderr, so stdout stays clean for records."""
    global _console
    if _console is None or _console.file is not sys.stderr:
        from rich.console import Console

        _console = Console(stderr=True, highlight=False, soft_wrap=True)
    return _console


def say(message: str, *, style: str = "") -> None:
    """One message on stderr, printed as written: no markup, controls made visible."""
    from provenance.terminal import safe

    console().print(safe(message, style))


def note_stale_scores(reader: Any) -> None:
    """Say so when the stored trust and plausibility predate writes: they are a score
    run's results, not kept up to date by edits."""
    from provenance.read.events import scores_behind

    behind = scores_behind(reader)
    if behind is not None:
        seq, since = behind
        say(
            f"note: trust and plausibility are from `source score` at event {seq}; "
            f"{since} write(s) since may have changed them (run `provenance source score`)",
            style="dim",
        )


@contextmanager
def progress(label: str, total: int | None = None) -> Iterator[Callable[[], None] | None]:
    """A Rich progress bar on stderr, or nothing when stderr is not a terminal (scripts,
    CI) or the job is small. Yields the function to call once per item."""
    if not sys.stderr.isatty() or (total is not None and total < 2000):
        yield None
        return
    from rich.progress import Progress

    with Progress(console=console(), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)


def parse_date(value: str | dt.datetime) -> dt.datetime:
    """A day as ``YYYY-MM-DD``; anything else is refused in words that say what was given
    and what is accepted."""
    if isinstance(value, dt.datetime):
        return value
    text = value.strip()
    shape = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if shape is None:
        raise typer.BadParameter(
            f"{value!r} is not a date: write the day as YYYY-MM-DD, e.g. 2025-10-26"
        )
    try:
        year, month, day = (int(part) for part in shape.groups())
        return dt.datetime(year, month, day)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a day of the calendar (YYYY-MM-DD, month 01–12, "
            "day within the month)"
        ) from None


FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format: table, json, jsonl or csv.")
]
