"""Engines, transactions and schema management.

Every command opens the database through :func:`open_database`, which refuses a missing
database or one at another schema revision (exit 4): a shared database is never migrated
silently. Writes go through :meth:`Database.transaction`, one transaction per command.
"""

from __future__ import annotations

import math
import os
import sqlite3
import stat
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError

from provenance.cells import visible
from provenance.config import mask_password
from provenance.errors import (
    DatabaseUnavailable,
    MalformedOption,
    ProvenanceError,
    SchemaOutdated,
)
from provenance.files import require_regular_file

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

#: The newest migration in ``alembic/versions``; a test keeps the two in step, so that
#: ordinary commands check the schema without loading Alembic.
HEAD_REVISION = "0010"

PACKAGE_DIR = Path(__file__).resolve().parent
#: PostgreSQL advisory lock held by every write transaction (and by schema upgrades).
WRITER_LOCK = 4242002


def bundled_dir(packaged: str, in_repository: str) -> Path:
    """A folder shipped in the wheel under ``provenance/``, or at the repository's top
    level when running from a checkout."""
    inside = PACKAGE_DIR / packaged
    return inside if inside.is_dir() else PACKAGE_DIR.parent / in_repository


def migrations_dir() -> Path:
    return bundled_dir("_migrations", "alembic")


#: The drivers provenance runs on: Python's own sqlite3, and psycopg 3 for PostgreSQL.
DRIVERS = {"sqlite": "pysqlite", "postgresql": "psycopg"}


def parse_url(url: str) -> URL:
    """The database URL, or one line (exit 4) for one that does not parse or names a
    database or driver provenance does not run on."""
    try:
        parsed = make_url(url)
        parsed.port  # noqa: B018 (read lazily: "host:abc" fails only here)
    except (ArgumentError, ValueError):
        raise DatabaseUnavailable(f"cannot parse database URL {mask_password(url)!r}") from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend not in DRIVERS:
        raise DatabaseUnavailable(
            f"unsupported database {backend!r}: use a SQLite path or a postgresql+psycopg:// URL"
        )
    if driver and driver != DRIVERS[backend]:
        raise DatabaseUnavailable(
            f"unsupported driver {parsed.drivername!r}: use a SQLite path or a "
            "postgresql+psycopg:// URL"
        )
    if backend == "sqlite" and parsed.query:
        # "?mode=ro&uri=true" was taken as part of the file's name: a new, world-readable
        # database file beside the real one
        raise DatabaseUnavailable(
            f"SQLite URL options ({'&'.join(parsed.query)}) are not supported: give the "
            "database file's path"
        )
    return parsed


def sqlite_path(url: str) -> Path | None:
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


#: The files SQLite keeps beside a database.
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def is_database_file(path: Path, url: str) -> bool:
    """Whether writing ``path`` would overwrite the database at ``url`` or one of its
    companion files, through any symlink or hard link."""
    database = sqlite_path(url)
    if database is None:
        return False
    try:
        target = path.resolve()
    except (RuntimeError, OSError) as error:  # a loop of symbolic links
        raise ProvenanceError(f"cannot write {visible(str(path))}: {error}") from None
    for suffix in SQLITE_COMPANIONS:
        companion = database.with_name(database.name + suffix)
        if target == companion.resolve():
            return True
        try:
            if path.exists() and companion.exists() and path.samefile(companion):
                return True
        except OSError:
            continue
    return False


SQLITE_HEADER = b"SQLite format 3\x00"


def _require_regular_file(path: Path) -> None:
    require_regular_file(path, doing="open database", error=DatabaseUnavailable, missing_ok=True)


@contextmanager
def sqlite_read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """The SQLite file at ``path`` opened read-only, before SQLAlchemy or a write touches
    it (the URI keeps ``?``, ``#`` and ``%`` in the name), and closed after."""
    connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()


