"""A lone UTF-16 surrogate in JSON text is refused with its line, never stored as `?`
(ijson's C backend replaced it without a word; JSONL refused it in pydantic's words)."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.io.surrogates import LoneSurrogate, SurrogateCheck
from tests.conftest import write_json

#: JSON text pieces: halves of a pair, escaped backslashes (a run of them before `ud800`
#: makes it text, not an escape), other escapes, plain text.
PIECES = [
    "\\ud83d",
    "\\ude00",
    "\\\\",
    "\\u00e9",
    "a",
    "\\n",
    "\\ud800",
    "\\udfff",
    "ud800",
    "ude00",
]
PIECES.append("\\\\" * 9)  # a run longer than the bytes one read keeps for the next


def has_lone_surrogate(document: bytes) -> bool:
    text = json.loads(document)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def refused(document: bytes, sizes: list[int]) -> bool:
    check = SurrogateCheck()
    at = 0
    try:
        for size in sizes:
            check.feed(document[at : at + size])
            at += size
        check.feed(document[at:])
        check.feed(b"")
    except LoneSurrogate:
        return True
    return False


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=30),
    st.lists(st.integers(min_value=1, max_value=9), max_size=30),
)
def test_the_check_agrees_with_pythons_json_on_every_split(pieces, sizes):
    """Whatever the pieces and wherever the reads split them (an escaped backslash before
    `u`, a pair cut between two reads), the check refuses exactly the texts that hold a
    surrogate without its partner."""
    document = ('"' + "".join(pieces) + '"').encode()
    assert refused(document, sizes) == has_lone_surrogate(document)


def test_the_line_of_the_lone_half_is_named():
    check = SurrogateCheck()
    with pytest.raises(LoneSurrogate) as raised:
        check.feed(b'{\n"a": "\\ud83d\\ude00",\n"b": "x\\ude00"}')
        check.feed(b"")
    assert raised.value.line == 3 and "low surrogate" in str(raised.value)


CLAIM = {"key": "cut", "attributions": [{"source": "s1"}]}


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_a_cut_emoji_is_refused_and_nothing_is_written(cli, tmp_path, fmt):
    text = "Shelling reported \ud83d"  # a post cut in the middle of an emoji
    if fmt == "json":
        path = tmp_path / "cut.json"
        path.write_text(json.dumps({"claims": [{**CLAIM, "text": text}]}), encoding="ascii")
    else:
        path = tmp_path / "cut.jsonl"
        record = json.dumps({"type": "claim", **CLAIM, "text": text})
        path.write_text(record + "\n", encoding="ascii")
    run = cli("import", str(path))
    assert run.exit_code == 1
    if fmt == "json":  # the JSON parser's bytes are read for it: the line is named
        assert run.stderr.startswith(f"error: {path}:1: \\ud83d is half of a UTF-16 pair")
    else:  # a JSONL line is parsed by Python's json, which keeps the half: its field
        assert run.stderr == f"error: {path}:1/text: is not valid Unicode text\n"
    assert len(run.stderr.strip().splitlines()) == 1
    assert cli.json("claim", "list") == []


def test_a_whole_pair_and_an_escaped_backslash_are_imported_as_written(cli, tmp_path):
    text = "Shelling reported \U0001f600, and a path C:\\ud800"
    path = write_json(tmp_path / "ok.json", {"claims": [{**CLAIM, "text": text}]})
    path.write_text(json.dumps(json.loads(path.read_text()), ensure_ascii=True))
    cli.ok("import", str(path))
    assert cli.json("claim", "show", "cut")["text"] == text
