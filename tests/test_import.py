"""Import of the JSON interchange document: validated, one transaction, idempotent."""

import json

import pytest

from tests.conftest import SEED, Cli, write_json


def minimal(**claim):
    return {
        "claims": [
            {
                "text": "The junta carried out 282 air attacks.",
                "attributions": [{"source": "nug"}],
                **claim,
            }
        ]
    }


def test_minimal_document_creates_what_it_references(cli, tmp_path):
    path = write_json(tmp_path / "one.json", minimal(subject="Myanmar military"))
    run = cli.ok("import", str(path))
    assert "created with defaults" in run.stderr and "nug" in run.stderr
    [claim] = cli.json("claim", "list")
    assert claim["key"].startswith("the-junta-carried-out-282-air-attacks-")
    assert claim["subject"] == "myanmar-military"
    assert cli.json("source", "show", "nug")["reliability"] == "F"


def test_same_file_twice_changes_nothing(cli):
    cli.ok("import", str(SEED))
    before = cli.json("claim", "list", "--limit", "0")
    events = len(cli.json("log", "--limit", "0"))
    again = cli.ok("import", str(SEED))
    assert "nothing changed" in again.stderr
    assert cli.json("claim", "list", "--limit", "0") == before
    assert len(cli.json("log", "--limit", "0")) == events


def test_reimport_with_a_changed_field_updates_it(cli, tmp_path):
    document = minimal(key="air", value=282)
    cli.ok("import", str(write_json(tmp_path / "a.json", document)))
    document["claims"][0]["value"] = 283
    run = cli.ok("import", str(write_json(tmp_path / "a.json", document)))
    assert "updated" in run.stderr
    assert cli.json("claim", "show", "air")["value"] == 283


def test_every_bad_record_is_reported_with_its_pointer_and_nothing_is_written(cli, tmp_path):
    document = {
        "sources": [{"key": "nug", "reliability": "Z"}],
        "claims": [
            {"text": "fine", "attributions": [{"source": "nug"}]},
            {"attributions": [{"source": "nug"}]},
            {"text": "x", "attributions": [{"source": "nug", "confidence": 250}]},
            {"text": "y", "attributions": [{"source": "nug", "stance": "hints"}]},
            {
                "text": "z",
                "period": {"start": "2025-05-02", "end": "2025-03-01"},
                "attributions": [{"source": "nug"}],
            },
            {"text": "w", "period": {"start": "2 May"}, "attributions": [{"source": "nug"}]},
            {"text": "v", "attributions": []},
        ],
        "links": [{"from": "nowhere", "to": "elsewhere", "relation": "contradicts"}],
    }
    path = write_json(tmp_path / "bad.json", document)
    run = cli("import", str(path))
    assert run.exit_code == 1
    for expected in [
        "bad.json#/sources/0/reliability: reliability 'Z' must be an Admiralty letter A–F",
        "bad.json#/claims/1/text: is required",
        "bad.json#/claims/2/attributions/0/confidence: confidence 250 is out of range 0–100",
        "bad.json#/claims/3/attributions/0/stance: stance 'hints'",
        "bad.json#/claims/4/period: period end 2025-03-01 is before its start 2025-05-02",
        "bad.json#/claims/5/period/start: '2 May' is not a date",
        "bad.json#/claims/6/attributions:",
        "bad.json#/links/0: no claim 'nowhere'",
    ]:
        assert expected in run.stderr, expected
    assert "Traceback" not in run.stderr
    assert cli.json("claim", "list") == [] and cli.json("source", "list") == []
    assert cli.json("log") == []


def test_invalid_json_names_the_line(cli, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"claims": [\n  {"text": "x",}\n]}\n')
    run = cli("import", str(path))
    assert run.exit_code == 1 and "broken.json:2: invalid JSON" in run.stderr


def test_unknown_fields_and_sections_are_refused(cli, tmp_path):
    document = minimal(confidance=50)
    document["claimz"] = []
    run = cli("import", str(write_json(tmp_path / "typo.json", document)))
    assert run.exit_code == 1
    assert "#/claimz: is not a known section" in run.stderr


def test_typo_in_a_claim_field_is_reported(cli, tmp_path):
    run = cli("import", str(write_json(tmp_path / "typo.json", minimal(confidance=50))))
    assert run.exit_code == 1 and "#/claims/0/confidance: is not a known field" in run.stderr


