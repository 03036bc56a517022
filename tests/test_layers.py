"""The library stands without the command line: services and analysis never import the
CLI's libraries, and can be used directly."""

import ast
from pathlib import Path

from provenance.schemas import ClaimIn, SourceIn
from provenance.services import catalog, claims

PACKAGE = Path(__file__).resolve().parents[1] / "provenance"


def imported_modules(folder):
    for path in (PACKAGE / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                yield path.name, {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                yield path.name, {node.module.split(".")[0]}


def test_services_and_analysis_do_not_import_typer_or_rich():
    for folder in ("services", "analysis", "io"):
        for name, modules in imported_modules(folder):
            assert not modules & {"typer", "rich", "click"}, (folder, name)


def test_services_work_without_the_cli(session):
    catalog.add_source(session, SourceIn(key="nug", reliability="C"), analyst="lib")
    key = claims.add(
        session,
        ClaimIn.model_validate(
            {"text": "282 air attacks", "value": 282, "attributions": [{"source": "nug"}]}
        ),
        analyst="lib",
    )
    records, more = claims.list_claims(session, claims.ClaimFilter())
    assert [r["key"] for r in records] == [key] and more is False
    assert records[0]["origins"] == ["nug"]
