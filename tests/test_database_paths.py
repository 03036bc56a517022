"""What `--db` names (found by an attack on the wheel): a plain path is a file, whatever
characters it holds; a file that is not a regular file, or another program's SQLite
database, is refused before SQLite touches it."""

import os
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_ENV, Cli, not_a_regular_file


@pytest.mark.parametrize("name", ["a?b.db", "e%20f.db", "real.db?mode=ro", "x#y@z.db"])
def test_a_plain_path_is_the_file_of_that_name(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    cli = Cli(name)
    cli.ok("init")
    cli.ok("source", "add", "desk")
    assert {p.name for p in tmp_path.iterdir()} <= {name, f"{name}-wal", f"{name}-shm"}
    assert [s["key"] for s in cli.json("source", "list")] == ["desk"]
    with sqlite3.connect(tmp_path / name) as connection:  # the data is in that very file
        assert connection.execute("SELECT key FROM sources").fetchall() == [("desk",)]


def test_an_empty_db_option_is_refused_not_taken_for_the_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = Cli("")("init")
    assert run.exit_code == 2 and "--db is empty" in run.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", ["device", "folder", "pipe"])
def test_a_database_that_is_not_a_regular_file_is_refused(tmp_path, kind):
    path = not_a_regular_file(tmp_path, kind, device="/dev/null")
    for command in (("init",), ("claim", "list"), ("db", "current")):
        run = Cli(str(path))(*command)
        assert run.exit_code == 4 and "not a regular file" in run.stderr, run.stderr
    assert not Path(f"{path}-journal").exists() and not Path(f"{path}-wal").exists()


def test_init_leaves_another_programs_sqlite_database_alone(tmp_path):
    other = tmp_path / "notes.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.execute("INSERT INTO notes VALUES ('mine')")
    before = other.read_bytes()
    run = Cli(str(other))("init")
    assert run.exit_code == 4 and "another program's SQLite database (tables: notes)" in run.stderr
    assert other.read_bytes() == before


def test_init_still_takes_an_empty_file_and_its_own_database(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    Cli(str(empty)).ok("init")
    Cli(str(empty)).ok("init")  # once more: already ours, nothing to do
    assert Cli(str(empty)).json("claim", "list") == []


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("://", "cannot parse database URL"),
        ("postgresql+nodriver://postgres@127.0.0.1/x", "unsupported driver 'postgresql+nodriver'"),
        ("postgresql+psycopg2://postgres@127.0.0.1/x", "unsupported driver 'postgresql+psycopg2'"),
        ("sqlite+pysqlcipher:///x.db", "unsupported driver 'sqlite+pysqlcipher'"),
        ("mysql://root@127.0.0.1/test", "unsupported database 'mysql'"),
    ],
)
def test_a_database_url_provenance_does_not_run_on_is_one_line_and_exit_4(url, said):
    """The attacker's URLs: an unknown driver and '://' were internal errors (exit 70),
    and psycopg2 was told to install psycopg, which was installed."""
    for command in (("claim", "list"), ("init",), ("export",)):
        run = Cli(url)(*command)
        assert run.exit_code == 4, run.stderr
        assert said in run.stderr and run.stderr.count("\n") == 1


@pytest.mark.parametrize("wait", ["nan", "inf", "1e999", "abc", "-1", "604801"])
def test_a_lock_wait_that_is_no_number_of_seconds_is_a_usage_error_and_changes_nothing(
    tmp_path, monkeypatch, wait
):
    """PROVENANCE_LOCK_WAIT=nan was an internal error once a writer waited; abc and -1
    were taken silently for the default and for no wait."""
    cli = Cli(f"sqlite:///{tmp_path / 'p.db'}")
    cli.ok("init")
    monkeypatch.setenv("PROVENANCE_LOCK_WAIT", wait)
    run = cli("source", "add", "wire", "--name", "Wire")
    assert run.exit_code == 2 and "PROVENANCE_LOCK_WAIT" in run.stderr, run.stderr
    fresh = Cli(f"sqlite:///{tmp_path / 'q.db'}")
    assert fresh("init").exit_code == 2 and not (tmp_path / "q.db").exists()
    monkeypatch.setenv("PROVENANCE_LOCK_WAIT", "5")
    assert cli.json("source", "list") == []


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_a_databases_companion_file_is_no_database(tmp_path, monkeypatch, suffix):
    """Found by an attacker: `--db w.db-wal` made a database in another program's live
    write-ahead log, and SQLite deleted that file (and all written there) when the other
    program closed w.db."""
    monkeypatch.chdir(tmp_path)
    Cli("w.db").ok("init")
    before = sorted(p.name for p in tmp_path.iterdir())
    for name in (f"w.db{suffix}", f"sqlite:///{tmp_path}/w.db{suffix}"):
        run = Cli(name)("init")
        assert run.exit_code == 2 and f"{suffix[1:]} file of" in run.stderr, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.skipif(
    bool(os.environ.get(POSTGRES_ENV)),
    reason="SQLite's file locking: the SQLite run of the suite checks it",
)
def test_inits_of_one_new_file_at_once_all_succeed(tmp_path):
    """An attacker's finding: of four `init`s racing on a new file, three often failed at
    once with "database is locked" (the migration's read lock could not become a write
    lock); the later ones now wait for the first and find the schema made."""
    import subprocess
    import sys

    path = tmp_path / "shared.db"
    command = [sys.executable, "-m", "provenance", "--db", str(path), "init"]
    for _ in range(3):
        path.unlink(missing_ok=True)
        runs = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(4)
        ]
        results = [(run.wait(timeout=120), run.stderr.read() if run.stderr else "") for run in runs]
        assert [code for code, _ in results] == [0, 0, 0, 0], results
        assert "current   true" in Cli(f"sqlite:///{path}").ok("db", "current").stdout
