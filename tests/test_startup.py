"""Start-up and the shape of the command line."""

import subprocess
import sys

from typer.main import get_command

from provenance.cli import app


def test_help_does_not_import_sqlalchemy_or_pydantic():
    probe = (
        "import sys\n"
        "sys.argv = ['provenance', '--help']\n"
        "from provenance.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sqlalchemy', 'alembic', 'pydantic') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "Usage" in out.stdout
    assert "HEAVY []" in out.stdout


def test_python_dash_m_runs_the_same_program():
    out = subprocess.run(
        [sys.executable, "-m", "provenance", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.startswith("provenance ")


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        path = (*prefix, name)
        if hasattr(command, "commands"):
            yield from _commands(command, path)
        yield path, command


def test_every_command_explains_itself():
    missing = [
        " ".join(path)
        for path, command in _commands(get_command(app))
        if not (command.help or "").strip()
    ]
    assert missing == []


def test_the_contracts_commands_exist():
    names = {" ".join(path) for path, _ in _commands(get_command(app))}
    for expected in [
        "init",
        "db current",
        "db upgrade",
        "db downgrade",
        "db history",
        "demo",
        "seed",
        "source add",
        "source list",
        "source show",
        "source edit",
        "entity add",
        "entity list",
        "doc add",
        "doc list",
        "doc show",
        "claim add",
        "claim attribute",
        "claim list",
        "claim show",
        "claim status",
        "claim link",
        "import",
        "log",
        "audit verify",
    ]:
        assert expected in names, expected


def test_usage_errors_exit_2(cli):
    run = cli("claim", "add")
    assert run.exit_code == 2
    assert run.stdout == ""


def test_a_command_collects_its_garbage_once_its_database_is_open(tmp_path):
    """Start-up runs without the cycle collector (its objects live until exit), but the
    command itself runs with it: an import of a million claims keeps its memory flat only
    if collection resumes. The objects of start-up are set aside for good (frozen)."""
    database = tmp_path / "p.db"
    subprocess.run(
        [sys.executable, "-m", "provenance", "--db", str(database), "init"],
        check=True,
        capture_output=True,
    )
    probe = (
        "import gc, sys\n"
        f"sys.argv = ['provenance', '--db', {str(database)!r}, 'claim', 'list']\n"
        "from provenance.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('COLLECTING', gc.isenabled(), gc.get_freeze_count() > 0, gc.get_threshold())\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "COLLECTING True True (10000, 10, 10)" in out.stdout
