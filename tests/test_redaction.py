"""A protected source never leaves the database through an export, whatever its role:
origin, relay, or publisher of a document (issue 16, items 6 and 12). Every format
inherits the redaction from the export layer."""

import json
import sqlite3

import pytest

from tests.conftest import Cli, write_json

#: Everything that would identify the protected source or its document.
SECRETS = [
    "zz-insider",
    "Colonel Insider",
    "the colonel",
    "military-officer",
    "tatmadaw-dissidents",
    "met in Mae Sot",
    "insider-memo",
    "Memo from the colonel",
    "leak.example",
    "exact words of the insider",
    "relayed words",
    "published words",
    "9" * 64,
]

DOCUMENT = {
    "sources": [
        {
            "key": "zz-insider",
            "name": "Colonel Insider",
            "aliases": ["the colonel"],
            "kind": "military-officer",
            "affiliation": "tatmadaw-dissidents",
            "notes": "met in Mae Sot",
            "protected": True,
        },
        {"key": "aa-outlet", "name": "An outlet", "affiliation": "outlets"},
        {"key": "mm-monitor", "name": "A monitor"},
    ],
    "documents": [
        {
            "key": "insider-memo",
            "title": "Memo from the colonel",
            "url": "https://leak.example/memo",
            "publisher": "zz-insider",
            "sha256": "9" * 64,
            "published": "2025-05-02",
        },
        {"key": "aa-article", "title": "An article", "publisher": "aa-outlet"},
    ],
    "claims": [
        {
            "key": "as-origin",
            "text": "Troops moved north.",
            "status": "verified",
            "attributions": [
                {"source": "zz-insider", "quote": "exact words of the insider"},
                {"source": "mm-monitor", "quote": "the monitor's words"},
            ],
        },
        {
            "key": "as-relay",
            "text": "A bridge was closed.",
            "status": "false",
            "attributions": [
                {"source": "aa-outlet", "via": ["zz-insider"], "quote": "relayed words"}
            ],
        },
        {
            "key": "as-publisher",
            "text": "Fuel ran short.",
            "status": "disputed",
            "attributions": [
                {"source": "mm-monitor", "document": "insider-memo", "quote": "published words"},
                {"source": "aa-outlet", "document": "aa-article", "quote": "the outlet's words"},
            ],
        },
    ],
}

FORMATS = ["json", "jsonl", "csv", "prov-json", "claimreview", "markdown", "html", "sqlite"]


def export(cli, tmp_path, fmt, *options):
    if fmt != "sqlite":
        return cli.ok("export", "-f", fmt, *options).stdout
    path = tmp_path / f"export{len(options)}.db"
    cli.ok("export", "-f", "sqlite", "--out", str(path), *options)
    with sqlite3.connect(path) as connection:
        return "\n".join(
            repr(row)
            for table in ("sources", "documents", "claims", "attributions", "claims_flat")
            for row in connection.execute(f"SELECT * FROM {table}")
        )


@pytest.fixture
def protected(cli, tmp_path):
    cli.ok("import", str(write_json(tmp_path / "p.json", DOCUMENT)))
    return cli


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_protected_origin_relay_and_publisher_leave_no_trace_in_any_format(
    protected, tmp_path, fmt
):
    text = export(protected, tmp_path, fmt)
    assert [secret for secret in SECRETS if secret in text] == []
    assert "protected-" in text
    # What is not protected is still there.
    assert "the monitor's words" in text or fmt in ("markdown", "html", "claimreview", "prov-json")
    assert "aa-outlet" in text or fmt == "claimreview"


@pytest.mark.parametrize("fmt", FORMATS)
def test_include_protected_keeps_them_in_every_format(protected, tmp_path, fmt):
    text = export(protected, tmp_path, fmt, "--include-protected")
    assert "zz-insider" in text or "Colonel Insider" in text


def test_the_warning_of_include_protected_is_given_only_when_one_is_protected(protected):
    assert "names protected sources" in protected.ok("export", "--include-protected").stderr
    protected.ok("source", "edit", "zz-insider", "--not-protected")
    assert "names protected sources" not in protected.ok("export", "--include-protected").stderr


