"""The reading assistant measured on real reporting it was not written for:
tests/data/reporting/ holds excerpts of public news on eight topics, with the
attributions a careful reader expects, written by hand before the rules were run."""

import re

import pytest

from provenance.io.reading import document
from provenance.io.reading.text import plain_text, sentences
from tests.conftest import SHARED
from tests.reporting_score import (
    EIGHTH_LOOK,
    ELEVENTH_LOOK,
    FIFTH_LOOK,
    FOURTH_LOOK,
    NINTH_LOOK,
    SECOND_LOOK,
    SEVENTH_LOOK,
    SIXTH_LOOK,
    TENTH_LOOK,
    THIRD_LOOK,
    TWELFTH_LOOK,
    load,
    score,
)


def test_the_corpus_is_real_varied_and_apart_from_the_seed():
    items = load()
    assert len(items) >= 40
    assert len({item["topic"] for item in items}) >= 4
    assert all(
        item["url"].startswith("http") and re.match(r"\d{4}-\d{2}", item["date"]) for item in items
    )
    assert all(1 <= len(sentences(item["text"])) <= 3 for item in items)
    assert {item["split"] for item in items} == {"dev", "held_out"}
    seed = SHARED / "seeds" / "000_a8507e89a5a7b57a.txt"
    if seed.exists():
        article = seed.read_text(encoding="utf-8")
        assert not any(item["text"][:60] in article for item in items)


def test_recall_and_precision_on_real_reporting_are_at_least_085():
    total, _ = score()
    dev, _ = score("dev")
    held, _ = score("held_out")
    report = (
        f"{len(load())} excerpts, {total.expected} expected attributions: "
        f"recall {total.recall:.2f}, precision {total.precision:.2f} "
        f"(development part {dev.recall:.2f}/{dev.precision:.2f}, "
        f"held-out part {held.recall:.2f}/{held.precision:.2f})"
    )
    print(report)
    assert total.recall >= 0.85, report
    assert total.precision >= 0.85, report


@pytest.mark.parametrize(
    ("path", "excerpts", "recall", "precision"),
    [
        (SECOND_LOOK, 14, 0.54, 0.8),
        (THIRD_LOOK, 16, 0.48, 0.84),
        (FOURTH_LOOK, 20, 0.9, 0.94),
        (FIFTH_LOOK, 15, 0.7, 0.9),
        (SIXTH_LOOK, 19, 0.86, 0.94),
        (SEVENTH_LOOK, 19, 0.8, 0.84),
        (EIGHTH_LOOK, 19, 0.62, 0.77),
        (NINTH_LOOK, 15, 0.67, 0.82),
        (TENTH_LOOK, 18, 0.84, 0.97),
        (ELEVENTH_LOOK, 18, 0.73, 0.95),
        (TWELFTH_LOOK, 18, 0.71, 0.83),
    ],
    ids=[
        "second look",
        "third look",
        "fourth look",
        "fifth look",
        "sixth look",
        "seventh look",
        "eighth look",
        "ninth look",
        "tenth look",
        "eleventh look",
        "twelfth look",
    ],
)
def test_texts_strangers_scored_read_no_worse_than_after_their_look(
    path, excerpts, recall, precision
):
    """Excerpts helpers chose and keyed before running `extract` (wire stories, company
    results, indictments, epidemics, disasters, elections, doping, fact-checks, headlines):
    the second look found 18 of 44 attributions at first (0.41) and 24 after the shapes
    they showed were read; the third, 15 of 50 (0.30), then 23; the fourth, 38 of 53
    (0.72), then 48; the fifth, 15 of 34 (0.44), then 24; the sixth, 36 of 52 (0.69), then
    45; the seventh, 25 of 45 (0.56) on the release before this stop, then 35; the
    eighth, 19 of 40 (0.47) on that release and on this stop's before its shapes, then 23;
    the tenth, 23 of 33 (0.70) keyed blind, then 28; the eleventh, 23 of 41 (0.56), kept
    aside for a stop; the twelfth, 26 of 38 (0.68) keyed blind, then 27 with the
    eleventh's shapes, kept aside."""
    total, details = score(path=path)
    report = (
        f"{path.stem}: {total.expected} expected attributions: recall {total.recall:.2f}, "
        f"precision {total.precision:.2f}"
    )
    print(report)
    assert total.recall >= recall and total.precision >= precision, report
    assert len(details) == excerpts


@pytest.mark.parametrize(
    "item",
    load()
    + load(SECOND_LOOK)
    + load(THIRD_LOOK)
    + load(FOURTH_LOOK)
    + load(FIFTH_LOOK)
    + load(SIXTH_LOOK)
    + load(SEVENTH_LOOK)
    + load(EIGHTH_LOOK)
    + load(NINTH_LOOK)
    + load(TENTH_LOOK)
    + load(ELEVENTH_LOOK)
    + load(TWELFTH_LOOK),
    ids=lambda item: item["id"],
)
def test_every_quote_is_verbatim_with_its_offsets_and_whole_words(item):
    text = item["text"] + "\n"
    proposal = document(text, name=item["id"], sha256="0" * 64, year=int(item["date"][:4]))
    # a page's offsets are in its text without the markup, a plain text's in the text itself
    read = plain_text(text) if "<p>" in text else text
    for claim in proposal["claims"]:
        for attribution in claim["attributions"]:
            start, end = attribution["offsets"]
            # verbatim, a line break inside a wrapped paragraph read as a space
            assert read[start:end].replace("\n", " ") == attribution["quote"]
            assert not (start > 0 and read[start - 1].isalnum() and read[start].isalnum())
            assert not (end < len(read) and read[end - 1].isalnum() and read[end].isalnum())
        assert claim.get("unit") != "and"