def database_an_export_would_destroy(path: Path) -> str | None:
    """What ``path`` is, when an export must not overwrite it: a provenance database,
    another program's SQLite database, a SQLite file that cannot be read (locked by
    another program, damaged, cut short), or the ``-wal``, ``-shm`` or ``-journal`` file
    of a database beside it (an attack overwrote a second database with `export -o
    other.db`, and another's uncommitted writes through `-o other.db-wal`). A file an
    earlier `export -f sqlite` wrote may be written again when nothing holds it open,
    as may any file that is no database."""
    for suffix in SQLITE_COMPANIONS[1:]:
        if path.name.endswith(suffix):
            base = path.with_name(path.name.removesuffix(suffix))
            if base.exists():
                return f"the {suffix} file of the database {base}"
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return None
    except OSError:
        return None  # writing it names the problem, if there is one
    try:
        names = set(_schema_names(path))
        if "claims_flat" in names and "alembic_version" not in names:
            with sqlite_read_only(path) as connection:  # an export cut short reads no rows
                connection.execute("SELECT count(*) FROM claims_flat").fetchone()
    except sqlite3.Error as error:
        return f"a SQLite database that cannot be read ({error})"
    if "alembic_version" in names:
        return "a provenance database"
    if "claims_flat" not in names:
        return "another program's SQLite database"
    if any(path.with_name(path.name + suffix).exists() for suffix in SQLITE_COMPANIONS[1:]):
        return "an export in use (its -wal, -shm or -journal file is beside it)"
    return None


def _schema_names(path: Path, kind: str | None = None) -> list[str]:
    """The names of the SQLite file's tables, views and indexes (of ``kind`` alone when
    given), SQLite's own left out, in order; raises :class:`sqlite3.Error`."""
    query = "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    if kind is not None:
        query += " AND type = ?"
    with sqlite_read_only(path) as connection:
        return sorted(name for (name,) in connection.execute(query, [kind] if kind else []))


def _is_flat_export(path: Path) -> bool:
    try:
        return "claims_flat" in _schema_names(path, "view")
    except sqlite3.Error:
        return False


def _refuse_another_programs_database(path: Path) -> None:
    """`init` adds its tables only to an empty file or one of ours: a SQLite file that
    holds tables but no schema revision belongs to another program."""
    if not path.exists() or not path.stat().st_size:
        return
    _check_sqlite_file(path)
    give_up = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            tables = _schema_names(path, "table")
            break
        except sqlite3.Error as error:
            # Another process making the same file (a second `init` at once) may hold it
            # for a moment: wait as a writer would, then say so.
            busy = "locked" in str(error) or "busy" in str(error)
            if not busy or time.monotonic() > give_up:
                raise DatabaseUnavailable(f"cannot open database {path}: {error}") from None
            time.sleep(0.05)
    if tables and "alembic_version" not in tables:
        shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        raise DatabaseUnavailable(
            f"{path} is another program's SQLite database (tables: {shown}): "
            "not adding provenance's tables to it; choose another file"
        )


