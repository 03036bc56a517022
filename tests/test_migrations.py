"""Schema management on the real backends."""

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from provenance import db
from tests.test_audit import tamper


def test_head_revision_constant_matches_the_migrations():
    script = ScriptDirectory.from_config(db.alembic_config())
    assert script.get_current_head() == db.HEAD_REVISION


def test_models_match_the_migrations(db_url):
    """What `alembic check` does in CI, inside the suite too (on both backends)."""
    engine = db.make_engine(db_url)
    with engine.begin() as connection:
        command.check(db.alembic_config(connection))
    engine.dispose()


def test_downgrade_to_base_and_upgrade_again_keeps_working(cli, db_url):
    cli.ok("seed")
    # it drops every table: a database holding records asks for --yes, and keeps them,
    # its audit trail emptied behind provenance's back too
    run = cli("db", "downgrade", "base")
    assert run.exit_code == 1 and "pass --yes" in run.stderr and "1 event" in run.stderr
    tamper(db_url, "DELETE FROM event_keys", "DELETE FROM events")
    run = cli("db", "downgrade", "base")
    assert run.exit_code == 1 and "claims" in run.stderr and "event" not in run.stderr
    assert len(cli.json("claim", "list", "--limit", "0")) >= 20
    cli.ok("db", "downgrade", "base", "--yes")
    engine = db.make_engine(db_url)
    with engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    assert cli("claim", "list").exit_code == 4
    cli.ok("db", "upgrade")
    cli.ok("seed")
    assert len(cli.json("claim", "list", "--limit", "0")) >= 20