def test_the_relay_and_the_publisher_get_the_origins_pseudonym(protected):
    document = json.loads(protected.ok("export").stdout)
    [hidden] = [s for s in document["sources"] if s["protected"]]
    assert hidden["kind"] is None and hidden["affiliation"] is None
    claims = {c["key"]: c for c in document["claims"]}
    assert claims["as-origin"]["attributions"][0]["source"] == hidden["key"]
    assert claims["as-relay"]["attributions"][0]["via"] == [hidden["key"]]
    assert claims["as-relay"]["attributions"][0]["quote"] is None
    memo = next(d for d in document["documents"] if d["publisher"] == hidden["key"])
    assert memo["key"].startswith("protected-document-")
    assert (memo["title"], memo["url"], memo["sha256"]) == (None, None, None)
    assert claims["as-publisher"]["attributions"][0]["document"] == memo["key"]
    assert claims["as-publisher"]["attributions"][0]["quote"] is None
    assert claims["as-publisher"]["attributions"][1]["quote"] == "the outlet's words"


def test_pseudonymous_records_are_ordered_by_their_pseudonym(protected, tmp_path):
    more = {
        "sources": [{"key": f"{c}-hidden", "protected": True} for c in "abcxyz"],
        "documents": [{"key": f"{c}-doc", "publisher": f"{c}-hidden"} for c in "abcxyz"],
    }
    protected.ok("import", str(write_json(tmp_path / "more.json", more)))
    document = json.loads(protected.ok("export").stdout)
    for section in ("sources", "documents"):
        keys = [record["key"] for record in document[section]]
        assert keys == sorted(keys), section
    jsonl = [json.loads(line) for line in protected.ok("export", "-f", "jsonl").stdout.splitlines()]
    keys = [r["key"] for r in jsonl if r["type"] == "source"]
    assert keys == sorted(keys)


def test_claimreview_shows_no_protected_appearance(protected):
    reviews = json.loads(protected.ok("export", "-f", "claimreview").stdout)
    appearances = [a for r in reviews for a in r["itemReviewed"].get("appearance", [])]
    assert appearances and all(
        "url" not in a for a in appearances if a["name"].startswith("protected")
    )
    authors = [a for r in reviews for a in r["itemReviewed"]["author"]]
    assert {"@type": "Organization", "name": "Protected source"} in authors


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_an_export_read_back_into_its_own_database_changes_nothing(protected, tmp_path, fmt):
    """The pseudonyms are this database's own: read back here, they name the protected
    source and its memo. Before, they became new sources, a second origin of every
    protected claim (clearing `single-source`), and the withheld quotes were cleared."""
    before_flags = protected.ok("flag", "-f", "json").stdout
    before_claims = protected.ok("claim", "list", "-f", "json").stdout
    before_sources = protected.ok("source", "list", "-f", "json").stdout
    before_documents = protected.ok("doc", "list", "-f", "json").stdout
    path = tmp_path / f"out.{fmt}"
    protected.ok("export", "-f", fmt, "--out", str(path))
    result = protected.ok("import", str(path))
    assert "nothing changed" in result.stderr
    assert "pseudonym" in result.stderr
    assert protected.ok("flag", "-f", "json").stdout == before_flags
    assert protected.ok("claim", "list", "-f", "json").stdout == before_claims
    assert protected.ok("source", "list", "-f", "json").stdout == before_sources
    assert protected.ok("doc", "list", "-f", "json").stdout == before_documents


def test_an_edited_export_read_back_updates_the_protected_source_claims(protected, tmp_path):
    document = json.loads(protected.ok("export").stdout)
    [claim] = [c for c in document["claims"] if c["key"] == "as-origin"]
    claim["attributions"][0]["confidence"] = 80
    claim["status"] = "disputed"
    protected.ok("import", str(write_json(tmp_path / "edited.json", document)))
    stored = json.loads(protected.ok("claim", "show", "as-origin", "-f", "json").stdout)
    [insider] = [a for a in stored["attributions"] if a["source"] == "zz-insider"]
    assert (insider["confidence"], insider["quote"]) == (80, "exact words of the insider")
    assert stored["status"] == "disputed"
    assert sorted(stored["origins"]) == ["mm-monitor", "zz-insider"]


