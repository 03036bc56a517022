"""Shapes of reporting the tenth look showed (tests/data/reporting/tenth_look.jsonl): each
sentence below is written afresh in the shape, not copied from those texts."""

import pytest

from provenance.figures import scan_figures
from tests.test_extract import _said, extract


def _values(document):
    return [(c["attributions"][0]["source"], c.get("value")) for c in document["claims"]]


def _figures_of(cli, tmp_path, sentence):
    """The values `extract` proposes for one sentence under a headline."""
    document = extract(cli, tmp_path, f"Headline\n{sentence}\n")
    return [v for _, v in _values(document) if v is not None]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a scene set before ", X said," is no claim: what follows the speaker is
        (
            "In one raid, the coast guard said, some 300 people were freed off Kandor.",
            ("coast-guard", "asserts", [], "Some 300 people were freed off Kandor."),
        ),
        # two words joined by "and" before the plural head name one group
        (
            "However, farm and trade officials claim the harvest was smaller.",
            ("farm-and-trade-officials", "asserts", [], "The harvest was smaller."),
        ),
        # what goes on, negated, is said, not denied ("is not tracking")
        (
            "The command said it is not tracking any new objects since the launch.",
            ("command", "asserts", [], "It is not tracking any new objects since the launch."),
        ),
    ],
)
def test_the_shapes_the_tenth_look_found_in_texts_we_had_not_seen(
    cli, tmp_path, sentence, expected
):
    assert _said(extract(cli, tmp_path, f"Headline\n{sentence}\n"))[0] == expected


def test_found_with_a_thing_after_it_is_an_event_not_a_finding(cli, tmp_path):
    said = _said(
        extract(cli, tmp_path, "Headline\nDivers found three more bodies, the mayor said.\n")
    )
    assert [s[:2] for s in said] == [("mayor", "asserts")]


@pytest.mark.parametrize(
    ("sentence", "origin"),
    [
        ("The study found 40 percent of the grain was lost.", "study"),
        ("Inspectors found four pipes had cracks.", "inspectors"),  # a clause without "that"
    ],
)
def test_a_finding_of_a_study_or_a_clause_after_found_is_still_a_claim(
    cli, tmp_path, sentence, origin
):
    assert [s[0] for s in _said(extract(cli, tmp_path, f"Headline\n{sentence}\n"))] == [origin]


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Divers found 3 more bodies, the mayor said.", 3),  # "more": what is counted follows
        ("The agency said the number of abducted officers was twelve.", 12),
        ("Police said the number of people killed has risen to 40.", 40),
        (
            "The bank said about two million to 2.5 million of its 70 million clients were hit.",
            {"min": 2_000_000, "max": 2_500_000},
        ),
    ],
)
def test_counts_named_in_these_shapes_are_read(cli, tmp_path, sentence, value):
    [(_, read)] = _values(extract(cli, tmp_path, f"Headline\n{sentence}\n"))
    assert read == value


@pytest.mark.parametrize(
    ("sentence", "values"),
    [
        # a number after a capitalised word inside a sentence is part of a name
        ("A spokesman said the data show Falcon 9 performed as planned.", []),
        ("The ministry said the plane, a Boeing 737, carried 132 people.", [132]),
        # but not a date's, nor in a Title Case headline
        ("Officials said on May 9 that 40 people died.", [40]),
    ],
)
def test_a_number_in_a_name_is_no_figure(cli, tmp_path, sentence, values):
    assert _figures_of(cli, tmp_path, sentence) == values


def test_a_number_after_a_title_case_verb_in_a_headline_is_a_figure(cli, tmp_path):
    document = extract(cli, tmp_path, "Floods Kill 12 In Kandor, Officials Say\n")
    assert [v for _, v in _values(document)] == [12]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("about two million to 2.5 million", {"min": 2_000_000, "max": 2_500_000}),
        ("between two and 2.5 million", {"min": 2_000_000, "max": 2_500_000}),
        ("two to 3 people", {"min": 2, "max": 3}),
        ("5 to ten people", {"min": 5, "max": 10}),
    ],
)
def test_a_range_with_one_end_in_words_and_one_in_digits_is_one_range(text, value):
    assert [f.value for f in scan_figures(text)] == [value]


def test_a_range_whose_ends_fall_is_two_figures():
    assert [f.value for f in scan_figures("ten to 2 people")] == [10, 2]


# What the third attack (on the wheel of this stop) found in figures of running text.