def test_links_may_name_claims_declared_later(cli, tmp_path):
    document = {
        "links": [{"from": "b", "to": "a", "relation": "updates"}],
        "claims": [
            {"key": "a", "text": "A", "attributions": [{"source": "x"}]},
            {"key": "b", "text": "B", "attributions": [{"source": "x"}]},
        ],
    }
    cli.ok("import", str(write_json(tmp_path / "l.json", document)))
    assert cli.json("claim", "show", "b")["links"][0]["relation"] == "updates"


def test_a_failing_file_rolls_back_the_good_ones_too(cli, tmp_path):
    good = write_json(tmp_path / "good.json", minimal())
    bad = write_json(tmp_path / "bad.json", {"claims": [{"text": ""}]})
    assert cli("import", str(good), str(bad)).exit_code == 1
    assert cli.json("claim", "list") == []


def test_dry_run_reports_and_writes_nothing(cli):
    run = cli.ok("import", "--dry-run", str(SEED))
    assert "dry run" in run.stderr and "29" in run.stderr
    assert cli.json("claim", "list") == []


def test_import_is_one_audit_event_with_counts_and_sha256(cli):
    import hashlib

    cli.ok("import", str(SEED))
    [event] = cli.json("log")
    assert event["action"] == "import"
    assert event["payload"]["files"] == [
        {"file": SEED.name, "sha256": hashlib.sha256(SEED.read_bytes()).hexdigest()}
    ]
    assert event["payload"]["counts"]["claim"] == {"created": 29}


def test_missing_file_is_an_error(cli, tmp_path):
    run = cli("import", str(tmp_path / "nope.json"))
    assert run.exit_code == 1 and "nope.json: No such file" in run.stderr


def test_references_by_alias_reuse_the_source(cli, tmp_path):
    cli.ok("source", "add", "nug", "--alias", "National Unity Government")
    document = minimal()
    document["claims"][0]["attributions"][0]["source"] = "National Unity Government"
    run = cli.ok("import", str(write_json(tmp_path / "a.json", document)))
    assert "created with defaults" not in run.stderr
    assert [s["key"] for s in cli.json("source", "list")] == ["nug"]


@pytest.mark.parametrize(
    "value",
    [282, {"min": 31}, {"max": 10}, {"min": 200, "max": 250}, {"approx": 300}, "extended", 7.7],
)
def test_values_keep_their_form(cli, tmp_path, value):
    cli.ok("import", str(write_json(tmp_path / "v.json", minimal(key="v", value=value))))
    assert cli.json("claim", "show", "v")["value"] == value


def test_timestamps_from_the_file_are_kept(cli, tmp_path):
    document = minimal(
        key="t", created_at="2025-05-05T10:00:00Z", updated_at="2025-05-06T10:00:00Z"
    )
    document["claims"][0]["attributions"][0].update(
        recorded_by="ann", recorded_at="2025-05-05T10:00:00Z"
    )
    cli.ok("import", str(write_json(tmp_path / "t.json", document)))
    record = cli.json("claim", "show", "t")
    assert record["created_at"] == "2025-05-05T10:00:00Z"
    assert record["updated_at"] == "2025-05-06T10:00:00Z"
    assert record["attributions"][0]["recorded_by"] == "ann"


def test_export_shaped_claims_import_as_they_are(cli, tmp_path):
    cli.ok("import", str(SEED))
    records = cli.json("claim", "list", "--limit", "0")
    document = {"provenance": 1, "claims": records}
    target = tmp_path / "again.json"
    target.write_text(json.dumps(document))
    run = cli.ok("import", str(target))
    assert "nothing changed" in run.stderr