def test_another_databases_pseudonym_is_a_source_of_its_own(protected, tmp_path):
    """Only the database that made a pseudonym can read it back: elsewhere it is what the
    export says, an unnamed protected source."""
    path = tmp_path / "out.json"
    protected.ok("export", "--out", str(path))
    other = Cli(f"sqlite:///{tmp_path / 'other.db'}")
    other.ok("init")
    other.ok("import", str(path))
    sources = json.loads(other.ok("source", "list", "-f", "json").stdout)
    assert [s["name"] for s in sources if s["key"].startswith("protected-")] == ["Protected source"]


def test_replace_refuses_an_export_that_withheld_quotes(protected, tmp_path):
    path = tmp_path / "out.json"
    protected.ok("export", "--out", str(path))
    before = protected.ok("claim", "list", "-f", "json").stdout
    result = protected("import", "--replace", str(path))
    assert result.exit_code == 1
    assert "pseudonym" in result.stderr and "--include-protected" in result.stderr
    assert protected.ok("claim", "list", "-f", "json").stdout == before


def test_no_source_or_document_may_take_a_key_in_the_form_of_a_pseudonym(protected, tmp_path):
    """A public source keyed like the protected source's pseudonym looked like the same
    origin in an export, and that export read back gave it the protected source's claims."""
    pseudonym = next(
        s["key"] for s in json.loads(protected.ok("export").stdout)["sources"] if s["protected"]
    )
    before = protected.ok("log", "-f", "json").stdout
    for command in (
        ("source", "add", pseudonym, "--name", "Public Guy"),
        ("doc", "add", "protected-document-1234567890"),
    ):
        run = protected(*command)
        assert run.exit_code == 1 and "kept for the pseudonyms" in run.stderr
    assert protected.ok("log", "-f", "json").stdout == before


def test_a_round_trip_through_another_database_keeps_the_pseudonyms(protected, tmp_path):
    """Imported elsewhere, a pseudonymous source is protected there too: its export gave
    it a second pseudonym, so export → import → export was not the same document."""
    first = protected.ok("export").stdout
    other = Cli(f"sqlite:///{tmp_path / 'other.db'}")
    other.ok("init")
    other.ok("import", str(write_json(tmp_path / "first.json", json.loads(first))))
    second = json.loads(other.ok("export").stdout)
    assert [s["key"] for s in second["sources"]] == [s["key"] for s in json.loads(first)["sources"]]
    assert [d["key"] for d in second["documents"]] == [
        d["key"] for d in json.loads(first)["documents"]
    ]
    # and read back into that database, the export changes nothing there
    again = other.ok("import", str(write_json(tmp_path / "second.json", second)))
    assert "nothing changed" in again.stderr


def test_claimreview_leaves_out_the_verdict_note_of_a_claim_with_a_protected_party(protected):
    """A verdict note is the analyst's free text, and may name the protected source."""
    protected.ok("claim", "status", "as-origin", "false", "--note", "Colonel Insider lied")
    protected.ok("claim", "status", "as-relay", "false", "--note", "the bridge is open")
    protected.ok("claim", "status", "as-publisher", "false", "--note", "the memo was forged")
    reviews = {
        r["identifier"]: r for r in json.loads(protected.ok("export", "-f", "claimreview").stdout)
    }
    assert all("reviewBody" not in reviews[k] for k in ("as-origin", "as-relay", "as-publisher"))
    assert "Colonel Insider" not in protected.ok("export", "-f", "claimreview").stdout
    kept = json.loads(protected.ok("export", "-f", "claimreview", "--include-protected").stdout)
    assert {r["identifier"]: r.get("reviewBody") for r in kept}[
        "as-origin"
    ] == "Colonel Insider lied"


# --- exports of an earlier state (`export --as-of`) -------------------------------------
#
# The redaction once asked which sources are protected *now*, by key, while the records it
# redacted were the rebuilt past: a protected source since merged into another (its key now
# only an alias) left in every format, and a source protected since then was declared whole
# in sources[] while its attributions named a pseudonym declared nowhere.

