"""Test databases are real: a SQLite file per test, or, when PROVENANCE_TEST_POSTGRES_URL
is set, a PostgreSQL schema per test inside a database made for this test session.

The migrations, and `provenance seed` after them, run once per test session, into
templates: each test's SQLite file is a copy of a template file, and each test's
PostgreSQL schema replays the statements the migrations (and the seed) sent, recorded as
they ran. Every test run still tests the migrations and the seed, and a test does not pay
for Alembic and the seed's import (0.2 s and 0.5 s a test on PostgreSQL).

On PostgreSQL a test's schema is used again when the test left its shape as it found it:
its rows are deleted, its sequences set back, its pages vacuumed and its planner
statistics forgotten, which costs 0.05 s where making and dropping a schema cost 0.6 s
(the PostgreSQL run took as long as the SQLite run and again half of it). A schema whose
tables, columns, indexes, constraints, triggers, functions or migration revision a test
changed is dropped."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from provenance.cli import app_for
from provenance.db import initialise, make_engine

POSTGRES_ENV = "PROVENANCE_TEST_POSTGRES_URL"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = Path(__file__).resolve().parents[1] / "seeds" / "myanmar-2025-05.json"


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str | None]:
    """A fresh PostgreSQL database for the whole test session (dropped at the end)."""
    base = postgres_url()
    if base is None:
        yield None
        return
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    name = f"provenance_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        # a commit need not wait for the disk: the database is thrown away at the end
        connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass(frozen=True)
class Statement:
    sql: str
    parameters: Any


def recorded_statements(run: Callable[[], object]) -> list[Statement]:
    """Every statement ``run`` sends to a database, with its parameters, in order. Reads
    are kept too: some advance a sequence (``nextval``)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    sent: list[Statement] = []

    def record(conn: Any, cursor: Any, sql: str, parameters: Any, context: Any, many: bool) -> None:
        sent.append(Statement(sql, parameters))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    return sent


def _replay(url: str, statements: list[Statement]) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement.sql, statement.parameters)
    finally:
        engine.dispose()


def _copies_of_the_seed(engine: Any) -> list[Statement]:
    """Statements that copy the seeded template's rows and sequences into the current
    schema (the seed's import writes with COPY, which no statement hook sees)."""
    from sqlalchemy import MetaData, text

    metadata = MetaData()
    with engine.connect() as connection:
        metadata.reflect(connection, schema=TEMPLATE)
        sequences = connection.execute(
            text("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = :schema"),
            {"schema": TEMPLATE},
        ).all()
    copies = []
    for table in metadata.sorted_tables:
        if table.name == "alembic_version":  # the migrations' statements wrote it
            continue
        columns = ", ".join(f'"{c.name}"' for c in table.columns if c.computed is None)
        copies.append(
            Statement(
                f'INSERT INTO "{table.name}" ({columns}) '
                f'SELECT {columns} FROM {TEMPLATE}."{table.name}"',
                {},
            )
        )
    for name, last_value in sequences:
        if last_value is not None:
            copies.append(Statement(f"SELECT setval('{name}', {int(last_value)})", {}))
    return copies


@dataclass(frozen=True)
class Templates:
    """The newest schema, built once by the migrations, empty and seeded: SQLite files to
    copy, or the statements that build them in a PostgreSQL schema."""

    migrated: Path | list[Statement]
    seeded: Path | list[Statement]


@pytest.fixture(scope="session")
def templates(
    tmp_path_factory: pytest.TempPathFactory, postgres_database: str | None
) -> Iterator[Templates]:
    if postgres_database is None:
        folder = tmp_path_factory.mktemp("templates")
        migrated, seeded = folder / "migrated.db", folder / "seeded.db"
        initialise(f"sqlite:///{migrated}")
        shutil.copyfile(migrated, seeded)
        Cli(f"sqlite:///{seeded}").ok("seed")
        yield Templates(migrated, seeded)
        return
    from sqlalchemy import text

    engine = make_engine(postgres_database)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {TEMPLATE}"))
    url = _schema_url(postgres_database, TEMPLATE)
    try:
        migration = recorded_statements(lambda: initialise(url))
        Cli(url).ok("seed")
        yield Templates(migration, _copies_of_the_seed(engine))
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {TEMPLATE} CASCADE"))
        engine.dispose()


