"""Sources, entities and documents through the command line."""

import hashlib
import json

import pytest

from tests.conftest import write_json


def test_source_add_list_show(cli):
    cli.ok(
        "source",
        "add",
        "nug",
        "--name",
        "National Unity Government",
        "--kind",
        "government",
        "-r",
        "c",
        "--affiliation",
        "resistance",
        "--alias",
        "NUG",
        "--notes",
        "party",
    )
    cli.ok(
        "source", "add", "pdf", "--name", "People's Defence Force", "--affiliation", "resistance"
    )
    listed = cli.json("source", "list")
    assert [s["key"] for s in listed] == ["nug", "pdf"]
    nug = listed[0]
    assert nug["reliability"] == "C" and nug["aliases"] == ["NUG"] and nug["protected"] is False
    shown = cli.json("source", "show", "NUG")  # an alias names the source too
    assert shown["key"] == "nug" and shown["same_affiliation"] == ["pdf"]
    table = cli.ok("source", "list").stdout
    assert "National Unity Government" in table and "resistance" in table


def test_source_defaults_to_grade_f(cli):
    cli.ok("source", "add", "observers")
    assert cli.json("source", "show", "observers")["reliability"] == "F"


def test_source_key_must_be_a_slug(cli):
    run = cli("source", "add", "Junta Media")
    assert run.exit_code == 1
    assert "key" in run.stderr and "slug" in run.stderr
    assert cli.json("source", "list") == []


def test_source_reliability_must_be_admiralty(cli):
    run = cli("source", "add", "x", "-r", "G")
    assert run.exit_code == 1 and "A–F" in run.stderr


def test_duplicate_source_is_refused(cli):
    cli.ok("source", "add", "nug")
    run = cli("source", "add", "nug", "--name", "Other")
    assert run.exit_code == 1 and "already exists" in run.stderr
    assert cli.json("source", "show", "nug")["name"] == "nug"


def test_alias_cannot_name_two_sources(cli):
    cli.ok("source", "add", "nug", "--alias", "NUG")
    run = cli("source", "add", "other", "--alias", "nug ")
    assert run.exit_code == 1 and "alias" in run.stderr
    assert [s["key"] for s in cli.json("source", "list")] == ["nug"]


def test_aliases_that_fold_alike_are_one_alias(cli, tmp_path):
    """Two spellings of one alias ("Bar X", "bar  x") name the same record: the first is
    kept, on the command line and in an import, as an exact repeat is (they once hit the
    unique index on the folded alias: a traceback, and a database's own wording)."""
    cli.ok("source", "add", "dvb", "--alias", "Bar X", "--alias", "bar  x")
    assert cli.json("source", "show", "dvb")["aliases"] == ["Bar X"]
    cli.ok("source", "edit", "dvb", "--alias", "Qq", "--alias", "qq")
    assert cli.json("source", "show", "dvb")["aliases"] == ["Bar X", "Qq"]
    path = tmp_path / "entities.json"
    path.write_text('{"provenance": 1, "entities": [{"key": "army", "aliases": ["Foo", "foo"]}]}')
    cli.ok("import", str(path))
    assert [e["aliases"] for e in cli.json("entity", "list")] == [["Foo"]]
    assert "every record matches" in cli.ok("audit", "verify", "--deep").stderr


