"""The reading assistant on short articles written for the purpose, each with the
proposals a careful reader would make by hand, and on the shared seed article."""

import json

import pytest

from provenance.io.reading.text import plain_text
from tests.conftest import SHARED, Cli

ARTICLE = SHARED / "seeds" / "000_a8507e89a5a7b57a.txt"


def extract(cli, tmp_path, text, *options, name="article.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    run = cli.ok("extract", str(path), "--published", "2025-05-06", *options)
    document = run.json()
    for claim in document["claims"]:  # the verbatim rule, for every proposal
        for attribution in claim["attributions"]:
            start, end = attribution["offsets"]
            quote = attribution["quote"]
            if "&" not in text and "<" not in text:  # a line break within it reads as a space
                assert text[start:end].replace("\n", " ").replace("\r", " ") == quote
            else:
                assert plain_text(text)[start:end] == quote
    return document


def summary(document):
    return [
        (
            c["attributions"][0]["source"],
            c["attributions"][0]["stance"],
            c["attributions"][0]["confidence"],
            c.get("value"),
        )
        for c in document["claims"]
    ]


@pytest.mark.parametrize(
    ("sentence", "source", "stance", "confidence"),
    [
        ("According to state media, the bridge reopened on Monday.", "state-media", "asserts", 65),
        (
            "The bridge reopened on Monday, according to the Transport Ministry.",
            "transport-ministry",
            "asserts",
            65,
        ),
        (
            "The Transport Ministry said the bridge reopened on Monday.",
            "transport-ministry",
            "asserts",
            65,
        ),
        (
            "The Transport Ministry reported that the bridge reopened.",
            "transport-ministry",
            "asserts",
            65,
        ),
        ("The Army warned that convoys may be attacked.", "army", "asserts", 30),
        ("The Army claimed the town was retaken.", "army", "asserts", 45),
        ("The Army declared a curfew in the district.", "army", "asserts", 60),
        ("The Army denied that civilians were harmed.", "army", "denies", 60),
        ("Observers suggest the offensive could stall.", "observers", "asserts", 30),
        (
            "The bridge reopened on Monday, the Transport Ministry reported.",
            "transport-ministry",
            "asserts",
            65,
        ),
        ("The mayor said he cannot guarantee the safety of visitors.", "mayor", "asserts", 50),
        ("The governor says talks are expected to resume.", "governor", "asserts", 50),
    ],
)
def test_every_cue(cli, tmp_path, sentence, source, stance, confidence):
    document = extract(cli, tmp_path, f"Headline\n{sentence}\n")
    [claim] = document["claims"]
    attribution = claim["attributions"][0]
    assert (attribution["source"], attribution["stance"], attribution["confidence"]) == (
        source,
        stance,
        confidence,
    )
    assert "according to" not in claim["text"].lower()


def test_sentences_without_a_cue_are_not_proposed(cli, tmp_path):
    document = extract(cli, tmp_path, "Headline\nThe bridge reopened on Monday. Rain fell.\n")
    assert document["claims"] == []


def test_attribution_carries_over_to_a_continuing_sentence(cli, tmp_path):
    text = (
        "Headline\nAccording to state media, the minister will visit Delhi. "
        "He will also meet business leaders. The weather was fine.\n"
    )
    document = extract(cli, tmp_path, text)
    assert [c["attributions"][0]["source"] for c in document["claims"]] == [
        "state-media",
        "state-media",
    ]
    assert document["claims"][1]["attributions"][0]["quote"] == (
        "He will also meet business leaders."
    )


@pytest.mark.parametrize(
    ("phrase", "value", "unit", "prop"),
    [
        ("killing 276 civilians", 276, "civilians", "civilians_killed"),
        ("at least 31 children were killed", {"min": 31}, "children", "children_killed"),
        ("more than 1,200 people were displaced", {"min": 1200}, "people", "people_displaced"),
        ("up to 40 homes", {"max": 40}, "homes", "homes"),
        ("about 300 families", {"approx": 300}, "families", "families"),
        ("282 air attacks", 282, "air attacks", "air_attacks"),
    ],
)
def test_figures_become_structured_values(cli, tmp_path, phrase, value, unit, prop):
    document = extract(cli, tmp_path, f"Headline\nThe monitor said there were {phrase}.\n")
    [claim] = document["claims"]
    assert (claim["value"], claim["unit"], claim["property"]) == (value, unit, prop)


def test_several_figures_make_several_claims_with_their_period(cli, tmp_path):
    text = (
        "Headline\nAs of May 2, the army had carried out 282 air attacks since the "
        "March 28 earthquake, killing 276 civilians, according to the Monitor.\n"
    )
    document = extract(cli, tmp_path, text)
    assert [(c["property"], c["value"]) for c in document["claims"]] == [
        ("air_attacks", 282),
        ("civilians_killed", 276),
    ]
    assert all(
        c["period"] == {"start": "2025-03-28", "end": "2025-05-02"} for c in document["claims"]
    )
    assert [c["attributions"][0]["quote"] for c in document["claims"]] == [
        "282 air attacks",
        "killing 276 civilians",
    ]


def test_dates_and_years_are_not_figures(cli, tmp_path):
    text = "Headline\nThe monitor said the March 28 quake hit in 2025 at 12 noon.\n"
    [claim] = extract(cli, tmp_path, text)["claims"]
    assert "value" not in claim


def test_known_sources_and_aliases_resolve_and_unknown_are_proposed(cli, tmp_path):
    cli.ok("source", "add", "nug", "--name", "National Unity Government", "--alias", "NUG")
    text = (
        "Headline\nThe NUG reported 12 arrests. Residents said the market burned, "
        "the Fire Brigade reported.\nAccording to the civilian National Unity Government "
        "(NUG), 3 schools closed.\n"
    )
    document = extract(cli, tmp_path, text)
    assert [c["attributions"][0]["source"] for c in document["claims"]] == [
        "nug",
        "residents",  # residents said it, and the brigade reported it: two attributions
        "fire-brigade",
        "nug",
    ]
    assert [s["key"] for s in document["sources"]] == ["residents", "fire-brigade"]


def test_a_known_sources_name_resolves_to_it(cli, tmp_path):
    """A source recorded as `zelenskyy` named "Volodymyr Zelenskyy": the article's
    "Volodymyr Zelenskyy said" was proposed as a second party, `volodymyr-zelenskyy`."""
    cli.ok("source", "add", "zelenskyy", "--name", "Volodymyr Zelenskyy")
    text = "Headline\nVolodymyr Zelenskyy said 40 drones were shot down overnight.\n"
    document = extract(cli, tmp_path, text)
    assert [c["attributions"][0]["source"] for c in document["claims"]] == ["zelenskyy"]
    assert document["sources"] == []


def test_the_publisher_becomes_the_relay(cli, tmp_path):
    cli.ok("source", "add", "outlet")
    document = extract(
        cli, tmp_path, "Headline\nThe Army said roads are open.\n", "--publisher", "outlet"
    )
    assert document["claims"][0]["attributions"][0]["via"] == ["outlet"]
    assert document["documents"][0]["publisher"] == "outlet"


def test_html_is_stripped_and_quotes_come_from_its_text(cli, tmp_path):
    page = (
        "<html><head><title>x</title><style>p{}</style></head><body><h1>Bridge news</h1>"
        "<p>The Ministry said the bridge &amp; road reopened.</p><script>var a;</script>"
        "</body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page)
    document = cli.ok("extract", str(path)).json()
    [claim] = document["claims"]
    assert claim["attributions"][0]["quote"] == "the bridge & road reopened."
    assert document["documents"][0]["title"] == "Bridge news"


def test_a_pages_entities_are_decoded_once_as_a_browser_shows_them(cli, tmp_path):
    """Found by the attacker: "&amp;amp;" (a page showing "&amp;") was quoted as "&"; and
    text after the last tag was never read."""
    page = "<p>Headline</p><p>The ministry said 50 people died in the &amp;amp; district."
    path = tmp_path / "page.html"
    path.write_text(page)
    [claim] = cli.ok("extract", str(path)).json()["claims"]
    assert claim["attributions"][0]["quote"] == "50 people died in the &amp; district."


def test_what_a_page_never_shows_is_no_part_of_the_article(cli, tmp_path):
    """Found by the attacker: a <template>'s text was read, and its claim given to RSF."""
    page = (
        "<p>Headline</p><p>RSF said 12 people died.</p>"
        "<template><p>The ministry said 33 people died.</p></template>"
    )
    path = tmp_path / "page.html"
    path.write_text(page)
    [claim] = cli.ok("extract", str(path)).json()["claims"]
    assert claim["value"] == 12 and claim["attributions"][0]["source"] == "rsf"


def test_the_document_carries_the_files_sha256(cli, tmp_path):
    import hashlib

    document = extract(cli, tmp_path, "Headline\nThe Army said roads are open.\n")
    data = (tmp_path / "article.txt").read_bytes()
    assert document["documents"][0]["sha256"] == hashlib.sha256(data).hexdigest()


def test_review_path_and_apply_import_the_proposals(cli, tmp_path):
    text = "Headline\nThe Army said 40 soldiers deserted. Observers suggest morale is low.\n"
    document = extract(cli, tmp_path, text)
    (tmp_path / "p.json").write_text(json.dumps(document))
    cli.ok("import", str(tmp_path / "p.json"))
    assert len(cli.json("claim", "list")) == 2
    again = cli.ok("extract", str(tmp_path / "article.txt"), "--apply", "--published", "2025-05-06")
    assert "nothing changed" in again.stderr  # the same proposals, already imported
    table = cli.ok("extract", str(tmp_path / "article.txt"), "-f", "table").stdout
    assert "40 soldiers" in table and "verbatim quote" in table


@pytest.mark.skipif(not ARTICLE.exists(), reason="../shared/seeds is not beside this clone")
def test_the_seed_article(cli, tmp_path):
    text = ARTICLE.read_text(encoding="utf-8")
    document = extract(cli, tmp_path, text, name="seed.txt")
    by_source = {}
    for claim in document["claims"]:
        by_source.setdefault(claim["attributions"][0]["source"], []).append(claim)
    nug = {c.get("property"): c.get("value") for c in by_source["nug"]}
    assert nug == {
        "air_attacks": 282,
        "civilians_killed": 276,
        "others_wounded": 456,
        "children_killed": {"min": 31},
    }
    assert by_source["observers"][0]["attributions"][0]["confidence"] <= 30
    assert len(by_source["junta-media"]) == 2  # the second sentence carries over
    assert "min-aung-hlaing" in by_source


def test_without_a_database_every_source_is_proposed_new(tmp_path):
    from tests.conftest import Cli

    article = tmp_path / "a.txt"
    article.write_text("Headline\nThe NUG said 5 schools closed.\n")
    run = Cli(str(tmp_path / "absent.db"))("extract", str(article))
    assert run.exit_code == 0, run.stderr
    assert "not matching sources against a database" in run.stderr
    assert [s["key"] for s in run.json()["sources"]] == ["nug"]
    assert not (tmp_path / "absent.db").exists()


def attributions(document):
    """(origin, stance, via) of every proposal, in order."""
    return [
        (
            c["attributions"][0]["source"],
            c["attributions"][0]["stance"],
            c["attributions"][0].get("via", []),
        )
        for c in document["claims"]
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # reported speech: trailing, present tense, Title Case, inverted, headline denial
        ("Sudan's army retakes the palace, military says", [("military", "asserts", [])]),
        ("Aid convoys were looted, officials say.", [("officials", "asserts", [])]),
        ("Two hospitals closed last week, report says", [("report", "asserts", [])]),
        ("Vaccines caused the outage, says California man", [("california-man", "asserts", [])]),
        ("Hamas denies breaching ceasefire deal", [("hamas", "denies", [])]),
        ("Israel Says It Struck A Command Centre", [("israel", "asserts", [])]),
        # (saying a thing did not happen denies it: the claim is "We did attack.")
        ("“We did not attack,” said spokesman Zaw Min Tun.", [("zaw-min-tun", "denies", [])]),
        # passive: with an agent only
        ("The commander was accused by the UN of ordering it.", [("un", "asserts", [])]),
        ("The commander has been accused of ordering the massacre.", []),
        # relays: told an outlet, citing, cited … as saying, an outlet reporting a report
        (
            "Two senior humanitarian officials told Bloomberg that the convoy was looted.",
            [("humanitarian-officials", "asserts", ["bloomberg"])],
        ),
        (
            "Sixteen died, the Houthi-owned Al-Masirah reported, citing the health office.",
            [("health-office", "asserts", ["al-masirah"])],
        ),
        (
            "Interfax cited the Russian military as saying that vehicles were destroyed.",
            [("russian-military", "asserts", ["interfax"])],
        ),
        (
            "The FSB alleged that a post was shelled, Interfax reported.",
            [("fsb", "asserts", ["interfax"])],
        ),
        # denials, and a denial and an assertion by the same party
        ("The governor dismissed the reports as false.", [("governor", "denies", [])]),
        (
            "The army denied killing civilians and said the targets were fighters.",
            [("army", "denies", []), ("army", "asserts", [])],
        ),
        (
            "The Israeli military disputed that toll, saying it had used precise munitions.",
            [("israeli-military", "denies", []), ("israeli-military", "asserts", [])],
        ),
        # two parties in one sentence, and coordinated speakers
        (
            "Israel's army denied striking the compound, after the health ministry said a "
            "worker was killed.",
            [("israels-army", "denies", []), ("health-ministry", "asserts", [])],
        ),
        (
            "A strike killed ten civilians, locals and media reports said.",
            [("locals", "asserts", []), ("media-reports", "asserts", [])],
        ),
        # a pronoun that names nobody before proposes nothing; words between commas
        ("“We will not surrender,” he told reporters.", []),
        # (calling claims false denies them)
        ("The army, however, said the claims were false.", [("army", "denies", [])]),
        (
            "The foreign ministry rejected the report, calling it baseless.",
            [("foreign-ministry", "denies", [])],
        ),
        (
            "A UN report published on Tuesday found that 300 people were detained.",
            [("un", "asserts", [])],
        ),
        (
            "Witnesses told The Associated Press that soldiers opened fire.",
            [("witnesses", "asserts", ["associated-press"])],
        ),
        # records as speakers: figures from X, X figures show
        (
            "According to preliminary figures from the health ministry, 40 people died.",
            [("health-ministry", "asserts", [])],
        ),
        ("UN figures show that 2 million people have fled.", [("un", "asserts", [])]),
        ("Satellite images show the village was burned.", []),
        # claims carried by a noun
        (
            "Rwanda dismissed U.S. charges that it backs the rebels.",
            [("rwanda", "denies", []), ("u-s", "asserts", [])],
        ),
    ],
)
def test_the_shapes_of_reporting(cli, tmp_path, text, expected):
    document = extract(cli, tmp_path, f"Headline\n{text}\n")
    assert attributions(document) == expected


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        # a pronoun: the person named in the sentence before, not the relay
        (
            "Mona Rishmawi, the Deputy Commissioner, visited the camp. She revealed that "
            "2,000 people had fled, according to Xinhua.",
            "mona-rishmawi",
        ),
        # definite descriptions and 'it': the party named earlier
        (
            "The paramilitary Rapid Support Forces (RSF) attacked the camp. The paramilitary "
            "said it had repelled an assault.",
            "rsf",
        ),
        (
            "The World Food Programme (WFP) warned of famine. The organization said 40 trucks "
            "were stuck.",
            "wfp",
        ),
        (
            "The ministry of health reported deaths. It said 100 people were wounded.",
            "ministry-of-health",
        ),
        # titles and appositions give the person
        ("Ukrainian Foreign Minister Dmytro Kuleba said the talks failed.", "dmytro-kuleba"),
        (
            "Ibrahim Khatir, director-general of the Health Ministry, confirmed the attack.",
            "ibrahim-khatir",
        ),
        (
            "A cleric in Goma, Fepaco Nzambe Malamu, said residents were hit.",
            "fepaco-nzambe-malamu",
        ),
    ],
)
def test_speakers_resolve_within_the_document(cli, tmp_path, text, origin):
    document = extract(cli, tmp_path, f"Headline\n{text}\n")
    assert document["claims"][-1]["attributions"][0]["source"] == origin