#: The schema the templates are built in on PostgreSQL.
TEMPLATE = "template"


def _schema_url(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture
def empty_url(tmp_path: Path, postgres_database: str | None) -> Iterator[str]:
    """A database URL with nothing in it yet (no schema)."""
    if postgres_database is None:
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    from sqlalchemy import text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = make_engine(postgres_database)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield _schema_url(postgres_database, schema)
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


def _build(url: str, template: Path | list[Statement]) -> str:
    if isinstance(template, Path):
        path = Path(url.removeprefix("sqlite:///"))
        shutil.copyfile(template, path)
        path.chmod(0o600)
    else:
        _replay(url, template)
    return url


@pytest.fixture(scope="session")
def postgres_engine(postgres_database: str | None) -> Iterator[Any]:
    """One engine on the session's PostgreSQL database for the fixtures' own statements."""
    if postgres_database is None:
        yield None
        return
    engine = make_engine(postgres_database)
    try:
        yield engine
    finally:
        engine.dispose()


@dataclass(frozen=True)
class _Schema:
    """A migrated PostgreSQL schema, what it looked like when it was made, and the
    statements that empty it back to that."""

    name: str
    fingerprint: str
    emptying: str
    vacuuming: str


#: Migrated schemas that a test left as it found them, emptied for the next test.
_RECYCLED: list[_Schema] = []

#: Everything about a schema that a test could change and DELETE would not undo: its
#: tables, columns, indexes, constraints, triggers and functions.
_SHAPE = """
SELECT md5(string_agg(part, ',' ORDER BY part)) FROM (
  SELECT 'r:' || c.relname::text || ':' || c.relkind::text
    FROM pg_class c WHERE c.relnamespace = to_regnamespace(:schema)::oid
  UNION ALL SELECT 'c:' || conname::text || ':' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = to_regnamespace(:schema)::oid
  UNION ALL SELECT 'i:' || indexdef FROM pg_indexes WHERE schemaname = :schema
  UNION ALL SELECT 't:' || tgname::text FROM pg_trigger
    WHERE NOT tgisinternal AND tgrelid IN (
      SELECT oid FROM pg_class WHERE relnamespace = to_regnamespace(:schema)::oid)
  UNION ALL SELECT 'f:' || proname::text || md5(prosrc)
    FROM pg_proc WHERE pronamespace = to_regnamespace(:schema)::oid
  UNION ALL SELECT 'a:' || table_name::text || '.' || column_name::text || ':'
      || data_type::text || ':' || coalesce(column_default::text, '') || is_nullable::text
    FROM information_schema.columns WHERE table_schema = :schema
) AS parts(part)
"""
#: Planner statistics, as a fresh schema has none (a superuser may write the catalogs;
#: without that right a schema a test analysed is dropped instead).
_FORGETTING = """
DELETE FROM pg_catalog.pg_statistic WHERE starelid IN (
  SELECT oid FROM pg_class WHERE relnamespace = to_regnamespace(:schema)::oid);
UPDATE pg_catalog.pg_class SET reltuples = -1, relpages = 0, relallvisible = 0
  WHERE relnamespace = to_regnamespace(:schema)::oid AND relkind IN ('r', 'i', 'm', 't')
"""


def _fingerprint(connection: Any, schema: str) -> str:
    from sqlalchemy import text

    shape = connection.execute(text(_SHAPE), {"schema": schema}).scalar()
    version = connection.execute(text(f'SELECT version_num FROM "{schema}".alembic_version'))
    return f"{shape}:{sorted(row[0] for row in version)}"


def _emptying(connection: Any, schema: str) -> tuple[str, str]:
    """The statements that empty a schema: DELETE from every table but alembic_version,
    dependants first, each sequence set back to its start; then VACUUM of every table."""
    from sqlalchemy import MetaData, text

    metadata = MetaData()
    metadata.reflect(connection, schema=schema)
    deletes = [
        f'DELETE FROM "{schema}"."{table.name}"'
        for table in reversed(metadata.sorted_tables)
        if table.name != "alembic_version"
    ]
    sequences = connection.execute(
        text("SELECT sequencename, start_value FROM pg_sequences WHERE schemaname = :schema"),
        {"schema": schema},
    ).all()
    resets = [
        f'SELECT setval(\'"{schema}"."{name}"\', {int(start)}, false)' for name, start in sequences
    ]
    vacuum = "VACUUM " + ", ".join(f'"{schema}"."{table.name}"' for table in metadata.sorted_tables)
    return "; ".join(deletes + resets), vacuum


def _new_schema(engine: Any, url: str, templates: Templates) -> _Schema:
    from sqlalchemy import text

    name = f"t_{uuid.uuid4().hex[:12]}"
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {name}"))
    assert isinstance(templates.migrated, list)
    _replay(_schema_url(url, name), templates.migrated)
    with engine.connect() as connection:
        return _Schema(name, _fingerprint(connection, name), *_emptying(connection, name))


def _give_back(engine: Any, schema: _Schema) -> None:
    """Empty the schema for the next test if the test left its shape as it was, and
    forget its planner statistics; drop it otherwise (a migration test, an index dropped)."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with engine.begin() as connection:
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            same = _fingerprint(connection, schema.name) == schema.fingerprint
            if same:
                connection.exec_driver_sql(schema.emptying)
        if same:
            # the deleted rows' pages too: the planner reads a table's size where it has
            # no statistics, and a page of 50 was sorted where a fresh schema's was not
            with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as connection:
                connection.exec_driver_sql(schema.vacuuming)
            with engine.begin() as connection:
                for statement in _FORGETTING.split(";"):
                    connection.execute(text(statement), {"schema": schema.name})
            _RECYCLED.append(schema)
            return
    except SQLAlchemyError:
        pass
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema.name} CASCADE"))


@pytest.fixture
def db_url(
    tmp_path: Path,
    postgres_database: str | None,
    postgres_engine: Any,
    templates: Templates,
) -> Iterator[str]:
    """A migrated, empty provenance database (see the module's docstring: on PostgreSQL,
    perhaps a schema an earlier test used, emptied)."""
    if postgres_database is None:
        yield _build(f"sqlite:///{tmp_path / 'test.db'}", templates.migrated)
        return
    schema = (
        _RECYCLED.pop() if _RECYCLED else _new_schema(postgres_engine, postgres_database, templates)
    )
    try:
        yield _schema_url(postgres_database, schema.name)
    finally:
        _give_back(postgres_engine, schema)


@pytest.fixture
def backend(db_url: str) -> str:
    return "postgresql" if db_url.startswith("postgresql") else "sqlite"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


class Cli:
    """Runs `provenance --db URL …` in-process, as a user would type it, through the app
    ``main`` would assemble for that command line."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, analyst: str = "tester") -> Run:
        line = ["--db", self.url, "--analyst", analyst, *args]
        result = self.runner.invoke(
            app_for(line),
            line,
            input=input,
            env={"COLUMNS": "200"},
        )
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        # a bug is one line and exit 70: no test that expects a refusal may pass on one
        assert "error: internal error (" not in result.stderr, result.stderr
        return Run(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str, **kwargs: Any) -> Run:
        run = self(*args, **kwargs)
        assert run.exit_code == 0, f"exit {run.exit_code}: {run.stderr}"
        return run

    def json(self, *args: str) -> Any:
        return self.ok(*args, "-f", "json").json()


@pytest.fixture
def cli(db_url: str) -> Cli:
    return Cli(db_url)


@pytest.fixture
def seeded(db_url: str, templates: Templates) -> Cli:
    """The test's database holding the seed, as `provenance seed` leaves it (see the
    module's docstring)."""
    return Cli(_build(db_url, templates.seeded))


@pytest.fixture
def session(db_url: str) -> Iterator[Any]:
    """A write transaction on the test database, for calling services directly."""
    from provenance.db import open_database

    database = open_database(db_url)
    try:
        with database.transaction() as s:
            yield s
    finally:
        database.close()


def not_a_regular_file(tmp_path: Path, kind: str, *, device: str = "/dev/zero") -> Path:
    """A path that is no regular file: ``device`` (skipped where the system has none), a
    named pipe (opening it for reading would wait for a writer) or a folder."""
    if kind == "device":
        if not Path(device).exists():
            pytest.skip(f"no {device} on this system")
        return Path(device)
    path = tmp_path / kind
    if kind == "pipe":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        raise ValueError(kind)
    return path


def write_json(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
