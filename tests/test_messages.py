"""Messages in the tool's own words: dates, usage lines, plurals, headings, and no chart
library loaded by commands that draw nothing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from provenance.cli import app_for
from tests.capped import provenance
from tests.conftest import Cli


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("26/10/2025", "'26/10/2025' is not a date: write the day as YYYY-MM-DD, e.g. 2025-10-26"),
        ("2025-10-32", "'2025-10-32' is not a day of the calendar"),
        ("yesterday", "'yesterday' is not a date"),
    ],
)
def test_a_bad_date_says_what_was_given_and_what_is_accepted(cli, given, says):
    for args in (
        ("claim", "add", "x", "--source", "nug", "--from", given),
        ("claim", "list", "--since", given),
        ("export", "--until", given),
    ):
        run = cli(*args)
        assert run.exit_code == 2, run.stderr
        assert says in run.stderr
        assert "Value error" not in run.stderr and "%Y" not in run.stderr


def test_choices_ignore_case_and_refusals_use_the_tool_s_words(seeded):
    """`--stance Denies` is the stance `denies`; a word that is no stance is named with the
    choices, without pydantic's "Value error," prefix; an empty text or attribution list
    "must not be empty" (it said "Value should have at least 1 item after validation")."""
    assert seeded.ok("claim", "add", "Denied here", "--source", "nug", "--stance", "Denies")
    assert seeded.json("claim", "list", "--status", "UNVERIFIED", "--limit", "1")
    run = seeded("claim", "add", "x y", "--source", "nug", "--stance", "Foo")
    assert run.exit_code == 2
    assert "'Foo' is not one of 'asserts', 'denies', 'reports'" in run.stderr
    assert "Value error" not in run.stderr
    empty = seeded("claim", "add", "", "--source", "nug")
    assert empty.exit_code == 1 and empty.stderr.strip() == "error: text: must not be empty"


def test_a_claim_added_under_a_withdrawn_key_is_told_to_take_another(seeded):
    """`claim attribute` refuses a withdrawn claim: the advice is another --key."""
    seeded.ok("claim", "add", "Typo", "--source", "nug", "--key", "gone")
    seeded.ok("claim", "withdraw", "gone", "--note", "typo")
    run = seeded("claim", "add", "Fixed", "--source", "nug", "--key", "gone")
    assert run.exit_code == 1
    assert "was withdrawn (typo); give the new claim another --key" in run.stderr


def test_a_good_date_still_works(seeded):
    assert seeded.json("claim", "list", "--since", "2025-05-01", "--limit", "0")


def test_usage_lines_name_arguments_in_capitals(cli):
    for args, usage in (
        (("claim", "link"), "claim link [OPTIONS] A B"),
        (("claim", "add"), "claim add [OPTIONS] TEXT"),
        (("import",), "import [OPTIONS] FILE..."),
        (("seed",), "seed [OPTIONS] [NAME]"),
    ):
        out = cli.ok(*args, "--help").stdout
        assert usage in out, out.splitlines()[0]
        assert "{" not in out.splitlines()[0]
    for args, option in (
        (("claim", "list"), "--tag TAG"),
        (("flag",), "--reason CODE"),
        (("claim", "add"), "--via <str>"),
    ):
        out = cli.ok(*args, "--help").stdout
        assert option in out and "list[" not in out


def test_counts_read_in_words(seeded):
    report = seeded.ok("compare", "--sources", "nug", "unnamed-outlet").stdout
    assert "0 shared claim keys" in report and "only from nug" in report
    assert "only_a" not in report and "only_b" not in report
    one = seeded.ok("flag", "--reason", "contradicted", "--limit", "2").stdout
    assert one.startswith("the first 2 flagged claims,")
    assert seeded.ok("flag", "--limit", "1").stdout.startswith("the first flagged claim,")
    contradicted = len(seeded.json("flag", "--reason", "contradicted"))
    every = seeded.ok("flag", "--reason", "contradicted", "--limit", str(contradicted + 1))
    assert every.stdout.startswith(f"{contradicted} flagged claims")
    assert "audit chain intact: " in seeded.ok("audit", "verify").stderr
    assert " 1 events" not in seeded.ok("audit", "verify").stderr


def test_help_and_lists_do_not_import_matplotlib(seeded):
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from provenance.cli import app\n"
        f"url = {seeded.url!r}\n"
        "for args in (['--help'], ['--db', url, 'claim', 'list'], "
        "['--db', url, 'export', '-f', 'markdown']):\n"
        "    CliRunner().invoke(app, args)\n"
        "print('LOADED', 'matplotlib' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "LOADED False" in out.stdout


def test_several_bad_options_are_one_line_naming_each(cli):
    run = cli("claim", "add", "x", "--source", "nug", "--tag", "", "--tag", " ")
    assert run.exit_code == 1
    assert run.stderr.count("\n") == 1, run.stderr
    assert "tags.0" in run.stderr and "tags.1" in run.stderr


def test_a_line_break_typed_into_a_name_is_shown_not_obeyed(cli, tmp_path):
    run = cli("claim", "show", "air\nstrike")
    assert (run.exit_code, run.stderr) == (1, "error: no claim 'air\\nstrike'\n")
    missing = Cli(str(tmp_path / "no\nsuch.db"))
    run = missing("claim", "list")
    assert run.exit_code == 4
    assert run.stderr.count("\n") == 1 and "no\u240asuch.db" in run.stderr, run.stderr


def test_a_line_separator_in_a_file_s_field_name_is_shown_not_obeyed(cli, tmp_path):
    """U+2028 breaks a line for anything that splits lines as Python does (found by the
    import fuzzer: a field named with it made a two-line error)."""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"claims": [{"period": {"\u2028": None}}]}))
    run = cli("import", str(path))
    assert run.exit_code == 1
    assert all(line.startswith("error: ") for line in run.stderr.splitlines()), run.stderr
    assert "<U+2028>" in run.stderr


def test_a_file_s_bad_records_are_a_line_each(cli, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"type": "claim"}\n{"type": "claim", "text": "a"}\n')
    run = cli("import", str(path))
    assert run.exit_code == 1
    assert run.stderr.splitlines() == [
        f"error: {path}:1/text: is required",
        f"error: {path}:1/attributions: is required",
        f"error: {path}:2/attributions: is required",
    ]


def test_a_usage_error_is_one_line_saying_where_the_usage_is(cli):
    run = cli("flag", "--bogus", "1")
    assert (run.exit_code, run.stderr) == (
        2,
        "error: No such option: --bogus (see 'provenance flag --help')\n",
    )
    run = cli("claim", "add")
    assert run.exit_code == 2 and run.stderr.count("\n") == 1
    assert "Missing argument 'text'" in run.stderr


def test_a_bad_value_for_a_source_edit_is_one_line(cli):
    cli.ok("source", "add", "nug", "-r", "C")
    run = cli("source", "edit", "nug", "--affiliation", "Foo Bar")
    assert run.exit_code == 1 and run.stderr.count("\n") == 1, run.stderr
    assert run.stderr.startswith("error: --affiliation: ")
    assert cli.json("source", "show", "nug")["affiliation"] is None


def test_ctrl_c_is_one_line_and_exit_130(cli, monkeypatch):
    from provenance.services import catalog

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(catalog, "add_source", interrupted)
    run = cli("source", "add", "nug", "-r", "C")
    assert (run.exit_code, run.stderr) == (
        130,
        "error: interrupted; a write that had not finished is rolled back\n",
    )


PROVENANCE = [sys.executable, "-m", "provenance"]


def test_an_argument_that_is_not_utf8_is_one_line_and_exit_2(tmp_path):
    """Found by attacking the release: bytes that are not UTF-8 in a --value, a --note or
    --analyst reached the database as lone surrogates and ended in a traceback."""
    database = tmp_path / "p.db"
    subprocess.run(
        [sys.executable, "-m", "provenance", "--db", str(database), "init"],
        check=True,
        capture_output=True,
    )
    run = subprocess.run(
        [*PROVENANCE, "--db", str(database), "claim", "add", "t", "-s", "s", "--value", "z\udcffz"],
        capture_output=True,
        text=True,
        errors="surrogateescape",
    )
    assert run.returncode == 2
    assert run.stderr == "error: argument 9 ('z\\xffz') is not UTF-8 text\n"


def test_a_database_path_in_the_environment_that_is_not_utf8_is_one_line_and_exit_2(tmp_path):
    """Found by the attacker: PROVENANCE_DB with a byte that is not UTF-8 was an internal
    error (exit 70); --db with the same bytes was already a usage error."""
    import os

    run = subprocess.run(
        [*PROVENANCE, "init"],
        capture_output=True,
        text=True,
        errors="surrogateescape",
        env={**os.environ, "PROVENANCE_DB": os.fsdecode(bytes(tmp_path) + b"/x\xff.db")},
    )
    assert run.returncode == 2
    assert run.stderr == f"error: PROVENANCE_DB ('{tmp_path}/x\\xff.db') is not UTF-8 text\n"
    assert list(tmp_path.iterdir()) == []


def test_a_value_that_is_not_unicode_text_in_a_file_is_refused(cli, tmp_path):
    path = tmp_path / "v.jsonl"
    path.write_text(
        '{"type": "claim", "key": "k", "text": "t", "value": "\\ud800", '
        '"attributions": [{"source": "s"}]}\n'
    )
    before = cli.ok("export").stdout
    run = cli("import", str(path))
    assert (run.exit_code, run.stderr) == (1, f"error: {path}:1/value: is not valid Unicode text\n")
    assert cli.ok("export").stdout == before


def test_an_internal_error_is_one_line_that_asks_for_a_report(seeded, monkeypatch):
    """A bug (Rich failed on two zero-width joiners) printed a screenful of traceback boxes
    in the terminal's width; it is one line now, exit 70 (a script tells it from bad
    input), and PROVENANCE_DEBUG=1 shows the traceback."""
    import provenance.cli.catalog

    def failing_render(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(provenance.cli.catalog, "render", failing_render)
    result = seeded.runner.invoke(
        app_for(["source", "show"]), ["--db", seeded.url, "source", "show", "nug"]
    )
    assert (result.exit_code, result.stdout) == (70, "")
    assert result.stderr == (
        "error: internal error (IndexError: list index out of range); this is a bug in "
        "provenance, please report it with the command that caused it (PROVENANCE_DEBUG=1 "
        "shows where it happened); a write that had not finished is rolled back\n"
    )
    monkeypatch.setenv("PROVENANCE_DEBUG", "1")
    with pytest.raises(IndexError):
        seeded("source", "show", "nug")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("flag", "--help"), 0),
        (("claim", "status", "--help"), 0),
        (("flag", "--strict"), 3),
        (("claim", "status", "zelenskyy-safety-warning", "retracted"), 2),  # no --note
        (("timeline",), 2),
        (("claim", "add", "T", "--source", "Arakan", "Army"), 2),
    ],
)
def test_click_ends_a_command_with_its_own_exit_code_not_as_an_internal_error(seeded, args, code):
    """The internal-error line once caught Click's own endings: every `--help` printed
    its text, then "internal error (Exit: 0)", and exited 1; `flag --strict` exited 1."""
    run = provenance(seeded.url, *args)
    assert run.returncode == code, run.stderr
    assert "internal error" not in run.stderr


def test_the_last_day_there_is_is_one_line_not_a_traceback(seeded):
    run = seeded("claim", "list", "--changed-since", "9999-12-31T23:59-01:00")
    assert run.exit_code == 1
    assert run.stderr.startswith("error: a date or number beyond what can be computed")
    assert run.stderr.count("\n") == 1


def test_the_last_day_there_is_ends_a_period_and_a_history(seeded):
    """Found by the attacker: a claim may end on 9999-12-31, but `--until` and `--as-of`
    that day were refused (they stopped before the next day, which does not exist)."""
    everything = seeded.json("claim", "list", "--limit", "0")
    assert seeded.json("claim", "list", "--limit", "0", "--until", "9999-12-31") == everything
    assert seeded.ok("export", "--as-of", "9999-12-31").stdout == seeded.ok("export").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("claim", "list", "--search", ""), "error: --search '' has no words to look for\n"),
        (("audit", "verify", "--anchor", " "), "error: --anchor is blank"),
        (("--analyst", " ", "source", "add", "x"), "error: --analyst must name someone"),
    ],
)
def test_blank_where_something_is_needed_is_refused(cli, args, message):
    """Blank used to mean "not given": every claim for an empty search, a passing check
    for an empty anchor, the login name for an empty analyst."""
    line = ["--db", cli.url, *args]
    result = cli.runner.invoke(app_for(line), line, env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert result.stderr.startswith(message)


def test_a_rule_on_the_whole_attribution_is_stated_without_an_empty_place(seeded):
    """It read "error: : source 'nug' cannot also relay its own claim (via)"."""
    key = "nug-air-attacks-since-quake"
    run = seeded("claim", "attribute", key, "--source", "nug", "--via", "nug")
    assert run.exit_code == 1
    assert run.stderr == "error: source 'nug' cannot also relay its own claim (via)\n"


@pytest.mark.parametrize(
    "args",
    [
        ("claim", "list", "--changed-since", "-1"),
        ("claim", "list", "--changed-since", "2025-13-01"),
        ("claim", "list", "--since", "2025-13-01"),
        ("log", "--since", "yesterday"),
        ("log", "--until", "2025-02-30"),
    ],
)
def test_a_malformed_date_option_is_a_usage_error_whichever_option(cli, args):
    """`--since 2025-13-01` exited 2 and `--changed-since 2025-13-01` exited 1."""
    run = cli(*args)
    assert run.exit_code == 2, run.stderr
    assert run.stderr.startswith("error: ") and run.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("claim", "add", "x", "--source", "a", "--source", "b"), "--source given twice"),
        (
            ("claim", "add", "x", "-s", "a", "--source", "b"),
            "--source (as -s and --source) given twice",
        ),
        (("claim", "add", "x", "-s", "a", "--confidence", "50", "--confidence=90"), "--confidence"),
        (("claim", "list", "--source", "a", "--source", "b"), "--source given twice"),
        (("claim", "edit", "k", "--value", "5", "--value", "6"), "--value given twice"),
    ],
)
def test_an_option_that_takes_one_value_given_twice_is_a_usage_error(cli, args, said):
    """Click keeps the last: `--source a --source b` attributed the claim to b alone."""
    before = cli.ok("log", "-f", "json").stdout
    run = cli(*args)
    assert run.exit_code == 2 and said in run.stderr and run.stderr.count("\n") == 1
    assert cli.ok("log", "-f", "json").stdout == before


def test_a_root_option_given_twice_is_a_usage_error(tmp_path):
    """`--db a.db --db b.db claim add …` wrote to b.db without a word."""
    from typer.testing import CliRunner

    from provenance.cli import app_for

    for line in (
        ["--db", str(tmp_path / "a.db"), "--db", str(tmp_path / "b.db"), "claim", "list"],
        ["--analyst", "x", "--analyst", "y", "claim", "list"],
    ):
        run = CliRunner().invoke(app_for(line), line)
        assert run.exit_code == 2 and "given twice" in run.stderr, run.stderr
    assert not (tmp_path / "a.db").exists() and not (tmp_path / "b.db").exists()


def test_a_value_that_looks_like_an_option_is_still_a_value(cli):
    """The check reads each option's value as a value: `--quote --source` quotes the word."""
    cli.ok("source", "add", "a")
    cli.ok(
        "claim",
        "add",
        "x",
        "-s",
        "a",
        "--quote",
        "--source",
        "--key",
        "q",
        "--tag",
        "t1",
        "--tag",
        "t2",
    )
    shown = cli.json("claim", "show", "q")
    assert shown["attributions"][0]["quote"] == "--source" and shown["tags"] == ["t1", "t2"]


