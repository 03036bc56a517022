"""The command line is assembled from what a command line names; values are converted
quickly when plain and by Typer when not, with the same results either way."""

import datetime as dt
import subprocess
import sys
from enum import Enum

import pytest
from typer import BadParameter
from typer._coercion import build_runtime_param, resolve_type_descriptor
from typer.main import get_command
from typer.models import OptionInfo

from provenance.cli import PARTS, app, assemble, command_words
from provenance.cli.parameters import QuickRuntimeParam
from provenance.cli.state import parse_date
from provenance.output import Format


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--db", "x.db", "claim", "show", "k"], ("claim", "show")),
        (["--db=x.db", "--analyst", "me", "flag", "--limit", "5"], ("flag", None)),
        (["--analyst=me", "source", "list"], ("source", "list")),
        (["claim", "--help"], ("claim", None)),
        (["claim"], ("claim", None)),
        (["--help", "claim", "show"], (None, None)),
        (["--version"], (None, None)),
        (["--db", "claim"], (None, None)),  # "claim" is the database path here
        ([], (None, None)),
    ],
)
def test_the_command_words_of_a_command_line(args, words):
    assert command_words(args) == words


def _paths(group, prefix=()):
    for name, command in group.commands.items():
        path = (*prefix, name)
        yield path, command
        if hasattr(command, "commands"):
            yield from _paths(command, path)


def _described(command):
    """What a user sees of a command: its help and every parameter's names and help."""
    return (
        command.help,
        [(p.name, tuple(p.opts), getattr(p, "help", None), p.required) for p in command.params],
    )


WHOLE = dict(_paths(get_command(app)))


def test_every_top_level_command_belongs_to_one_part():
    words = [word for _, part_words in PARTS for word in part_words]
    assert sorted(words) == sorted(path[0] for path in WHOLE if len(path) == 1)
    assert len(words) == len(set(words))


@pytest.mark.parametrize("path", sorted(WHOLE), ids=" ".join)
def test_an_assembled_command_is_the_whole_apps_command(path):
    """`provenance claim show` builds only `claim show`, and it is the same command."""
    word, name = path[0], path[1] if len(path) > 1 else None
    assembled = dict(_paths(get_command(assemble(word, name))))
    assert _described(assembled[path]) == _described(WHOLE[path])
    assert {p[0] for p in assembled} == {word}  # no other command or group was built
    if name is not None:
        assert list(assembled) == [(word,), path]


def test_a_mistyped_command_still_gets_a_suggestion(cli):
    run = cli("claim", "shw", "x")
    assert run.exit_code == 2
    assert "Did you mean 'show'?" in run.stderr
    run = cli("clam", "show")
    assert run.exit_code == 2
    assert "No such command 'clam'" in run.stderr


class Colour(Enum):
    RED = "red"
    DARK_BLUE = "dark-blue"


def _parameter(annotation, **info):
    return resolve_type_descriptor(annotation, OptionInfo(**info))


def _typer_way(descriptor, value):
    try:
        return ("value", build_runtime_param(descriptor)._coerce_value(value, None, None))
    except BadParameter as error:
        return ("error", error.message)


def _quick_way(descriptor, value):
    quick = QuickRuntimeParam(
        annotation=descriptor.annotation,
        parameter_info=descriptor.parameter_info,
        descriptor=descriptor,
    )
    try:
        return ("value", quick._coerce_value(value, None, None))
    except BadParameter as error:
        return ("error", error.message)


CASES = [
    (str, {}, ["plain", "", "-x", "ünïcode", "  spaced  "]),
    (int, {}, ["0", "42", "-7", "+5", "007", " 5", "1_000", "12345678901234567890", "x", "4.0"]),
    (int, {}, [0, 5, -3, True, 2.0]),  # defaults arrive as values, not text
    (float, {}, [0, 5, 2.5, True]),
    (int, {"min": 0}, ["0", "3", "-1"]),
    (float, {}, ["1", "1.5", ".5", "1.", "-2e3", "1E+02", "inf", "nan", "x", "1,5"]),
    (float, {"min": 0, "max": 1}, ["0.5", "1", "1.5", "-0.1"]),
    (bool, {}, [True, False]),
    (Colour, {}, ["red", "dark-blue", "RED", "blue", ""]),
    (Colour, {"case_sensitive": False}, ["RED", "Dark-Blue"]),
    (Format, {}, ["json", "jsonl", "csv", "table", "xml"]),
    (list[str], {}, [("a", "b"), (), ("only",)]),
    (list[int], {}, [("1", "2"), ("1", "x")]),
    (tuple[str, str], {}, [("a", "b"), ("a",), ("a", "b", "c"), "ab"]),
    (tuple[str, int], {}, [("a", "2"), ("a", "x")]),
    (dt.datetime, {"parser": parse_date}, ["2025-05-01", "2025-05-01T10:00", "not a date"]),
]