#: What would identify the source merged away, or the source protected later.
MERGED_SECRETS = ["mole", "Agent Mole", "I was there", "Mole memo", "mole.example", "burrow"]
LATER_SECRETS = ["whistle", "Jane Whistleblower", "Jane W", "her own words", "Plant memo"]


def last_event(cli):
    return str(max(event["seq"] for event in json.loads(cli.ok("log", "-f", "json").stdout)))


@pytest.fixture
def merged(cli):
    """Two protected sources; the one with the claims was merged into the other later."""
    cli.ok("source", "add", "mole", "--name", "Agent Mole", "--protected")
    cli.ok("source", "add", "handler", "--name", "The Handler", "--protected")
    cli.ok("source", "add", "outlet", "--name", "An outlet")
    cli.ok("doc", "add", "mole-memo", "--title", "Mole memo", "--url", "https://mole.example/m")
    cli.ok("doc", "edit", "mole-memo", "--publisher", "mole")
    cli.ok("claim", "add", "Secret base exists", "--source", "mole", "--quote", "I was there")
    cli.ok("claim", "add", "A tunnel", "--source", "outlet", "--via", "mole", "--quote", "burrow")
    cli.ok("claim", "add", "A depot", "--source", "outlet", "--doc", "mole-memo")
    for claim in ("secret-base-exists", "a-tunnel", "a-depot"):  # a verdict for ClaimReview
        cli.ok("claim", "status", claim, "false", "--note", "checked")
    then = last_event(cli)
    cli.ok("source", "merge", "handler", "mole", "--note", "same person")
    return cli, then


@pytest.fixture
def protected_later(cli):
    """A source named openly at first, protected afterwards."""
    cli.ok("source", "add", "whistle", "--name", "Jane Whistleblower", "--alias", "Jane W")
    cli.ok("doc", "add", "plant-memo", "--title", "Plant memo", "--publisher", "whistle")
    cli.ok("claim", "add", "The plant leaks.", "--source", "whistle", "--quote", "her own words")
    cli.ok("claim", "add", "The plant is old.", "--source", "whistle", "--doc", "plant-memo")
    for claim in ("the-plant-leaks", "the-plant-is-old"):  # a verdict for ClaimReview
        cli.ok("claim", "status", claim, "false", "--note", "checked")
    then = last_event(cli)
    cli.ok("source", "edit", "whistle", "--protected")
    return cli, then


def declared_consistently(document):
    """Every source an attribution or document names is declared in sources[], and every
    pseudonymous one is declared protected, with nothing that names it."""
    declared = {s["key"]: s for s in document["sources"]}
    named = {d["publisher"] for d in document["documents"] if d["publisher"]}
    for claim in document["claims"]:
        for attribution in claim["attributions"]:
            named |= {attribution["source"], *attribution["via"]}
    assert named <= set(declared)
    for key, source in declared.items():
        if key.startswith("protected-"):
            assert source["protected"] is True
            assert (source["name"], source["aliases"]) == ("Protected source", [])
    return declared


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("scenario", ["merged", "protected_later"])
def test_an_export_of_the_past_leaves_no_trace_of_a_source_protected_then_or_now(
    request, tmp_path, fmt, scenario
):
    cli, then = request.getfixturevalue(scenario)
    secrets = MERGED_SECRETS if scenario == "merged" else LATER_SECRETS
    run_stderr = cli.ok("export", "-f", "json", "--as-of", then).stderr
    assert "names protected sources" not in run_stderr
    text = export(cli, tmp_path, fmt, "--as-of", then)
    assert [secret for secret in secrets if secret in text] == []
    assert "protected-" in text or (fmt == "claimreview" and "Protected source" in text)
    # the current export hides them as well
    now = export(cli, tmp_path, fmt)
    assert [secret for secret in secrets if secret in now] == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("scenario", ["merged", "protected_later"])