def test_according_to_an_outlet_relays_the_named_speaker(cli, tmp_path):
    text = (
        "Headline\nMona Rishmawi, the Deputy Commissioner, visited the camp. She revealed "
        "that 2,000 people had fled, according to Xinhua.\n"
    )
    [claim] = extract(cli, tmp_path, text)["claims"]
    assert claim["attributions"][0]["via"] == ["xinhua"]
    assert claim["attributions"][0]["quote"] == "2,000 people had fled"


def test_new_sources_are_proposed_with_a_kind(cli, tmp_path):
    text = (
        "Headline\nThe paramilitary Rapid Support Forces (RSF) said the city fell. Local news "
        "portal Media Congo said bombs fell. Aid officials say food is short. The Sudan "
        "Doctors Network reported shelling. The Health Ministry said 3 people died.\n"
    )
    sources = {s["key"]: s for s in extract(cli, tmp_path, text)["sources"]}
    assert {key: s.get("kind") for key, s in sources.items()} == {
        "rsf": "armed group",
        "media-congo": "media",
        "aid-officials": "unnamed",
        "sudan-doctors-network": "ngo",
        "health-ministry": "official",
    }
    assert sources["rsf"]["name"] == "Rapid Support Forces" and sources["rsf"]["aliases"] == ["RSF"]


