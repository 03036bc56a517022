"""Claims through the command line: record, attribute, list, show, judge, link."""

import json

import pytest

RECORD_KEYS = [
    "key",
    "text",
    "subject",
    "property",
    "value",
    "unit",
    "period",
    "place",
    "tags",
    "status",
    "independent_sources",
    "origins",
    "flags",
    "attributions",
    "plausibility",
    "created_at",
    "updated_at",
]
ATTRIBUTION_KEYS = [
    "source",
    "via",
    "document",
    "stance",
    "confidence",
    "quote",
    "recorded_by",
    "recorded_at",
]


@pytest.fixture
def parties(cli):
    cli.ok("source", "add", "nug", "-r", "C", "--alias", "NUG", "--affiliation", "resistance")
    cli.ok("source", "add", "outlet", "-r", "B")
    cli.ok("source", "add", "junta-media", "-r", "D", "--affiliation", "military")
    cli.ok("entity", "add", "myanmar-military", "--alias", "junta")
    cli.ok("doc", "add", "art", "--publisher", "outlet")
    return cli


def add_air_attacks(cli, *extra):
    return cli.ok(
        "claim",
        "add",
        "The junta carried out 282 air attacks since the quake.",
        "--source",
        "NUG",
        "--via",
        "outlet",
        "--doc",
        "art",
        "--confidence",
        "likely",
        "--quote",
        "282 air attacks",
        "--subject",
        "junta",
        "--property",
        "air_attacks",
        "--value",
        "282",
        "--unit",
        "attacks",
        "--from",
        "2025-03-28",
        "--to",
        "2025-05-02",
        "--place",
        "Myanmar",
        "--tag",
        "Airstrikes",
        "--key",
        "air-attacks",
        *extra,
    ).stdout.strip()


def test_claim_add_prints_its_key_and_keeps_the_structure(parties):
    assert add_air_attacks(parties) == "air-attacks"
    record = parties.json("claim", "show", "air-attacks")
    assert list(record)[: len(RECORD_KEYS)] == RECORD_KEYS
    assert record["subject"] == "myanmar-military"  # the alias resolved
    assert record["value"] == 282 and record["unit"] == "attacks"
    assert record["period"] == {"start": "2025-03-28", "end": "2025-05-02"}
    assert record["tags"] == ["airstrikes"]
    [attribution] = record["attributions"]
    assert list(attribution) == ATTRIBUTION_KEYS
    assert attribution["source"] == "nug" and attribution["via"] == ["outlet"]
    assert attribution["confidence"] == 70 and attribution["recorded_by"] == "tester"
    assert record["origins"] == ["nug"] and record["independent_sources"] == 1


def test_claim_list_json_has_exactly_the_contract_keys(parties):
    add_air_attacks(parties)
    [record] = parties.json("claim", "list")
    assert list(record) == RECORD_KEYS


def test_derived_key_makes_the_same_claim_one_claim(parties):
    first = parties.ok("claim", "add", "Lashio was retaken in April.", "--source", "outlet").stdout
    again = parties("claim", "add", "Lashio  was retaken in April.", "--source", "outlet")
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert first.strip().startswith("lashio-was-retaken-in-april-")


def test_credibility_digit_sets_confidence(parties):
    parties.ok("claim", "add", "A", "--source", "nug", "--credibility", "2", "--key", "a")
    parties.ok("claim", "add", "B", "--source", "nug", "--credibility", "6", "--key", "b")
    assert parties.json("claim", "show", "a")["attributions"][0]["confidence"] == 75
    assert parties.json("claim", "show", "b")["attributions"][0]["confidence"] is None


