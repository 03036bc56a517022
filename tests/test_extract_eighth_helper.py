"""Shapes of reporting an eighth helper's texts showed (tests/data/reporting/sixth_look.jsonl):
each sentence below is written afresh in the shape, not copied from those texts."""

import pytest

from tests.test_extract import _said, extract


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the party a relative clause after a comma hangs on speaks, up to its closing comma
        (
            "The cyclist, who has denied any doping, will appeal on Monday.",
            ("cyclist", "denies", [], "Any doping."),
        ),
        (
            "Sales fell 8 percent, worrying some investors, who said the outlook looked weak.",
            ("investors", "asserts", [], "The outlook looked weak."),
        ),
        # an issuer named after what it issued ("an analysis issued by", "a study by")
        (
            "Up to 300 tonnes of grain were lost, according to an audit released by the "
            "Finance Ministry.",
            ("finance-ministry", "asserts", [], "Up to 300 tonnes of grain were lost."),
        ),
        (
            "According to a survey by the Kandor Institute, 40 percent of farms had no water.",
            ("kandor-institute", "asserts", [], "40 percent of farms had no water."),
        ),
        # "According to an outlet, X confirmed C": X speaks, through the outlet
        (
            "According to Radio Kandor, the regional court confirmed on Friday that the mayor "
            "was under investigation.",
            ("regional-court", "asserts", ["radio-kandor"], "The mayor was under investigation."),
        ),
        # and through any party the sentence opens with
        (
            "According to the ministry, the army said 12 soldiers were wounded.",
            ("army", "asserts", ["ministry"], "12 soldiers were wounded."),
        ),
        # a phrase set off by commas between the party and its verb
        (
            "The farmers, on the other hand, have alleged that the dam flooded 60 homes.",
            ("farmers", "asserts", [], "The dam flooded 60 homes."),
        ),
        # verbs of saying the reading did not know
        (
            "Rescuers cautioned that dozens were still trapped under the rubble.",
            ("rescuers", "asserts", [], "Dozens were still trapped under the rubble."),
        ),
        (
            "The general testified that no order to fire was given.",
            ("general", "asserts", [], "No order to fire was given."),
        ),
        (
            "The federation repudiated the claims made by the former coach.",
            ("federation", "denies", [], "The claims made by the former coach."),
        ),
        # a title "of" something before the name: the person speaks
        (
            "Deputy Commissioner of Police (DCP) Arun Mehra said three officers were hurt.",
            ("arun-mehra", "asserts", [], "Three officers were hurt."),
        ),
        # an outlet described, then named after a comma
        (
            "The mayor told the state news agency, Kandor Press, that 14 bridges had collapsed.",
            ("mayor", "asserts", ["kandor-press"], "14 bridges had collapsed."),
        ),
        # the subject of the sentence, with a noun before its head, speaks through "saying"
        (
            "The election chief on Tuesday rejected calls for a recount, saying the vote was "
            "clean.",
            ("election-chief", "denies", [], "Calls for a recount."),
        ),
    ],
)
def test_the_shapes_an_eighth_helper_found_in_texts_we_had_not_seen(
    cli, tmp_path, sentence, expected
):
    assert _said(extract(cli, tmp_path, f"Headline\n{sentence}\n"))[0] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # verbs that speak only before a clause: here they act on something
        "The rebels observed the truce for a week.",
        "Firefighters responded to the blaze within minutes.",
        # a relative clause without a comma: where its claim ends is unsure, so nothing
        "Residents who said they heard blasts were moved to a school.",
    ],
)
def test_a_verb_acting_on_something_or_an_unbounded_relative_clause_proposes_nothing(
    cli, tmp_path, sentence
):
    assert _said(extract(cli, tmp_path, f"Headline\n{sentence}\n")) == []


def test_a_quotation_then_a_speaker_who_told_a_described_outlet_is_the_claim(cli, tmp_path):
    sentence = (
        "“We could not reach the villages,” Lena Ortiz, a nurse who volunteered, told the "
        "national broadcaster, KTV, adding that at least 40 people were rescued."
    )
    said = _said(extract(cli, tmp_path, f"Headline\n{sentence}\n"))
    assert said[0] == ("lena-ortiz", "asserts", ["ktv"], "We could not reach the villages.")
    assert said[1][:3] == ("lena-ortiz", "asserts", ["ktv"])


def test_each_count_of_a_list_by_place_is_a_claim_of_its_own_place(cli, tmp_path):
    sentence = "The ministry said 15 died in Oaxaca state, 6 in Puebla and four in Tabasco state."
    document = extract(cli, tmp_path, f"Headline\n{sentence}\n")
    figures = [(c["value"], c["property"], c.get("place")) for c in document["claims"]]
    assert figures == [
        (15, "people_killed", "Oaxaca state"),
        (6, "people_killed", "Puebla"),
        (4, "people_killed", "Tabasco state"),
    ]