def test_hedges_and_discrediting_words_lower_confidence(cli, tmp_path):
    text = (
        "Headline\nThe army said the town may have fallen. Posts falsely claimed the dam "
        "burst. The army confirmed the road is open.\n"
    )
    confidences = [
        c["attributions"][0]["confidence"] for c in extract(cli, tmp_path, text)["claims"]
    ]
    assert confidences == [30, 20, 75]


@pytest.mark.parametrize(
    ("phrase", "value", "prop"),
    [
        ("over 2,000 civilians were killed", {"min": 2000}, "civilians_killed"),
        ("nearly 1,500 people were displaced", {"max": 1500}, "people_displaced"),
        ("more than 100 homes were destroyed", {"min": 100}, "homes_destroyed"),
        ("up to 100 people", {"max": 100}, "people"),
        ("about 150,000 people fled", {"approx": 150000}, "people_fled"),
        ("around thirty gang members were killed", {"approx": 30}, "gang_members_killed"),
        ("ten people were killed", 10, "people_killed"),
        # each was no figure (or 20, the bound lost) before quantity words were read
        ("dozens of people were killed", {"min": 24}, "people_killed"),
        ("more than a thousand families fled", {"min": 1000}, "families_fled"),
        ("20 or more bodies were found", {"min": 20}, "bodies"),
        ("thousands were displaced", {"min": 2000}, "people_displaced"),
        ("hundreds of Palestinians were killed", {"min": 200}, "palestinians_killed"),
        ("three hundred homes were destroyed", 300, "homes_destroyed"),
        ("half a million people fled", 500_000, "people_fled"),
        ("as many as 300 civilians were killed", {"max": 300}, "civilians_killed"),
    ],
)
def test_figures_in_reporting(cli, tmp_path, phrase, value, prop):
    [claim] = extract(cli, tmp_path, f"Headline\nThe agency said {phrase}.\n")["claims"]
    assert (claim["value"], claim["property"]) == (value, prop)


def test_a_quantity_word_that_opens_a_sentence_is_a_figure(cli, tmp_path):
    text = "Headline\nDozens of people were killed, the police said.\n"
    [claim] = extract(cli, tmp_path, text)["claims"]
    assert (claim["value"], claim["unit"], claim["property"]) == (
        {"min": 24},
        "people",
        "people_killed",
    )


def test_a_period_before_the_first_day_there_is_is_dropped_not_the_article(cli, tmp_path):
    """Found by the attacker: `--published 0001-01-01` with "last week" in the text failed
    the whole extraction ("a date … beyond what can be computed")."""
    path = tmp_path / "old.txt"
    path.write_text("Headline\nThe ministry said 40 people died last week.\n")
    document = cli.ok("extract", str(path), "--published", "0001-01-01").json()
    [claim] = document["claims"]
    assert claim["value"] == 40 and "period" not in claim


