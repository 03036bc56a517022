"""Rules that once had no test: changing any of them left the whole suite green (issue 16,
item 12). Each test here fails when its rule is broken. (Neutralising a leading ``+`` in
CSV is held by ``test_csv_neutralises_formulas_and_quotes_cr_in_every_column[plus]``;
pseudonymising a protected relay or publisher by ``test_redaction.py``.)"""

import json

import pytest

from tests.conftest import write_json


def test_a_false_claim_ranks_above_an_unverified_one(cli, tmp_path):
    """Both are single-source and low-reliability; only the verdict differs. The unverified
    claim's key sorts first, so equal severity would put it first."""
    document = {
        "claims": [
            {"key": "a-unverified", "text": "A.", "attributions": [{"source": "s"}]},
            {"key": "b-false", "text": "B.", "status": "false", "attributions": [{"source": "s"}]},
        ]
    }
    cli.ok("import", str(write_json(tmp_path / "f.json", document)))
    assert [r["claim"] for r in cli.json("flag")] == ["b-false", "a-unverified"]


def rewrite_event(url: str, seq: int, **changes: str) -> None:
    """Change an event's fields and give it a hash that matches its new content."""
    from sqlalchemy import select, text

    from provenance.db import make_engine
    from provenance.models import Event
    from provenance.services.audit import event_hash

    engine = make_engine(url)
    with engine.begin() as connection:
        row = connection.execute(select(Event).where(Event.seq == seq)).one()
        fields = {
            "seq": row.seq,
            "at": row.at,
            "analyst": row.analyst,
            "action": row.action,
            "target": row.target,
            "payload": row.payload,
            "prev_hash": row.prev_hash,
            **changes,
        }
        connection.execute(
            text("UPDATE events SET prev_hash = :p, hash = :h WHERE seq = :s"),
            {"p": fields["prev_hash"], "h": event_hash(**fields), "s": seq},  # type: ignore[arg-type]
        )
    engine.dispose()


def test_verify_checks_that_each_event_follows_the_one_before(cli, db_url):
    """An event whose own hash is right but whose prev_hash points elsewhere is caught only
    by the prev_hash check."""
    for name in ("a", "b", "c", "d"):
        cli.ok("source", "add", name)
    last = json.loads(cli.ok("log", "-f", "json", "--limit", "0").stdout)[-1]
    rewrite_event(db_url, last["seq"], prev_hash="f" * 64)
    run = cli("audit", "verify")
    assert run.exit_code == 1
    assert f"broken at event {last['seq']}: it does not follow event" in run.stderr


def test_relays_never_vote_in_source_score(cli, tmp_path):
    """Per item, two independent sources say open and a liar says closed, which four outlets of
    different affiliations relay. If relays voted, the lie would win every item."""
    sources = [
        {"key": "honest-a", "affiliation": "fa"},
        {"key": "honest-b", "affiliation": "fb"},
        {"key": "liar", "affiliation": "fl"},
    ] + [{"key": f"relay-{i}", "affiliation": f"fr{i}"} for i in range(4)]
    claims = []
    for item in range(12):
        subject = f"item-{item:02d}"
        for source, value, via in (
            ("honest-a", "open", []),
            ("honest-b", "open", []),
            ("liar", "closed", [f"relay-{i}" for i in range(4)]),
        ):
            claims.append(
                {
                    "key": f"{subject}-{source}",
                    "text": f"{subject} is {value}.",
                    "subject": subject,
                    "property": "state",
                    "value": value,
                    "attributions": [{"source": source, "via": via}],
                }
            )
    cli.ok("import", str(write_json(tmp_path / "w.json", {"sources": sources, "claims": claims})))
    trust = {r["source"]: r for r in cli.json("source", "score")}
    best: dict[str, dict] = {}
    for claim in cli.json("claim", "list", "--limit", "0"):
        if (
            claim["subject"] not in best
            or claim["plausibility"] > best[claim["subject"]]["plausibility"]
        ):
            best[claim["subject"]] = claim
    assert {claim["value"] for claim in best.values()} == {"open"}
    assert trust["honest-a"]["trust"] > trust["liar"]["trust"]


def two_sources(cli, tmp_path, a_value, b_value):
    claims = [
        {
            "key": f"{source}-says",
            "text": f"{source} gives {value}.",
            "subject": "town",
            "property": "state" if isinstance(value, str) else "count",
            "value": value,
            "attributions": [{"source": source}],
        }
        for source, value in (("a", a_value), ("b", b_value))
    ]
    cli.ok("import", str(write_json(tmp_path / "two.json", {"claims": claims})))
    return cli.json("compare", "--sources", "a", "b")


def test_compare_sources_finds_a_categorical_conflict(cli, tmp_path):
    result = two_sources(cli, tmp_path, "open", "closed")
    assert (result["conflict"], result["agree"]) == (1, 0)
    assert result["items"][0]["verdict"] == "conflict"


def test_compare_sources_finds_agreement_on_the_same_category(cli, tmp_path):
    result = two_sources(cli, tmp_path, "Open", "open")
    assert (result["conflict"], result["agree"]) == (0, 1)


def test_compare_sources_finds_a_conflict_when_a_gives_the_higher_figure(cli, tmp_path):
    result = two_sources(cli, tmp_path, 500, 100)
    assert (result["conflict"], result["agree"]) == (1, 0)


def test_compare_sources_finds_a_conflict_when_b_gives_the_higher_figure(cli, tmp_path):
    result = two_sources(cli, tmp_path, 100, 500)
    assert (result["conflict"], result["agree"]) == (1, 0)


@pytest.mark.parametrize("denier", ["a", "b"])
def test_compare_sources_counts_a_denied_claim_once_as_a_denial(cli, tmp_path, denier):
    """A claim one side asserts and the other denies was counted twice: as the denial and
    as a claim key only the asserting side speaks to."""
    asserter = "b" if denier == "a" else "a"
    claims = [
        {
            "key": "killed",
            "text": "282 killed.",
            "subject": "town",
            "property": "killed",
            "value": 282,
            "attributions": [{"source": asserter}, {"source": denier, "stance": "denies"}],
        },
        {
            "key": "wounded",
            "text": "40 wounded.",
            "subject": "town",
            "property": "wounded",
            "value": 40,
            "attributions": [{"source": asserter}],
        },
    ]
    cli.ok("import", str(write_json(tmp_path / "d.json", {"claims": claims})))
    result = cli.json("compare", "--sources", "a", "b")
    counts = {k: result[k] for k in ("only_a", "only_b", "a_denies", "b_denies")}
    expected = {f"only_{asserter}": 1, f"only_{denier}": 0, f"{denier}_denies": 1}
    expected[f"{asserter}_denies"] = 0
    assert counts == expected
    assert sorted(i["verdict"] for i in result["items"]) == sorted(
        [f"{denier}_denies", f"only_{asserter}"]
    )
    assert [i["property"] for i in result["items"] if i["verdict"].startswith("only")] == [
        "wounded"
    ]