def _check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database before SQLite touches it (opening an
    empty file in WAL mode would write a header into it)."""
    _require_regular_file(path)
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise DatabaseUnavailable(f"cannot open database {path}: {error.strerror}") from None
    if not header:
        raise DatabaseUnavailable(
            f"{path} is an empty file, not a provenance database: "
            f"run `provenance --db {path} init` to make it one"
        )
    if header != SQLITE_HEADER:
        raise DatabaseUnavailable(f"{path} is not a SQLite database (nor a provenance one)")


#: SQLite virtual-machine steps between two looks at pending signals.
SIGNAL_CHECK_STEPS = 100_000


def _let_signals_in() -> int:
    return 0  # continue; a pending Ctrl-C raises as this runs, and the query stops


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so that BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # The wait first: switching a new file to WAL takes a lock that another process
        # opening it (a second `init` at once) may hold.
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # Python runs a Ctrl-C handler only between its own instructions, so a long query
        # (a C call) went on to its end. A no-op callback every so many SQLite steps lets
        # the pending KeyboardInterrupt raise there, which aborts the query ("interrupted",
        # read as Ctrl-C by the command line); it costs one call per millisecond or so.
        dbapi_connection.set_progress_handler(_let_signals_in, SIGNAL_CHECK_STEPS)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock at BEGIN, so two writers queue on the busy timeout
        # instead of failing when a read transaction tries to become a write.
        options = connection.get_execution_options()
        mode = options.get("sqlite_begin", "DEFERRED")
        raw = connection.connection.driver_connection
        if mode == "IMMEDIATE_OR_NOT_AT_ALL":  # derived data: never wait for a writer
            raw.execute("PRAGMA busy_timeout=0")
            try:
                raw.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise WriterBusy(str(error)) from None
            finally:
                raw.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
            return
        if mode != "IMMEDIATE":
            connection.exec_driver_sql(f"BEGIN {mode}")
            return
        raw.execute(f"PRAGMA busy_timeout={int(QUIET_WAIT * 1000)}")
        try:
            try:
                raw.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                _waiting(options)
                raw.execute(f"PRAGMA busy_timeout={int(lock_wait() * 1000)}")
                try:
                    raw.execute("BEGIN IMMEDIATE")
                except sqlite3.OperationalError:
                    raise _gave_up() from None
        finally:
            raw.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")


#: How long a connection waits for another's lock before SQLite says "busy" (seconds).
BUSY_TIMEOUT = 15.0
#: A writer waits this long in silence for another writer's transaction to end …
QUIET_WAIT = 2.0
#: … then says so on stderr and waits up to this long (``$PROVENANCE_LOCK_WAIT`` seconds):
#: an import is one transaction, and at a million claims it holds the lock for minutes.
LOCK_WAIT = 600.0
LOCK_WAIT_ENV = "PROVENANCE_LOCK_WAIT"


#: The longest wait one may ask for: a week (SQLite's busy timeout is at most 24 days).
LOCK_WAIT_MAX = 7 * 24 * 3600.0


def lock_wait() -> float:
    """``$PROVENANCE_LOCK_WAIT`` seconds, or the default; anything but a number of
    seconds from 0 to a week is a usage error (exit 2), before anything is opened."""
    value = os.environ.get(LOCK_WAIT_ENV)
    if value is None or not value.strip():
        return LOCK_WAIT
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds <= LOCK_WAIT_MAX:  # NaN too
        raise MalformedOption(
            f"{LOCK_WAIT_ENV}={visible(value[:40])!r} is not a number of seconds from 0 to "
            f"{LOCK_WAIT_MAX:.0f}"
        )
    return seconds


class WriterBusy(Exception):
    """Another writer holds the lock, and this transaction would rather not wait."""


def _gave_up() -> DatabaseUnavailable:
    return DatabaseUnavailable(
        f"database is locked: another writer held it for more than {lock_wait():.0f} s "
        f"(set {LOCK_WAIT_ENV} to wait longer)"
    )


def _waiting(options: Any) -> None:
    notify = options.get("on_wait")
    if notify is not None:
        notify(
            "waiting for another writer (an import?) to finish; "
            f"giving up after {lock_wait():.0f} s"
        )


#: Session settings for PostgreSQL. Results are streamed through server-side cursors, and
#: PostgreSQL plans a cursor for its first 10 % of rows unless told otherwise: `flag` on
#: 200,000 claims went from over six minutes to 16 s once planned for every row. JIT
#: compiling hundreds of expressions of the flag statement cost more than it saved (20 s
#: against 16 s). Server-side prepared statements are off too (``prepare_threshold``):
#: psycopg prepares a statement after five runs, and PostgreSQL may then keep a generic
#: plan made while a table was small (an import's first batch) for every later batch.
PG_OPTIONS = "-c cursor_tuple_fraction=1 -c jit=off"


def _with_session_options(given: str | tuple[str, ...] | None) -> str:
    """The URL's own ``options`` (if any) and then :data:`PG_OPTIONS`."""
    parts = [given] if isinstance(given, str) else list(given or ())
    return " ".join([*parts, PG_OPTIONS])


def make_engine(url: str) -> Engine:
    parsed = parse_url(url)
    lock_wait()  # a bad $PROVENANCE_LOCK_WAIT is refused before anything is opened
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": 15})
        _configure_sqlite(engine)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            return create_engine(
                parsed,
                pool_pre_ping=False,
                connect_args={
                    "connect_timeout": 10,
                    "prepare_threshold": None,
                    "options": _with_session_options(parsed.query.get("options")),
                },
            )
        except ModuleNotFoundError:
            raise DatabaseUnavailable(
                "PostgreSQL needs psycopg: pip install 'provenance[postgres]'"
            ) from None
    raise AssertionError(backend)  # parse_url lets no other through