def test_dates_are_periods_not_figures(cli, tmp_path):
    text = (
        "Headline\nThe agency said 40 people were killed between 1 and 3 May. The agency "
        "said 12 people fled since May 2024. The agency said 9 people were hurt over the "
        "last three days.\n"
    )
    claims = extract(cli, tmp_path, text)["claims"]  # published 2025-05-06
    assert [(c["value"], c.get("unit")) for c in claims] == [
        (40, "people"),
        (12, "people"),
        (9, "people"),
    ]
    assert [c["period"] for c in claims] == [
        {"start": "2025-05-01", "end": "2025-05-03"},
        {"start": "2024-05-01"},
        {"start": "2025-05-03", "end": "2025-05-06"},
    ]


def test_a_figure_takes_the_period_of_its_paragraph(cli, tmp_path):
    text = (
        "Headline\nSince March 28, the monitor said, 282 air attacks took place. The monitor "
        "said 31 children were killed.\nThe monitor said 5 schools closed.\n"
    )
    claims = extract(cli, tmp_path, text)["claims"]
    assert [c.get("period") for c in claims] == [{"start": "2025-03-28"}] * 2 + [None]


def test_no_quote_is_cut_in_a_word_or_a_name(cli, tmp_path):
    text = (
        "Headline\nAt least 32 civilians were killed in El Fasher, according to the "
        "Sudanese army. The UN said Min Aung Hlaing met Xi.\n"
    )
    for claim in extract(cli, tmp_path, text)["claims"]:
        start, end = claim["attributions"][0]["offsets"]
        assert not text[start - 1].isalnum() and not text[end : end + 1].isalnum()


def test_apply_matches_the_document_by_sha256_not_by_key(cli, tmp_path):
    text = "Headline\nThe Army said 40 soldiers deserted.\n"
    proposal = extract(cli, tmp_path, text)
    # the analyst renames the document before importing the proposals
    proposal["documents"][0].update(key="army-desertions", title="Desertions, May")
    for claim in proposal["claims"]:
        claim["attributions"][0]["document"] = "army-desertions"
    (tmp_path / "p.json").write_text(json.dumps(proposal))
    cli.ok("import", str(tmp_path / "p.json"))
    again = cli.ok("extract", str(tmp_path / "article.txt"), "--apply", "--published", "2025-05-06")
    assert "already recorded as document army-desertions (same sha256)\n" in again.stderr
    assert "[dim]" not in again.stderr and "[/]" not in again.stderr
    assert "nothing changed" in again.stderr
    [document] = cli.json("doc", "list")
    assert (document["key"], document["title"]) == ("army-desertions", "Desertions, May")


def test_extracting_an_article_again_leaves_the_analysts_corrections(cli, tmp_path):
    """`extract --apply` on an article already applied put its first reading back over
    the corrections ("claim updated 2"). A claim recorded from that document is left as
    it is; the same sentence in another article adds that article's attribution only."""
    text = "Headline\nThe Army said 40 soldiers deserted.\n"
    (tmp_path / "article.txt").write_text(text, encoding="utf-8")
    applying = ("--apply", "--published", "2025-05-06")
    cli.ok("extract", str(tmp_path / "article.txt"), *applying)
    [claim] = cli.json("claim", "list")
    cli.ok("claim", "edit", claim["key"], "--set", "value=45", "--set", "text=45 deserted")
    corrected = cli.json("claim", "show", claim["key"])
    again = cli.ok("extract", str(tmp_path / "article.txt"), *applying)
    assert "1 of these claims is already recorded from this document: left as it is" in again.stderr
    assert cli.json("claim", "show", claim["key"]) == corrected
    # another article, the same sentence: one more attribution, the fields stay
    (tmp_path / "other.txt").write_text("Other headline\nThe Army said 40 soldiers deserted.\n")
    other = cli.ok("extract", str(tmp_path / "other.txt"), *applying)
    assert "1 of these claims is already recorded from another document" in other.stderr
    shown = cli.json("claim", "show", claim["key"])
    assert (shown["text"], shown["value"]) == ("45 deserted", 45)
    assert len({a["document"] for a in shown["attributions"]}) == 2


def test_a_toll_is_a_count_and_without_warning_quotes_nobody(cli, tmp_path):
    """Reported by a first-time user on passages of their own: "the death toll … has
    risen to 15" was proposed with no value; "rejected claims that it had released water
    without warning." cut the claim at "without." (warning read as a speech verb) and
    proposed "." as a claim of its own."""
    text = (
        "Floods\nThe death toll from the floods has risen to 15, the ministry said on Tuesday."
        " The commission rejected claims that it had released water without warning.\n"
    )
    claims = extract(cli, tmp_path, text)["claims"]
    assert [(c["text"], c.get("value"), c.get("property")) for c in claims] == [
        ("The death toll from the floods has risen to 15.", 15, "people_killed"),
        ("Claims that it had released water without warning.", None, None),
    ]
    assert [c["attributions"][0]["stance"] for c in claims] == ["asserts", "denies"]


def test_a_party_that_speaks_of_the_claim_before_it_is_an_attribution_of_that_claim(cli, tmp_path):
    """ "…, a charge that Hamas denies." made a claim "." that nobody could review, apart
    from the claim Hamas denies; and "as the posts claim." at the end of a sentence with
    nothing attributed before it quoted only the full stop."""
    text = (
        "Gaza\nThe Israeli military accused Hamas of operating out of civilian areas, a "
        "charge that Hamas denies.\nThe tax would apply only to the rich, not to all "
        "taxpayers as the online posts misleadingly claim.\n"
    )
    first, second = extract(cli, tmp_path, text)["claims"]
    assert first["text"] == "Hamas of operating out of civilian areas."
    assert [(a["source"], a["stance"]) for a in first["attributions"]] == [
        ("israeli-military", "asserts"),
        ("hamas", "denies"),
    ]
    assert second["attributions"][0]["source"] == "online-posts"
    assert second["text"].startswith("The tax would apply only to the rich")


def test_a_verdict_on_the_claim_before_it_denies_that_claim(cli, tmp_path):
    """From a first-time user's passage: MRTV's "dismissed as propaganda" became a claim
    "As propaganda."; OCHA calling a figure "not credible" asserted "not credible"; and
    "up from the 11 the military acknowledged" invented a party "up from the 11 the
    military" (the military's own figure is not proposed: it has no cue of its own)."""
    text = (
        "Kyauktaw\nThe Arakan Army said its fighters had captured two outposts, a claim "
        "MRTV dismissed as propaganda.\nA spokesman, Zaw Min Tun, told AFP that 18 soldiers "
        "had died, up from the 11 the military acknowledged on Sunday.\nThe NUG put the "
        'number of displaced at nearly 3 million, a figure OCHA called "not credible".\n'
    )
    claims = extract(cli, tmp_path, text)["claims"]
    said = [
        (c["text"][:40], [(a["source"], a["stance"]) for a in c["attributions"]]) for c in claims
    ]
    assert said == [
        (
            "Its fighters had captured two outposts.",
            [("arakan-army", "asserts"), ("mrtv", "denies")],
        ),
        ("18 soldiers had died, up from the 11.", [("zaw-min-tun", "asserts")]),
        (
            "The number of displaced at nearly 3 mill",
            [("nug", "asserts"), ("ocha", "denies")],
        ),
    ]


