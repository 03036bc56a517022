"""The library without the command line: what a Python user calls."""

import pytest

from provenance.analysis.records import source_page
from provenance.errors import NotFound, ProvenanceError
from provenance.schemas import AttributionIn, ClaimIn, DocumentIn, EntityIn, LinkIn, SourceIn
from provenance.services import audit, catalog, claims
from provenance.vocab import Status


@pytest.fixture
def library(session):
    catalog.add_source(
        session, SourceIn(key="nug", reliability="C", aliases=["NUG"]), analyst="lib"
    )
    catalog.add_source(session, SourceIn(key="outlet", reliability="B"), analyst="lib")
    catalog.add_entity(session, EntityIn(key="army", aliases=["junta"]), analyst="lib")
    catalog.add_document(session, DocumentIn(key="art", publisher="outlet"), analyst="lib")
    return session


def claim(text, **fields):
    return ClaimIn.model_validate({"text": text, "attributions": [{"source": "nug"}], **fields})


def test_a_claims_life_through_the_services(library):
    key = claims.add(
        library,
        claim("282 air attacks", subject="junta", property="air_attacks", value=282, key="air"),
        analyst="lib",
    )
    claims.attribute(library, "air", AttributionIn(source="outlet", document="art"), analyst="lib")
    claims.set_status(library, "air", Status.VERIFIED, note="seen the list", analyst="lib")
    other = claims.add(library, claim("Ceasefire holds", key="cf"), analyst="lib")
    claims.link(
        library,
        LinkIn.model_validate({"from": "air", "to": "cf", "relation": "contradicts"}),
        analyst="lib",
    )
    shown = claims.show(library, key)
    assert shown["subject"] == "army" and shown["status"] == "verified"
    assert shown["origins"] == ["nug", "outlet"] and shown["independent_sources"] == 2
    assert shown["flags"] == ["contradicted"]
    assert [link["to"] for link in shown["links"]] == [other]
    assert [e["action"] for e in shown["history"]] == [
        "claim.add",
        "claim.attribute",
        "claim.status",
        "claim.link",
    ]
    report = audit.verify(library)
    # 4 catalog writes + 2 claim adds, an attribution, a verdict and a link
    assert report.events == 9 and report.head == audit.head(library)["hash"]


def test_services_refuse_what_the_command_line_refuses(library):
    with pytest.raises(NotFound, match="did you mean 'nug'"):
        claims.add(
            library,
            ClaimIn.model_validate({"text": "x", "attributions": [{"source": "nugg"}]}),
            analyst="lib",
        )
    claims.add(library, claim("once", key="once"), analyst="lib")
    with pytest.raises(ProvenanceError, match="already exists"):
        claims.add(library, claim("once", key="once"), analyst="lib")
    with pytest.raises(ProvenanceError, match="note"):
        claims.set_status(library, "once", Status.FALSE, note=" ", analyst="lib")


def test_listing_and_filters_through_the_services(library):
    for n in range(3):
        claims.add(
            library, claim(f"claim {n}", key=f"c{n}", tags=["t"] if n else []), analyst="lib"
        )
    page, more = claims.list_claims(library, claims.ClaimFilter(tags=["t"]), limit=1)
    assert [r["key"] for r in page] == ["c1"] and more is True
    assert [s["key"] for s in catalog.list_sources(library).rows] == ["nug", "outlet"]
    assert source_page(library, "NUG")["claims_as_origin"] == 3


def test_the_bulk_writer_raises_what_sqlalchemy_would(session):
    """Rows go to the driver directly (`executemany`, `COPY`); its refusal comes back as
    SQLAlchemy's exception, which the import's one-at-a-time fallback and the command
    line's one-line errors catch (the driver's own was a traceback)."""
    import pytest
    from sqlalchemy.exc import IntegrityError

    from provenance.clock import utcnow
    from provenance.read import tables as t
    from provenance.services.inserts import write_rows

    columns = ("id", "key", "name", "reliability", "protected", "created_at", "updated_at")
    row = [1, "nug", "NUG", "F", False, utcnow(), utcnow()]
    with pytest.raises(IntegrityError):
        write_rows(session, t.sources, columns, [row, [2, *row[1:]]])


def test_the_bulk_writer_stores_what_sqlalchemy_would(session):
    """``write_rows`` shortcuts some bind processors (a JSON number written as its repr,
    a batch's equal dates, times and words converted once); every stored cell must be
    what SQLAlchemy's own insert stores for the same values, read back as raw text."""
    import datetime as dt

    from sqlalchemy import String, cast, select

    from provenance.read import tables as t
    from provenance.services.inserts import CLAIM_COLUMNS, write_rows
    from provenance.vocab import Status

    values = [0, -5, 2**62, 1.5, 1e16, 1e-7, -0.0, 1e300, {"min": 1, "max": 2.5}, "army", None]
    when = dt.datetime(2025, 3, 1, 10, 0, 0)
    rows = []
    for i, value in enumerate(values * 2):  # twice: the memo must give equal values alike
        j = i % len(values)
        row = dict.fromkeys(CLAIM_COLUMNS)
        row.update(
            id=i + 1,
            key=f"c{i}",
            text="t",
            value=value,
            period_start=dt.date(2025, 3, 1 + j % 2),
            status=list(Status)[j % 3],
            created_at=when,
            updated_at=when + dt.timedelta(seconds=j % 2),
        )
        rows.append(row)
    half = len(values)
    write_rows(session, t.claims, CLAIM_COLUMNS, [list(r.values()) for r in rows[:half]])
    session.execute(t.claims.insert(), rows[half:])
    c = t.claims.c
    raw = [c.value, c.period_start, c.status, c.created_at, c.updated_at]
    stored = session.execute(select(*(cast(column, String) for column in raw)).order_by(c.id)).all()
    assert stored[:half] == stored[half:]
    assert stored[0][0] == "0" and stored[3][0] == "1.5"
