"""Test databases are real: a SQLite file per test, or, when PROVENANCE_TEST_POSTGRES_URL
is set, a PostgreSQL schema per test inside a database made for this test session. Each
is built by running the migrations, so every test run tests them too."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
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
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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


@pytest.fixture
def db_url(empty_url: str) -> str:
    """A migrated, empty provenance database."""
    initialise(empty_url)
    return empty_url


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
def seeded(cli: Cli) -> Cli:
    cli.ok("seed")
    return cli


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
