"""Shapes of reporting the eleventh look showed (tests/data/reporting/eleventh_look.jsonl):
each sentence below is written afresh in the shape, not copied from those texts."""

import pytest

from provenance.figures import parse_figure
from tests.test_extract import _said, extract


def _read(cli, tmp_path, sentence):
    """(origin, stance, via, claim text) of every attribution of one sentence."""
    return _said(extract(cli, tmp_path, f"Headline\n{sentence}\n"))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # an aside of time between the subject and its first verb
        (
            "Port Minister Lena Okafor, earlier in the week, toured the docks and said "
            "exports fell by 12 per cent.",
            ("lena-okafor", "asserts", [], "Exports fell by 12 per cent."),
        ),
        # a description between commas, then "also", then ", saying"
        (
            "The Tenants Union, a coalition of renters' groups, also criticised the city, "
            "saying rents had doubled.",
            ("tenants-union", "asserts", [], "Rents had doubled."),
        ),
        # a connective before the subject of two coordinated verbs
        (
            "However, economists question the bank's model, and suggest that inflation is higher.",
            ("economists", "asserts", [], "Inflation is higher."),
        ),
    ],
)
def test_the_subject_of_a_later_verb_is_found_past_an_aside_or_a_connective(
    cli, tmp_path, sentence, expected
):
    assert _read(cli, tmp_path, sentence) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "The union said 40 workers were hurt, but the contractor has disputed that.",
        "The union said 40 workers were hurt, but the contractor denied it.",
    ],
)
def test_a_denial_whose_object_is_a_pronoun_denies_the_claim_before_it(cli, tmp_path, sentence):
    said = _read(cli, tmp_path, sentence)
    assert [(origin, stance, text) for origin, stance, _, text in said] == [
        ("union", "asserts", "40 workers were hurt."),
        ("contractor", "denies", "40 workers were hurt."),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Fans said 30,000 came, but the police estimated the crowd at only 9,000.",
            [("fans", 30_000), ("police", 9_000)],
        ),
        ("Unions estimate the number of strikers at 12,000.", [("unions", 12_000)]),
        ("The mayor estimated the attendance at a quarter of a million.", [("mayor", 250_000)]),
        # "put", "placed" and "pegged" estimate only with an object "at" a figure
        (
            "Organisers said 40,000 marched, but police put the crowd at 8,000.",
            [("organisers", 40_000), ("police", 8_000)],
        ),
        ("The ministry placed the death toll at 112.", [("ministry", 112)]),
        ("The opposition put pressure on the council.", []),
    ],
)
def test_a_quantity_estimated_at_a_figure_is_counted_as_that_quantity(
    cli, tmp_path, sentence, expected
):
    document = extract(cli, tmp_path, f"Headline\n{sentence}\n")
    read = [(c["attributions"][0]["source"], c.get("value")) for c in document["claims"]]
    assert read == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a quarter of a million", 250_000),
        ("about three-quarters of a million", {"approx": 750_000}),
        ("over a quarter of a billion", {"min": 250_000_000}),
    ],
)
def test_a_fraction_of_a_million_is_that_fraction_not_a_million(text, value):
    assert parse_figure(text).value == value


@pytest.mark.parametrize(("name", "key"), [("KT Rao", "kt-rao"), ("K.T. Rao", "k-t-rao")])
def test_a_name_with_initials_is_a_person_a_later_he_refers_to(cli, tmp_path, name, key):
    text = (
        f"Headline\nThe water minister, {name}, denied any delay at the dam.\n"
        "“We opened the gates on time,” he said.\n"
    )
    said = _said(extract(cli, tmp_path, text))
    assert [(origin, stance) for origin, stance, _, _ in said] == [
        (key, "denies"),
        (key, "asserts"),
    ]


def test_a_sentence_that_opens_on_other_names_another_group(cli, tmp_path):
    """ "Other sources put …" is a party apart from the sources before it; "X and other
    local media" joins X to the media it names."""
    document = extract(
        cli,
        tmp_path,
        "Headline\nSources said 12 were killed. Other sources put the toll at 30.\n"
        "The radio and other local media reported that 4 bridges were destroyed.\n",
    )
    origins = [a["source"] for c in document["claims"] for a in c["attributions"]]
    assert origins == ["sources", "other-sources", "radio", "local-media"]