def test_confidence_and_credibility_together_is_an_error(parties):
    run = parties(
        "claim", "add", "A", "--source", "nug", "--confidence", "50", "--credibility", "2"
    )
    assert run.exit_code == 2 and "not both" in run.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--confidence", "150"], "out of range"),
        (["--confidence", "maybe"], "neither 0–100"),
        (["--from", "2025-05-02", "--to", "2025-03-28"], "before its start"),
        (["--value", ">=lots"], "not a figure"),
        (["--property", "Air Attacks"], "slug"),
    ],
)
def test_bad_claim_input_is_refused_and_nothing_is_written(parties, args, message):
    run = parties("claim", "add", "A claim", "--source", "nug", *args)
    assert run.exit_code == 1, run.stderr
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert parties.json("claim", "list") == []


def test_unknown_source_on_the_command_line_is_an_error_with_a_suggestion(parties):
    run = parties("claim", "add", "A claim", "--source", "nugg")
    assert run.exit_code == 1
    assert "did you mean 'nug'" in run.stderr
    assert [s["key"] for s in parties.json("source", "list")] == ["junta-media", "nug", "outlet"]


def test_a_new_subject_becomes_an_entity(parties):
    parties.ok("claim", "add", "TNLA holds Mogok.", "--source", "outlet", "--subject", "TNLA")
    assert "tnla" in [e["key"] for e in parties.json("entity", "list")]


def test_relay_cannot_be_the_origin(parties):
    run = parties("claim", "add", "x", "--source", "nug", "--via", "nug")
    assert run.exit_code == 1 and "relay" in run.stderr


def test_attribute_adds_an_independent_origin(parties):
    add_air_attacks(parties)
    parties.ok(
        "claim",
        "attribute",
        "air",
        "--source",
        "junta-media",
        "--stance",
        "denies",
        "--confidence",
        "20",
    )
    parties.ok("claim", "attribute", "air", "--source", "outlet", "--confidence", "80")
    record = parties.json("claim", "show", "air")
    assert [a["stance"] for a in record["attributions"]] == ["asserts", "denies", "asserts"]
    assert record["origins"] == ["nug", "outlet"] and record["independent_sources"] == 2
    again = parties("claim", "attribute", "air", "--source", "outlet", "--confidence", "80")
    assert again.exit_code == 1 and "already has this attribution" in again.stderr


def test_claim_list_filters(parties):
    add_air_attacks(parties)
    parties.ok(
        "claim",
        "add",
        "State media says the ceasefire holds.",
        "--source",
        "junta-media",
        "--key",
        "ceasefire",
        "--tag",
        "ceasefire",
        "--subject",
        "junta",
        "--property",
        "ceasefire",
        "--value",
        "holding",
    )
    parties.ok(
        "claim",
        "add",
        "Observers expect talks in June.",
        "--source",
        "outlet",
        "--key",
        "talks",
        "--from",
        "2025-06-01",
        "--to",
        "2025-06-30",
    )

    def keys(*args):
        return [r["key"] for r in parties.json("claim", "list", *args)]

    assert keys() == ["air-attacks", "ceasefire", "talks"]
    assert keys("--source", "NUG") == ["air-attacks"]
    assert keys("--subject", "junta") == ["air-attacks", "ceasefire"]
    assert keys("--property", "ceasefire") == ["ceasefire"]
    assert keys("--tag", "airstrikes") == ["air-attacks"]
    assert keys("--search", "ceasefire HOLDS") == ["ceasefire"]
    assert keys("--since", "2025-05-03") != []
    assert "air-attacks" not in keys("--since", "2025-05-03")
    assert keys("--until", "2025-05-31") == ["air-attacks"]
    assert keys("--since", "2025-06-15", "--until", "2025-06-20") == ["talks"]
    parties.ok("claim", "status", "talks", "verified", "--note", "confirmed by both sides")
    assert keys("--status", "verified") == ["talks"]


