"""What `export --out` writes to (issue 16, found by an attack on the wheel): a file is
replaced only when the export is whole; a link, a pipe or standard output stays what it
was; a killed export leaves the old file and no half-written one."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.capped import one_line_errors, provenance


def test_an_export_through_a_symlink_writes_its_target_and_keeps_the_link(seeded, tmp_path):
    target = tmp_path / "shared" / "claims.json"
    target.parent.mkdir()
    target.write_text("the old export")
    target.chmod(0o640)
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    seeded.ok("export", "--out", str(link))
    assert link.is_symlink() and link.resolve() == target
    assert {c["key"] for c in json.loads(target.read_text())["claims"]} >= {
        "junta-ceasefire-extension"
    }
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the file keeps its permissions
    assert sorted(p.name for p in target.parent.iterdir()) == ["claims.json"]


def test_a_new_export_gets_a_new_files_permissions_not_a_temporary_files(seeded, tmp_path):
    old_umask = os.umask(0o022)
    try:
        seeded.ok("export", "--out", str(tmp_path / "report.json"))
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "report.json").stat().st_mode) == 0o644


def test_an_export_into_a_named_pipe_streams_into_it_and_leaves_the_pipe(seeded, tmp_path):
    pipe = tmp_path / "to-the-report-builder"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # a reader waits at the other end
    try:
        seeded.ok("export", "-f", "jsonl", "--out", str(pipe))  # fits the pipe's buffer
        received = b""
        while chunk := os.read(reader, 1 << 16):
            received += chunk
    except BlockingIOError:
        pass
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    lines = [json.loads(line) for line in received.decode().splitlines()]
    assert {"source", "claim"} <= {line["type"] for line in lines}


def test_a_sqlite_export_into_a_pipe_is_refused_in_one_line(seeded, tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    run = seeded("export", "-f", "sqlite", "--out", str(pipe))
    assert run.exit_code == 1 and "needs a regular file" in run.stderr
    assert stat.S_ISFIFO(pipe.stat().st_mode)


@pytest.mark.parametrize("name", ["/dev/stdout", "/proc/self/fd/1"])
def test_an_export_to_standard_output_by_name_writes_to_standard_output(seeded, name):
    if not Path(name).exists():
        pytest.skip(f"no {name} on this system")
    run = provenance(seeded.url, "export", "-f", "jsonl", "--out", name, timeout=60)
    assert run.returncode == 0, run.stderr
    assert any(json.loads(line)["type"] == "claim" for line in run.stdout.splitlines())


def test_an_export_whose_standard_output_is_the_database_is_refused(seeded, tmp_path):
    """Found by the attacker: `export >> db.db` appended a JSON document to the database,
    though `--out db.db` and `-o /dev/stdout` into it were refused."""
    from provenance.db import sqlite_path

    database = sqlite_path(seeded.url)
    if database is None:
        pytest.skip("a PostgreSQL database has no file to append to")
    before = database.read_bytes()
    with database.open("ab") as appended:
        run = subprocess.run(
            [sys.executable, "-m", "provenance", "--db", seeded.url, "export"],
            stdout=appended,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert run.returncode == 1 and "standard output is the open database" in run.stderr
    assert database.read_bytes() == before
    elsewhere = tmp_path / "fine.json"
    with elsewhere.open("w") as out:
        subprocess.run(
            [sys.executable, "-m", "provenance", "--db", seeded.url, "export"],
            stdout=out,
            timeout=60,
            check=True,
        )
    assert json.loads(elsewhere.read_text())["claims"]


RUN_MAIN = """
from provenance.cli import main
sys.argv = ["provenance", *sys.argv[1:]]
main()
"""


def patched(patch: str, *args: str) -> list[str]:
    """The command line ``provenance ARGS…`` in a child that runs ``patch`` first (a stand-in
    for the one step under test: a full disk, a kill half way, a long query)."""
    return [sys.executable, "-c", "import sys\n" + patch + RUN_MAIN, *args]


def run_patched(patch: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(patched(patch, *args), capture_output=True, text=True, timeout=60)


DISK_FULL_HALF_WAY = """
import resource, signal, sys
from provenance.io import formats

whole = formats.write_json

def onto_a_full_disk(job, stream):  # the database is open: only the export meets the cap
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
    whole(job, stream)

formats.write_json = onto_a_full_disk
"""


def test_an_export_the_disk_cannot_hold_is_one_line_and_leaves_the_old_file(seeded, tmp_path):
    target = tmp_path / "claims.json"
    target.write_text("the old, whole export")
    run = run_patched(DISK_FULL_HALF_WAY, "--db", seeded.url, "export", "-o", str(target))
    assert run.returncode == 1 and one_line_errors(run.stderr), run.stderr
    assert f"cannot write {target}: File too large" in run.stderr
    assert target.read_text() == "the old, whole export"
    assert [p.name for p in tmp_path.iterdir() if "claims" in p.name] == ["claims.json"]


KILLED_HALF_WAY = """
import os, signal, sys
from provenance.io import formats

def half_then_killed(job, stream):
    stream.write('{"claims": [')
    stream.flush()
    os.kill(os.getpid(), signal.SIGTERM)  # a job runner's timeout, `kill`
    stream.write("]}")