@pytest.mark.parametrize(
    ("annotation", "info", "value"),
    [(a, info, v) for a, info, values in CASES for v in values],
    ids=lambda x: repr(x)[:30],
)
def test_quick_conversion_gives_what_typer_gives(annotation, info, value):
    """The same value, or the same message, as Typer's own conversion: a number read
    wrongly, a choice mismatched or a range not checked would each differ here."""
    descriptor = _parameter(annotation, **info)
    assert repr(_quick_way(descriptor, value)) == repr(_typer_way(descriptor, value))


def test_bad_option_values_keep_typers_messages(cli):
    run = cli("claim", "list", "--limit", "many")
    assert run.exit_code == 2
    assert "Invalid value for '--limit'" in run.stderr
    run = cli("claim", "list", "--limit", "-1")
    assert run.exit_code == 2
    assert "greater than or equal to 0" in run.stderr
    run = cli("claim", "list", "-f", "xml")
    assert run.exit_code == 2
    assert "'xml' is not one of" in run.stderr


def run_and_list_modules(url: str, args: list[str], unwanted: str) -> tuple[str, str, list]:
    """Run ``provenance --db URL ARGS`` in a fresh interpreter, as a user would; return its
    stdout, stderr and which loaded modules match ``unwanted`` (a Python expression on
    the module name ``m``)."""
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['provenance', '--db', {url!r}, *{args!r}]\n"
        "try:\n"
        "    runpy.run_module('provenance', run_name='__main__')\n"
        "except SystemExit as stop:\n"
        "    assert not stop.code, stop.code\n"
        f"print('LOADED', sorted(m for m in sys.modules if {unwanted}), file=sys.stderr)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"COLUMNS": "200"}
    )
    assert out.returncode == 0, out.stderr
    *messages, loaded = out.stderr.strip().splitlines()
    assert loaded.startswith("LOADED ")
    return out.stdout, "\n".join(messages), eval(loaded.removeprefix("LOADED "))


def test_a_page_builds_one_command_and_loads_neither_pydantic_nor_other_groups(seeded):
    other_groups = (
        "provenance.cli.analysis",
        "provenance.cli.data",
        "provenance.cli.trail",
        "provenance.cli.exporting",
        "provenance.schemas",
    )
    stdout, _, loaded = run_and_list_modules(
        seeded.url,
        ["claim", "show", "nug-air-attacks-since-quake"],
        f"m.split('.')[0] == 'pydantic' or m in {other_groups!r}",
    )
    assert "nug-air-attacks-since-quake" in stdout
    assert loaded == []


def test_setting_a_status_loads_neither_the_orm_nor_pydantic(seeded):
    """`claim status` validates nothing with the import schemas and writes through Core:
    neither pydantic nor the ORM is loaded (their start-up was most of the command)."""
    _, messages, loaded = run_and_list_modules(
        seeded.url,
        ["claim", "status", "nug-air-attacks-since-quake", "disputed", "--note", "deny it"],
        "m.split('.')[0] == 'pydantic' or m.startswith('sqlalchemy.orm')"
        " or m == 'provenance.models'",
    )
    assert "unverified → disputed" in messages
    assert loaded == []


@pytest.mark.parametrize(
    "args",
    [
        ("flag", "--limit", "99999999999999999999"),
        ("flag", "--min-sources", "99999999999999999999"),
        ("flag", "--tolerance", "1e400"),
        ("claim", "list", "--limit", "99999999999999999999"),
        ("claim", "list", "--offset", "99999999999999999999"),
        ("log", "--limit", "99999999999999999999"),
    ],
    ids=" ".join,
)
def test_numbers_beyond_any_database_are_usage_errors(seeded, args):
    """A count past what SQLite stores was a driver overflow (a traceback); now the option
    says its largest value."""
    run = seeded(*args)
    assert run.exit_code == 2
    assert "less than or equal to" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_a_search_of_thousands_of_words_is_one_line(seeded):
    """PostgreSQL's query parser ran out of stack at 20,000 words (exit 4, a database
    error); the limit is now the command's, the same on both backends."""
    run = seeded("claim", "list", "--search", " ".join(["word"] * 20_000))
    assert run.exit_code == 1
    assert run.stderr.strip().splitlines() == [
        "error: --search takes at most 100 words (20000 given): every word must match, "
        "so a few distinctive ones find the claims"
    ]
    assert seeded.json("claim", "list", "--search", " ".join(["air"] * 100)) != []