def test_claim_list_pages(parties):
    for n in range(5):
        parties.ok("claim", "add", f"Claim number {n}", "--source", "outlet", "--key", f"c{n}")
    first = parties("claim", "list", "--limit", "2", "-f", "json")
    assert [r["key"] for r in first.json()] == ["c0", "c1"]
    assert "--offset 2" in first.stderr
    last = parties("claim", "list", "--limit", "2", "--offset", "4", "-f", "json")
    assert [r["key"] for r in last.json()] == ["c4"] and "offset" not in last.stderr


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv"])
def test_claim_list_formats_keep_stdout_clean(parties, fmt):
    add_air_attacks(parties)
    run = parties.ok("claim", "list", "-f", fmt)
    assert "air-attacks" in run.stdout
    assert run.stderr == ""


def test_claim_list_csv_reads_back(parties):
    import csv
    import io

    add_air_attacks(parties)
    rows = list(csv.DictReader(io.StringIO(parties.ok("claim", "list", "-f", "csv").stdout)))
    assert rows[0]["key"] == "air-attacks" and rows[0]["tags"] == "airstrikes"
    assert rows[0]["origins"] == "nug"


def test_claim_show_tree(parties):
    add_air_attacks(parties)
    tree = parties.ok("claim", "show", "air").stdout
    for part in [
        "air-attacks",
        "nug asserts",
        "grade C2",
        "relayed by outlet",
        "in document art",
        "282 air attacks",
        "single-source",
        "recorded by tester",
    ]:
        assert part in tree, part


def test_status_needs_a_note_and_is_audited(parties):
    add_air_attacks(parties)
    run = parties("claim", "status", "air", "verified", "--note", "  ")
    assert run.exit_code == 1 and "note" in run.stderr
    parties.ok("claim", "status", "air", "disputed", "--note", "junta denies it")
    record = parties.json("claim", "show", "air")
    assert record["status"] == "disputed"
    payload = record["history"][-1]["payload"]
    assert payload["note"] == "junta denies it"
    [change] = payload["changes"]
    assert (change["kind"], change["key"]) == ("claim", "air-attacks")
    assert (change["before"]["status"], change["after"]["status"]) == ("unverified", "disputed")
    assert parties("claim", "status", "air", "maybe", "--note", "x").exit_code == 2
    # The same verdict again keeps its new note and says so (it read "disputed → disputed").
    again = parties.ok("claim", "status", "air", "disputed", "--note", "a second denial")
    assert again.stderr == "air-attacks: still disputed (the note is recorded)\n"
    assert parties.json("claim", "show", "air")["history"][-1]["payload"]["note"] == (
        "a second denial"
    )


def test_link_two_claims(parties):
    add_air_attacks(parties)
    parties.ok("claim", "add", "Ceasefire extended.", "--source", "junta-media", "--key", "cf")
    parties.ok("claim", "link", "air", "cf", "--relation", "contradicts", "--note", "bombing")
    record = parties.json("claim", "show", "cf")
    assert record["links"][0]["from"] == "air-attacks"
    assert record["links"][0]["relation"] == "contradicts"
    assert "contradicted" in record["flags"]
    again = parties("claim", "link", "air", "cf", "--relation", "contradicts")
    assert again.exit_code == 1
    assert parties("claim", "link", "air", "air", "--relation", "supports").exit_code == 1
    assert parties("claim", "link", "air", "nope", "--relation", "supports").exit_code == 1


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("ceasefire", ["ceasefire-holds", "ceasefire-broken"]),
        ("CEASE", ["ceasefire-holds", "ceasefire-broken"]),  # prefixes, any case
        ("ceasefire holds", ["ceasefire-holds"]),  # every word must match
        ("Naypyitaw", ["capital"]),
        ("Ta'ang", ["tnla"]),
        ("nothing-like-this", []),
    ],
)
def test_search_uses_the_full_text_index(parties, words, expected):
    for key, text in [
        ("ceasefire-holds", "The ceasefire holds in Shan State, officials say."),
        ("ceasefire-broken", "Ceasefire broken twice; the ceasefire is a fiction."),
        ("capital", "Strikes spared Yangon and Naypyitaw."),
        ("tnla", "The Ta'ang National Liberation Army returned Mogok."),
    ]:
        parties.ok("claim", "add", text, "--source", "outlet", "--key", key)
    found = [r["key"] for r in parties.json("claim", "list", "--search", words)]
    assert sorted(found) == sorted(expected)