@pytest.mark.parametrize(
    "args",
    [
        ("flag", "--reason", "bogus"),
        ("export", "-f", "sqlite"),
        ("compare", "a282"),
        ("compare", "--subject", "x", "--sources", "a", "b"),
        ("export", "--as-of", "abc"),
        ("claim", "edit", "x", "--set", "Value=7"),
        ("claim", "edit", "x", "--set", "value"),
        ("source", "score", "--method", "magic"),
    ],
)
def test_a_malformed_argument_is_a_usage_error_wherever_it_is_checked(cli, args):
    """These exited 1, beside Click's own malformed arguments at 2 (DESIGN.md §3)."""
    run = cli(*args)
    assert run.exit_code == 2, run.stderr
    assert run.stderr.startswith("error: ") and run.stderr.count("\n") == 1


@pytest.mark.parametrize("command", [("claim", "list"), ("flag",), ("export",)])
@pytest.mark.parametrize("option", ["--source", "--via", "--subject", "--property"])
def test_an_empty_filter_is_a_usage_error_not_every_claim(seeded, command, option):
    """`--via ""` and `--source ""` listed (or exported) all 29 claims, as if left out."""
    run = seeded(*command, option, "")
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.startswith(f"error: {option} is empty") and run.stderr.count("\n") == 1
