"""The audit trail cannot be emptied unnoticed, and a writer waits out a long import
(issue 16, items 10 and 11), on SQLite and PostgreSQL."""

import threading
import time

import pytest

from tests.capped import one_line_errors


def run_sql(url: str, *statements: str) -> None:
    from sqlalchemy import text

    from provenance.db import make_engine

    engine = make_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def test_deleting_every_event_is_a_broken_trail(seeded, db_url):
    run_sql(db_url, "DELETE FROM events")
    run = seeded("audit", "verify")
    assert run.exit_code == 1 and one_line_errors(run.stderr)
    assert "audit trail broken: it has no events, but the database holds 29 claims" in run.stderr


def test_an_empty_database_has_an_intact_empty_trail(cli):
    assert cli.ok("audit", "verify").stderr.startswith("audit chain intact: 0 events")


def hold_the_write_lock(url: str, seconds: float) -> threading.Thread:
    """Another writer's long transaction (an import), in its own connection."""
    from sqlalchemy import text

    from provenance.db import WRITER_LOCK, make_engine

    held = threading.Event()

    def hold() -> None:
        engine = make_engine(url)
        if url.startswith("sqlite"):
            engine = engine.execution_options(sqlite_begin="IMMEDIATE")
        with engine.begin() as connection:
            if url.startswith("postgresql"):
                connection.execute(text(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})"))
            held.set()
            time.sleep(seconds)
        engine.dispose()

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    return thread


def write_while_locked(cli, db_url, seconds, *args):
    """Run a write while another connection holds the writers' lock for ``seconds``;
    returns the run and how long it took."""
    holder = hold_the_write_lock(db_url, seconds)
    started = time.monotonic()
    run = cli(*args)
    waited = time.monotonic() - started
    holder.join()
    return run, waited


def test_a_writer_waits_for_a_long_transaction_and_says_so(cli, db_url):
    run, waited = write_while_locked(cli, db_url, 5, "source", "add", "patient")
    assert run.exit_code == 0, run.stderr
    assert waited >= 3 and "waiting for another writer (an import?) to finish" in run.stderr
    assert [s["key"] for s in cli.json("source", "list")] == ["patient"]


def test_a_writer_gives_up_after_the_configured_wait_with_one_line(cli, db_url, monkeypatch):
    monkeypatch.setenv("PROVENANCE_LOCK_WAIT", "1")
    run, _ = write_while_locked(cli, db_url, 6, "source", "add", "impatient")
    assert run.exit_code == 4, run.stderr
    lines = run.stderr.strip().splitlines()
    assert lines[0].startswith("waiting for another writer") and one_line_errors(lines[-1])
    assert cli.json("source", "list") == []


def test_with_no_configured_wait_a_writer_still_waits_in_silence_first(cli, db_url, monkeypatch):
    """`PROVENANCE_LOCK_WAIT=0`: a writer waits its quiet two seconds, as every writer does,
    then gives up with one line, on both databases (PostgreSQL gave up at once)."""
    monkeypatch.setenv("PROVENANCE_LOCK_WAIT", "0")
    run, waited = write_while_locked(cli, db_url, 4, "source", "add", "impatient")
    assert run.exit_code == 4, run.stderr
    assert waited >= 1.8
    assert cli.json("source", "list") == []


def test_a_write_on_a_read_only_server_is_one_line_and_exit_4(seeded, db_url):
    """A hot standby (or a read-only session) refuses writes: one line naming why, exit 4,
    nothing changed (it was a traceback)."""
    if not db_url.startswith("postgresql"):
        pytest.skip("read-only sessions are a PostgreSQL setting")
    from tests.conftest import Cli

    read_only = Cli(db_url + "&options=-cdefault_transaction_read_only%3Don")
    for write in (
        ("claim", "add", "A claim on a standby", "--source", "nug"),
        ("claim", "status", "quake-magnitude", "disputed", "--note", "standby"),
    ):
        run = read_only(*write)
        assert run.exit_code == 4, run.stderr
        (line,) = run.stderr.strip().splitlines()
        assert line.startswith("error: database error: ") and "read-only transaction" in line
    assert seeded.json("claim", "show", "quake-magnitude")["status"] != "disputed"


