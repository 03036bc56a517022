"""The schema is declared once (the read layer's Core tables, which the ORM maps), and
reading needs no ORM."""

import subprocess
import sys

import pytest

from provenance.models import Base
from provenance.read import tables


def test_the_orm_maps_the_core_tables():
    """One declaration of the schema: every mapped class's table is a Core table itself
    (a column declared again on a class would make a second, diverging schema)."""
    assert Base.metadata is tables.metadata
    for mapper in Base.registry.mappers:
        table = mapper.local_table
        assert tables.metadata.tables[table.name] is table
        assert {c.key for c in mapper.columns} == set(table.c.keys())


def test_reading_imports_no_orm():
    code = (
        "import sys\n"
        "import provenance.read.records, provenance.read.resolve, provenance.read.paging\n"
        "import provenance.analysis.flags, provenance.analysis.records\n"
        "import provenance.analysis.compare, provenance.analysis.timeline\n"
        "print(sorted(m for m in sys.modules if m.startswith('sqlalchemy.orm')"
        " or m == 'provenance.models'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


PAGES = [
    ("claim", "show", "nug-air-attacks-since-quake"),
    ("claim", "list", "--limit", "50", "--property", "air_attacks"),
    ("claim", "list", "--search", "air attacks"),
    ("compare", "--subject", "min-aung-hlaing"),
    ("flag", "--limit", "50"),
    ("source", "show", "nug"),
]


def run_loading(url, *argv, watched=("sqlalchemy.orm", "provenance.models", "pydantic")):
    """Run one command in a fresh interpreter, as ``provenance`` does; returns what it
    printed and which of the ``watched`` modules (and their submodules) it imported."""
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['provenance', '--db', {url!r}, *{list(argv)!r}]\n"
        "try:\n"
        "    runpy.run_module('provenance', run_name='__main__')\n"
        "except SystemExit as stop:\n"
        "    assert not stop.code, stop.code\n"
        f"watched = {tuple(watched)!r}\n"
        "print(sorted(m for m in sys.modules if m.startswith(watched)), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout, out.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("page", PAGES, ids=[" ".join(p[:2]) for p in PAGES])
def test_pages_start_without_the_orm_or_pydantic(seeded, page):
    """The pages read through Core alone: the ORM's import is start-up they do not pay; nor
    is pydantic's (options are converted without Typer's adapters, their defaults too)."""
    printed, loaded = run_loading(seeded.url, *page, "-f", "json")
    assert printed.strip()  # the page was printed
    assert loaded == "[]"


def test_claim_add_writes_without_the_orm(seeded):
    """`claim add` inserts on Core, as an import's new claims are: the ORM's start-up
    (about 70 ms) is not paid by scripts that add claims one by one. The claim it wrote
    is whole: its attribution, relay, subject, tags and its event."""
    printed, loaded = run_loading(
        seeded.url,
        *("claim", "add", "Convoy shelled", "--source", "nug", "--via", "unnamed-outlet"),
        *("--subject", "Convoy 7", "--new-entity", "--tag", "Convoy", "--value", "at least 12"),
        *("--key", "convoy-7"),
        watched=("sqlalchemy.orm", "provenance.models"),
    )
    assert printed.strip() == "convoy-7"
    assert loaded == "[]"
    record = seeded.json("claim", "show", "convoy-7")
    assert record["subject"] == "convoy-7"
    assert record["tags"] == ["convoy"]
    assert record["value"] == {"min": 12}
    chains = [(a["source"], a["via"]) for a in record["attributions"]]
    assert chains == [("nug", ["unnamed-outlet"])]
    assert record["history"][0]["action"] == "claim.add"
    found = seeded.json("claim", "list", "--search", "convoy shelled")
    assert [claim["key"] for claim in found] == ["convoy-7"]  # in the full-text index
    seeded.ok("audit", "verify")