def test_many_declarations_import_as_declared_whichever_way_they_are_written(cli, tmp_path):
    """Sources, entities and documents come in batches: new ones without aliases in one go,
    the rest one at a time. Both ways give the records the file declares, one after the
    other, and claims find the sources declared before them."""
    sources = [
        {"key": f"s{n:04}", "name": f"Outlet {n}", "reliability": "BCD"[n % 3]} for n in range(1200)
    ]
    sources[700]["aliases"] = ["Outlet Seven Hundred"]
    sources[701]["affiliation"] = "group-a"
    sources[702]["protected"] = True
    document = {
        "sources": sources,
        "entities": [{"key": f"e{n}", "name": f"Place {n}", "kind": "place"} for n in range(600)],
        "documents": [
            {"key": "d1", "title": "Report", "publisher": "s0005", "published": "2025-05-02"},
            {"key": "d2", "publisher": "Outlet Seven Hundred"},
        ],
        "claims": [
            {
                "key": "c1",
                "text": "Claim one",
                "subject": "e42",
                "attributions": [
                    {"source": "Outlet Seven Hundred", "via": ["s0003"], "document": "d2"}
                ],
            },
        ],
    }
    run = cli.ok("import", str(write_json(tmp_path / "many.json", document)))
    assert "created with defaults" not in run.stderr
    assert cli.json("source", "show", "s0700")["aliases"] == ["Outlet Seven Hundred"]
    shown = cli.json("source", "show", "s0701")
    assert (shown["affiliation"], shown["reliability"], shown["name"]) == (
        "group-a",
        "D",
        "Outlet 701",
    )
    assert cli.json("source", "show", "s0702")["protected"] is True
    exported = cli.json("export")
    assert len(exported["sources"]) == 1200 and len(exported["entities"]) == 600
    by_key = {d["key"]: d for d in exported["documents"]}
    assert by_key["d1"]["publisher"] == "s0005" and by_key["d1"]["published"] == "2025-05-02"
    assert by_key["d2"]["publisher"] == "s0700"
    [claim] = exported["claims"]
    assert claim["subject"] == "e42"
    assert claim["attributions"][0]["source"] == "s0700"
    assert claim["attributions"][0]["via"] == ["s0003"]
    assert claim["attributions"][0]["document"] == "d2"
    cli.ok("audit", "verify", "--deep")
    # The same file again changes nothing, declarations included.
    again = cli.ok("import", str(write_json(tmp_path / "many.json", document)))
    assert "nothing changed" in again.stderr


def test_a_claim_key_repeated_far_down_a_file_is_refused_with_both_places(cli, tmp_path):
    """Claims are written a batch at a time; a key that comes back in a later batch of the
    same file is still a repeat, named with the line that first declared it."""
    lines = [{"type": "source", "key": "nug", "name": "NUG"}]
    lines += [
        {"type": "claim", "key": f"c{n}", "text": f"Claim {n}", "attributions": [{"source": "nug"}]}
        for n in range(2500)
    ]
    lines.append(
        {"type": "claim", "key": "c7", "text": "Claim 7 again", "attributions": [{"source": "nug"}]}
    )
    path = tmp_path / "far.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    run = cli("import", str(path))
    assert run.exit_code == 1
    assert f"{path}:2502: claim 'c7' appears twice (first at {path}:9)" in run.stderr
    assert cli.json("claim", "list", "--limit", "0") == []  # nothing written


def test_the_same_claim_in_two_files_of_one_import_is_an_update_not_a_repeat(cli, tmp_path):
    first = write_json(tmp_path / "a.json", minimal(key="air", value=282))
    second = write_json(tmp_path / "b.json", minimal(key="air", value=283))
    cli.ok("import", str(first), str(second))
    assert cli.json("claim", "show", "air")["value"] == 283
    # Claims without a key (derived from their text) may repeat: the same claim again.
    same = tmp_path / "same.jsonl"
    record = {"type": "claim", "text": "Shelling near Lashio.", "attributions": [{"source": "nug"}]}
    same.write_text((json.dumps(record) + "\n") * 2)
    cli.ok("import", str(same))