def test_an_alias_that_is_another_record_s_key_is_refused(cli, tmp_path):
    """A name resolves to a key before an alias: such an alias would never name its owner."""
    cli.ok("source", "add", "nug", "-r", "C")
    cli.ok("source", "add", "rfa", "-r", "B")
    run = cli("source", "add", "wire", "-r", "B", "--alias", "nug")
    assert (run.exit_code, run.stderr) == (1, "error: alias 'nug' is the key of source 'nug'\n")
    run = cli("source", "edit", "rfa", "--alias", "nug")
    assert (run.exit_code, run.stderr) == (1, "error: alias 'nug' is the key of source 'nug'\n")
    assert cli.json("source", "show", "rfa")["aliases"] == []
    cli.ok("entity", "add", "lashio")
    run = cli("entity", "add", "lashio-town", "--alias", "lashio")
    assert (run.exit_code, run.stderr) == (
        1,
        "error: alias 'lashio' is the key of entity 'lashio'\n",
    )
    assert [e["key"] for e in cli.json("entity", "list")] == ["lashio"]
    # in other letters too (found by the attacker: "Unnamed-Outlet" took writes that
    # `claim list --source Unnamed-Outlet` then read from the other source)
    for args, message in (
        (("source", "add", "wire", "--alias", "NUG"), "alias 'NUG' is the key of source 'nug'"),
        (("source", "edit", "rfa", "--alias", "Nug"), "alias 'Nug' is the key of source 'nug'"),
        (("entity", "add", "town", "--alias", "Lashio"), "alias 'Lashio' is the key of entity "
         "'lashio'"),
    ):  # fmt: skip
        run = cli(*args)
        assert (run.exit_code, run.stderr) == (1, f"error: {message}\n")
    document = {"sources": [{"key": "wire", "aliases": ["Nug"]}]}
    run = cli("import", str(write_json(tmp_path / "alias.json", document)))
    assert run.exit_code == 1 and "alias 'Nug' is the key of source 'nug'" in run.stderr
    assert [s["key"] for s in cli.json("source", "list")] == ["nug", "rfa"]


def test_a_new_key_that_is_another_record_s_alias_is_refused(cli, tmp_path):
    """Typing that name would silently stop naming the record whose alias it is."""
    cli.ok("source", "add", "rfa", "-r", "B", "--alias", "KP")
    said = (
        "source key 'kp' is already an alias of source 'rfa' ('KP'): choose another key, "
        "or use 'rfa'"
    )
    run = cli("source", "add", "kp", "-r", "C")
    assert (run.exit_code, run.stderr) == (1, f"error: {said}\n")
    path = tmp_path / "sources.jsonl"
    path.write_text('{"type": "source", "key": "kp", "reliability": "C"}\n')
    run = cli("import", str(path))  # new sources without aliases go in a batch at a time
    assert (run.exit_code, run.stderr) == (1, f"error: {path}:1: {said}\n")
    assert [s["key"] for s in cli.json("source", "list")] == ["rfa"]
    cli.ok("entity", "add", "myanmar-military", "--alias", "Tatmadaw")
    run = cli("entity", "add", "tatmadaw")
    assert run.exit_code == 1 and "is already an alias of entity 'myanmar-military'" in run.stderr


def test_source_edit_changes_only_what_is_given(cli):
    cli.ok("source", "add", "junta-media", "--name", "State media", "-r", "D", "--alias", "MRTV")
    edited = cli.json("source", "edit", "junta", "-r", "E", "--protected")
    assert edited["reliability"] == "E" and edited["protected"] is True
    assert edited["name"] == "State media" and edited["aliases"] == ["MRTV"]
    log = cli.json("log")
    assert log[0]["action"] == "source.edit"
    change = log[0]["payload"]["changes"][0]
    assert (change["before"]["reliability"], change["after"]["reliability"]) == ("D", "E")


def test_source_edit_with_nothing_to_change_is_an_error(cli):
    cli.ok("source", "add", "nug")
    run = cli("source", "edit", "nug")
    assert run.exit_code == 1 and "nothing to change" in run.stderr


def test_unknown_source_suggests_the_nearest(cli):
    cli.ok("source", "add", "nug")
    run = cli("source", "show", "nugg")
    assert run.exit_code == 1
    assert run.stderr.strip() == "error: no source 'nugg'; did you mean 'nug'?"


def test_ambiguous_prefix_lists_candidates(cli):
    cli.ok("source", "add", "junta-media")
    cli.ok("source", "add", "junta-army")
    run = cli("source", "show", "junta")
    assert run.exit_code == 1 and "ambiguous" in run.stderr
    assert "junta-army" in run.stderr and "junta-media" in run.stderr