def test_commands_refuse_an_older_schema_and_say_what_to_run(cli, db_url):
    engine = db.make_engine(db_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
    engine.dispose()
    run = cli("claim", "list")
    assert run.exit_code == 4
    assert "provenance db upgrade" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_database_never_initialised_is_refused(empty_url):
    from tests.conftest import Cli

    run = Cli(empty_url)("source", "list")
    assert run.exit_code == 4
    assert "provenance" in run.stderr and "init" in run.stderr


def test_db_current_and_history(cli):
    current = cli.json("db", "current")
    assert current["revision"] == db.HEAD_REVISION and current["current"] is True
    history = cli.json("db", "history")
    assert history[0]["revision"] == db.HEAD_REVISION


def test_init_twice_says_it_is_current(cli):
    run = cli.ok("init")
    assert "already at the newest schema" in run.stderr


def test_new_sqlite_file_is_private(tmp_path):
    from tests.conftest import Cli

    path = tmp_path / "new.db"
    Cli(f"sqlite:///{path}").ok("init")
    assert path.stat().st_mode & 0o777 == 0o600


def test_missing_sqlite_file_is_not_created_by_other_commands(tmp_path):
    from tests.conftest import Cli

    path = tmp_path / "absent.db"
    run = Cli(str(path))("claim", "list")
    assert run.exit_code == 4 and "provenance init" in run.stderr
    assert not path.exists()


def test_unreachable_postgres_is_exit_4_without_the_password():
    from tests.conftest import Cli

    run = Cli("postgresql+psycopg://analyst:s3cret-pw@127.0.0.1:1/nowhere")("claim", "list")
    assert run.exit_code == 4
    assert "s3cret-pw" not in run.stderr and "s3cret-pw" not in run.stdout
    assert len(run.stderr.strip().splitlines()) == 1


def test_downgrade_and_upgrade_keep_the_data(cli):
    """With the seed set loaded: down to 0001 (no full-text index) and back to head."""
    cli.ok("seed")
    before = cli.ok("export").stdout
    # below 0004 withdrawals and merges would not survive: a database holding records asks
    run = cli("db", "downgrade", "0001")
    assert run.exit_code == 1 and "pass --yes" in run.stderr and "claims" in run.stderr
    assert cli.ok("export").stdout == before
    cli.ok("db", "downgrade", "0001", "--yes")
    assert cli("claim", "list").exit_code == 4
    cli.ok("db", "upgrade")
    assert cli.ok("export").stdout == before
    assert [r["key"] for r in cli.json("claim", "list", "--search", "Lashio")] == [
        "junta-retook-lashio-april"
    ]


def test_source_dependence_tables_round_trip_with_data(cli, db_url, tmp_path):
    """0005 down to 0003 and back with suspected pairs and a decision stored: everything
    else is kept (the decision stays in the audit trail), and the next scoring run finds
    the same pairs and gives the same export."""
    from tests.conftest import write_json
    from tests.test_copies import copier_world

    document, _ = copier_world(copiers=1, merged=True)
    cli.ok("import", str(write_json(tmp_path / "w.json", document)))
    cli.ok("source", "score")
    pairs = cli.json("source", "copies")
    assert pairs
    before = cli.ok("export").stdout
    cli.ok("source", "copies", "--reject", "h0", "h1")
    cli.ok("db", "downgrade", "0003", "--yes")
    engine = db.make_engine(db_url)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert not tables & {"source_dependence", "dependence_decisions"}
    assert "scoring_runs" in tables
    cli.ok("db", "upgrade")
    assert cli.json("source", "copies") == []
    assert any(e["action"] == "source.copies.reject" for e in cli.json("log"))
    cli.ok("source", "score")
    assert cli.ok("export").stdout == before
    assert [(p["a"], p["b"]) for p in cli.json("source", "copies")] == [
        (p["a"], p["b"]) for p in pairs
    ]


def test_event_keys_are_rebuilt_from_the_trail_on_upgrade(cli, db_url):
    """0007 down to 0006 (history found by reading payloads) and back: the table of event
    keys is filled from the events already there, so a claim's history is the same."""
    cli.ok("seed")
    key = "nug-air-attacks-since-quake"
    cli.ok("claim", "status", key, "disputed", "--note", "one source")
    cli.ok("claim", "edit", key, "--set", "place=Sagaing")
    before = cli.json("claim", "show", key)["history"]
    assert {"import", "claim.status", "claim.edit"} <= {e["action"] for e in before}
    cli.ok("db", "downgrade", "0006")
    engine = db.make_engine(db_url)
    with engine.connect() as connection:
        assert "event_keys" not in set(inspect(connection).get_table_names())
    engine.dispose()
    cli.ok("db", "upgrade")
    assert cli.json("claim", "show", key)["history"] == before
    # Other claims' histories do not bleed in.
    other = cli.json("claim", "show", "junta-retook-lashio-april")["history"]
    assert not {"claim.status", "claim.edit"} & {e["action"] for e in other}


def test_a_renamed_claim_keeps_its_history_and_so_does_the_upgrade(cli):
    """`claim edit --key` keeps the claim's history (the README says so): its events under
    the old key stay its own, through two renames and through migration 0007's refill."""
    cli.ok("seed")
    cli.ok("claim", "status", "nug-air-attacks-since-quake", "disputed", "--note", "one source")
    cli.ok("claim", "edit", "nug-air-attacks-since-quake", "--key", "air-attacks")
    renamed = cli.ok("claim", "edit", "air-attacks", "--key", "air-attacks-nug")
    assert "changed key" in renamed.stderr + renamed.stdout
    history = cli.json("claim", "show", "air-attacks-nug")["history"]
    actions = [e["action"] for e in history]
    assert actions[0] == "import" and "claim.status" in actions
    assert actions.count("claim.edit") == 2
    cli.ok("db", "downgrade", "0006")
    cli.ok("db", "upgrade")
    assert cli.json("claim", "show", "air-attacks-nug")["history"] == history


# Alembic's own grammar once reached it: `x@base` dropped every table, `''` traced back.
@pytest.mark.parametrize("revision", ["", "@", "base@", "x@base", "base-1", "heads", "-1", "0011"])
def test_a_revision_that_is_not_one_of_history_changes_nothing(seeded, revision):
    before = seeded.json("claim", "list", "--limit", "0")
    for action in ("downgrade", "upgrade"):
        run = seeded("db", action, "--", revision)
        assert run.exit_code == 1, run.stderr
        assert run.stderr.startswith("error: unknown revision") and run.stderr.count("\n") == 1
    assert seeded.json("db", "current")["revision"] == db.HEAD_REVISION
    assert seeded.json("claim", "list", "--limit", "0") == before


def test_a_migration_in_the_wrong_direction_is_refused(seeded):
    seeded.ok("db", "downgrade", "0005")
    run = seeded("db", "upgrade", "0003")
    assert run.exit_code == 1 and "the schema is at 0005, already newer" in run.stderr
    run = seeded("db", "downgrade", "0007")
    assert run.exit_code == 1 and "the schema is at 0005, already older" in run.stderr
    assert seeded.json("db", "current")["revision"] == "0005"
    seeded.ok("db", "upgrade", "0007")
    assert seeded.json("db", "current")["revision"] == "0007"


def test_history_gives_each_revision_one_line_of_message(cli):
    history = cli.json("db", "history")
    assert [r["revision"] for r in history][-1] == "0001"
    assert all(r["message"] and "\n" not in r["message"] for r in history)
    assert (
        "`claim list --property P` pages a property's claims oldest first" in history[0]["message"]
    )