def test_a_claim_noun_ends_the_speaker_and_the_rebels_are_not_the_army(cli, tmp_path):
    """The second attack: "a figure the ministry called "not credible"" made a source
    `figure-the-ministry`; "The army said …, a claim the rebels dismissed as propaganda"
    read "the rebels" as the army, and the denial vanished."""
    text = (
        "Clashes\nActivists put the death toll at 1,200, a figure the ministry called "
        '"not credible".\nThe army said 12 rebels were killed, a claim the rebels '
        "dismissed as propaganda.\n"
    )
    document = extract(cli, tmp_path, text)
    assert sorted(s["key"] for s in document["sources"]) == [
        "activists",
        "army",
        "ministry",
        "rebels",
    ]
    said = [[(a["source"], a["stance"]) for a in c["attributions"]] for c in document["claims"]]
    assert said == [
        [("activists", "asserts"), ("ministry", "denies")],
        [("army", "asserts"), ("rebels", "denies")],
    ]


def test_figures_the_value_parser_refuses_are_not_proposed_and_counts_with_commas_are(
    cli, tmp_path
):
    """`2,000 people died` was skipped as the year 2000; `at least 1.500 civilians` was
    proposed as 1.5, `12 k homes` as 12 in the unit "k homes": `--apply` stored them."""
    text = (
        "Headline\nThe NUG said 2,000 people died.\n"
        "The NUG said at least 1.500 civilians died.\n"
        "The NUG said 12 k homes were burned.\n"
        "The NUG said fighting began in 2021.\n"
    )
    values = [c.get("value") for c in extract(cli, tmp_path, text)["claims"]]
    assert values == [2000, None, None, None]


def _said(document):
    """(origin, stance, via, claim text) of every attribution, in order."""
    return [
        (a["source"], a["stance"], a.get("via", []), c["text"])
        for c in document["claims"]
        for a in c["attributions"]
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # an unnamed speaker with why it is unnamed, or a relative clause, before its verb
        (
            "A security source who asked not to be named told Reuters that 50 soldiers died.",
            ("security-source", "asserts", ["reuters"], "50 soldiers died."),
        ),
        (
            "A police official, speaking on condition of anonymity because he was not "
            "authorized to speak to the press, said officers killed 12 gang members.",
            ("police-official", "asserts", [], "Officers killed 12 gang members."),
        ),
        (
            "“We could not hold them,” a soldier who survived the attack said by telephone.",
            ("soldier", "asserts", [], "We could not hold them."),
        ),
        (
            "“We heard shooting all night,” said a resident who asked not to be identified "
            "for fear of reprisals.",
            ("resident", "asserts", [], "We heard shooting all night."),
        ),
        (
            "People familiar with the matter told Bloomberg that the bank approached lenders.",
            ("people", "asserts", ["bloomberg"], "The bank approached lenders."),
        ),
        # where or how it was said, between the verb and "that"
        (
            "Helios said in a regulatory filing on Thursday that it would cut 1,600 jobs.",
            ("helios", "asserts", [], "It would cut 1,600 jobs."),
        ),
        (
            "The coalition said in a video posted on social media that it held the town.",
            ("coalition", "asserts", [], "It held the town."),
        ),
        # a title before the name, and a phrase of occasion after a trailing verb
        (
            "“We remain committed,” chief executive Anna Lindqvist said on a call with investors.",
            ("anna-lindqvist", "asserts", [], "We remain committed."),
        ),
        # what a claim says another party declared is that claim, not the party's word
        (
            "A viral post claims that the World Health Organization declared a pandemic.",
            (
                "viral-post",
                "asserts",
                [],
                "The World Health Organization declared a pandemic.",
            ),
        ),
    ],
)
def test_the_shapes_of_wire_copy(cli, tmp_path, sentence, expected):
    """What a first-time analyst's own texts found `extract` missed or misread."""
    assert _said(extract(cli, tmp_path, f"Headline\n{sentence}\n")) == [expected]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # an apposition with a possessive, an age, or an acronym in brackets
        (
            "Dick DeGuerin, Stanford's lawyer in Houston, said in a written statement that "
            "Stanford was confident.",
            ("dick-deguerin", "asserts", [], "Stanford was confident."),
        ),
        (
            "Smith, 52, said the bridge was closed.",
            ("smith", "asserts", [], "The bridge was closed."),
        ),
        (
            "In Washington, Major Marie Boughen, a spokeswoman for US Central Command "
            "(Centcom), said the report was false.",
            ("marie-boughen", "denies", [], "The report."),  # a report called false is denied
        ),
        # an aside between dashes before the verb
        (
            "The US military — which has been suspected of carrying out attacks in the region "
            "— denied it had lost a drone.",
            ("us-military", "denies", [], "It had lost a drone."),
        ),
        (
            "The institute -- which Fauci heads -- said he has never used the phrase.",
            ("institute", "denies", [], "He has used the phrase."),  # a negation denies
        ),
        # a wire story's agency without a place before it
        (
            "(Reuters) - Five people were arrested on Tuesday, police said.",
            ("police", "asserts", ["reuters"], "Five people were arrested on Tuesday."),
        ),
        # "state", "confirmed", "States" that are no verbs
        (
            "Five people died in the blast, state media reported.",
            ("state-media", "asserts", [], "Five people died in the blast."),
        ),
        (
            "Iranian forces shot down a drone, Iran's state news agency reported.",
            ("irans-state-news-agency", "asserts", [], "Iranian forces shot down a drone."),
        ),
        (
            "Cumulative confirmed cases stand at 48, the ministry said.",
            ("ministry", "asserts", [], "Cumulative confirmed cases stand at 48."),
        ),
        (
            "The quake struck at a depth of 10 km, according to the United States Geological "
            "Survey, with the epicenter near the coast.",
            (
                "united-states-geological-survey",
                "asserts",
                [],
                "The quake struck at a depth of 10 km.",
            ),
        ),
        # a quotation of several sentences, its speaker after it
        (
            '"The drones are all in service. All U.S. equipment has been accounted for," U.S. '
            "Central Command said in a post on Twitter.",
            (
                "u-s-central-command",
                "asserts",
                [],
                "The drones are all in service. All U.S. equipment has been accounted for.",
            ),
        ),
        (
            "A Facebook user said she authored the original version.",
            ("facebook-user", "asserts", [], "She authored the original version."),
        ),
        # the occasion between a speaker and its verb, and verbs of argument and forecast
        (
            'The poll panel in an official statement issued on Thursday said, "The turnout '
            'was 62.2 per cent."',
            ("poll-panel", "asserts", [], "The turnout was 62.2 per cent."),
        ),
        (
            "The commission contended that the final turnout was not yet known.",
            ("commission", "asserts", [], "The final turnout was not yet known."),
        ),
        (
            "Officials had expected the dam to hold.",
            ("officials", "asserts", [], "The dam to hold."),
        ),
        (
            "Thomson Reuters Corp (NYSE:TRI) reported a higher quarterly profit.",
            ("thomson-reuters-corp", "asserts", [], "A higher quarterly profit."),
        ),
    ],
)
def test_the_shapes_a_scorer_found_in_texts_we_had_not_seen(cli, tmp_path, sentence, expected):
    assert _said(extract(cli, tmp_path, f"Headline\n{sentence}\n")) == [expected]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a party no list names, before a verb only a party does
        (
            "His attorneys said that he would plead not guilty on April 30.",
            ("attorneys", "asserts", [], "He would plead not guilty on April 30."),
        ),
        (
            "The meme's creator told reporters that the photo was not meant as a symbol.",
            ("memes-creator", "denies", [], "The photo was meant as a symbol."),
        ),
        # a trailing "told OUTLET." relays
        (
            '"The death toll has risen to 68," relief coordinator Muktar Seyyid told Reuters.',
            ("muktar-seyyid", "asserts", ["reuters"], "The death toll has risen to 68."),
        ),
        # a quotation after "said," is the claim, not the phrase before the speaker
        (
            'In the hearing of a committee, ECB President Christine Lagarde said, "inflation '
            'stands at around two per cent."',
            ("christine-lagarde", "asserts", [], "Inflation stands at around two per cent."),
        ),
        # a connective before "according to", and a number with its thousands separator
        (
            "However, according to IECC, 2,275 complaints have been filed.",
            ("iecc", "asserts", [], "2,275 complaints have been filed."),
        ),
        # a possessive before a cue's form makes it a noun; "governing" qualifies a body
        (
            "Amnesty's report highlighted that 40 people were detained.",
            ("amnesty", "asserts", [], "40 people were detained."),
        ),
        (
            "The athlete tested positive for a banned substance, the sport's governing body said.",
            (
                "sports-governing-body",
                "asserts",
                [],
                "The athlete tested positive for a banned substance.",
            ),
        ),
        # a party's report that another passes on, and an outlet's name run together
        (
            "The DRC reported 39 cases, the U.N. health agency said Monday.",
            ("drc", "asserts", ["u-n-health-agency"], "39 cases."),
        ),
        (
            "The ministry denied that Zarif had written to his counterpart, PressTV reports.",
            ("ministry", "denies", ["presstv"], "Zarif had written to his counterpart."),
        ),
    ],
)
def test_the_shapes_a_fifth_helper_found_in_texts_we_had_not_seen(
    cli, tmp_path, sentence, expected
):
    assert _said(extract(cli, tmp_path, f"Headline\n{sentence}\n")) == [expected]


