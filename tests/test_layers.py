"""The library stands without the command line, and every import points down the layers:
rules -> validation -> storage -> read -> analysis -> services -> io -> output -> cli."""

import ast
from pathlib import Path

from provenance.schemas import ClaimIn, SourceIn
from provenance.services import catalog, claims

PACKAGE = Path(__file__).resolve().parents[1] / "provenance"

#: Each module or folder of the package and its layer (higher imports lower, never back).
LAYERS = {
    "vocab": 0,
    "figures": 0,
    "figure_forms": 0,
    "figure_words": 0,
    "errors": 0,
    "config": 0,
    "cells": 0,
    "clock": 0,
    "files": 0,
    "schemas": 1,
    "fast_validation": 1,  # beside schemas: the import's fast path for claims
    "db": 2,
    "read": 3,
    "models": 3,  # maps read/tables.py for writes
    "analysis": 4,
    "services": 5,
    "io": 6,
    "output": 7,
    "terminal": 7,
    "quicktable": 7,
    "cli": 8,
    "__main__": 8,
    "__init__": 0,  # the version only
}


def imported_modules(folder):
    for path in (PACKAGE / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                yield path.name, {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                yield path.name, {node.module.split(".")[0]}


def layer_of(path):
    return LAYERS[path.relative_to(PACKAGE).parts[0].removesuffix(".py")]


def provenance_imports(path):
    """Every ``provenance.<part>`` a module imports, at the top or inside a function."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] if node.module != "provenance" else []
            if node.module == "provenance":  # from provenance import vocab, __version__
                names += [f"provenance.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "provenance" and len(parts) > 1:
                yield node.lineno, parts[1] if parts[1] in LAYERS else "__init__"


def test_every_import_points_down_the_layers():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).parts[0] in ("_migrations", "_seeds"):
            continue
        mine = layer_of(path)
        for line, target in provenance_imports(path):
            if LAYERS[target] > mine:
                upward.append(f"{path.relative_to(PACKAGE)}:{line} imports {target}")
    assert upward == []


def test_the_layer_test_sees_an_upward_import(tmp_path):
    module = tmp_path / "read.py"
    module.write_text("def f():\n    from provenance.services.claims import show\n")
    assert [t for _, t in provenance_imports(module)] == ["services"]
    assert LAYERS["services"] > LAYERS["read"]


def test_services_and_analysis_do_not_import_typer_or_rich():
    for folder in ("read", "services", "analysis", "io"):
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