def create_sqlite_file(path: Path) -> None:
    """A new database file is readable by its owner only (mode 0600)."""
    if path.exists():
        return
    if not path.parent.exists():
        raise DatabaseUnavailable(f"folder {str(path.parent)!r} does not exist")
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def describe(url: str) -> str:
    path = sqlite_path(url)
    return str(path) if path else mask_password(url)


class Database:
    """An open database: its engine and the transactions commands run in."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self.dialect = engine.dialect.name
        #: Told once when a writer has to wait for another one (the CLI prints it).
        self.on_wait: Callable[[str], None] | None = None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction: commit on success, roll everything back on any error.

        Writers are serialised, as analysts' writes are small and an import must not
        interleave with another: SQLite takes its write lock at BEGIN IMMEDIATE (waiting on
        the busy timeout), PostgreSQL an advisory transaction lock."""
        from sqlalchemy.orm import Session  # writes use the ORM; reads need not load it

        engine = self.engine.execution_options(sqlite_begin="IMMEDIATE", on_wait=self.on_wait)
        with Session(engine, expire_on_commit=False) as session, session.begin():
            self._take_writer_lock(session)
            yield session

    @contextmanager
    def changing(self) -> Iterator[Connection]:
        """One write transaction on a Core connection, serialised with the other writers
        as ``transaction`` is: for a write that needs no ORM (``claim status``), so that
        the command does not load it."""
        engine = self.engine.execution_options(sqlite_begin="IMMEDIATE", on_wait=self.on_wait)
        with engine.connect() as connection, connection.begin():
            self._take_writer_lock(connection)
            yield connection

    def _take_writer_lock(self, writer: Any) -> None:
        """PostgreSQL: the writers' advisory lock (SQLite took its lock at BEGIN IMMEDIATE).
        As on SQLite, a writer first waits :data:`QUIET_WAIT` seconds in silence, then says
        so and waits up to ``$PROVENANCE_LOCK_WAIT`` seconds more."""
        if self.dialect != "postgresql":
            return
        try_lock = text(f"SELECT pg_try_advisory_xact_lock({WRITER_LOCK})")
        if not writer.scalar(try_lock):
            quiet_until = time.monotonic() + QUIET_WAIT
            while time.monotonic() < quiet_until:
                time.sleep(0.05)
                if writer.scalar(try_lock):
                    return
            _waiting({"on_wait": self.on_wait})
            wait_ms = max(int(lock_wait() * 1000), 1)
            writer.execute(text(f"SET LOCAL lock_timeout = {wait_ms}"))
            try:
                writer.execute(text(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})"))
            except OperationalError:
                raise _gave_up() from None

    @contextmanager
    def deriving(self) -> Iterator[Connection]:
        """A Core write transaction for derived data (the stored work queue), taken only
        when no writer holds the lock (``WriterBusy`` otherwise: the caller computes
        instead of waiting). No audit event: nothing anyone recorded changes."""
        engine = self.engine.execution_options(sqlite_begin="IMMEDIATE_OR_NOT_AT_ALL")
        with engine.connect() as connection, connection.begin():
            if self.dialect == "postgresql":
                got = connection.scalar(text(f"SELECT pg_try_advisory_xact_lock({WRITER_LOCK})"))
                if not got:
                    raise WriterBusy("another writer holds the lock")
            yield connection

    @contextmanager
    def reading(self) -> Iterator[Session]:
        from sqlalchemy.orm import Session

        with Session(self.engine) as session, session.begin():
            yield session

    @contextmanager
    def querying(self) -> Iterator[Connection]:
        """A read-only Core connection in one transaction: what the read layer needs,
        without loading the ORM (the pages' start-up). Every statement of it sees one
        snapshot: SQLite's read transaction does; PostgreSQL's default isolation takes a
        new snapshot per statement, so it reads at REPEATABLE READ (a page's statements
        then agree even while writers commit, and checking the stored work queue is
        current and reading it are one view)."""
        engine = self.engine
        if self.dialect == "postgresql":
            engine = engine.execution_options(isolation_level="REPEATABLE READ")
        with engine.connect() as connection, connection.begin():
            yield connection

    def close(self) -> None:
        self.engine.dispose()