def test_a_clause_with_a_description_after_it_is_no_speaker_of_a_trailing_said(cli, tmp_path):
    sentence = (
        "The driver was arrested at a depot in Corvin, a town east of the capital, at about "
        "7 p.m., said Ana Reyes, a spokeswoman for the governor."
    )
    [(source, stance, via, text)] = _said(extract(cli, tmp_path, f"Headline\n{sentence}\n"))
    assert (source, stance, via) == ("ana-reyes", "asserts", [])
    assert text.startswith("The driver was arrested")
    # and "7 p.m." is a clock time, no figure
    assert "value" not in extract(cli, tmp_path, f"Headline\n{sentence}\n")["claims"][0]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a report called false is the denial of what it reports
        (
            "The mill said claims that it dumped waste in the river were baseless.",
            ("mill", "denies", [], "It dumped waste in the river."),
        ),
        (
            "“Reports of a tanker being seized are incorrect,” the navy said.",
            ("navy", "denies", [], "A tanker being seized."),
        ),
        (
            "The allegations that the count was rigged are completely untrue, the board said.",
            ("board", "denies", [], "The count was rigged."),
        ),
        # with nothing said of what was reported, the report itself is denied
        (
            "The ministry said the reports were false.",
            ("ministry", "denies", [], "The reports."),
        ),
        (
            "“The allegations made by the state prosecutor are not supported by the facts and "
            "are unfounded,” a spokesman for the firm said.",
            (
                "spokesman-for-the-firm",
                "denies",
                [],
                "The allegations made by the state prosecutor.",
            ),
        ),
    ],
)
def test_a_report_called_false_is_denied(cli, tmp_path, sentence, expected):
    assert _said(extract(cli, tmp_path, f"Headline\n{sentence}\n")) == [expected]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # with more said after it in sentences of their own: the denial, and the rest said
        (
            "“Reports of a tanker being seized are incorrect. All ships are accounted for,” "
            "the navy said.",
            [
                ("navy", "asserts", [], "All ships are accounted for."),
                ("navy", "denies", [], "A tanker being seized."),
            ],
        ),
        # more of the same sentence: kept whole, as said
        (
            "The minister said the reports were false and that 40 died.",
            [("minister", "asserts", [], "The reports were false and that 40 died.")],
        ),
    ],
)
def test_a_report_called_false_then_more_said(cli, tmp_path, sentence, expected):
    assert sorted(_said(extract(cli, tmp_path, f"Headline\n{sentence}\n"))) == sorted(expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # shapes a ninth helper's texts showed (tests/data/reporting/seventh_look.jsonl)
        # a name, then a description holding a relative clause with "when" in it
        (
            "R.K. Sethi, a bus company manager who was at the depot when the fire began, said "
            "most of the damage was to two buses.",
            ("r-k-sethi", "asserts", [], "Most of the damage was to two buses."),
        ),
        # "…, but said C" with no speaker before it: the sentence's subject, possessive and all
        (
            "Norway’s coastguard had rescued 60 people by noon, but said it feared more were "
            "missing.",
            ("norways-coastguard", "asserts", [], "It feared more were missing."),
        ),
        # a capitalised word of saying inside a name is part of the name
        (
            "The Southern Branch of the State Forestry Agency denied that the fire was set.",
            (
                "southern-branch-of-the-state-forestry-agency",
                "denies",
                [],
                "The fire was set.",
            ),
        ),
        # a magistrate is a title
        (
            "All 12 wagons left the track, Magistrate Ravi Desai said.",
            ("ravi-desai", "asserts", [], "All 12 wagons left the track."),
        ),
    ],
)
def test_the_shapes_a_ninth_helper_found_in_texts_we_had_not_seen(
    cli, tmp_path, sentence, expected
):
    assert _said(extract(cli, tmp_path, f"Headline\n{sentence}\n"))[0] == expected


@pytest.mark.parametrize(
    ("sentence", "value", "prop"),
    [
        # a toll named far before its count
        (
            "The death toll from the storm that lashed the northern coast last week has "
            "climbed to 208, police said.",
            208,
            "people_killed",
        ),
        # what happened to those counted, after "more", "still", "remain", "reported"
        ("Police said 52 more remain missing.", 52, "people_missing"),
        ("Officials said 21 miners remain trapped.", 21, "miners_trapped"),
        ("The agency said five were still reported missing.", 5, "people_missing"),
    ],
)
def test_counts_read_through_what_stands_between_them_and_what_happened(
    cli, tmp_path, sentence, value, prop
):
    [claim] = extract(cli, tmp_path, f"Headline\n{sentence}\n")["claims"]
    assert (claim["value"], claim["property"]) == (value, prop)


def test_patients_admitted_to_hospital_admit_nothing(cli, tmp_path):
    headline = (
        "Heat Toll: 14 Dead, 310 Patients Admitted To Hospitals, Says Health Minister Ana Ruiz"
    )
    said = _said(extract(cli, tmp_path, f"{headline}\n"))
    assert {s[:2] for s in said} == {("ana-ruiz", "asserts")}  # one claim per figure