def test_a_line_stopping_on_a_word_no_sentence_ends_with_goes_on(cli, tmp_path):
    """Even the first line: a headline never ends on "in" or "the"."""
    text = (
        "Floods killed at least 84 people after a river burst its banks in\n"
        "Eastern Ethiopia because of heavy rains, officials said today.\n"
    )
    [claim] = extract(cli, tmp_path, text)["claims"]
    assert claim["attributions"][0]["source"] == "officials"
    assert claim["value"] == {"min": 84}


def test_bodies_named_in_ordinary_words_are_not_people(cli, tmp_path):
    text = "Headline\nThe United Nations said 300 families were displaced.\n"
    [source] = extract(cli, tmp_path, text)["sources"]
    assert (source["key"], source["kind"]) == ("united-nations", "official")


def test_headlines_in_title_case_with_a_second_verb_or_the_speaker_after(cli, tmp_path):
    """Found by the attacker and a scorer: "Hamas Denies Losses, Says C" invented a
    source called "civilians-hurt"; "C, confirms Nada" proposed nothing; "20 Militants
    Killed" had no outcome."""
    said = []
    for n, headline in enumerate(
        [
            "Hamas Denies Losses, Says Dozens Of Civilians Hurt",
            "Olympic-bound athlete tested positive, confirms Nada",
            "Israel Says 20 Militants Killed In Gaza Raid",
        ]
    ):
        for c in extract(cli, tmp_path, f"{headline}\n", name=f"h{n}.txt")["claims"]:
            said.append(
                (c["attributions"][0]["source"], c["attributions"][0]["stance"], c.get("property"))
            )
    assert said == [
        ("hamas", "denies", None),
        ("hamas", "asserts", "civilians_injured"),
        ("nada", "asserts", None),
        ("israel", "asserts", "militants_killed"),
    ]


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        (
            "UN: 1.2 million displaced in Darfur",
            ("un", "asserts", [], "1.2 million displaced in Darfur."),
        ),
        ("Death toll rises to 40: UN", ("un", "asserts", [], "Death toll rises to 40.")),
        ("Israel denies striking hospital - IDF", ("israel", "denies", [], "Striking hospital.")),
        (
            "At least 30 dead in floods, officials say - Reuters",
            ("officials", "asserts", ["reuters"], "At least 30 dead in floods."),
        ),
    ],
)
def test_headlines_name_their_speaker_before_a_colon_and_their_outlet_after_a_dash(
    cli, tmp_path, headline, expected
):
    assert _said(extract(cli, tmp_path, f"{headline}\n")) == [expected]


def test_a_wire_storys_dateline_is_not_the_claim_and_its_agency_relays_it(cli, tmp_path):
    text = (
        "Strikes kill 40\n"
        "GAZA, July 3 (AP) — Israeli strikes killed at least 40 people overnight, the "
        "health ministry said.\n"
        "KHARTOUM, Sudan (AFP) - The army said it had retaken the palace.\n"
    )
    document = extract(cli, tmp_path, text)
    assert _said(document) == [
        (
            "health-ministry",
            "asserts",
            ["ap"],
            "Israeli strikes killed at least 40 people overnight.",
        ),
        ("army", "asserts", ["ap"], "It had retaken the palace."),
    ]
    assert document["documents"][0]["publisher"] == "ap"
    assert document["claims"][0]["property"] == "people_killed"  # not "people overnight"
    # --publisher says who published it; the dateline then names no relay of its own
    cli.ok("source", "add", "wire")
    named = extract(cli, tmp_path, text, "--publisher", "wire")
    assert {tuple(a["via"]) for c in named["claims"] for a in c["attributions"]} == {("wire",)}


