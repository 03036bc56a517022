"""Shapes of reporting a sixth helper's texts showed (tests/data/reporting/fourth_look.jsonl):
each sentence below is written afresh in the shape, not copied from those texts."""

import pytest

from tests.test_extract import _said, extract


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a newspaper whose name ends in a word a party issues ("post", "report")
        (
            "The port authority told the Jakarta Post it had cleared 9,000 containers.",
            ("port-authority", "asserts", ["jakarta-post"], "It had cleared 9,000 containers."),
        ),
        # an event named after the media that attend it is no relay
        (
            "The governor told a news conference that 31 homes were destroyed.",
            ("governor", "asserts", [], "31 homes were destroyed."),
        ),
        (
            "The coach told a press briefing the striker would miss two games.",
            ("coach", "asserts", [], "The striker would miss two games."),
        ),
        # whom an outlet cites, described by what they know, is the origin
        (
            "The bank will close 40 branches, Bloomberg reported, citing two people "
            "familiar with the plans.",
            (
                "people-familiar-with-the-plans",
                "asserts",
                ["bloomberg"],
                "The bank will close 40 branches.",
            ),
        ),
        # where a body is based describes it
        (
            "Geneva-based Medical Aid Network said 12 clinics had closed.",
            ("medical-aid-network", "asserts", [], "12 clinics had closed."),
        ),
        # a party described with a long place phrase is the party
        (
            "A student leader in the northern province of Kandor on Friday rejected the "
            "findings of the inquiry.",
            ("student-leader", "denies", [], "The findings of the inquiry."),
        ),
        # an outlet with a hyphenated TV, and one named "Radio X", pass a party's words on
        (
            "WXYZ-TV reported Tuesday that the county health department announced 14 new cases.",
            ("county-health-department", "asserts", ["wxyz-tv"], "14 new cases."),
        ),
        (
            "The minister rejected the story as baseless, reports Radio Kigali.",
            ("minister", "denies", ["radio-kigali"], "The story as baseless."),
        ),
    ],
)
def test_the_shapes_a_sixth_helper_found_in_texts_we_had_not_seen(
    cli, tmp_path, sentence, expected
):
    assert _said(extract(cli, tmp_path, f"Headline\n{sentence}\n")) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        # a word of saying after a determiner, or before "is", is a noun inside the claim
        'Amnesty said Friday the Kandor report is "a whitewash" of the killings.',
        "The survey said the quake struck near the Puebla state town of Raboso.",
    ],
)
def test_a_saying_word_used_as_a_noun_inside_a_claim_speaks_for_nobody(cli, tmp_path, sentence):
    [(source, stance, via, _)] = _said(extract(cli, tmp_path, f"Headline\n{sentence}\n"))
    assert (source, stance, via) in [("amnesty", "asserts", []), ("survey", "asserts", [])]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a participle after a noun, with its agent: the agent says the noun phrase
        (
            "The tally leaves out two deaths reported by officials in Kano State.",
            [("officials-in-kano-state", "asserts", [], "Two deaths.")],
        ),
        # after a noun that names the claim before it: the agent speaks of that claim
        (
            "The army said 40 soldiers died, a figure rejected by the rebels on Monday.",
            [
                ("army", "asserts", [], "40 soldiers died."),
                ("rebels", "denies", [], "40 soldiers died."),
            ],
        ),
        (
            "The ministry said 12 schools closed, a claim confirmed by UNICEF in March.",
            [
                ("ministry", "asserts", [], "12 schools closed."),
                ("unicef", "asserts", [], "12 schools closed."),
            ],
        ),
    ],
)
def test_a_passive_without_was_names_its_agent(cli, tmp_path, sentence, expected):
    assert _said(extract(cli, tmp_path, f"Headline\n{sentence}\n")) == expected


def test_a_headlines_source_after_a_long_dash_without_a_space(cli, tmp_path):
    text = "Magnitude 6.1 quake strikes off Java —Indonesian Meteorology Agency\n"
    [claim] = extract(cli, tmp_path, text)["claims"]
    assert claim["attributions"][0]["source"] == "indonesian-meteorology-agency"
    assert claim["text"] == "Magnitude 6.1 quake strikes off Java."


def test_a_rights_group_named_in_ordinary_words_is_not_a_person(cli, tmp_path):
    text = "Headline\nHuman Rights Watch said 40 people were detained.\n"
    [source] = extract(cli, tmp_path, text)["sources"]
    assert (source["key"], source["kind"]) == ("human-rights-watch", "ngo")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a quotation, then "said TITLE NAME" and where or when he said it
        (
            '"The vote was fair," said Chief Election Commissioner Amal Rahim on Thursday, '
            "in his first comments after polls closed.",
            ("amal-rahim", "asserts", [], "The vote was fair."),
        ),
        (
            '"There is no need to panic," said Health Minister Ravi Das after a meeting with '
            "civic workers.",
            ("ravi-das", "asserts", [], "There is no need to panic."),
        ),
        # where a party spoke is not part of its name
        (
            "Prices will rise, said the minister in a television interview.",
            ("minister", "asserts", [], "Prices will rise."),
        ),
        # the one quoted speaks; "a story published by" a paper is no attribution
        (
            "In a story published by the paper, Osei was quoted as saying he paid 70 reporters.",
            ("osei", "asserts", [], "He paid 70 reporters."),
        ),
    ],
)
def test_the_shapes_a_seventh_helper_found_in_texts_we_had_not_seen(
    cli, tmp_path, sentence, expected
):
    assert _said(extract(cli, tmp_path, f"Headline\n{sentence}\n")) == [expected]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Two players could miss the final, according to an update issued by the club.",
            ("club", "asserts", [], "Two players could miss the final."),
        ),
        # an outlet's own reporting from people it does not name
        (
            "The coach will be sacked at the end of the season, BBC Sport understands.",
            ("bbc-sport", "asserts", [], "The coach will be sacked at the end of the season."),
        ),
        (
            "Court documents show the emails were deleted in March.",
            ("court-documents", "asserts", [], "The emails were deleted in March."),
        ),
        (
            "A $5 million lawsuit claimed that the labels were deceptive.",
            ("lawsuit", "asserts", [], "The labels were deceptive."),
        ),
    ],
)
def test_more_shapes_a_seventh_helper_found(cli, tmp_path, sentence, expected):
    assert _said(extract(cli, tmp_path, f"Headline\n{sentence}\n")) == [expected]


def test_a_headline_says_who_after_a_closing_single_quote(cli, tmp_path):
    text = "Poll results were ‘rigged,’ say winner’s opponents\n"
    [claim] = extract(cli, tmp_path, text)["claims"]
    assert claim["attributions"][0]["source"] == "winners-opponents"
    assert claim["text"].startswith("Poll results were ‘rigged")


def test_he_is_the_person_named_earlier_in_the_same_sentence(cli, tmp_path):
    """ "X has been suspended …, but he denies …": he had named nobody (the person was named
    in the same sentence, before a verb that is no cue)."""
    text = (
        "Headline\nThe cyclist Maria Lopez has been suspended after a positive test, but she "
        "denies taking a banned substance.\n"
    )
    assert _said(extract(cli, tmp_path, text)) == [
        ("maria-lopez", "denies", [], "Taking a banned substance.")
    ]
