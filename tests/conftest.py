"""Test databases are real: a SQLite file per test, or, when PROVENANCE_TEST_POSTGRES_URL
is set, a PostgreSQL schema per test inside a database made for this test session.

The migrations, and `provenance seed` after them, run once per test session, into
templates: each test's SQLite file is a copy of a template file, and each test's
PostgreSQL schema replays the statements the migrations (and the seed) sent, recorded as
they ran. Every test run still tests the migrations and the seed, and a test does not pay
for Alembic and the seed's import (0.2 s and 0.5 s a test on PostgreSQL)."""

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


@pytest.fixture
def db_url(empty_url: str, templates: Templates) -> str:
    """A migrated, empty provenance database (see the module's docstring)."""
    return _build(empty_url, templates.migrated)


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