def test_amounts_of_money_and_tolls_that_top_a_figure_are_figures(cli, tmp_path):
    text = (
        "Headline\nThe company said it would raise between $2 billion and $3 billion.\n"
        "The fund said it had raised €15m.\n"
        "Gaza death toll tops 50,000, ministry says\n"
        "Bird flu has spread among dairy cattle in several US states.\n"
    )
    claims = extract(cli, tmp_path, text)["claims"]
    assert [(c.get("value"), c.get("unit")) for c in claims] == [
        ({"min": 2_000_000_000, "max": 3_000_000_000}, "USD"),
        (15_000_000, "EUR"),
        ({"min": 50_000}, "people"),
    ]  # and "in several US states." quotes nobody


def test_a_prediction_is_attributed_with_a_low_confidence(cli, tmp_path):
    text = (
        "Headline\nHealth officials expect more human infections this year but say there "
        "is no evidence of spread between people.\n"
    )
    said = [
        (a["source"], a["confidence"])
        for c in extract(cli, tmp_path, text)["claims"]
        for a in c["attributions"]
    ]
    assert said == [("health-officials", 40), ("health-officials", 65)]


def test_the_review_table_shows_every_attribution_and_jsonl_and_csv_import_as_they_are(
    cli, tmp_path
):
    """The table showed a claim's first attribution only (a denial in the same sentence
    was in the JSON alone); `-f jsonl` and `-f csv` wrote shapes `import` refused."""
    text = "Headline\nThe army said 12 rebels were killed, a claim the rebels denied.\n"
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    table = cli.ok("extract", str(path), "-f", "table").stdout
    assert "army" in table and "rebels" in table and "denies" in table
    for fmt in ("jsonl", "csv"):
        out = tmp_path / f"proposals.{fmt}"
        out.write_text(cli.ok("extract", str(path), "-f", fmt).stdout, encoding="utf-8")
        into = Cli(f"sqlite:///{tmp_path / f'{fmt}.db'}")
        into.ok("init")
        into.ok("import", str(out))
        shown = into.json("claim", "list")
        assert [c["text"] for c in shown] == ["12 rebels were killed."]
        assert sorted(a["stance"] for a in shown[0]["attributions"]) == ["asserts", "denies"]


def test_apply_names_the_article_in_the_audit_trail(cli, tmp_path):
    """The import event of `--apply` named a file "proposals.json" that never existed."""
    path = tmp_path / "sudan-wire.txt"
    path.write_text("Headline\nThe army said 40 soldiers deserted.\n", encoding="utf-8")
    cli.ok("extract", str(path), "--apply")
    assert [(e["action"], e["target"]) for e in cli.json("log")] == [
        ("import", "sudan-wire.txt.proposals.json")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "GOMA, Democratic Republic of Congo (AFP) - M23 seized the town, a UN source said.",
            [("un-source", "asserts", ["afp"], "M23 seized the town.")],
        ),
        (
            "Two people with knowledge of the matter said the deal was worth $2 billion.",
            [("people", "asserts", [], "The deal was worth $2 billion.")],
        ),
        (
            "Finance chief Jan Berg told analysts on a conference call that demand would recover.",
            [("jan-berg", "asserts", [], "Demand would recover.")],
        ),
        ("FACT CHECK: No, the WHO did not declare a pandemic", []),
        (
            "Helios Battery AB said it would cut 1,600 jobs. The company said its loss widened.",
            [
                ("helios-battery-ab", "asserts", [], "It would cut 1,600 jobs."),
                ("helios-battery-ab", "asserts", [], "Its loss widened."),
            ],
        ),
    ],
)
def test_shapes_a_second_reading_of_unseen_texts_found(cli, tmp_path, text, expected):
    """From the second analyst's texts written after the first fixes (unseen by them)."""
    assert _said(extract(cli, tmp_path, f"Headline\n{text}\n")) == expected


def test_a_toll_that_tops_a_figure_is_more_than_it_and_an_amount_in_euros_is_money(cli, tmp_path):
    text = (
        "Headline\nThe ministry said the death toll topped 50,000.\n"
        "The company said it lost 410 million euros, hurt by weak demand.\n"
    )
    claims = extract(cli, tmp_path, text)["claims"]
    assert [(c.get("value"), c.get("property")) for c in claims] == [
        ({"min": 50_000}, "people_killed"),
        (410_000_000, "euros"),  # not "euros_injured"
    ]


WIRE_STORY = (
    "Sudan army says 40 civilians killed in RSF drone raid\n"
    "\n"
    "KHARTOUM, Sudan (AFP) - At least 40 civilians were killed when drones struck a market "
    "in El Fasher on Sunday, according to the Sudanese army.\n"
    "\n"
    "The paramilitary Rapid Support Forces denied targeting civilians, saying its fighters "
    "had struck military positions only.\n"
    "\n"
    "Dick DeGuerin, a lawyer for the families in Khartoum, said 12 of the dead were "
    "children.\n"
)


def test_a_text_wrapped_at_sixty_columns_reads_as_its_paragraphs(cli, tmp_path):
    """E-mail, a terminal or a PDF's text wraps lines: each line break inside a paragraph
    is a space, so the proposals are those of the text as one line a paragraph."""
    import textwrap

    paragraphs = WIRE_STORY.split("\n\n")
    wrapped = "\n\n".join(textwrap.fill(p.strip(), 60) for p in paragraphs) + "\n"
    assert max(len(line) for line in wrapped.splitlines()) <= 60
    assert "\n" in wrapped.split("\n\n")[1]
    assert wrapped.count("\n") > WIRE_STORY.count("\n") + 4
    as_written = _apart_from_the_document(extract(cli, tmp_path, WIRE_STORY)["claims"])
    assert len(as_written) == 5  # the headline, the army, the RSF (denies, says), the lawyer
    claims = extract(cli, tmp_path, wrapped, name="wrapped.txt")["claims"]
    assert _apart_from_the_document(claims) == as_written
    # the headline, as long as the lines it heads, is still a line of its own
    assert as_written[0]["text"].startswith("40 civilians killed")
    assert as_written[0]["attributions"][0]["quote"].endswith("RSF drone raid")


def _apart_from_the_document(claims):
    """Claims with their attributions' document left out (its key names the file's hash)."""
    for claim in claims:
        for attribution in claim["attributions"]:
            attribution.pop("document")
    return claims


def test_a_line_that_goes_on_in_lower_case_continues_its_sentence(cli, tmp_path):
    text = (
        "Headline\nAt least 32 civilians were killed in El Fasher, according to\n"
        "the Sudanese army.\n"
    )
    [claim] = extract(cli, tmp_path, text)["claims"]
    assert claim["attributions"][0]["source"] == "sudanese-army"
    assert claim["value"] == {"min": 32}


