"""CSV a spreadsheet can open safely, that reads back as the same data (issue 16, items 3
and 9): formula starts neutralised in every column, CR and LF always quoted, categories
that look like numbers kept as text."""

import csv
import io
import json

import pytest

from tests.conftest import Cli, write_json

#: What a spreadsheet acts on at the start of a cell.
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def unsafe(cell: str) -> bool:
    """A cell a spreadsheet would execute (a plain number like -5 is data, not a formula)."""
    if not cell.startswith(DANGEROUS):
        return False
    try:
        float(cell)
        return False
    except ValueError:
        return True


def hostile_claims(prefix: str) -> list[dict]:
    """One claim with the character at the start of every free-text column, and one with
    it inside, after a bare CR (the case that once made a new row)."""
    start = f"{prefix}SUM(1)"
    inside = f"Yangon\r{prefix}SUM(2)"
    return [
        {
            "key": f"{name}-{ord(prefix)}",
            "text": f"{text} text",
            "subject": f"{text} subject",
            "value": f"{text} value",
            "value_kind": "category",
            "unit": f"{text} unit",
            "place": f"{text} place",
            "tags": [f"{text} tag"],
            "attributions": [
                {"source": "desk", "quote": f"{text} quote", "recorded_by": f"{text} analyst"}
            ],
        }
        for name, text in (("start", start), ("inside", inside))
    ]


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("prefix", DANGEROUS, ids=["eq", "plus", "minus", "at", "tab", "cr"])
def test_csv_neutralises_formulas_and_quotes_cr_in_every_column(cli, tmp_path, prefix):
    cli.ok("import", str(write_json(tmp_path / "h.json", {"claims": hostile_claims(prefix)})))
    export = cli.ok("export", "-f", "csv").stdout
    listing = cli.ok("claim", "list", "-f", "csv").stdout
    for output in (export, listing):
        table = rows(output)
        assert len(table) == 3, table  # the header and one row a claim: no row split at a CR
        assert len({len(row) for row in table}) == 1
        assert not [cell for row in table for cell in row if unsafe(cell)]
    # And the file reads back as the same claims.
    again = Cli(fresh_database(tmp_path))
    path = tmp_path / "back.csv"
    path.write_text(export, newline="")
    again.ok("import", str(path))
    assert comparable(again) == comparable(cli)


def fresh_database(tmp_path) -> str:
    from provenance.db import initialise

    url = f"sqlite:///{tmp_path / 'again.db'}"
    initialise(url)
    return url


def comparable(cli: Cli) -> list[tuple]:
    claims = json.loads(cli.ok("export").stdout)["claims"]
    return [
        (
            c["key"],
            c["text"],
            c["value"],
            c["unit"],
            c["place"],
            c["tags"],
            [a["quote"] for a in c["attributions"]],
        )
        for c in claims
    ]


VALUES = ["007", "1e3", "5G", "~5", "-5", "-inf", "nan", "'=x", "'quoted", "{x}", -5, 7, 2.5, 1e3]


def test_csv_round_trip_keeps_categories_that_look_like_numbers(cli, tmp_path):
    claims = [
        {
            "key": f"v{i}",
            "text": f"Value {i}.",
            "value": v,
            "attributions": [{"source": "a"}],
            **({"value_kind": "category"} if isinstance(v, str) else {}),
        }
        for i, v in enumerate(VALUES)
    ]
    claims.append(
        {
            "key": "text",
            "text": "'=not a formula",
            "place": "'+x",
            "attributions": [{"source": "a"}],
        }
    )
    cli.ok("import", str(write_json(tmp_path / "v.json", {"claims": claims})))
    path = tmp_path / "v.csv"
    path.write_text(cli.ok("export", "-f", "csv").stdout, newline="")
    again = Cli(fresh_database(tmp_path))
    again.ok("import", str(path))
    values = {c["key"]: c["value"] for c in again.json("claim", "list", "--limit", "0")}
    assert [values[f"v{i}"] for i in range(len(VALUES))] == VALUES
    record = again.json("claim", "show", "text")
    assert record["text"] == "'=not a formula" and record["place"] == "'+x"
    assert comparable(again) == comparable(cli)