@pytest.mark.parametrize(
    ("sentence", "values"),
    [
        # a piece of another number is no figure: an invisible character inside it (web
        # pages carry them) read "2\u200b000" as 0; "12,34" as 34
        ("Police said 2\u200b000 people died.", []),
        ("Police said 2\u00ad000 people died.", []),
        ("Police said 12,34 people died.", []),
        ("Police said 1'200 people died.", []),  # read as 200 before
        # a terminal's colour code is no "31 million"
        ("Police said 5 people\x1b[31m died.", [5]),
        # odds are no count
        ("Police said 1 in 5 people died.", []),
        # a spread in running text, as a value typed so
        ("Police said 10 ± 2 people were injured.", [{"min": 8, "max": 12}]),
        # ranges whose ends their own pattern does not join
        ("Officials said twenty-five to thirty people died.", [{"min": 25, "max": 30}]),
        ("Officials said five hundred to six hundred people fled.", [{"min": 500, "max": 600}]),
        ("Officials said dozens to hundreds of people died.", [{"min": 24}]),
    ],
)
def test_figures_an_attack_misread_in_running_text(cli, tmp_path, sentence, values):
    assert _figures_of(cli, tmp_path, sentence) == values


def test_a_figure_the_store_refuses_is_left_out_not_the_whole_apply(cli, tmp_path):
    """A proposal of 10^20 people made `extract --apply` refuse the whole file."""
    cli.ok("init")
    path = tmp_path / "article.txt"
    path.write_text(
        "Headline\nPolice said 5 people died. Officials said 99999999999999999999 people fled.\n",
        encoding="utf-8",
    )
    cli.ok("extract", str(path), "--published", "2025-05-06", "--apply")
    values = sorted(str(c["value"]) for c in cli.json("claim", "list"))
    assert values == ["5", "None"]


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("twenty-five to thirty", {"min": 25, "max": 30}),
        ("five hundred to six hundred", {"min": 500, "max": 600}),
        ("two to 2.5 million", {"min": 2_000_000, "max": 2_500_000}),
        ("between two and 2.5 million", {"min": 2_000_000, "max": 2_500_000}),
    ],
)
def test_a_range_typed_as_people_write_it_is_a_figure_not_a_category(cli, typed, value):
    """`claim add --value "twenty-five to thirty"` kept the text as a category; "two to
    2.5 million" was refused as no figure."""
    cli.ok("source", "add", "s1")
    key = cli.ok("claim", "add", "Fled", "--source", "s1", "--value", typed).stdout.strip()
    assert cli.json("claim", "show", key)["value"] == value


def test_a_figure_wrapped_at_a_windows_line_end_is_read(cli, tmp_path):
    """`2\\r\\nmillion` (a file hard-wrapped on Windows) lost its figure; `2\\nmillion` had it."""
    path = tmp_path / "article.txt"
    path.write_bytes(b"Headline\r\nPolice said 2\r\nmillion people fled.\r\n")
    run = cli.ok("extract", str(path), "--published", "2025-05-06")
    assert [c.get("value") for c in run.json()["claims"]] == [2_000_000]


def test_a_publisher_the_database_does_not_hold_is_refused_and_nothing_written(cli, tmp_path):
    """`extract --apply --publisher nosuch` made a source of the mistyped key (a note said
    so); `doc add --publisher nosuch` refuses it. A name or an alias of a source is taken."""
    cli.ok("source", "add", "kandor-news", "--name", "Kandor News")
    path = tmp_path / "article.txt"
    path.write_text("Headline\nPolice said 5 people died.\n", encoding="utf-8")
    run = cli("extract", str(path), "--publisher", "kandor-newz", "--apply")
    assert run.exit_code == 1 and run.stderr.strip() == "error: no source 'kandor-newz'"
    assert [s["key"] for s in cli.json("source", "list")] == ["kandor-news"]
    assert cli.json("claim", "list") == []
    named = cli.ok("extract", str(path), "--publisher", "Kandor News").json()
    assert named["claims"][0]["attributions"][0]["via"] == ["kandor-news"]


def test_an_invisible_character_inside_a_name_is_no_word_break(cli, tmp_path):
    """A zero-width space a web page left in "U\u200bN" made the source `n`."""
    document = extract(cli, tmp_path, "Headline\nThe U\u200bN said 5 people fled.\n")
    assert [s[0] for s in _said(document)] == ["un"]
