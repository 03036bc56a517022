"""Long numbers and long scalars that once crashed or stalled the import (found by a fuzz
run and an attack on the wheel). Each import runs in a child under a memory cap and a time
limit: a crash is an exit by signal, a stall a timeout."""

import pytest

from tests.capped import one_line_errors, provenance

CLAIM_HEAD = '{"claims": [\n{"text": "x", "attributions": [{"source": "a"}],\n"value": '


def only_error_is(run, place: str, message: str) -> None:
    assert run.returncode == 1, (run.returncode, run.stderr[-300:])
    assert one_line_errors(run.stderr) and f"{place}: {message}" in run.stderr, run.stderr


@pytest.mark.parametrize("first", [True, False], ids=["first record", "third record"])
def test_a_number_past_4300_digits_in_json_is_one_line_not_a_crash(cli, db_url, tmp_path, first):
    """ijson's C backend crashed the process (SIGSEGV) converting 4,633 digits."""
    number = "9" * 4633
    records = ['{"text": "", "attributions": [{"source": "desk"}]}'] * 2
    odd = '{"text": "", "value": ' + number + ', "attributions": [{"source": "desk"}]}'
    records.insert(0 if first else 2, odd)
    path = tmp_path / "long.json"
    path.write_text('{"sources": [], "claims": [' + ", ".join(records) + "]}")
    run = provenance(db_url, "import", "--format", "json", str(path), timeout=60)
    only_error_is(run, f"{path}:1", "a number with more than 4,300 digits")
    assert cli.json("claim", "list") == []


def test_digits_split_across_the_parsers_reads_are_counted_together(cli, db_url, tmp_path):
    """The parser reads 64 KiB at a time: a run that straddles two reads is still one run."""
    padding = "p" * (65_536 - len(CLAIM_HEAD) - 2_000)
    text = CLAIM_HEAD.replace('"x"', f'"{padding}"') + "1" + "0" * 4_400 + "}]}"
    path = tmp_path / "straddle.json"
    path.write_text(text)
    run = provenance(db_url, "import", str(path), timeout=60)
    only_error_is(run, f"{path}:3", "a number with more than 4,300 digits")


def test_4300_digits_are_read_as_a_number(cli, db_url, tmp_path):
    path = tmp_path / "edge.json"
    path.write_text(CLAIM_HEAD + "1" + "0" * 4_299 + "}]}")
    run = provenance(db_url, "import", str(path), timeout=60)
    assert run.returncode == 1 and "value is out of range" in run.stderr  # read, then judged


def test_a_number_past_4300_digits_in_jsonl_says_so_in_words(cli, tmp_path):
    path = tmp_path / "long.jsonl"
    line = '{"type": "claim", "text": "x", "value": ' + "9" * 5_000
    path.write_text(line + ', "attributions": [{"source": "a"}]}\n')
    run = cli("import", str(path))
    assert run.exit_code == 1 and f"{path}:1: a number with more than 4,300 digits" in run.stderr
    assert "sys.set_int_max_str_digits" not in run.stderr


@pytest.mark.parametrize("style", ["quoted", "block"])
def test_a_50_mb_yaml_scalar_is_refused_in_seconds_not_minutes(cli, db_url, tmp_path, style):
    """PyYAML's Python scanner took 243 s to reach the size check; libyaml's takes ~1 s."""
    path = tmp_path / "big.yaml"
    if style == "quoted":
        body = '    text: "' + "x" * 50_000_000 + '"\n'
    else:
        body = "    text: |\n" + ("      " + "y" * 70 + "\n") * 700_000
    path.write_text("claims:\n  - key: c1\n" + body + "    attributions: [{source: s}]\n")
    run = provenance(db_url, "import", str(path), timeout=60)
    only_error_is(run, f"{path}:3", "one value is longer than 1,048,576 characters")
    assert cli.json("claim", "list") == []


@pytest.mark.parametrize(
    "value", ['"0.' + "0" * 323 + '5"', "5e-324", '{"min": 5e-324, "max": 1e-320}', "-1e-13"]
)
def test_a_figure_too_small_to_widen_is_refused_at_the_door(cli, tmp_path, value):
    """Found by an attacker: 5e-324 was stored, and on PostgreSQL widening it by the
    tolerance underflowed ("value out of range: underflow"), so flag, compare and every
    export of the whole database failed until someone found the claim."""
    cli.ok("source", "add", "nug")
    cli.ok("claim", "add", "Fine", "--source", "nug", "--subject", "junta", "--property",
           "share", "--value", "0.000001", "--new-entity")  # fmt: skip
    path = tmp_path / "tiny.json"
    path.write_text(
        '{"claims": [{"text": "Tiny", "subject": "junta", "property": "share", "value": '
        + value
        + ', "attributions": [{"source": "nug"}]}]}'
    )
    run = cli("import", str(path))
    assert run.exit_code == 1 and "too small" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert [c["text"] for c in cli.json("claim", "list")] == ["Fine"]
    cli.ok("flag")
    cli.ok("export", "-f", "json")