def test_short_lines_without_a_stop_stay_lines_of_their_own(cli, tmp_path):
    """A list of headlines is not a wrapped paragraph: no line runs near a wrap width while
    breaking a sentence."""
    text = (
        "Briefing\n"
        "Gaza death toll tops 50,000, ministry says\n"
        "Sudan army says it retook the palace in Khartoum\n"
        "Haiti gangs kill 12 in Port-au-Prince, police say\n"
    )
    sources = [c["attributions"][0]["source"] for c in extract(cli, tmp_path, text)["claims"]]
    assert sources == ["ministry", "sudan-army", "police"]


def test_html_entities_pasted_into_a_text_file_are_read_as_characters(cli, tmp_path):
    plain = "Headline\nPakistan’s chief military spokesman said two drones were downed.\n"
    coded = plain.replace("’", "&#8217;")
    decoded = extract(cli, tmp_path, coded, name="coded.txt")
    as_written = _apart_from_the_document(extract(cli, tmp_path, plain)["claims"])
    assert _apart_from_the_document(decoded["claims"]) == as_written
    assert decoded["claims"][0]["attributions"][0]["quote"] == "two drones were downed."


def test_a_line_break_in_a_pages_source_is_a_space(cli, tmp_path):
    page = (
        "<html><body><h1>Strike on market</h1><p>At least 32 civilians were killed in El "
        "Fasher,\n    according to the\n    Sudanese army.</p></body></html>"
    )
    [claim] = extract(cli, tmp_path, page, name="page.html")["claims"]
    assert claim["attributions"][0]["source"] == "sudanese-army"
    assert claim["text"] == "At least 32 civilians were killed in El Fasher."


def test_a_speaker_named_with_with_is_the_one_a_later_description_means(cli, tmp_path):
    text = (
        "Headline\nA man opened fire on the patrol cars, a spokeswoman with the Metropolitan "
        "Police Department said. The officers returned fire, the spokeswoman said.\n"
    )
    sources = [c["attributions"][0]["source"] for c in extract(cli, tmp_path, text)["claims"]]
    assert sources == ["spokeswoman-with-the-metropolitan-police-department"] * 2


def test_according_to_the_statement_is_the_party_that_issued_it(cli, tmp_path):
    text = (
        "Headline\nThe Health Ministry said 4 new cases were confirmed. Cumulative confirmed "
        "cases stand at 48, according to the statement.\n"
    )
    said = [
        (c["attributions"][0]["source"], c.get("value"), c.get("unit"))
        for c in extract(cli, tmp_path, text)["claims"]
    ]
    assert said == [("health-ministry", 4, "new cases"), ("health-ministry", 48, "cases")]


@pytest.mark.parametrize(
    ("sentence", "value", "unit"),
    [
        (
            "The death toll from the magnitude 6.9 earthquake has risen to over 70, "
            "according to officials.",
            {"min": 70},
            "people",
        ),
        ("A 7.1-magnitude quake killed 12 people, officials said.", 12, "people"),
        ("Cumulative confirmed deaths have jumped to 17, the ministry said.", 17, "deaths"),
    ],
)
def test_a_count_is_the_figure_its_toll_or_noun_names_not_a_magnitude(
    cli, tmp_path, sentence, value, unit
):
    [claim] = extract(cli, tmp_path, f"Headline\n{sentence}\n")["claims"]
    assert (claim["value"], claim["unit"]) == (value, unit)


def test_a_cue_word_after_a_determiner_and_a_qualifier_is_a_noun(cli, tmp_path):
    """ "ahead of a 38-cent forecast by analysts" once proposed a source called "ahead of a
    38-cent"."""
    text = "Headline\nThat was ahead of a 38-cent forecast by analysts polled by LSEG.\n"
    assert extract(cli, tmp_path, text)["sources"] == []


def test_a_rebel_group_is_not_the_army_named_before(cli, tmp_path):
    """Found by the attacker: "The rebel group" was read as "the group", the last party
    named, and the rebels' claim went to the army."""
    text = (
        "Headline\nThe army said the town was calm.\n\nThe rebel group said in a statement "
        "that 5 soldiers had surrendered.\n"
    )
    sources = [c["attributions"][0]["source"] for c in extract(cli, tmp_path, text)["claims"]]
    assert sources == ["army", "rebel-group"]


def test_a_figure_after_according_to_x_is_no_apposition(cli, tmp_path):
    """Found by the attacker: "close to 40 aid workers" after "According to the UN," was
    read as a description of the UN, and its figure was lost."""
    text = (
        "Headline\nAccording to the UN, close to 40 aid workers have been detained, and 200 "
        "people need food.\n"
    )
    values = [c["value"] for c in extract(cli, tmp_path, text)["claims"]]
    assert values == [{"approx": 40}, 200]


def test_each_block_of_a_page_ends_its_sentence(cli, tmp_path):
    page = (
        "<html><body><pre>Police said dozens were hurt</pre>"
        '<pre>if (x &lt; 5) { said("x"); }</pre></body></html>'
    )
    [claim] = extract(cli, tmp_path, page, name="page.html")["claims"]
    assert claim["attributions"][0]["quote"] == "dozens were hurt"


def test_a_count_out_of_a_total_is_the_count(cli, tmp_path):
    """A scorer's text: "four of the 11 shootings" gave 11."""
    text = "Headline\nPolice said a suspect was arrested in four of the 11 shootings.\n"
    [claim] = extract(cli, tmp_path, text)["claims"]
    assert (claim["value"], claim["unit"]) == (4, "shootings")


@pytest.mark.parametrize(
    ("sentence", "values"),
    [
        (
            "Apple said it earned $9.55 billion, or $10.09 a share, down from $11.62 "
            "billion, or $12.30 a share, a year earlier.",
            [9_550_000_000, 10.09],
        ),
        ("The ministry said 40 people died, compared with 12 a year ago.", [40]),
    ],
)
def test_what_a_figure_is_compared_with_is_no_claim_of_its_own(cli, tmp_path, sentence, values):
    """A scorer's text: the year-earlier figures were proposed as claims of their own."""
    claims = extract(cli, tmp_path, f"Headline\n{sentence}\n")["claims"]
    assert [c["value"] for c in claims] == values


@pytest.mark.parametrize(
    ("sentence", "via"),
    [
        ("The creator told Daily Dot that the photo was not meant as a symbol.", ["daily-dot"]),
        ("The lawyer told the Daily Beast that his client was innocent.", ["daily-beast"]),
        ("The minister told John Smith that the deal was off.", []),
    ],
)
def test_told_an_outlet_whose_name_has_a_media_word_relays(cli, tmp_path, sentence, via):
    """A scorer's text: "told Daily Dot" was no relay; a person told still is none."""
    [claim] = extract(cli, tmp_path, f"Headline\n{sentence}\n")["claims"]
    assert claim["attributions"][0].get("via", []) == via
