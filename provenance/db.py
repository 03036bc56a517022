"""Engines, transactions and schema management.

Every command opens the database through :func:`open_database`, which refuses a missing
database or one at another schema revision (exit 4): a shared database is never migrated
silently. Writes go through :meth:`Database.transaction`, one transaction per command.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from provenance.config import mask_password
from provenance.errors import DatabaseUnavailable, SchemaOutdated

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

#: The newest migration in ``alembic/versions``; a test keeps the two in step, so that
#: ordinary commands check the schema without loading Alembic.
HEAD_REVISION = "0006"

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


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so that BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock at BEGIN, so two writers queue on the busy timeout
        # instead of failing when a read transaction tries to become a write.
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnavailable(f"cannot parse database URL {mask_password(url)!r}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": 15})
        _configure_sqlite(engine)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            return create_engine(parsed, pool_pre_ping=False, connect_args={"connect_timeout": 10})
        except ModuleNotFoundError:
            raise DatabaseUnavailable(
                "PostgreSQL needs psycopg: pip install 'provenance[postgres]'"
            ) from None
    raise DatabaseUnavailable(
        f"unsupported database {backend!r}: use a SQLite path or a postgresql+psycopg:// URL"
    )


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

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction: commit on success, roll everything back on any error.

        Writers are serialised, as analysts' writes are small and an import must not
        interleave with another: SQLite takes its write lock at BEGIN IMMEDIATE (waiting on
        the busy timeout), PostgreSQL an advisory transaction lock."""
        from sqlalchemy.orm import Session  # writes use the ORM; reads need not load it

        engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        with Session(engine, expire_on_commit=False) as session, session.begin():
            if self.dialect == "postgresql":
                session.execute(text(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})"))
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        from sqlalchemy.orm import Session

        with Session(self.engine) as session, session.begin():
            yield session

    @contextmanager
    def querying(self) -> Iterator[Connection]:
        """A read-only Core connection in one transaction: what the read layer needs,
        without loading the ORM (the pages' start-up)."""
        with self.engine.connect() as connection, connection.begin():
            yield connection

    def close(self) -> None:
        self.engine.dispose()


def _connect_error(url: str, error: Exception) -> DatabaseUnavailable:
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
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
    engine = make_engine(url)
    try:
        revision = current_revision(engine)
    except OperationalError as error:
        engine.dispose()
        raise _connect_error(url, error) from None
    database = Database(url, engine)
    if require_current and revision != HEAD_REVISION:
        database.close()
        where = describe(url)
        if revision is None:
            raise SchemaOutdated(
                f"{where} is not a provenance database yet: run `provenance --db {where} init`"
            )
        raise SchemaOutdated(
            f"{where} is at schema revision {revision}, this program needs {HEAD_REVISION}: "
            "run `provenance db upgrade` (back up a shared database first)"
            if _is_older(revision)
            else f"{where} is at schema revision {revision}, newer than this program "
            f"({HEAD_REVISION}): upgrade provenance"
        )
    return database


def _is_older(revision: str) -> bool:
    return revision < HEAD_REVISION  # revisions are numbered 0001, 0002, …


# ---- migrations (Alembic is imported only here, and only when used) -----------------------


def alembic_config(connection: Any | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _migrate(url: str, action: str, revision: str) -> None:
    from alembic import command

    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Two upgrades at once must not race: serialise them on an advisory lock.
                connection.execute(text(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})"))
            getattr(command, action)(alembic_config(connection), revision)
    except OperationalError as error:
        raise _connect_error(url, error) from None
    finally:
        engine.dispose()


def initialise(url: str) -> tuple[str | None, str | None]:
    """Create the database (a SQLite file with mode 0600) or bring it to the newest schema.
    Returns the revisions before and after."""
    path = sqlite_path(url)
    if path is not None:
        create_sqlite_file(path)
    return upgrade(url, "head")


def upgrade(url: str, revision: str = "head") -> tuple[str | None, str | None]:
    before = revision_of(url)
    _migrate(url, "upgrade", revision)
    return before, revision_of(url)


def downgrade(url: str, revision: str) -> tuple[str | None, str | None]:
    before = revision_of(url)
    _migrate(url, "downgrade", revision)
    return before, revision_of(url)


def revision_of(url: str) -> str | None:
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise DatabaseUnavailable(f"no database at {path}: run `provenance init` to create it")
    engine = make_engine(url)
    try:
        return current_revision(engine)
    except OperationalError as error:
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
            "message": rev.doc,
        }
        for rev in script.walk_revisions()
    ]