def test_a_verdict_written_through_core_waits_for_a_writer_too(seeded, db_url):
    """`claim status` writes through a Core connection, not the ORM session; it queues
    behind another writer the same way, and its event chains onto the last one."""
    run, waited = write_while_locked(
        seeded, db_url, 4, "claim", "status", "quake-magnitude", "disputed", "--note", "one outlet"
    )
    assert run.exit_code == 0, run.stderr
    assert waited >= 2 and "waiting for another writer" in run.stderr
    assert seeded.json("claim", "show", "quake-magnitude")["status"] == "disputed"
    assert "audit chain intact" in seeded.ok("audit", "verify", "--deep").stderr


def test_a_subject_a_command_creates_is_in_its_event(seeded):
    """`claim add` and `claim edit` create the entity a new subject names: the write's
    event records that creation, so the deep check finds every stored record in the
    trail, and a past state rebuilds the entity with the name the analyst typed."""
    seeded.ok("claim", "add", "Shelling reported", "--source", "nug", "--key", "s1",
              "--subject", "Brand New Town", "--new-entity")  # fmt: skip
    seeded.ok("claim", "add", "Convoy seen", "--source", "nug", "--key", "s2")
    seeded.ok("claim", "edit", "s2", "--subject", "Other New Town", "--new-entity")
    edited, _, added = seeded.json("log", "--limit", "3")  # newest first

    def created(event):
        return [(c["kind"], c["key"]) for c in event["payload"]["changes"] if c["before"] is None]

    assert created(added) == [("entity", "brand-new-town"), ("claim", "s1")]
    assert created(edited) == [("entity", "other-new-town")]
    assert "every record matches its history" in seeded.ok("audit", "verify", "--deep").stderr
    past = seeded.json("export", "--as-of", str(added["seq"]))
    names = {entity["key"]: entity["name"] for entity in past["entities"]}
    assert names["brand-new-town"] == "Brand New Town"
    assert "other-new-town" not in names


def test_every_action_a_write_records_is_one_log_action_takes():
    """`log --action` refuses what the trail never records, so the list must hold every
    action the code writes: each ``action="…"`` and each action default."""
    import ast
    from pathlib import Path

    from provenance.analysis.queue import FROM_CHANGES, SCOPES
    from provenance.cli.data import DEMO_MARK
    from provenance.vocab import ACTIONS

    written = {DEMO_MARK, "db.baseline"}
    for path in (Path(__file__).resolve().parents[1] / "provenance").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            pairs: list = []
            if isinstance(node, ast.keyword):
                pairs = [(node.arg, node.value)]
            elif isinstance(node, ast.arguments):
                positional = node.args[len(node.args) - len(node.defaults) :]
                pairs = [(a.arg, d) for a, d in zip(positional, node.defaults, strict=True)]
                pairs += [
                    (a.arg, d) for a, d in zip(node.kwonlyargs, node.kw_defaults, strict=True)
                ]
            for name, value in pairs:
                if name == "action" and isinstance(value, ast.Constant) and value.value:
                    written.add(value.value)
    assert written <= ACTIONS, written - ACTIONS
    assert set(SCOPES) | FROM_CHANGES <= ACTIONS
    assert "claim.withdraw" in written and "source.score" in written


def test_log_refuses_an_action_the_trail_never_records(seeded):
    run = seeded("log", "--action", "claim.stat")
    assert run.exit_code == 2 and "did you mean claim.status" in run.stderr
    assert seeded.json("log", "--action", "claim.merge") == []  # known, none yet
    assert {e["action"] for e in seeded.json("log", "--action", "import")} == {"import"}


def test_log_until_the_last_day_there_is_reads_to_its_end(seeded):
    assert seeded.json("log", "--until", "9999-12-31") == seeded.json("log")
    run = seeded("log", "--since", "0001-01-01T00:00+01:00")
    assert run.exit_code == 1 and "--since" in run.stderr and "outside the years" in run.stderr