def test_search_ranks_the_better_match_first(parties):
    parties.ok("claim", "add", "Airstrike near a school.", "--source", "outlet", "--key", "once")
    parties.ok(
        "claim",
        "add",
        "Airstrike after airstrike: three airstrikes hit the town.",
        "--source",
        "outlet",
        "--key",
        "thrice",
    )
    ranked = parties.json("claim", "list", "--search", "airstrike")
    assert [r["key"] for r in ranked] == ["thrice", "once"]


def test_search_follows_edits_of_the_text(parties, tmp_path):
    from tests.conftest import write_json

    document = {
        "claims": [
            {
                "key": "k",
                "text": "Old wording about Lashio.",
                "attributions": [{"source": "outlet"}],
            }
        ]
    }
    parties.ok("import", str(write_json(tmp_path / "a.json", document)))
    document["claims"][0]["text"] = "New wording about Mogok."
    parties.ok("import", str(write_json(tmp_path / "a.json", document)))
    assert parties.json("claim", "list", "--search", "lashio") == []
    assert [r["key"] for r in parties.json("claim", "list", "--search", "mogok")] == ["k"]


def test_claim_list_limit_0_lists_every_claim_within_the_database_s_parameter_limit(
    cli, backend, tmp_path, monkeypatch
):
    """``--limit 0`` is every claim; a page's records are read a chunk of claims at a
    time, so a database of more claims than SQLite binds in one statement lists them all
    (here SQLite is held to 300 parameters, and chunks are 20 claims: a chunk's ids are
    bound six times in the flags statement)."""
    import json
    import sqlite3

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from provenance.analysis import records

    if backend != "sqlite":
        pytest.skip("the parameter limit is SQLite's (PostgreSQL's is 65,535)")
    path = tmp_path / "many.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "type": "claim",
                    "key": f"c{n:03d}",
                    "text": f"Claim {n}",
                    "attributions": [{"source": "nug"}],
                }
            )
            + "\n"
            for n in range(300)
        )
    )
    cli.ok("import", str(path))
    monkeypatch.setattr(records, "CHUNK", 20)

    def tight(connection, _record):
        if isinstance(connection, sqlite3.Connection):
            connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 300)

    event.listen(Engine, "connect", tight)
    try:
        listed = cli.json("claim", "list", "--limit", "0")
    finally:
        event.remove(Engine, "connect", tight)
    assert [c["key"] for c in listed] == [f"c{n:03d}" for n in range(300)]


def test_search_pages_are_the_same_when_only_the_best_hits_are_looked_at_first(
    cli, tmp_path, monkeypatch
):
    """A search page is read among the best hits first (SQLite), and among all of them
    when fewer than a page of those pass the other filters. With a window of one page,
    every page of every filter is the page of the whole ranked answer: the best hits are
    mostly of one property and some withdrawn, so a property filter finds too few of them
    and must look further."""
    from provenance.services import claims as service
    from tests.conftest import write_json

    document = {
        "claims": [
            {
                "key": f"c{n:02d}",
                # More mentions, better rank: the best hits are the last claims.
                "text": "convoy " * (1 + n % 7) + f"seen near checkpoint {n}",
                "subject": "road",
                "property": "convoys" if n % 5 else "sightings",
                "value": n,
                "attributions": [{"source": "outlet"}],
            }
            for n in range(40)
        ]
    }
    cli.ok("import", str(write_json(tmp_path / "c.json", document)))
    for key in ("c06", "c13", "c20"):  # among the best-ranked
        cli.ok("claim", "withdraw", key, "--note", "duplicate")

    def pages(*filters):
        keys, offset = [], 0
        while True:
            run = cli.ok(
                "claim", "list", "--search", "convoy", *filters,
                "--limit", "3", "--offset", str(offset), "-f", "json",
            )  # fmt: skip
            page = [r["key"] for r in run.json()]
            keys += page
            if len(page) < 3:
                return keys
            offset += 3

    whole = {f: pages(*f) for f in [(), ("--property", "sightings"), ("--property", "convoys")]}
    assert len(whole[()]) == 37 and "c06" not in whole[()]
    monkeypatch.setattr(service, "SEARCH_WINDOW", 1)
    # 4 × (offset + limit + 1) hits: far fewer than match, so the window matters.
    for filters, expected in whole.items():
        assert pages(*filters) == expected
    ranked = whole[()]
    assert ranked[0] in {"c27", "c34"}  # seven mentions: the best