def _connect_error(url: str, error: Exception) -> DatabaseUnavailable:
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    path = sqlite_path(url)
    if path is not None and path.exists() and not os.access(path.parent, os.W_OK):
        # SQLite's "unable to open database file" on a read-only mount says nothing of why
        reason += (
            f" (its folder {path.parent} is read-only, and SQLite keeps its write-ahead log "
            "beside the database even to read it: copy the file to a folder you can write)"
        )
    return DatabaseUnavailable(f"cannot open database {describe(url)}: {mask_password(reason)}")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def open_database(url: str, *, require_current: bool = True) -> Database:
    """Open an existing database; exit 4 when it is missing, unreachable or not current."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise DatabaseUnavailable(
            f"no database at {path}: run `provenance init` to create it "
            "(or pass --db / set PROVENANCE_DB)"
        )
    if path is not None:
        _check_sqlite_file(path)
    engine = make_engine(url)
    try:
        revision = current_revision(engine)
    except DatabaseError as error:
        engine.dispose()
        raise _connect_error(url, error) from None
    database = Database(url, engine)
    if require_current and revision != HEAD_REVISION:
        database.close()
        where = describe(url)
        if revision is None:
            path = sqlite_path(url)
            if path is not None and _is_flat_export(path):
                raise SchemaOutdated(
                    f"{where} is an `export -f sqlite` file (flat tables for sqlite3, "
                    "sqlite-utils or Datasette), not a provenance database: read it back with "
                    "`provenance import` of an `export -f json`"
                )
            raise SchemaOutdated(
                f"{where} is not a provenance database yet: run `provenance --db {where} init`"
            )
        number = _revision_number(revision)
        if number is None:
            raise SchemaOutdated(
                f"{where} is at an unknown schema revision {revision[:40]!r}: it was not made "
                "by provenance, or its alembic_version was edited"
            )
        raise SchemaOutdated(
            f"{where} is at schema revision {revision}, this program needs {HEAD_REVISION}: "
            "run `provenance db upgrade` (back up a shared database first)"
            if number < int(HEAD_REVISION)
            else f"{where} is at schema revision {revision}, newer than this program "
            f"({HEAD_REVISION}): upgrade provenance"
        )
    return database


def _revision_number(revision: str) -> int | None:
    """Revisions are numbered 0001, 0002, …: compared as numbers, never as strings."""
    return int(revision) if revision.isascii() and revision.isdigit() else None


# ---- migrations (Alembic is imported only here, and only when used) -----------------------


def alembic_config(connection: Any | None = None) -> Config:
    from alembic.config import Config

    # Alembic's default stream is the sys.stdout of when it was first imported, which an
    # in-process caller (a test runner capturing output) may have closed since.
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _migrate(url: str, action: str, revision: str) -> None:
    from alembic import command
    from alembic.util import CommandError

    engine = make_engine(url)
    try:
        # The write lock at BEGIN (SQLite): a second `init` of a new file at once waits for
        # the first's migration, where a read lock raised to a write one was refused.
        with (
            engine.connect().execution_options(sqlite_begin="IMMEDIATE") as connection,
            connection.begin(),
        ):
            if connection.dialect.name == "postgresql":
                # Two upgrades at once must not race: serialise them on an advisory lock.
                connection.execute(text(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})"))
            getattr(command, action)(alembic_config(connection), revision)
    except DatabaseError as error:
        raise _connect_error(url, error) from None
    except CommandError as error:
        reason = (str(error).splitlines() or ["unknown revision"])[0]
        raise SchemaOutdated(f"cannot {action} {describe(url)}: {reason}") from None
    finally:
        engine.dispose()


def initialise(url: str) -> tuple[str | None, str | None]:
    """Create the database (a SQLite file with mode 0600) or bring it to the newest schema.
    Returns the revisions before and after."""
    path = sqlite_path(url)
    lock_wait()  # refused before a file is made
    if path is not None:
        _require_regular_file(path)
        _refuse_another_programs_database(path)
        create_sqlite_file(path)
    return upgrade(url, "head")


def upgrade(url: str, revision: str = "head") -> tuple[str | None, str | None]:
    before = revision_of(url)
    _migrate(url, "upgrade", _target(revision, "upgrade", before))
    return before, revision_of(url)


#: The oldest schema a downgrade keeps every record of, as it is: below it, a withdrawal
#: becomes the tag ``withdrawn`` (the claim live again), a merge is forgotten and the
#: field-level history ends.
LOSSLESS_DOWN_TO = "0004"


def downgrade(url: str, revision: str, *, confirmed: bool = False) -> tuple[str | None, str | None]:
    """Migrate down. Below :data:`LOSSLESS_DOWN_TO` (``base`` drops every table) records are
    lost: refused, unless ``confirmed``, while the database holds any, so that one
    mistyped command cannot empty or rewrite it."""
    before = revision_of(url)
    target = _target(revision, "downgrade", before)
    if not confirmed and (target == "base" or target < LOSSLESS_DOWN_TO):
        held = _records_held(url)
        if held:
            what = (
                "drops every table"
                if target == "base"
                else "turns withdrawn and merged claims into live ones and ends the "
                "field-level history"
            )
            raise ProvenanceError(
                f"db downgrade {target} {what}, with the {held} this database holds; back it "
                "up, then pass --yes"
            )
    _migrate(url, "downgrade", target)
    return before, revision_of(url)


def _records_held(url: str) -> str:
    """What the database holds, in words ("32 claims, 5 sources, 40 events"), or ""."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            names = set(inspect(connection).get_table_names())
            counts = []
            for table, one, many in (
                ("claims", "claim", "claims"),
                ("sources", "source", "sources"),
                ("entities", "entity", "entities"),
                ("documents", "document", "documents"),
                ("events", "event", "events"),
            ):
                if table in names:
                    count = int(
                        connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0
                    )
                    if count:
                        counts.append(f"{count:,} {one if count == 1 else many}")
            return ", ".join(counts)
    finally:
        engine.dispose()


