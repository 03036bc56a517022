"""Hostile files and misuse (issue 16): each test is named after the promise it keeps and
fails when the fix is taken out. Blow-ups run in a child process under a memory cap."""

import json
import os
from pathlib import Path

import pytest

from tests.capped import one_line_errors, provenance
from tests.conftest import Cli, not_a_regular_file, write_json


def claim(**fields):
    return {"text": "A claim.", "attributions": [{"source": "desk"}], **fields}


def only_sqlite(backend):
    if backend != "sqlite":
        pytest.skip("the database is a file only on SQLite")


def sqlite_file(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


# ---- 1. export never overwrites the open database -----------------------------------------


@pytest.mark.parametrize("fmt", ["json", "sqlite", "csv"])
@pytest.mark.parametrize("target", ["itself", "-wal", "-shm", "-journal", "symlink", "hardlink"])
def test_export_refuses_to_write_over_the_open_database(
    seeded, db_url, backend, tmp_path, fmt, target
):
    only_sqlite(backend)
    database = sqlite_file(db_url)
    before = seeded.ok("export").stdout
    if target == "symlink":
        out = tmp_path / "elsewhere" / "link.db"
        out.parent.mkdir()
        out.symlink_to(database)
    elif target == "hardlink":
        out = tmp_path / "hard.db"
        os.link(database, out)
    else:
        out = database if target == "itself" else database.with_name(database.name + target)
    run = seeded("export", "-f", fmt, "--out", str(out))
    assert run.exit_code == 1 and "is the open database" in run.stderr
    assert seeded.ok("export").stdout == before
    seeded.ok("audit", "verify")


def test_export_to_another_file_still_works(seeded, tmp_path):
    out = tmp_path / "copy.json"
    seeded.ok("export", "--out", str(out))
    assert json.loads(out.read_text())["provenance"] == 1


# ---- 2, 4. depth, size and aliases are bounded before anything is built --------------------


def nested(kind: str, depth: int) -> str:
    deep = "[" * depth + "]" * depth
    if kind == "json":
        return (
            '{"claims": [{"text": "x", "value": ' + deep + ', "attributions": [{"source": "a"}]}]}'
        )
    if kind == "jsonl":
        return '{"type": "claim", "text": "x", "value": ' + deep + "}\n"
    return "claims:\n- text: x\n  value: " + deep + "\n  attributions: [{source: a}]\n"


@pytest.mark.parametrize(
    ("kind", "place"),
    [("json", "deep.json#/claims/0/value/0/0"), ("jsonl", "deep.jsonl:1"), ("yaml", "deep.yaml:3")],
)
def test_deep_nesting_is_refused_in_bounded_memory_with_its_place(
    cli, db_url, tmp_path, kind, place
):
    """200,000 nested brackets (400 KB) once took more than 24 GB; the child has 1.5 GB."""
    path = tmp_path / f"deep.{kind}"
    path.write_text(nested(kind, 200_000))
    run = provenance(db_url, "import", str(path), timeout=90)
    assert run.returncode == 1, run.stderr[-500:]
    assert one_line_errors(run.stderr) and place in run.stderr
    assert "nested deeper than 32 levels" in run.stderr
    assert cli.json("claim", "list") == []


def test_ordinary_nesting_is_still_read(cli, tmp_path):
    document = {"claims": [claim(value={"min": 3, "max": 5})]}
    cli.ok("import", str(write_json(tmp_path / "ok.json", document)))
    assert cli.json("claim", "list")[0]["value"] == {"min": 3, "max": 5}


@pytest.mark.parametrize("kind", ["json", "jsonl", "yaml"])
def test_one_huge_value_is_refused_before_it_is_built(cli, db_url, tmp_path, kind):
    text = "x" * 3_000_000
    path = tmp_path / f"huge.{kind}"
    if kind == "json":
        path.write_text(json.dumps({"claims": [claim(text=text)]}))
    elif kind == "jsonl":
        path.write_text(json.dumps({"type": "claim", **claim(text=text)}) + "\n")
    else:
        path.write_text(f"claims:\n- text: {text}\n  attributions: [{{source: a}}]\n")
    run = cli("import", str(path))
    assert run.exit_code == 1 and one_line_errors(run.stderr)
    assert "longer than 1,048,576" in run.stderr
    expected = {"json": "huge.json#/claims/0/text", "jsonl": "huge.jsonl:1", "yaml": "huge.yaml:2"}
    assert expected[kind] in run.stderr


BILLION_LAUGHS = "\n".join(
    ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    + ["claims: [{text: *a9, attributions: [{source: a}]}]", ""]
)


def test_yaml_alias_bombs_are_refused_before_they_are_expanded(cli, db_url, tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(BILLION_LAUGHS)
    run = provenance(db_url, "import", str(path), timeout=60)
    assert run.returncode == 1 and one_line_errors(run.stderr), run.stderr[-500:]
    assert "laughs.yaml:2: YAML aliases (*name) are not accepted" in run.stderr
    assert cli.json("claim", "list") == []


def test_yaml_without_aliases_still_reads(cli, tmp_path):
    path = tmp_path / "plain.yaml"
    path.write_text(
        "claims:\n- text: Plain.\n  period: {start: 2025-05-01}\n  attributions: [{source: a}]\n"
    )
    cli.ok("import", str(path))
    assert cli.json("claim", "list")[0]["period"]["start"] == "2025-05-01"


# ---- 8. no traceback: numbers, lengths, binary, not-a-database, schema revisions ------------

HUGE = int("9" * 400)


@pytest.mark.parametrize(
    ("name", "content", "place"),
    [
        ("n.jsonl", json.dumps({"type": "claim", **claim(value=HUGE)}) + "\n", "n.jsonl:1/value"),
        ("n.json", json.dumps({"claims": [claim(value={"min": HUGE})]}), "n.json#/claims/0/value"),
        (
            "n.yaml",
            f"claims:\n- text: x\n  value: {HUGE}\n  attributions: [{{source: a}}]\n",
            "n.yaml#/claims/0/value",
        ),
    ],
)
def test_a_400_digit_number_is_one_line_with_its_place(cli, tmp_path, name, content, place):
    path = tmp_path / name
    path.write_text(content)
    run = cli("import", str(path))
    assert run.exit_code == 1 and one_line_errors(run.stderr)
    assert place in run.stderr and "out of range" in run.stderr


@pytest.mark.parametrize("field", ["source", "via", "document"])
def test_a_reference_past_300_characters_is_refused_on_both_backends(cli, tmp_path, field):
    long = "n" * 301
    attribution = {"source": "desk", field: [long] if field == "via" else long}
    run = cli(
        "import",
        str(write_json(tmp_path / "r.json", {"claims": [claim(attributions=[attribution])]})),
    )
    assert run.exit_code == 1 and one_line_errors(run.stderr)
    assert f"r.json#/claims/0/attributions/0/{field}" in run.stderr and "at most 300" in run.stderr
    assert cli.json("source", "list") == []


def test_a_document_publisher_past_300_characters_is_refused(cli, tmp_path):
    document = {"documents": [{"key": "d", "publisher": "p" * 301}]}
    run = cli("import", str(write_json(tmp_path / "p.json", document)))
    assert run.exit_code == 1 and "p.json#/documents/0/publisher" in run.stderr


def test_yaml_binary_values_are_refused_with_their_place(cli, tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text('claims:\n- text: x\n  attributions: [{source: !!binary "YQBi"}]\n')
    run = cli("import", str(path))
    assert run.exit_code == 1 and one_line_errors(run.stderr)
    assert "b.yaml#/claims/0/attributions/0/source: binary data" in run.stderr
    assert cli.json("source", "list") == []


def test_a_too_long_analyst_name_is_one_line(cli):
    run = cli("source", "add", "desk", analyst="a" * 121)
    assert run.exit_code == 1 and one_line_errors(run.stderr) and "analyst" in run.stderr
    assert cli.json("source", "list") == []


def test_a_file_that_is_not_a_database_is_exit_4_and_stays_untouched(tmp_path):
    not_db = write_json(tmp_path / "data.json", {"claims": []})
    before = not_db.read_bytes()
    empty = tmp_path / "empty.db"
    empty.touch()
    for path, reason in ((not_db, "is not a SQLite database"), (empty, "is an empty file")):
        for args in (("claim", "list"), ("claim", "list", "-f", "csv"), ("source", "add", "x")):
            run = Cli(f"sqlite:///{path}")(*args)
            assert run.exit_code == 4 and one_line_errors(run.stderr), run.stderr
            assert reason in run.stderr
    assert not_db.read_bytes() == before and empty.stat().st_size == 0


def set_revision(url: str, revision: str) -> None:
    from sqlalchemy import text

    from provenance.db import make_engine

    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    engine.dispose()


def test_an_unknown_schema_revision_is_exit_4_for_every_command(cli, db_url):
    set_revision(db_url, "not-a-revision")
    for args in (("claim", "list"), ("db", "upgrade"), ("db", "downgrade", "base")):
        run = cli(*args)
        assert run.exit_code == 4 and one_line_errors(run.stderr), (args, run.stderr)
    assert "unknown schema revision 'not-a-revision'" in cli("claim", "list").stderr


def test_schema_revisions_are_compared_as_numbers(cli, db_url):
    set_revision(db_url, "2")  # as a string "2" > "0003"; as a number it is older
    assert "run `provenance db upgrade`" in cli("claim", "list").stderr
    from provenance.db import HEAD_REVISION

    set_revision(db_url, f"{int(HEAD_REVISION) + 1:04d}")  # one this program has not met
    assert "newer than this program" in cli("claim", "list").stderr


# ---- 9. the readers agree, name the place, and CSV keeps the data -------------------------


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("NaN", "NaN is not a number JSON allows"),
        ("-Infinity", "-Infinity is not a number JSON allows"),
        (str(2**64), "out of range"),
    ],
)
def test_json_and_jsonl_agree_on_numbers_and_name_the_place(cli, tmp_path, token, message):
    record = f'{{"text": "x", "value": {token}, "attributions": [{{"source": "a"}}]}}'
    whole = tmp_path / "w.json"
    whole.write_text(f'{{"claims": [{record}]}}')
    lines = tmp_path / "l.jsonl"
    lines.write_text(f'{{"type": "claim", {record[1:]}\n')
    for path, place in ((whole, "w.json#/claims/0/value"), (lines, "l.jsonl:1")):
        run = cli("import", str(path))
        assert run.exit_code == 1 and one_line_errors(run.stderr), run.stderr
        assert place in run.stderr and message in run.stderr
    assert cli.json("claim", "list") == []


def test_large_integers_within_range_read_the_same_in_json_and_jsonl(cli, tmp_path):
    big = 2**59
    cli.ok("import", str(write_json(tmp_path / "a.json", {"claims": [claim(key="a", value=big)]})))
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"type": "claim", **claim(key="b", value=big)}) + "\n"
    )
    cli.ok("import", str(tmp_path / "b.jsonl"))
    assert [c["value"] for c in cli.json("claim", "list")] == [big, big]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "d.json",
            '{"claims": [{"text": "a", "text": "b", "attributions": [{"source": "a"}]}]}',
            "d.json#/claims/0/text: duplicate key 'text'",
        ),
        (
            "d.jsonl",
            '{"type": "claim", "text": "a", "text": "b"}\n',
            "d.jsonl:1: invalid JSON: duplicate key 'text'",
        ),
        ("d.yaml", "claims:\n- text: a\n  text: b\n", "d.yaml:3: duplicate key 'text'"),
        ("d.csv", "text,source,text\na,b,c\n", "d.csv:1: column 'text' appears twice"),
        (
            "k.json",
            json.dumps({"claims": [claim(key="same"), claim(key="same", text="Other.")]}),
            "k.json#/claims/1: claim 'same' appears twice (first at ",
        ),
        (
            "s.json",
            json.dumps({"sources": [{"key": "s"}, {"key": "s", "name": "S"}]}),
            "s.json#/sources/1: source 's' appears twice",
        ),
    ],
)
def test_duplicate_keys_in_one_file_are_refused_with_their_place(
    cli, tmp_path, name, content, expected
):
    path = tmp_path / name
    path.write_text(content)
    run = cli("import", str(path))
    assert run.exit_code == 1 and expected in run.stderr, run.stderr
    assert cli.json("claim", "list") == [] and cli.json("source", "list") == []