def test_entities(cli):
    cli.ok(
        "entity",
        "add",
        "myanmar-military",
        "--name",
        "Myanmar military",
        "--kind",
        "organisation",
        "--alias",
        "junta",
        "--alias",
        "regime",
    )
    listed = cli.json("entity", "list")
    assert listed == [
        {
            "key": "myanmar-military",
            "name": "Myanmar military",
            "kind": "organisation",
            "aliases": ["junta", "regime"],
            "claims": 0,
        }
    ]


def test_document_with_file_stores_its_sha256(cli, tmp_path):
    article = tmp_path / "article.txt"
    article.write_bytes(b"282 air attacks, the NUG reported.\n")
    cli.ok("source", "add", "outlet")
    run = cli.ok(
        "doc",
        "add",
        "art-1",
        "--title",
        "An article",
        "--publisher",
        "outlet",
        "--published",
        "2025-05-05",
        "--file",
        str(article),
        "-f",
        "json",
    )
    document = run.json()
    assert document["sha256"] == hashlib.sha256(article.read_bytes()).hexdigest()
    assert document["published"] == "2025-05-05" and document["publisher"] == "outlet"
    assert cli.json("doc", "show", "art")["title"] == "An article"
    assert [d["key"] for d in cli.json("doc", "list")] == ["art-1"]


def test_document_publisher_must_exist(cli):
    run = cli("doc", "add", "art-1", "--publisher", "outlte")
    assert run.exit_code == 1 and "no source 'outlte'" in run.stderr
    assert cli.json("doc", "list") == []


def test_document_bad_date_is_a_usage_error(cli):
    run = cli("doc", "add", "art-1", "--published", "05/05/2025")
    assert run.exit_code == 2


def test_duplicate_entity_and_document_say_how_to_change_them(cli):
    cli.ok("entity", "add", "tnla")
    cli.ok("doc", "add", "art")
    for args in (("entity", "add", "tnla"), ("doc", "add", "art")):
        run = cli(*args)
        assert run.exit_code == 1
        assert "already exists (change it with an import of the changed record)" in run.stderr


@pytest.mark.parametrize(
    "command,what", [("source", "sources"), ("entity", "entities"), ("doc", "documents")]
)
def test_catalog_lists_page_a_table_and_give_scripts_everything(cli, tmp_path, command, what):
    """A table shows a page and names the next on stderr; json, jsonl and csv give every
    record (2,500 here), read and written a batch at a time; pages put together are the
    whole list, in key order."""
    count = 2_500
    keys = [f"k{n:05d}" for n in range(count)]
    document: dict = {
        "sources": [{"key": k, "aliases": [f"alias {k}"]} for k in keys]
        if command == "source"
        else [],
        "entities": [{"key": k} for k in keys] if command == "entity" else [],
        "documents": [{"key": k, "publisher": "desk"} for k in keys] if command == "doc" else [],
        "claims": [
            {
                "key": "c1",
                "text": "One.",
                "subject": "k00002",
                "attributions": [
                    {
                        "source": "k00002" if command == "source" else "desk",
                        "document": "k00002" if command == "doc" else None,
                    }
                ],
            }
        ],
    }
    cli.ok("import", str(write_json(tmp_path / "many.json", document)))
    expected = keys

    table = cli(command, "list")
    assert table.exit_code == 0 and "k00099" in table.stdout and "k00100" not in table.stdout
    assert f"more {what} follow: --offset 100" in table.stderr

    everything = cli.json(command, "list")
    assert [r["key"] for r in everything] == expected
    assert next(r for r in everything if r["key"] == "k00002")["claims"] == 1
    assert next(r for r in everything if r["key"] == "k00003")["claims"] == 0
    lines = cli.ok(command, "list", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line)["key"] for line in lines] == expected
    assert len(cli.ok(command, "list", "-f", "csv").stdout.splitlines()) == len(expected) + 1

    pages, offset = [], 0
    while True:
        page = cli(command, "list", "-f", "json", "--limit", "1000", "--offset", str(offset))
        pages += [r["key"] for r in page.json()]
        if "more" not in page.stderr:
            break
        offset += 1000
    assert pages == expected and offset == 2000
    assert cli.json(command, "list", "--limit", "0", "--offset", str(len(expected))) == []