def test_numbers_stay_numbers_in_csv(cli, tmp_path):
    claims = [{"key": "n", "text": "Minus five.", "value": -5, "attributions": [{"source": "a"}]}]
    cli.ok("import", str(write_json(tmp_path / "n.json", {"claims": claims})))
    [row] = list(csv.DictReader(io.StringIO(cli.ok("export", "-f", "csv").stdout)))
    assert row["value"] == "-5"
    [row] = list(csv.DictReader(io.StringIO(cli.ok("claim", "list", "-f", "csv").stdout)))
    assert row["value"] == "-5"


@pytest.mark.parametrize("bounds", [("10", ""), ("", "20"), ("10", "20")])
def test_a_row_with_both_a_value_and_its_bounds_is_refused(cli, tmp_path, bounds):
    """`value` 5 beside `value_min` 10 was stored as "at least 10": the 5 was dropped."""
    path = tmp_path / "both.csv"
    path.write_text(
        "key,text,value,value_min,value_max,source\n"
        f"k1,Five or more killed,5,{bounds[0]},{bounds[1]},nug\n"
        "k2,Ten killed,10,,,nug\n"
    )
    run = cli("import", str(path))
    assert run.exit_code == 1
    assert run.stderr.startswith(f"error: {path}:2: value and value_min/value_max are both")
    assert len(run.stderr.strip().splitlines()) == 1
    assert cli.json("claim", "list") == []


def test_a_csv_export_says_what_it_leaves_out(seeded, tmp_path):
    """A CSV round trip keeps claims and attributions only; the export did not say so."""
    path = tmp_path / "claims.csv"
    run = seeded.ok("export", "-f", "csv", "--out", str(path))
    assert "links" in run.stderr and "-f json or jsonl" in run.stderr
    assert (
        "note: CSV" not in seeded.ok("export", "-f", "jsonl", "--out", str(tmp_path / "a")).stderr
    )
    again = Cli(f"sqlite:///{tmp_path / 'again.db'}")
    again.ok("init")
    again.ok("import", str(path))
    assert len(again.json("claim", "list", "--limit", "0")) == len(
        seeded.json("claim", "list", "--limit", "0")
    )


def test_a_csv_figure_that_reads_two_ways_is_refused_and_our_own_export_never_writes_one(
    cli, tmp_path
):
    """`2.000` in a CSV cell was stored as 2 (JSON, JSONL and --value refuse it); and an
    export wrote 1.125 as `1.125`, which now reads two ways: it writes `1.1250`."""
    path = tmp_path / "dots.csv"
    path.write_text(
        "key,text,value,value_min,value_max,source\n"
        "k1,Two thousand?,2.000,,,nug\n"
        "k2,A range,,1.500,2.500,nug\n"
    )
    run = cli("import", str(path))
    assert run.exit_code == 1
    assert f"{path}:2: value '2.000' is ambiguous" in run.stderr
    assert (
        f"{path}:3: value_min '1.500' is ambiguous: 1.500 is a decimal in English and 1,500 "
        "where a dot separates thousands; write 1500, or the decimal with one more place "
        "(1.5000)"
    ) in run.stderr
    assert cli.json("claim", "list") == []
    claims = [
        {"key": "exact", "text": "e", "value": 1.125, "attributions": [{"source": "nug"}]},
        {"key": "range", "text": "r", "value": {"min": 1.25, "max": 2.125},
         "attributions": [{"source": "nug"}]},
        {"key": "about", "text": "a", "value": {"approx": 7.125},
         "attributions": [{"source": "nug"}]},
    ]  # fmt: skip
    cli.ok("import", str(write_json(tmp_path / "f.json", {"claims": claims})))
    exported = tmp_path / "out.csv"
    cli.ok("export", "-f", "csv", "--out", str(exported))
    assert "1.1250" in exported.read_text() and "~7.1250" in exported.read_text()
    again = Cli(f"sqlite:///{tmp_path / 'again.db'}")
    again.ok("init")
    again.ok("import", str(exported))
    assert {c["key"]: c["value"] for c in again.json("claim", "list")} == {
        "exact": 1.125,
        "range": {"min": 1.25, "max": 2.125},
        "about": {"approx": 7.125},
    }