def test_a_relay_chain_with_a_repeated_source_is_refused(cli, tmp_path):
    document = {"claims": [claim(attributions=[{"source": "a", "via": ["b", "c", "B"]}])]}
    run = cli("import", str(write_json(tmp_path / "v.json", document)))
    assert run.exit_code == 1
    assert "v.json#/claims/0/attributions/0/via: relay 'b' appears twice" in run.stderr
    cli.ok("source", "add", "a")
    cli.ok("source", "add", "b")
    run = cli("claim", "add", "A claim.", "--source", "a", "--via", "b", "--via", "b")
    assert run.exit_code == 1 and "appears twice" in run.stderr


def test_a_csv_cell_past_the_field_limit_is_one_line(cli, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("text,source,value\nx,desk," + "[" * 70_000 + "]" * 70_000 + "\n")
    run = cli("import", str(path))
    assert run.exit_code == 1 and one_line_errors(run.stderr)
    assert "wide.csv:2: invalid CSV: field larger than field limit" in run.stderr


def test_a_categorical_value_past_500_characters_is_refused_on_both_backends(cli, tmp_path):
    document = {"claims": [claim(value="x" * 501)]}
    run = cli("import", str(write_json(tmp_path / "c.json", document)))
    assert run.exit_code == 1 and one_line_errors(run.stderr)
    assert "c.json#/claims/0/value: value too long: 501 characters, at most 500" in run.stderr


def test_a_name_longer_than_any_key_is_simply_not_found(seeded):
    """Not a database error (SQLite refuses a LIKE pattern that long), and not echoed whole."""
    run = seeded("claim", "show", "a" * 100_000)
    assert run.exit_code == 1
    assert run.stderr.startswith("error: no claim 'aaaa") and len(run.stderr) < 400


def test_a_nul_in_a_tag_a_value_or_a_withdrawal_note_is_refused_where_it_is(cli, tmp_path):
    """PostgreSQL stores no NUL character; a tag, a categorical value or a withdrawal note
    with one reached the database and came back as a traceback (found by hypothesis)."""
    claims = [
        {"text": "A", "tags": ["a\x00b"], "attributions": [{"source": "desk"}]},
        {"text": "B", "value": "cat\x00x", "attributions": [{"source": "desk"}]},
        {"text": "C", "attributions": [{"source": "desk"}], "withdrawn": {"note": "x\x00"}},
    ]
    path = write_json(tmp_path / "nul.json", {"provenance": 1, "claims": claims})
    run = cli("import", str(path))
    assert run.exit_code == 1
    assert run.stderr.splitlines() == [
        f"error: {path}#/claims/0/tags/0: contains a NUL character",
        f"error: {path}#/claims/1/value: contains a NUL character",
        f"error: {path}#/claims/2/withdrawn/note: contains a NUL character",
    ]
    assert cli.json("claim", "list") == []


# ---- 10. what a fuzzer found: spellings that fold, calendars that end, scales past range ----


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("ſome 300", {"approx": 300}),  # long s: matches "some" ignoring case
        ("5 mİllion", 5_000_000),  # dotted capital I lowercases to two code points
        ("at leaſt 5", {"min": 5}),
        ("İn excess of 5", {"min": 5}),
    ],
)
def test_a_figure_word_in_a_spelling_that_folds_to_it_reads_as_that_word(
    cli, tmp_path, written, value
):
    path = tmp_path / "f.jsonl"
    path.write_text(json.dumps({"type": "claim", **claim(value=written)}) + "\n")
    cli.ok("import", str(path))
    assert cli.json("claim", "list")[0]["value"] == value