def test_include_protected_keeps_them_in_an_export_of_the_past_with_its_warning(
    request, tmp_path, fmt, scenario
):
    cli, then = request.getfixturevalue(scenario)
    assert "names protected sources" in (
        cli.ok("export", "--as-of", then, "--include-protected").stderr
    )
    text = export(cli, tmp_path, fmt, "--as-of", then, "--include-protected")
    assert ("mole" if scenario == "merged" else "whistle") in text or (
        ("Agent Mole" if scenario == "merged" else "Jane Whistleblower") in text
    )


def test_a_source_merged_into_a_protected_one_keeps_one_declared_pseudonym(merged):
    cli, then = merged
    document = json.loads(cli.ok("export", "--as-of", then).stdout)
    declared = declared_consistently(document)
    assert {k for k in declared if k.startswith("protected-")} and "mole" not in declared
    [memo] = document["documents"]
    assert memo["key"].startswith("protected-document-") and memo["title"] is None
    quotes = [a["quote"] for c in document["claims"] for a in c["attributions"]]
    assert quotes == [None, None, None]
    # the same pseudonyms in every export of that moment
    assert json.loads(cli.ok("export", "--as-of", then).stdout) == document


def test_a_source_protected_later_has_the_pseudonym_of_the_current_export(protected_later):
    cli, then = protected_later
    past = json.loads(cli.ok("export", "--as-of", then).stdout)
    now = json.loads(cli.ok("export").stdout)
    assert declared_consistently(past) and declared_consistently(now)
    assert [s["key"] for s in past["sources"]] == [s["key"] for s in now["sources"]]
    [source] = past["sources"]
    assert source["key"].startswith("protected-") and source["protected"] is True
    assert {a["source"] for c in past["claims"] for a in c["attributions"]} == {source["key"]}
    assert [d["key"] for d in past["documents"]] == [d["key"] for d in now["documents"]]
    assert [d["publisher"] for d in past["documents"]] == [source["key"]]


def test_a_source_protected_then_stays_hidden_in_the_past_once_unprotected(cli):
    """Unprotecting a source later does not reveal what was protected at that time."""
    cli.ok("source", "add", "insider", "--name", "Inside Man", "--protected")
    cli.ok("claim", "add", "A deal was struck.", "--source", "insider", "--quote", "inside words")
    then = last_event(cli)
    cli.ok("source", "edit", "insider", "--not-protected")
    text = cli.ok("export", "--as-of", then).stdout
    assert "Inside Man" not in text and "inside words" not in text
    assert "Inside Man" in cli.ok("export").stdout


def test_a_merge_is_followed_even_once_the_alias_is_edited_away(merged):
    cli, then = merged
    cli.ok("source", "edit", "handler", "--alias", "H")
    text = cli.ok("export", "--as-of", then).stdout
    assert [secret for secret in MERGED_SECRETS if secret in text] == []


@pytest.mark.parametrize("replace", [False, True])
def test_an_import_does_not_make_a_protected_source_public(cli, tmp_path, replace):
    """An attacker's finding: a colleague's export names the same key unprotected
    (`"protected": false`), and importing it made the local informant public, name and
    quotes in every export, with exit 0."""
    cli.ok("source", "add", "informant", "--name", "Real Name", "--protected")
    cli.ok("claim", "add", "3 tanks", "--source", "informant", "--quote", "secret", "--key", "inf")
    path = tmp_path / "theirs.json"
    path.write_text(json.dumps({"sources": [{"key": "informant", "protected": False}]}))
    before = cli.ok("export", "-f", "json", "--include-protected").stdout
    run = cli("import", str(path), *(["--replace"] if replace else []))
    assert run.exit_code == 1
    assert "source 'informant' is protected in this database" in run.stderr
    assert cli.ok("export", "-f", "json", "--include-protected").stdout == before
    path.write_text(json.dumps({"sources": [{"key": "informant", "reliability": "B"}]}))
    if not replace:  # a record that leaves protection out keeps it
        cli.ok("import", str(path))
        assert cli.json("source", "show", "informant")["protected"] is True
    cli.ok("source", "edit", "informant", "--not-protected")  # the way to mean it
    assert cli.json("source", "show", "informant")["protected"] is False