@pytest.mark.parametrize(
    ("command", "nothing"),
    [
        (("claim", "list"), ("--tag", "no-such-tag")),
        (("flag",), ("--status", "retracted")),
        (("log",), ("--analyst", "nobody")),
    ],
)
def test_a_csv_listing_with_no_rows_still_has_its_header(seeded, command, nothing):
    """An empty `-f csv` was zero bytes: csv.DictReader then had no field names. The
    header of an empty listing is the one a full listing has."""
    full = seeded.ok(*command, "-f", "csv").stdout.splitlines()
    empty = seeded.ok(*command, *nothing, "-f", "csv").stdout.splitlines()
    assert len(full) > 1 and empty == full[:1]


def test_a_claim_listing_in_csv_keeps_the_fields_only_some_claims_have(seeded):
    """The header was the first record's keys: a later claim's `withdrawn` (or a category's
    `value_kind`) had no column and was left out of the CSV without a word."""
    first = seeded.json("claim", "list", "--limit", "1")[0]["key"]
    seeded.ok("claim", "add", "Code 007 named", "--source", "nug", "--key", "code",
              "--subject", "code-entity", "--property", "code", "--value", "007",
              "--category", "--new-entity")  # fmt: skip
    seeded.ok("claim", "withdraw", "code", "--note", "typo")
    listed = seeded.ok("claim", "list", "--include-withdrawn", "--limit", "0", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(listed.stdout)))
    assert rows[0]["key"] == first and rows[0]["withdrawn"] == ""
    code = next(row for row in rows if row["key"] == "code")
    assert code["value_kind"] == "category" and "typo" in code["withdrawn"]


def test_the_csv_columns_are_the_json_records_fields(seeded):
    """The CSV columns of claim list, flag and log are written down apart from the records:
    a field added to a record and not to its columns would leave the CSV silently."""
    from provenance.analysis.queue import FLAG_FIELDS
    from provenance.read.records import CLAIM_FIELDS
    from provenance.services.audit import EVENT_FIELDS

    for command, fields in (
        (("claim", "list", "--include-withdrawn"), CLAIM_FIELDS),
        (("flag",), FLAG_FIELDS),
        (("log",), EVENT_FIELDS),
    ):
        for record in seeded.json(*command):
            assert [f for f in fields if f in record] == list(record), command


def test_what_a_csv_cannot_carry_back_is_refused_not_changed_on_the_way(cli, tmp_path):
    """Found by an attacker: a tag "a;b" came back from a CSV round trip as two tags, and
    withdrawn captures exported with --include-withdrawn came back live."""
    cli.ok("source", "add", "nug")
    run = cli("claim", "add", "Tagged", "--source", "nug", "--tag", "a;b")
    assert run.exit_code == 1 and "a tag cannot hold ';'" in run.stderr
    path = tmp_path / "tagged.json"
    path.write_text(
        '{"claims": [{"text": "T", "tags": ["a;b"], "attributions": [{"source": "nug"}]}]}'
    )
    run = cli("import", str(path))
    assert run.exit_code == 1 and "a tag cannot hold ';'" in run.stderr
    assert cli.json("claim", "list") == []
    cli.ok("claim", "add", "Bad capture", "--source", "nug", "--key", "bad")
    cli.ok("claim", "withdraw", "bad", "--note", "typo")
    run = cli("export", "-f", "csv", "--include-withdrawn", "-o", str(tmp_path / "w.csv"))
    assert run.exit_code == 2 and "cannot mark withdrawn captures" in run.stderr
    assert not (tmp_path / "w.csv").exists()
    assert "bad" in cli.ok("export", "-f", "jsonl", "--include-withdrawn").stdout


@pytest.mark.parametrize("fmt", ["sqlite", "markdown", "html", "prov-json", "claimreview"])
def test_formats_that_cannot_mark_a_withdrawn_capture_refuse_to_include_them(cli, tmp_path, fmt):
    """An attacker's finding: `--include-withdrawn` in a briefing, a SQLite copy or
    PROV-JSON showed withdrawn and merged captures as live claims (a merged duplicate's
    attribution counted twice)."""
    cli.ok("source", "add", "nug")
    cli.ok("claim", "add", "Bad capture", "--source", "nug", "--key", "bad")
    cli.ok("claim", "withdraw", "bad", "--note", "typo")
    out = tmp_path / f"out.{fmt}"
    run = cli("export", "-f", fmt, "--include-withdrawn", "-o", str(out))
    assert run.exit_code == 2
    assert f"export -f {fmt} cannot mark withdrawn captures" in run.stderr
    assert not out.exists()
    cli.ok("export", "-f", fmt, "-o", str(out))  # without them, as before
    assert out.exists()