@pytest.mark.parametrize(
    ("fields", "place"),
    [
        ({"created_at": "0001-01-01T00:00:00+00:01"}, "t.jsonl:1/created_at"),
        (
            {"attributions": [{"source": "a", "recorded_at": "9999-12-31T23:59:59-00:01"}]},
            "t.jsonl:1/attributions/0/recorded_at",
        ),
    ],
)
def test_a_timestamp_that_leaves_the_calendar_in_utc_is_one_line_with_its_place(
    cli, tmp_path, fields, place
):
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"type": "claim", **claim(**fields)}) + "\n")
    run = cli("import", str(path))
    assert run.exit_code == 1 and one_line_errors(run.stderr), run.stderr
    assert place in run.stderr and "outside the years 1–9999 in UTC" in run.stderr
    assert cli.json("claim", "list") == []


@pytest.mark.parametrize(
    ("digits", "message"),
    [(400, "s.jsonl:1/value: value is out of range"), (999_990, "s.jsonl:1/value: value too long")],
)
def test_a_scaled_number_past_any_range_is_one_short_line(cli, tmp_path, digits, message):
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"type": "claim", **claim(value="1" * digits + "tn")}) + "\n")
    run = cli("import", str(path))
    assert run.exit_code == 1 and one_line_errors(run.stderr), run.stderr[-300:]
    assert message in run.stderr
    assert digits > 500 or "out of range" in run.stderr
    assert len(run.stderr) < 300  # the digits are counted, not echoed
    assert cli.json("claim", "list") == []


