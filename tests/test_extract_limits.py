"""`extract` on what is no article, or an article without the marks it expects: refused in
one line before anything is read or written, or read in time and memory that grow with
the text, not its square."""

import pytest

from tests.test_extract import extract


def test_sentences_ended_by_burmese_or_chinese_full_stops_are_read_one_by_one(cli, tmp_path):
    for stop in ("။", "。"):
        text = "".join(
            f"The NUG said {n} people were killed in Sagaing{stop} " for n in range(1, 41)
        )
        claims = extract(cli, tmp_path, f"Headline\n{text}\n", name=f"stops{ord(stop)}.txt")[
            "claims"
        ]
        assert [c["value"] for c in claims] == list(range(1, 41))


def test_a_text_without_full_stops_is_read_in_pieces_not_pairs(cli, tmp_path):
    """Attributions run together without a full stop: twice the text gives about twice
    the proposals. Read as one sentence, every cue was paired with every other (200 gave
    20,300 proposals; 500 took 10 GB)."""
    phrase = "The NUG said 300 people were killed in Sagaing on Monday, according to observers "
    counts = [
        len(extract(cli, tmp_path, phrase * n, name=f"run-on-{n}.txt")["claims"])
        for n in (200, 400)
    ]
    assert counts[1] <= 2.2 * counts[0] and counts[0] < 10 * 200
    claims = extract(cli, tmp_path, phrase * 50, name="run-on-50.txt")["claims"]
    assert max(len(c["text"]) for c in claims) <= 800


def test_a_text_with_more_attributions_than_any_article_is_refused(cli, tmp_path, monkeypatch):
    import importlib

    monkeypatch.setattr(
        importlib.import_module("provenance.io.reading.document"), "MAX_PROPOSALS", 30
    )
    path = tmp_path / "dump.txt"
    path.write_text("".join(f"The NUG said {n} died. " for n in range(40)), encoding="utf-8")
    run = cli("extract", str(path), "--apply")
    assert run.exit_code == 1
    assert run.stderr.strip() == (
        "error: dump.txt: more than 30 attributions, which no article has; "
        "split it into its articles"
    )
    assert cli.json("claim", "list") == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"The NUG said \xff\xfe 300 people died.\n",
            "not UTF-8 text (invalid start byte at byte 13)",
        ),
        (b"The NUG said\x00 300 people died.\n", "contains a NUL character (at character 12)"),
        (b"\x00" * 4096, "contains a NUL character (at character 0)"),
    ],
)
def test_bytes_that_are_no_text_are_refused_before_anything_is_written(
    cli, tmp_path, content, message
):
    path = tmp_path / "article.bin"
    path.write_bytes(content)
    run = cli("extract", str(path), "--apply")
    assert run.exit_code == 1
    [line] = run.stderr.splitlines()
    assert line.startswith(f"error: {path}: {message}")
    assert cli.json("doc", "list") == [] and cli.json("source", "list") == []


def test_a_byte_order_mark_is_no_part_of_the_text(cli, tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffHeadline\nThe NUG said 300 people died.\n".encode())
    run = cli.ok("extract", str(path))
    [claim] = run.json()["claims"]
    assert claim["value"] == 300 and run.json()["documents"][0]["title"] == "Headline"