def _target(revision: str, action: str, current: str | None) -> str:
    """The revision to migrate to, checked before Alembic sees it: Alembic's own grammar
    (``x@base``, ``base-1``, ``heads``, an empty string) once dropped every table or traced
    back. Only ``head`` (up), ``base`` (down) or a revision of `db history` is taken, and only
    in the direction asked."""
    order = [entry["revision"] or "" for entry in reversed(history())]  # oldest first
    end = "head" if action == "upgrade" else "base"
    if revision == end:
        return revision
    if revision not in order:
        shown = revision if len(revision) <= 40 else revision[:40] + "…"
        raise ProvenanceError(
            f"unknown revision {shown!r}: give {end} or a revision of `provenance db history` "
            f"({order[0]} to {order[-1]})"
        )
    at = order.index(current) if current in order else -1
    wanted = order.index(revision)
    if (action == "upgrade" and wanted < at) or (action == "downgrade" and wanted > at):
        raise ProvenanceError(
            f"cannot {action} to {revision}: the schema is at {current or 'none'}, "
            f"already {'newer' if action == 'upgrade' else 'older'}"
        )
    return revision


def revision_of(url: str) -> str | None:
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise DatabaseUnavailable(f"no database at {path}: run `provenance init` to create it")
    if path is not None:
        _require_regular_file(path)
    if path is not None and path.stat().st_size:
        _check_sqlite_file(path)
    engine = make_engine(url)
    try:
        return current_revision(engine)
    except DatabaseError as error:
        raise _connect_error(url, error) from None
    finally:
        engine.dispose()


def history() -> list[dict[str, str | None]]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [
        {
            "revision": rev.revision,
            "down_revision": str(rev.down_revision or ""),
            "message": " ".join((rev.doc or "").split()),
        }
        for rev in script.walk_revisions()
    ]