# ---- 11. what an attack found: files that never end ----------------------------------------


@pytest.mark.parametrize("kind", ["device", "pipe", "folder"])
def test_a_file_that_is_not_a_regular_file_is_refused_before_it_is_read(db_url, tmp_path, kind):
    path = not_a_regular_file(tmp_path, kind)
    for args in (("import", str(path)), ("doc", "add", "d", "--file", str(path))):
        run = provenance(db_url, *args, timeout=60)
        assert one_line_errors(run.stderr), run.stderr
        if kind == "folder" and args[0] == "doc":  # the option's own check: a usage error
            assert run.returncode == 2 and "is a directory" in run.stderr
        else:
            assert run.returncode == 1 and "not a regular file" in run.stderr
    assert provenance(db_url, "doc", "list", "-f", "json").stdout.strip() == "[]"
    assert provenance(db_url, "claim", "list", "-f", "json").stdout.strip() == "[]"


@pytest.mark.parametrize("kind", ["device", "pipe", "too long"])
def test_extract_reads_only_a_regular_file_of_article_size(db_url, tmp_path, kind):
    from provenance.io.reading.document import MAX_ARTICLE_BYTES

    if kind in ("device", "pipe"):  # /dev/zero read whole filled memory until the cap
        path = not_a_regular_file(tmp_path, kind)
        expected = "not a regular file"
    else:
        path = tmp_path / "article.txt"
        with path.open("wb") as handle:
            handle.write(b"The ministry said 5 people died. " * (MAX_ARTICLE_BYTES // 33 + 1))
        expected = "longer than 16 MB"
    run = provenance(db_url, "extract", str(path), "--apply", timeout=60)
    assert run.returncode == 1 and one_line_errors(run.stderr), run.stderr[-500:]
    assert expected in run.stderr
    assert provenance(db_url, "claim", "list", "-f", "json").stdout.strip() == "[]"


def test_a_csv_line_longer_than_any_record_is_refused_before_it_is_held(db_url, tmp_path):
    """A 1.6 GB line (a sparse file of NUL bytes) under a 1.5 GB memory cap: refused after
    reading 1 MB of it (``csv`` checks its field limit only once a line is in memory)."""
    path = tmp_path / "endless.csv"
    with path.open("wb") as handle:
        handle.write(b"text,source\n")
        handle.truncate(1_600 * 1024 * 1024)
    run = provenance(db_url, "import", str(path))
    assert run.returncode == 1 and one_line_errors(run.stderr), run.stderr
    assert "endless.csv:2: the line is longer than 1,048,576 characters" in run.stderr


def test_invalid_json_too_large_to_parse_again_is_named_by_where_it_stopped(
    cli, tmp_path, monkeypatch
):
    """A syntax error is named by line and column after parsing the file again with
    ``json``, which holds it whole: past 32 MB (a 2 GB file took 4 GB) the place where the
    streaming parser stopped names it instead."""
    import provenance.io.json_reader as reader

    path = write_json(tmp_path / "broken.json", {"claims": [claim()]})
    path.write_text(path.read_text()[:-3] + "}")
    monkeypatch.setattr(reader, "MAX_REPARSE_BYTES", 10)
    run = cli("import", str(path))
    assert run.exit_code == 1 and one_line_errors(run.stderr)
    assert run.stderr.startswith("error: ") and "broken.json#/claims" in run.stderr
    assert "invalid JSON (" in run.stderr
    monkeypatch.setattr(reader, "MAX_REPARSE_BYTES", 32 << 20)
    run = cli("import", str(path))
    assert f"{path}:" in run.stderr and "invalid JSON:" in run.stderr  # line and column


@pytest.mark.parametrize("option", ["--property", "--key"])
def test_a_key_longer_than_any_key_is_refused_without_echoing_it_whole(cli, option):
    """Found by the attacker: a 100,000-character --property was quoted whole in its
    refusal (a 100 kB line on stderr)."""
    cli.ok("source", "add", "s", "--name", "S")
    run = cli("claim", "add", "z", "--source", "s", option, "p" * 100_000)
    assert run.exit_code in (1, 2) and one_line_errors(run.stderr)
    assert len(run.stderr) < 400 and "at most 120 characters" in run.stderr


def test_a_database_on_a_read_only_mount_says_why_it_cannot_be_opened(tmp_path):
    """Found by the attacker: on a read-only mount every command, reads included, said only
    "unable to open database file" (SQLite in WAL mode writes beside the file to read)."""
    import subprocess

    folder = tmp_path / "archive"
    folder.mkdir()
    Cli(f"sqlite:///{folder / 'p.db'}").ok("init")
    mounted = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"no bind mount here ({mounted.stderr.decode().strip()[:80]})")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)
        run = Cli(f"sqlite:///{folder / 'p.db'}")("claim", "list")
        assert run.exit_code == 4 and one_line_errors(run.stderr)
        assert f"its folder {folder} is read-only" in run.stderr
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_value_longer_than_any_is_refused_without_being_parsed(db_url, tmp_path):
    """Found by the attacker: a value of "dozens of" 100,000 times was still being parsed
    as a figure after two minutes (its length was checked after the parse)."""
    path = write_json(
        tmp_path / "long.json",
        {"claims": [claim(value=" ".join(["dozens of"] * 100_000) + " people")]},
    )
    run = provenance(db_url, "import", str(path), timeout=60)
    assert run.returncode == 1 and one_line_errors(run.stderr), run.stderr
    assert "long.json#/claims/0/value: value too long: 1,000,006 characters" in run.stderr


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_an_output_that_cannot_take_utf8_gets_escapes_not_an_internal_error(cli, db_url, encoding):
    """Found by an attacker: PYTHONIOENCODING=ascii made every listing with an accent or a
    dash an internal error, exit 70. JSON now goes out in ASCII escapes (nothing lost)."""
    cli.ok("source", "add", "sc", "--name", "Société — Café")
    env = {"PYTHONIOENCODING": encoding}
    run = provenance(db_url, "source", "list", "-f", "json", env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.isascii() and json.loads(run.stdout)[0]["name"] == "Société — Café"
    if encoding == "ascii":  # (latin-1 text would not decode here as UTF-8)
        table = provenance(db_url, "source", "show", "sc", env=env)
        assert table.returncode == 0 and "Soci" in table.stdout, table.stderr
        assert provenance(db_url, "source", "list", "-f", "csv", env=env).returncode == 0


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_output_that_cannot_be_written_is_one_line_not_an_internal_error(cli, db_url):
    """Found by the second attack: `claim list -f csv > /dev/full` was an internal error."""
    import subprocess
    import sys

    cli.ok("source", "add", "s1")
    cli.ok("claim", "add", "Forty died", "--source", "s1")
    with open("/dev/full", "w") as full:
        run = subprocess.run(
            [sys.executable, "-m", "provenance", "--db", db_url, "claim", "list", "-f", "csv"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert run.returncode == 1, run.stderr
    assert run.stderr.startswith("error: cannot write the output: No space left on device")
    assert len(run.stderr.strip().splitlines()) == 1


def test_a_file_of_many_bad_records_keeps_a_thousand_problems_and_counts_the_rest(
    cli, tmp_path, monkeypatch
):
    """Every problem of two million bad lines was held to print fifty (3.5 GB): the
    first thousand are kept, the rest counted, and the count still says how many."""
    from provenance.errors import Problems

    monkeypatch.setattr(Problems, "KEPT", 5)
    path = tmp_path / "bad.jsonl"
    path.write_text('{"type": "claim", "text": ""}\n' * 20)
    run = cli("import", str(path))
    assert run.exit_code == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 6 and "bad.jsonl:1" in lines[0]
    assert lines[-1].endswith("… and 35 more")  # 20 records, two problems each
    assert cli.json("claim", "list") == []


def test_a_record_with_more_fields_than_any_record_has_is_one_line(cli, tmp_path):
    """A claim with three million unknown fields took 4.2 GB to name each of them."""
    record = {"type": "claim", "text": "x", "attributions": [{"source": "a"}]}
    record.update({f"field{i}": 1 for i in range(150)})
    path = tmp_path / "wide.jsonl"
    path.write_text(json.dumps(record) + "\n")
    run = cli("import", str(path))
    assert run.exit_code == 1
    assert run.stderr.strip() == (
        f"error: {path}:1: 152 fields, more than any record has (at most 100)"
    )


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("c.json", "utf-16"), ("c.jsonl", "utf-16-le"), ("c.yaml", "utf-16-be"), ("c.csv", "utf-32")],
)
def test_a_file_in_utf16_or_utf32_is_named_as_such(cli, tmp_path, name, encoding):
    """An attacker's finding: UTF-16 JSON was only `invalid JSON` (CSV said not UTF-8)."""
    text = "key,text,source\n" if name.endswith(".csv") else '{"claims": []}\n'
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    run = cli("import", str(path))
    assert run.exit_code == 1
    assert run.stderr.strip() == (
        f"error: {path}: not UTF-8 text (UTF-16 or UTF-32, by its first bytes): save it as UTF-8"
    )


def test_a_tag_is_stored_without_invisible_characters(cli):
    """An attacker's finding: a tag of a zero-width space alone was accepted, a tag that
    shows as nothing; a web page's invisible characters inside a word split one tag in two."""
    cli.ok("source", "add", "nug")
    cli.ok("claim", "add", "Shelling", "-s", "nug", "--tag", "\u200b", "--tag", "ne\u200bws")
    cli.ok("claim", "add", "Airstrike", "-s", "nug", "--key", "air")
    cli.ok("claim", "edit", "air", "--tag", "\u2060news\u00ad")
    assert [c["tags"] for c in cli.json("claim", "list")] == [["news"], ["news"]]
    assert len(cli.json("claim", "list", "--tag", "n\u200bews")) == 2
