"""The bundled seed set and the demo."""

import hashlib
import json
import os

import pytest
from typer.testing import CliRunner

from provenance.cli import app
from tests.conftest import SEED, SHARED

ARTICLE = SHARED / "seeds" / "000_a8507e89a5a7b57a.txt"


def seed_document():
    return json.loads(SEED.read_text(encoding="utf-8"))


def test_seed_has_at_least_20_claims_each_attributed(seeded):
    claims = seeded.json("claim", "list", "--limit", "0")
    assert len(claims) >= 20
    assert all(c["attributions"] for c in claims)


def test_seed_sources_carry_grades_and_their_reasons():
    for source in seed_document()["sources"]:
        assert source["reliability"] in "ABCDEF" and len(source["notes"]) > 40


def test_seed_records_the_article_as_the_papers_say(seeded):
    nug = {c["property"]: c for c in seeded.json("claim", "list", "--source", "nug")}
    assert nug["air_attacks"]["value"] == 282
    assert nug["civilians_killed"]["value"] == 276
    assert nug["civilians_wounded"]["value"] == 456
    assert nug["children_killed"]["value"] == {"min": 31}
    for claim in nug.values():
        assert claim["period"] == {"start": "2025-03-28", "end": "2025-05-02"}
        assert claim["attributions"][0]["via"] == ["unnamed-outlet"]
    observers = seeded.json("claim", "list", "--source", "observers")
    assert observers[0]["attributions"][0]["confidence"] <= 30
    ceasefire = seeded.json("claim", "show", "junta-ceasefire-extension")
    assert {link["relation"] for link in ceasefire["links"]} == {"contradicts"}


@pytest.mark.skipif(not ARTICLE.exists(), reason="../shared/seeds is not beside this clone")
def test_seed_quotes_are_verbatim_and_the_document_hash_matches():
    text = ARTICLE.read_text(encoding="utf-8")
    document = seed_document()
    for claim in document["claims"]:
        for attribution in claim["attributions"]:
            assert attribution["quote"] in text, attribution["quote"]
            assert len(attribution["quote"]) <= 120
    assert document["documents"][0]["sha256"] == hashlib.sha256(ARTICLE.read_bytes()).hexdigest()


def test_seed_list_and_unknown_name(cli):
    assert "myanmar-2025-05" in cli.ok("seed", "--list").stdout
    run = cli("seed", "myanmar")
    assert run.exit_code == 1 and "did you mean 'myanmar-2025-05'" in run.stderr


def invoke_demo(tmp_path, *args):
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        return CliRunner().invoke(app, ["demo", *args], env={"COLUMNS": "160"})
    finally:
        os.chdir(cwd)


def test_demo_creates_a_database_and_tours_it(tmp_path):
    result = invoke_demo(tmp_path)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "provenance-demo.db").exists()
    for part in [
        "1. The claims",
        "nug-air-attacks-since-quake",
        "relayed by unnamed-outlet",
        "3. What the NUG says",
        "4. The work queue",
        "contradicted",
    ]:
        assert part in result.stdout, part
    again = invoke_demo(tmp_path)  # a demo database may be replaced by a new demo
    assert again.exit_code == 0, again.stderr


def test_demo_never_overwrites_a_real_database(tmp_path):
    from tests.conftest import Cli

    real = tmp_path / "provenance-demo.db"
    Cli(str(real)).ok("init")
    Cli(str(real)).ok("source", "add", "mine")
    result = invoke_demo(tmp_path)
    assert result.exit_code == 1 and "not a demo database" in result.stderr
    assert [s["key"] for s in Cli(str(real)).json("source", "list")] == ["mine"]


def test_demo_never_replaces_a_demo_database_the_user_has_written_to(tmp_path):
    from tests.conftest import Cli

    assert invoke_demo(tmp_path).exit_code == 0
    demo_db = Cli(str(tmp_path / "provenance-demo.db"))
    demo_db.ok("claim", "status", "junta-ceasefire-extension", "false", "--note", "checked")
    before = demo_db.json("log")
    result = invoke_demo(tmp_path)
    assert result.exit_code == 1
    assert "1 change made after the demo created it" in result.stderr
    assert demo_db.json("log") == before
    assert demo_db.json("claim", "show", "junta-ceasefire-extension")["status"] == "false"


def test_seed_flags_put_the_ceasefire_contradiction_first(seeded):
    queue = seeded.json("flag")
    assert queue[0]["claim"] == "junta-ceasefire-extension"
    assert queue[0]["reasons"][0] == "contradicted"
    assert queue[1]["claim"] in {"nug-air-attacks-since-quake", "regime-kept-bombing-after-quake"}
    observers = next(r for r in queue if r["claim"] == "observers-mah-may-meet-xi")
    assert {"single-source", "low-reliability"} <= set(observers["reasons"])
    assert seeded("flag", "--strict").exit_code == 3


def test_seed_compare_shows_the_nug_figures(seeded):
    groups = seeded.json("compare", "--subject", "junta")
    figures = {
        g["property"]: g["claims"][0]["value"]
        for g in groups
        if g["claims"][0]["origins"] == ["nug"]
    }
    assert figures == {
        "air_attacks": 282,
        "civilians_killed": 276,
        "civilians_wounded": 456,
        "children_killed": {"min": 31},
    }


def test_demo_goes_where_db_names_a_file_and_never_where_the_variable_does(tmp_path):
    """`--db mine.db demo` wrote ./provenance-demo.db; the tour then named mine.db."""
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        there = CliRunner().invoke(app, ["--db", "here.db", "demo"], env={"COLUMNS": "160"})
        assert there.exit_code == 0, there.stderr
        assert (tmp_path / "here.db").exists()
        assert not (tmp_path / "provenance-demo.db").exists()
        server = CliRunner().invoke(app, ["--db", "postgresql+psycopg://x/y", "demo"])
        assert server.exit_code == 2 and "--path" in server.stderr
        # PROVENANCE_DB names the analyst's own database: the demo stays in its own file.
        own = f"sqlite:///{tmp_path / 'own.db'}"
        kept = CliRunner().invoke(app, ["demo"], env={"COLUMNS": "160", "PROVENANCE_DB": own})
        assert kept.exit_code == 0, kept.stderr
        assert (tmp_path / "provenance-demo.db").exists() and not (tmp_path / "own.db").exists()
        # The tour's commands can be pasted: a path with a space or a `?` is quoted.
        odd = CliRunner().invoke(app, ["demo", "--path", "my demo?.db"], env={"COLUMNS": "160"})
        assert odd.exit_code == 0, odd.stderr
        assert "provenance --db 'my demo?.db' claim list" in odd.stdout
    finally:
        os.chdir(cwd)
