"""An import indexes its claims for search at its end (SQLite: one statement, not a trigger
per row), and a large one builds the read-only indexes at its end; search and the indexes
must still be exactly as they would be, whatever the import did."""

import json
import sqlite3
from pathlib import Path

import pytest

from provenance.services import upkeep
from tests.conftest import recorded_statements, write_json


def claims_file(path: Path, texts: dict[str, str]) -> Path:
    return write_json(
        path,
        {
            "claims": [
                {"key": key, "text": text, "attributions": [{"source": "nug"}]}
                for key, text in texts.items()
            ]
        },
    )


def found(cli, words: str) -> list[str]:
    return [claim["key"] for claim in cli.json("claim", "list", "--search", words, "--limit", "0")]


def sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite:///")


def assert_search_index_whole(cli, backend: str) -> None:
    """SQLite: FTS5's own check that the index holds exactly the claims' text, and the
    trigger that indexes a claim added later is back."""
    if backend != "sqlite":
        return
    with sqlite3.connect(sqlite_path(cli.url)) as connection:
        connection.execute("INSERT INTO claims_fts (claims_fts) VALUES ('integrity-check')")
        triggers = {
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            )
        }
    assert {"claims_fts_insert", "claims_fts_update", "claims_fts_delete"} <= triggers


def test_imported_claims_are_found_and_a_claim_added_afterwards_too(cli, backend, tmp_path):
    texts = {f"c{n}": f"Shelling near checkpoint {n} reported" for n in range(2500)}
    texts["convoy"] = "A convoy was ambushed on the Lashio road"
    cli.ok("import", str(claims_file(tmp_path / "a.json", texts)))
    assert found(cli, "convoy ambushed") == ["convoy"]
    assert len(found(cli, "checkpoint")) == 2500
    cli.ok("claim", "add", "Airstrike hit the market", "--source", "nug", "--key", "market")
    assert found(cli, "airstrike") == ["market"]
    assert_search_index_whole(cli, backend)


def test_a_claim_whose_text_a_later_file_of_the_same_import_changes_is_found_by_its_new_text(
    cli, backend, tmp_path
):
    """The second file updates a claim the first created, before the import's end."""
    first = claims_file(tmp_path / "a.json", {"road": "A convoy was ambushed", "x": "Other"})
    second = claims_file(tmp_path / "b.json", {"road": "A bridge was destroyed"})
    cli.ok("import", str(first), str(second))
    assert found(cli, "convoy") == []
    assert found(cli, "bridge") == ["road"]
    assert_search_index_whole(cli, backend)
    # A later text correction is indexed as before.
    cli.ok("import", str(claims_file(tmp_path / "c.json", {"road": "A ferry sank"})))
    assert found(cli, "bridge") == [] and found(cli, "ferry") == ["road"]
    assert_search_index_whole(cli, backend)


def test_a_failed_import_leaves_search_as_it_was(cli, backend, tmp_path):
    cli.ok("import", str(claims_file(tmp_path / "a.json", {"old": "Old shelling report"})))
    bad = tmp_path / "bad.jsonl"
    good = {
        "type": "claim",
        "key": "new",
        "text": "New shelling",
        "attributions": [{"source": "nug"}],
    }
    bad.write_text(json.dumps(good) + "\n" + json.dumps({"type": "claim", "key": "x"}) + "\n")
    assert cli("import", str(bad)).exit_code == 1
    assert found(cli, "shelling") == ["old"]
    cli.ok("claim", "add", "Fresh shelling near Hpakant", "--source", "nug", "--key", "fresh")
    assert sorted(found(cli, "shelling")) == ["fresh", "old"]
    assert_search_index_whole(cli, backend)


def index_definitions(url: str) -> list[tuple[str, str]]:
    with sqlite3.connect(sqlite_path(url)) as connection:
        return connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            "AND sql IS NOT NULL ORDER BY name"
        ).fetchall()


def test_a_large_import_builds_the_indexes_it_dropped_again(cli, backend, tmp_path, monkeypatch):
    if backend != "sqlite":
        pytest.skip("PostgreSQL keeps its indexes during an import")
    monkeypatch.setattr(upkeep, "INDEXES_DEFERRED_FROM", 1)  # as if this file were large
    monkeypatch.setattr(upkeep, "BYTES_PER_CLAIM", 1)
    before = index_definitions(cli.url)
    assert {name for name, _ in before} >= set(upkeep.READ_ONLY_INDEXES)
    texts = {f"c{n}": f"Shelling near checkpoint {n}" for n in range(50)}
    path = claims_file(tmp_path / "a.json", texts)
    assert sorted(dropped_while(lambda: cli.ok("import", str(path)))) == sorted(
        upkeep.READ_ONLY_INDEXES
    )
    assert index_definitions(cli.url) == before
    # Again: the claims are stored, little changes, and the indexes stay (building them
    # again would read every stored claim).
    assert dropped_while(lambda: cli.ok("import", str(tmp_path / "a.json"))) == []
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"type": "claim", "key": "x"}) + "\n")
    assert cli("import", str(bad)).exit_code == 1
    assert index_definitions(cli.url) == before
    # The indexes hold the imported claims: a filter they serve finds them.
    with sqlite3.connect(sqlite_path(cli.url)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert len(cli.json("claim", "list", "--status", "unverified", "--limit", "0")) == 50


def dropped_while(run) -> list[str]:
    """The indexes dropped while ``run`` runs (the statements the engine sends)."""
    return [
        statement.sql.split('"')[1]
        for statement in recorded_statements(run)
        if statement.sql.startswith("DROP INDEX")
    ]