def test_claims_passed_on_by_a_relay_are_listed_flagged_and_exported_with_via(seeded):
    """ "Everything we got via Reuters": `--source reuters` lists the claims Reuters
    originated, and there was no way to ask for the ones it passed on."""
    every = seeded.json("claim", "list", "--limit", "0")
    relayed = sorted(
        c["key"] for c in every if any("unnamed-outlet" in a["via"] for a in c["attributions"])
    )
    assert relayed and len(relayed) < len(every)
    listed = seeded.json("claim", "list", "--via", "unnamed-outlet", "--limit", "0")
    assert sorted(c["key"] for c in listed) == relayed
    originated = seeded.json("claim", "list", "--source", "unnamed-outlet", "--limit", "0")
    assert sorted(c["key"] for c in originated) != relayed  # its own words, not relayed
    flagged = {r["claim"] for r in seeded.json("flag", "--via", "unnamed-outlet")}
    assert flagged and flagged <= set(relayed)
    exported = json.loads(seeded.ok("export", "--via", "unnamed-outlet").stdout)["claims"]
    assert sorted(c["key"] for c in exported) == relayed
    run = seeded("claim", "list", "--via", "unamed-outlet")
    assert run.exit_code == 1 and "did you mean 'unnamed-outlet'" in run.stderr


@pytest.mark.parametrize(
    ("written", "unit", "value", "stored_unit", "shown"),
    [
        ("20 or more", "people", {"min": 20}, "people", "at least 20 people"),
        ("20 or more", None, {"min": 20}, None, "at least 20"),  # was unit "or more"
        ("5 or fewer", "people", {"max": 5}, "people", "at most 5 people"),
        ("20-plus", None, {"min": 20}, None, "at least 20"),
        ("as many as 300", None, {"max": 300}, None, "at most 300"),
        ("over a thousand", None, {"min": 1000}, None, "at least 1,000"),
        ("two dozen", None, 24, None, "24"),
        ("half a million", "people", 500_000, "people", "500,000 people"),
        ("dozens of people", None, {"min": 24}, "people", "at least 24 people"),
        ("tens of thousands", "people", {"min": 20_000}, "people", "at least 20,000 people"),
        ("several hundred", None, {"min": 300}, None, "at least 300"),
        ("Thousands Island Group", None, "Thousands Island Group", None, "Thousands Island"),
    ],
)
def test_a_figure_as_people_write_it_is_stored_and_printed_back_in_words(
    parties, written, unit, value, stored_unit, shown
):
    unit_option = ["--unit", unit] if unit else []
    parties.ok(
        "claim", "add", "The NUG gave a count.", "--source", "nug", "--subject", "junta",
        "--property", "people_killed", "--value", written, *unit_option, "--key", "count",
    )  # fmt: skip
    record = parties.json("claim", "show", "count")
    assert (record["value"], record["unit"]) == (value, stored_unit)
    assert shown in parties.ok("claim", "show", "count").stdout
    assert shown in parties.ok("claim", "list").stdout