def test_a_source_declared_after_a_claim_named_it_has_its_whole_history(cli, tmp_path):
    """The claim creates the source with defaults; the declaration further down fills it
    in. The trail must still hold the whole record, or no earlier state rebuilds."""
    path = tmp_path / "late.jsonl"
    lines = [
        {"type": "claim", "key": "c1", "text": "One", "attributions": [{"source": "late"}]},
        {"type": "source", "key": "late", "name": "Late Source", "reliability": "B"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    run = cli.ok("import", str(path))
    assert "created with defaults" not in run.stderr
    assert cli.json("source", "show", "late")["reliability"] == "B"
    cli.ok("audit", "verify", "--deep")
    exported = cli.json("export", "--as-of", str(len(cli.json("log", "--limit", "0"))))
    assert [s["name"] for s in exported["sources"]] == ["Late Source"]


def test_an_alias_declared_after_records_used_it_as_a_name_is_refused(cli, tmp_path):
    """Named before it is declared, an alias would become a new, empty party (the relay,
    the publisher): the import says where, and writes nothing."""
    path = tmp_path / "late-alias.jsonl"
    lines = [
        {
            "type": "claim",
            "key": "k1",
            "text": "A said X",
            "subject": "junta",
            "attributions": [{"source": "nug", "via": ["wire"]}],
        },
        {"type": "source", "key": "news-agency", "name": "Agency", "aliases": ["wire"]},
        {"type": "entity", "key": "myanmar-military", "aliases": ["junta"]},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    run = cli("import", str(path))
    assert run.exit_code == 1
    assert f"{path}:2: alias 'wire' of source 'news-agency'" in run.stderr
    assert f"{path}:3: alias 'junta' of entity 'myanmar-military'" in run.stderr
    assert cli.json("source", "list") == [] and cli.json("claim", "list") == []
    # Declared first, the same records import, and the names resolve to them.
    path.write_text("".join(json.dumps(line) + "\n" for line in lines[1:] + lines[:1]))
    cli.ok("import", str(path))
    [attribution] = cli.json("claim", "show", "k1")["attributions"]
    assert attribution["via"] == ["news-agency"]
    assert cli.json("claim", "show", "k1")["subject"] == "myanmar-military"


def test_an_earlier_state_rebuilds_from_a_thousand_records(cli, tmp_path):
    """`--as-of` replays the trail through the importer: an import summary that carries
    no changes of its own (they went into its `import.records` events) must not fail."""
    path = tmp_path / "many.jsonl"
    path.write_text(
        "".join(json.dumps({"type": "source", "key": f"s{n}"}) + "\n" for n in range(1001))
    )
    cli.ok("import", str(path))
    cli.ok("source", "edit", "s7", "--name", "Seven")
    # Event 1 holds the first 1,000 changes, event 2 the import's summary and the last one;
    # the import was one transaction, so a point inside it is its end
    assert len(cli.json("export", "--as-of", "1")["sources"]) == 1001
    before_edit = cli.json("export", "--as-of", "2")["sources"]
    assert len(before_edit) == 1001
    assert next(s for s in before_edit if s["key"] == "s7")["name"] == "s7"


def test_new_records_are_audited_as_stored_without_being_read_back(cli, tmp_path, monkeypatch):
    """The bulk path builds the history shapes of the records it creates from the values
    it wrote instead of reading them back; they must be what reading them back gives,
    byte for byte in the trail's JSON (a number SQLite stores as an integer, tags in the
    database's order, relays, documents, withdrawals, times given with an offset)."""
    from provenance.db import open_database
    from provenance.services import audit, history

    read: list[tuple[str, str]] = []
    reader = history.shapes

    def counted(session, kind, keys=None):
        keys = None if keys is None else list(keys)
        read.extend((kind, key) for key in keys or ["*"])
        return reader(session, kind, keys)

    monkeypatch.setattr(history, "shapes", counted)
    attribution = {
        "source": "S1",
        "via": ["s2", "s3"],
        "document": "d1",
        "stance": "denies",
        "confidence": 40,
        "quote": "“quoted”",
        "recorded_by": "someone",
        "recorded_at": "2024-01-01T00:00:00-05:00",
    }
    records = [
        {"type": "source", "key": "s1", "reliability": "b", "affiliation": "aff", "notes": "ü"},
        {"type": "source", "key": "s2", "name": "Second", "protected": True},
        {"type": "source", "key": "s3"},
        {"type": "entity", "key": "e1", "name": "Entity One", "kind": "place"},
        {"type": "document", "key": "d1", "publisher": "s1", "published": "2025-05-01"},
        {"type": "document", "key": "d2", "publisher": "New Outlet", "title": "T"},
        {
            "type": "claim",
            "key": "c1",
            "text": "  One   text ",
            "subject": "e1",
            "property": "killed",
            "value": 1e17,
            "unit": "people",
            "period": {"start": "2025-01-01"},
            "place": "Lashio",
            "tags": ["Zeta", "alpha", "b-c", "bc", "a_b", "a-1", "éclair"],
            "attributions": [attribution, {"source": "s3", "document": "d2"}],
            "created_at": "2024-05-06T07:08:09+02:00",
        },
        {"type": "claim", "key": "c2", "text": "Two", "value": 5.0, "attributions": [attribution]},
        {
            "type": "claim",
            "key": "c3",
            "text": "Three",
            "value": 5.5,
            "tags": ["x"],
            "attributions": [{"source": "s1"}, {"source": "s1"}],
        },
        {
            "type": "claim",
            "key": "c4",
            "text": "Four",
            "subject": "A Subject Named Here",
            "value": {"min": 2, "max": 7.5},
            "status": "verified",
            "withdrawn": {"by": "ed", "note": "a duplicate", "at": "2025-02-03T04:05:06Z"},
            "attributions": [{"source": "s2", "document": "Undeclared Doc"}],
        },
        {
            "type": "claim",
            "text": "Five",
            "value": "007",
            "value_kind": "category",
            "attributions": [{"source": "s1"}],
        },
        {
            "type": "claim",
            "key": "c6",
            "text": "Six",
            "value": 123456789012345678,
            "attributions": [{"source": "s2", "via": "s1"}],
        },
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    cli.ok("import", str(path))
    monkeypatch.undo()

    changes = [c for e in cli.json("log", "--limit", "0") for c in e["payload"].get("changes", [])]
    created = {(c["kind"], c["key"]): c["after"] for c in changes if c["before"] is None}
    declared = {("source", "s1"), ("source", "s2"), ("source", "s3"), ("entity", "e1")}
    declared |= {("document", "d1"), ("document", "d2")}
    claims = {key for kind, key in created if kind == "claim"}
    assert len(claims) == 6 and declared <= set(created)
    assert [r for r in read if r in declared or (r[0] == "claim" and r[1] in claims)] == []
    database = open_database(cli.url)
    try:
        with database.transaction() as session:
            stored = {kind: history.shapes(session, kind) for kind in history.KINDS}
    finally:
        database.close()
    for (kind, key), after in created.items():
        assert audit.canonical(after) == audit.canonical(stored[kind][key]), (kind, key)


def test_a_withdrawal_imported_again_without_its_time_changes_nothing(cli, tmp_path, monkeypatch):
    path = tmp_path / "withdrawn.jsonl"
    record = {
        "type": "claim",
        "key": "dup",
        "text": "Shelling near Lashio.",
        "attributions": [{"source": "nug"}],
        "withdrawn": {"note": "captured twice"},
    }
    path.write_text(json.dumps(record) + "\n")
    cli.ok("import", str(path))
    events = len(cli.json("log", "--limit", "0"))
    import datetime as dt

    from provenance.services import store

    later = dt.datetime(2030, 1, 1)  # the next import runs later (times are kept to the second)
    monkeypatch.setattr(store, "utcnow", lambda: later)
    again = cli.ok("import", str(path))
    assert "nothing changed" in again.stderr
    assert len(cli.json("log", "--limit", "0")) == events
    assert "would be" not in cli.ok("import", "--dry-run", str(path)).stderr


def test_two_spellings_of_one_new_relay_are_one_relay_twice(cli, tmp_path):
    """The names "Relay X" and "relay  x" resolve to the one source an import creates: in one
    chain that is a relay twice, refused as when the relay was already stored."""
    path = tmp_path / "twice.jsonl"
    claim = {"type": "claim", "text": "Relayed twice", "attributions": [
        {"source": "nug", "via": ["Relay X", "relay  x"]}]}  # fmt: skip
    path.write_text(json.dumps({"type": "source", "key": "nug"}) + "\n" + json.dumps(claim))
    run = cli("import", str(path))
    assert run.exit_code == 1
    assert "twice.jsonl:2: relay 'relay  x' appears twice in one chain" in run.stderr
    assert cli.json("claim", "list") == []


@pytest.mark.parametrize("suffix", ["json", "jsonl"])
def test_a_record_of_a_stored_claim_may_leave_out_its_text_and_attributions(
    seeded, tmp_path, suffix
):
    """A merge keeps what a file leaves out: `{"key": …, "status": "false"}` is a whole
    correction (it once asked for the claim's text and attributions)."""
    key = "nug-air-attacks-since-quake"
    before = seeded.json("claim", "show", key)
    path = tmp_path / f"verdict.{suffix}"
    if suffix == "json":
        path.write_text(json.dumps({"claims": [{"key": key, "status": "false", "tags": ["x"]}]}))
    else:
        path.write_text(json.dumps({"type": "claim", "key": key, "status": "false", "tags": ["x"]}))
    seeded.ok("import", str(path))
    after = seeded.json("claim", "show", key)
    assert after["status"] == "false" and after["tags"] == ["x"]
    for field in ("text", "value", "subject", "property", "period", "attributions"):
        kept = (
            [dict(a, recorded_at=None) for a in after[field]]
            if field == "attributions"
            else after[field]
        )
        was = (
            [dict(a, recorded_at=None) for a in before[field]]
            if field == "attributions"
            else before[field]
        )
        assert kept == was, field
    unknown = tmp_path / f"unknown.{suffix}"
    unknown.write_text(path.read_text().replace(key, "no-such-claim"))
    run = seeded("import", str(unknown))
    assert run.exit_code == 1 and "text: is required" in run.stderr  # a new claim needs them


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_an_attribution_given_twice_in_one_record_is_refused(cli, tmp_path, fmt):
    """The store keeps one attribution per origin, relays, document and stance: the
    second one's confidence (90) was dropped and the summary said "unchanged"."""
    claim = {
        "key": "k1",
        "text": "282 air attacks",
        "attributions": [
            {"source": "nug", "confidence": 60},
            {"source": "irrawaddy", "via": ["nug"]},
            {"source": "nug", "confidence": 90},
        ],
    }
    if fmt == "json":
        path = write_json(tmp_path / "twice.json", {"claims": [claim]})
    else:
        path = tmp_path / "twice.jsonl"
        path.write_text(json.dumps({"type": "claim", **claim}) + "\n")
    run = cli("import", str(path))
    assert run.exit_code == 1
    assert "attributions 0 and 2 are the same attribution" in run.stderr
    assert cli.json("claim", "list") == []
    # A relay chain or a stance of its own makes it another attribution.
    claim["attributions"][2]["stance"] = "denies"
    cli.ok("import", str(write_json(tmp_path / "ok.json", {"claims": [claim]})))
    assert len(cli.json("claim", "show", "k1")["attributions"]) == 3


def test_standard_input_is_imported_with_dash(cli):
    """`import -` was refused ("does not exist"): a script had to write a file first."""
    line = json.dumps(
        {
            "type": "claim",
            "key": "piped",
            "text": "From a pipe",
            "attributions": [{"source": "nug"}],
        }
    )
    cli.ok("import", "-", input=line + "\n")
    assert cli.json("claim", "show", "piped")["text"] == "From a pipe"
    # one line can be a whole document, as `jq -c` writes it
    document = {
        "claims": [{"key": "compact", "text": "One line", "attributions": [{"source": "nug"}]}]
    }
    cli.ok("import", "-", input=json.dumps(document) + "\n")
    assert cli.json("claim", "show", "compact")["text"] == "One line"
    bad = cli("import", "-", input=line + "\nnot json\n")
    assert (
        bad.exit_code == 1
        and bad.stderr == "error: -:2: invalid JSON: Expecting value (column 1)\n"
    )


@pytest.mark.parametrize(
    ("written", "value", "unit"),
    [
        ("20 or more", {"min": 20}, None),
        ("20 people or more", {"min": 20}, "people"),
        ("as many as 300", {"max": 300}, None),
        ("more than a thousand families", {"min": 1000}, "families"),
        ("half a million", 500_000, None),
        ("dozens", {"min": 24}, None),
        ("tens of thousands displaced", {"min": 20_000}, "displaced"),
        ("a few hundred", {"min": 200}, None),
        ("hundreds district", "hundreds district", None),  # a category stays one
    ],
)
def test_a_string_value_in_a_file_is_read_as_people_write_figures(
    cli, tmp_path, written, value, unit
):
    cli.ok("import", str(write_json(tmp_path / "v.json", minimal(key="v", value=written))))
    record = cli.json("claim", "show", "v")
    assert (record["value"], record["unit"]) == (value, unit)


def test_an_explicit_null_clears_a_list_as_it_clears_any_field(cli, tmp_path):
    """DESIGN "Import merges": an explicit null clears a field. A contract audit found a
    list (tags, aliases) refused with "Input should be a valid list" instead."""
    cli.ok("source", "add", "nug", "--name", "National Unity Government", "--alias", "NUG")
    key = cli.ok("claim", "add", "Forty died", "--source", "nug", "--tag", "x").stdout.strip()
    document = {
        "sources": [{"key": "nug", "aliases": None}],
        "claims": [{"key": key, "tags": None}],
    }
    cli.ok("import", str(write_json(tmp_path / "clear.json", document)))
    assert cli.json("source", "show", "nug")["aliases"] == []
    assert cli.json("claim", "show", key)["tags"] == []
    # and the event keeps what was cleared, so the earlier state can be rebuilt
    [event] = cli.json("log", "--limit", "1")
    before = {c["key"]: c["before"] for c in event["payload"]["changes"]}
    assert before["nug"]["aliases"] == ["NUG"] and before[key]["tags"] == ["x"]
    # a field left out keeps its value
    cli.ok("source", "edit", "nug", "--alias", "NUG")
    document = {"sources": [{"key": "nug", "notes": "checked"}]}
    cli.ok("import", str(write_json(tmp_path / "keep.json", document)))
    assert cli.json("source", "show", "nug")["aliases"] == ["NUG"]


def test_a_verdict_an_import_sets_carries_its_note(cli, tmp_path):
    """DESIGN §1: a verdict is set only with a note. A contract audit found an import set
    one with none; the record's status_note is the note, else the event says which import
    set it (an export carries no notes, and must import as it is)."""
    cli.ok("source", "add", "nug")
    cli.ok("claim", "add", "Forty died", "--source", "nug", "--key", "qm")
    said = {"claims": [{"key": "qm", "status": "false", "status_note": "the list has 12"}]}
    cli.ok("import", str(write_json(tmp_path / "said.json", said)))
    bare = {"claims": [{"key": "qm", "status": "disputed"}]}
    cli.ok("import", str(write_json(tmp_path / "bare.json", bare)))
    notes = [
        (change["after"]["status"], change.get("note"))
        for event in cli.json("log", "qm")
        for change in event["payload"].get("changes", [])
        if change["key"] == "qm" and "status" in (change["after"] or {})
    ]
    assert ("false", "the list has 12") in notes
    assert ("disputed", "set by import of bare.json") in notes
    assert "(the list has 12)" in cli.ok("log", "qm").stdout
    assert cli.json("claim", "show", "qm")["status"] == "disputed"
    # the status_note is no field of the claim: it is not exported, and the trail verifies
    assert "status_note" not in cli.ok("export", "-f", "json").stdout
    cli.ok("audit", "verify", "--deep")


def test_a_claim_holds_at_most_200_tags(cli, tmp_path):
    """Found by an attacker: 2,000,000 tags on one claim imported (436 MB), and showing
    it took 152 s; relays and aliases had caps, tags none."""
    many = minimal(key="many", tags=[f"t{i}" for i in range(201)])
    run = cli("import", str(write_json(tmp_path / "many.json", many)))
    assert run.exit_code == 1 and "tags: too long: 201 items, at most 200" in run.stderr
    assert cli.json("claim", "list") == []
    cli.ok("import", str(write_json(tmp_path / "fine.json", minimal(key="fine", tags=["a"] * 3))))
    tags = [arg for i in range(200) for arg in ("--tag", f"t{i}")]
    run = cli("claim", "edit", "fine", *tags)
    assert run.exit_code == 1 and "at most 200" in run.stderr
    assert cli.json("claim", "show", "fine")["tags"] == ["a"]


def test_an_import_follows_the_command_lines_rules_for_withdrawn_claims(cli, tmp_path):
    """Found by an attacker: `claim edit` and `claim link` refuse a withdrawn claim, but an
    import changed its tags and attributions, and linked it."""
    cli.ok("source", "add", "s1")
    cli.ok("source", "add", "s2")
    cli.ok("claim", "add", "Bad capture", "--source", "s1", "--key", "bad", "--tag", "a")
    cli.ok("claim", "add", "Ten died", "--source", "s1", "--key", "keep")
    cli.ok("claim", "add", "Ten people died", "--source", "s2", "--key", "dup")
    cli.ok("claim", "withdraw", "bad", "--note", "typo")
    cli.ok("claim", "merge", "keep", "dup", "--note", "same")
    events = len(cli.json("log", "--limit", "0"))
    for number, document in enumerate(
        [
            {
                "claims": [
                    {
                        "key": "bad",
                        "text": "Bad capture",
                        "tags": ["x"],
                        "attributions": [{"source": "s1"}],
                    }
                ]
            },
            {
                "claims": [
                    {
                        "key": "bad",
                        "text": "Bad capture",
                        "attributions": [{"source": "s1"}, {"source": "s2"}],
                    }
                ]
            },
            {"links": [{"from": "keep", "to": "bad", "relation": "supports"}]},
            {"links": [{"from": "bad", "to": "keep", "relation": "contradicts"}]},
        ]
    ):
        run = cli("import", str(write_json(tmp_path / f"{number}.json", document)))
        assert run.exit_code == 1 and "was withdrawn" in run.stderr, run.stderr
    run = cli("import", str(write_json(tmp_path / "m.json", {"links": [
        {"from": "dup", "to": "bad", "relation": "supports"}]})))  # fmt: skip
    assert run.exit_code == 1 and "merged into 'keep', link that one" in run.stderr
    assert len(cli.json("log", "--limit", "0")) == events
    # repeating the claim as it is stays allowed (an export read back changes nothing)
    same = {"claims": [{"key": "bad", "text": "Bad capture", "tags": ["a"],
                        "attributions": [{"source": "s1"}]}]}  # fmt: skip
    cli.ok("import", str(write_json(tmp_path / "same.json", same)))
    assert len(cli.json("log", "--limit", "0")) == events


def test_a_link_to_a_claim_withdrawn_later_survives_as_of_and_a_restore(cli, tmp_path):
    """Found by the second attack: refusing new links to withdrawn claims in an import
    (above) also refused the links a file restores with its withdrawn claims, so every
    --as-of after a withdrawal failed, and an --include-withdrawn export did not restore."""
    cli.ok("source", "add", "s1")
    cli.ok("claim", "add", "alpha", "--source", "s1", "--key", "a")
    cli.ok("claim", "add", "beta", "--source", "s1", "--key", "b")
    cli.ok("claim", "link", "a", "b", "--relation", "supports")
    cli.ok("claim", "withdraw", "b", "--note", "bad")
    last = cli.json("log", "--limit", "1")[0]["seq"]
    [link] = cli.json("claim", "show", "a", "--as-of", str(last))["links"]
    assert (link["from"], link["to"]) == ("a", "b")
    path = tmp_path / "w.json"
    cli.ok("export", "-f", "json", "--include-withdrawn", "-o", str(path))
    fresh = Cli(str(tmp_path / "fresh.db"))
    fresh.ok("init")
    fresh.ok("import", str(path))
    assert fresh.json("claim", "show", "a")["links"][0]["to"] == "b"


def test_records_an_earlier_release_took_still_rebuild_as_of(cli, tmp_path):
    """Found by the second attack: a claim with 250 tags, a tag 'a;b' or a value of 5e-20,
    all taken by the release before the caps, made every --as-of after them fail. The past
    is rebuilt as it was; only new input meets the caps."""
    from provenance.vocab import without_input_limits

    old = {"claims": [
        {"key": "many", "text": "Many", "tags": [f"t{i}" for i in range(250)],
         "attributions": [{"source": "s1"}]},
        {"key": "semi", "text": "Semi", "tags": ["a;b"], "attributions": [{"source": "s1"}]},
        {"key": "tiny", "text": "Tiny", "value": 5e-20, "attributions": [{"source": "s1"}]},
    ]}  # fmt: skip
    with without_input_limits():  # as the release before took it
        cli.ok("import", str(write_json(tmp_path / "old.json", old)))
    cli.ok("claim", "add", "Later", "--source", "s1", "--key", "later")
    last = str(cli.json("log", "--limit", "1")[0]["seq"])
    assert len(cli.json("claim", "show", "many", "--as-of", last)["tags"]) == 250
    assert cli.json("claim", "show", "semi", "--as-of", last)["tags"] == ["a;b"]
    rebuilt = json.loads(cli.ok("export", "-f", "json", "--as-of", last).stdout)
    assert {c["key"] for c in rebuilt["claims"]} == {"many", "semi", "tiny", "later"}
    # new input still meets them
    run = cli("claim", "add", "Also tiny", "--source", "s1", "--value", "0." + "0" * 19 + "5")
    assert run.exit_code == 1 and "too small" in run.stderr


def test_a_status_note_without_a_status_is_refused_not_dropped(cli, tmp_path):
    """Found by the second attack: the note was thrown away without a word."""
    cli.ok("source", "add", "nug")
    cli.ok("claim", "add", "Forty died", "--source", "nug", "--key", "qm")
    events = len(cli.json("log", "--limit", "0"))
    document = {"claims": [{"key": "qm", "status_note": "the list has 12"}]}
    run = cli("import", str(write_json(tmp_path / "n.json", document)))
    assert run.exit_code == 1 and "give status with it" in run.stderr
    assert len(cli.json("log", "--limit", "0")) == events