formats.write_json = half_then_killed
"""


def test_a_killed_export_leaves_the_old_file_and_no_half_written_one(seeded, tmp_path):
    target = tmp_path / "claims.json"
    target.write_text("the old, whole export")
    run = run_patched(KILLED_HALF_WAY, "--db", seeded.url, "export", "-o", str(target))
    assert run.returncode == 143 and one_line_errors(run.stderr), run.stderr
    assert "terminated" in run.stderr
    assert target.read_text() == "the old, whole export"
    assert [p.name for p in tmp_path.iterdir() if "claims" in p.name] == ["claims.json"]


LONG_QUERY = """
import sys
from sqlalchemy import text
from provenance.services import claims

def a_long_query(session, *args, **kwargs):
    print("started", flush=True)
    session.execute(text(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000000)"
        " SELECT count(*) FROM c"
    )).all()

claims.list_claims = a_long_query
"""


@pytest.mark.parametrize(
    ("signal_name", "exit_code", "said"),
    [
        # Python runs its Ctrl-C handler between its own instructions: a long SQLite query
        # went on to its end. The query now stops, the command says so and exits 130.
        ("SIGINT", 130, "error: interrupted; a write that had not finished is rolled back\n"),
        # Only an export's writing catches SIGTERM: a Python handler waits for the query
        # under way to return, and `kill` once left `claim list` running for 20 minutes.
        ("SIGTERM", -15, ""),
    ],
)
def test_a_signal_ends_a_long_query_at_once(tmp_path, signal_name, exit_code, said):
    import signal
    import time

    from tests.conftest import Cli

    url = f"sqlite:///{tmp_path / 'long.db'}"
    Cli(url).ok("init")
    child = subprocess.Popen(
        patched(LONG_QUERY, "--db", url, "claim", "list"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "started"
        time.sleep(0.5)  # inside the query
        started = time.monotonic()
        child.send_signal(getattr(signal, signal_name))
        assert child.wait(timeout=20) == exit_code
        assert time.monotonic() - started < 10
        assert child.stderr is not None and child.stderr.read() == said
    finally:
        child.kill()
        child.wait()


def test_an_export_never_overwrites_a_database(seeded, tmp_path):
    """`export -o other.db` overwrote a second provenance database (and any SQLite
    database) with JSON: only the open database was guarded. An earlier `export -f sqlite`
    and a file that is no database are written again, as before."""
    import sqlite3

    from tests.conftest import Cli

    other = tmp_path / "other.db"
    Cli(f"sqlite:///{other}").ok("init")
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    for path, what in ((other, "a provenance database"), (foreign, "another program's SQLite")):
        before = path.read_bytes()
        for fmt in ("json", "sqlite", "csv"):
            run = seeded("export", "-f", fmt, "-o", str(path))
            assert run.exit_code == 1 and one_line_errors(run.stderr), run.stderr
            assert f"--out {path} is {what}" in run.stderr
            assert path.read_bytes() == before
    flat = tmp_path / "flat.sqlite"
    seeded.ok("export", "-f", "sqlite", "-o", str(flat))
    seeded.ok("export", "-f", "sqlite", "-o", str(flat))  # an export's own file: again
    plain = tmp_path / "claims.json"
    plain.write_text("an older export")
    seeded.ok("export", "-o", str(plain))
    assert json.loads(plain.read_text())["claims"]


def test_an_export_never_overwrites_a_locked_damaged_or_companion_database_file(seeded, tmp_path):
    """The second attack: a database another program held locked was read as "no
    database" and overwritten; so were a database cut short and the `-wal` file holding
    another database's uncheckpointed writes."""
    import sqlite3

    locked = tmp_path / "locked.db"
    holder = sqlite3.connect(locked, isolation_level=None)
    holder.execute("CREATE TABLE customers (x)")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO customers VALUES (1)")
    app = tmp_path / "app.db"
    with sqlite3.connect(app) as connection:
        connection.execute("CREATE TABLE t (x)")
        connection.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(2000)])
    cut = tmp_path / "cut.db"
    cut.write_bytes(app.read_bytes()[:4096])
    wal = tmp_path / "app.db-wal"
    wal.write_bytes(b"uncheckpointed pages")
    try:
        for path, what in (
            (locked, "a SQLite database that cannot be read"),
            (cut, "a SQLite database that cannot be read"),
            (wal, f"the -wal file of the database {app}"),
        ):
            before = path.read_bytes()
            run = seeded("export", "-o", str(path))
            assert run.exit_code == 1 and one_line_errors(run.stderr), run.stderr
            assert f"--out {path} is {what}" in run.stderr
            assert path.read_bytes() == before
    finally:
        holder.close()


def test_an_export_to_dash_writes_to_standard_output(seeded, tmp_path, monkeypatch):
    """`export -o -` wrote a file named "-" (and `-f sqlite` "wrote -")."""
    monkeypatch.chdir(tmp_path)
    assert json.loads(seeded.ok("export", "-o", "-").stdout)["claims"]
    assert seeded("export", "-f", "sqlite", "-o", "-").exit_code == 2
    assert not (tmp_path / "-").exists()