def test_a_name_typed_with_a_combining_accent_is_the_alias_stored_precomposed(
    cli, tmp_path, db_url
):
    """'Café' with a combining accent (NFD, as macOS and some keyboards write it) missed
    the alias stored with a precomposed é: `claim add` said there was no such entity, and
    import made a second, identical-looking one."""
    composed, decomposed = "Caf\u00e9 Town", "Cafe\u0301 Town"
    cli.ok("source", "add", "cafe", "--name", "Caf\u00e9 Media", "--alias", "Caf\u00e9 Media")
    cli.ok("entity", "add", "cafetown", "--name", composed, "--alias", composed)
    cli.ok(
        "claim", "add", "typed", "--source", "Cafe\u0301 Media", "--subject", decomposed,
        "--property", "p", "--value", "1",
    )  # fmt: skip
    record = {
        "type": "claim",
        "text": "imported",
        "subject": decomposed,
        "property": "q",
        "value": 5,
        "attributions": [{"source": "Cafe\u0301 Media"}],
    }
    path = tmp_path / "nfd.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    cli.ok("import", str(path))
    assert [e["key"] for e in cli.json("entity", "list")] == ["cafetown"]
    assert [s["key"] for s in cli.json("source", "list")] == ["cafe"]
    assert {c["subject"] for c in cli.json("claim", "list")} == {"cafetown"}
    # An alias stored before, folded from what was typed (decomposed), is still found.
    from sqlalchemy import text

    from provenance.db import make_engine

    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE entity_aliases SET folded = :f"), {"f": decomposed.casefold()}
        )
    engine.dispose()
    cli.ok("claim", "add", "again", "--source", "cafe", "--subject", composed)
    assert [e["key"] for e in cli.json("entity", "list")] == ["cafetown"]


@pytest.mark.parametrize("key", ["a/b", "../x"])
def test_a_refused_key_is_named_as_typed(cli, key):
    """Found by the attacker: 'a/b' was named 'a.b' (a valid key) and '../x' '...x'."""
    run = cli("source", "add", key)
    assert run.exit_code == 1
    assert f"key {key!r} must be a lowercase slug" in run.stderr
    run = cli("source", "add", "x", "--alias", "")
    assert run.stderr == "error: aliases.0: must not be empty\n"


def test_source_edit_adds_and_removes_aliases_as_entity_edit_does(cli):
    """`source edit --alias` replaced the whole list, `entity edit --alias` added to it: a
    contract audit found "National Unity Government" stop resolving after one more alias."""
    cli.ok("source", "add", "nug", "--alias", "National Unity Government")
    cli.ok("claim", "add", "Forty died", "--source", "National Unity Government")
    cli.ok("source", "edit", "nug", "--alias", "Unity Gov")
    assert cli.json("source", "show", "nug")["aliases"] == [
        "National Unity Government",
        "Unity Gov",
    ]
    cli.ok("claim", "add", "Fifty died", "--source", "National Unity Government")
    cli.ok("source", "edit", "nug", "--unalias", "national unity government")
    assert cli.json("source", "show", "nug")["aliases"] == ["Unity Gov"]
    run = cli("source", "edit", "nug", "--unalias", "NUG Myanmar")
    assert run.exit_code == 1 and "has no alias 'NUG Myanmar'" in run.stderr
    assert cli.json("source", "show", "nug")["aliases"] == ["Unity Gov"]


def test_a_name_a_write_took_finds_its_record_on_read(cli):
    """Found by the second attack: `claim add --subject Ñandú --new-entity` made the
    entity `nandu`, and `claim list --subject Ñandú` said there was none."""
    cli.ok("source", "add", "s1")
    cli.ok("claim", "add", "Seen", "--source", "s1", "--subject", "Ñandú", "--property",
           "sightings", "--value", "4", "--new-entity")  # fmt: skip
    assert [c["subject"] for c in cli.json("claim", "list", "--subject", "Ñandú")] == ["nandu"]
    assert cli.json("compare", "--subject", "Ñandú")[0]["subject"] == "nandu"
    assert {r["claim"] for r in cli.json("flag", "--subject", "Ñandú")} == {
        c["key"] for c in cli.json("claim", "list")
    }