def test_the_agency_and_the_report_name_who_was_named_before(cli, tmp_path):
    text = (
        "Headline\n"
        "The National Flood Council (NFC) reported 58 deaths on Monday. The agency also "
        "reported that 18 people were missing.\n"
        "Nine miners were rescued, state news agency Kandor Press reported, citing a local "
        "emergency office. The flood hit the mine at dawn when 29 miners were at work, the "
        "report said.\n"
    )
    said = [(source, text) for source, _, _, text in _said(extract(cli, tmp_path, text))]
    assert ("nfc", "18 people were missing.") in said
    assert any(source == "kandor-press" and "29 miners" in claim for source, claim in said)
    assert all(source not in {"agency", "report"} for source, _ in said)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # shapes a tenth helper's texts showed (tests/data/reporting/eighth_look.jsonl)
        # a title the lists lacked, before the name between commas
        (
            "But the union's vice convener, Mei Lin, told Reuters that nine were held.",
            ("mei-lin", "asserts", ["reuters"], "Nine were held."),
        ),
        # a name, then its title without an article, before a trailing "said"
        (
            "“Eleven people died when the bus fell into the gorge,” Ravi Rao, Kandor district "
            "collector said.",
            ("ravi-rao", "asserts", [], "Eleven people died when the bus fell into the gorge."),
        ),
        # a body named with who made it
        (
            "A panel appointed by the ministry said the dam was safe.",
            ("panel-appointed-by-the-ministry", "asserts", [], "The dam was safe."),
        ),
    ],
)
def test_the_shapes_a_tenth_helper_found_in_texts_we_had_not_seen(
    cli, tmp_path, sentence, expected
):
    assert _said(extract(cli, tmp_path, f"Headline\n{sentence}\n"))[0] == expected


def test_a_count_named_before_now_is_a_count_of_it(cli, tmp_path):
    [claim] = extract(cli, tmp_path, "Health minister says measles cases now over 40\n")["claims"]
    assert (claim["value"], claim["unit"]) == ({"min": 40}, "cases")


@pytest.mark.parametrize(
    "sentence",
    [
        # a regression this stop made and caught: the lead-in before a comma is no name
        "However, the spokesperson confirmed that the flight was diverted.",
        "Meanwhile, an army spokesman said the flight was diverted.",
        "In Kabul, police chief said the flight was diverted.",
        "In Washington, Pentagon spokesman said the flight was diverted.",
    ],
)
def test_a_lead_in_before_a_comma_is_no_speaker(cli, tmp_path, sentence):
    [(source, stance, _, text)] = _said(extract(cli, tmp_path, f"Headline\n{sentence}\n"))
    assert source in {"spokesperson", "army-spokesman", "police-chief", "pentagon-spokesman"}
    assert (stance, text) == ("asserts", "The flight was diverted.")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a party saying a thing did not happen denies that it did: the claim is the thing
        (
            "Prague Says Czech Envoy Was Not Summoned To Foreign Ministry",
            ("prague", "denies", [], "Czech Envoy Was Summoned To Foreign Ministry."),
        ),
        (
            "The cyclist said he had not used banned drugs.",
            ("cyclist", "denies", [], "He had used banned drugs."),
        ),
        (
            "“I didn't take any banned substances,” the runner told reporters.",
            ("runner", "denies", [], "I did take any banned substances."),
        ),
        # and "confirmed to X that" passes through X
        (
            "The senator confirmed to Kandor Post that he did not write the letter.",
            ("senator", "denies", ["kandor-post"], "He did write the letter."),
        ),
        # predictions, non-answers and more than one thing said stay as said
        (
            "The minister said he will not resign.",
            ("minister", "asserts", [], "He will not resign."),
        ),
        (
            "The ministry did not confirm the arrests, a spokesman said.",
            ("spokesman", "asserts", [], "The ministry did not confirm the arrests."),
        ),
        (
            "Police said the soldiers were not involved and 40 died.",
            ("police", "asserts", [], "The soldiers were not involved and 40 died."),
        ),
        (
            "Police said no one was hurt.",
            ("police", "asserts", [], "No one was hurt."),
        ),
    ],
)
def test_a_negated_statement_is_the_denial_of_the_thing(cli, tmp_path, sentence, expected):
    assert _said(extract(cli, tmp_path, f"Headline\n{sentence}\n"))[0] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # an organisation's relative clause opens with "which"
        (
            "The army, which has denied any shelling, said on Monday that 40 died.",
            [("army", "denies", [], "Any shelling."), ("army", "asserts", [], "40 died.")],
        ),
        # what a party did in a relative clause is no claim of its own; the "said" is
        (
            "Amnesty, which documented the killings, said 40 died.",
            [("amnesty", "asserts", [], "40 died.")],
        ),
    ],
)
def test_relative_clauses_of_parties(cli, tmp_path, sentence, expected):
    assert _said(extract(cli, tmp_path, f"Headline\n{sentence}\n")) == expected
