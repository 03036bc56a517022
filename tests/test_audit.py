"""The audit trail: every write appends a hash-chained event; verification finds tampering."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from provenance import db


def writes(cli):
    cli.ok("source", "add", "nug")
    cli.ok("entity", "add", "junta")
    cli.ok("doc", "add", "art")
    cli.ok("claim", "add", "A", "--source", "nug", "--key", "a")
    cli.ok("claim", "add", "B", "--source", "nug", "--key", "b")
    cli.ok("claim", "attribute", "a", "--source", "nug", "--stance", "reports")
    cli.ok("claim", "status", "a", "verified", "--note", "seen")
    cli.ok("claim", "link", "a", "b", "--relation", "supports")
    cli.ok("source", "edit", "nug", "-r", "B")


def test_every_write_appends_one_event(cli):
    writes(cli)
    actions = [e["action"] for e in reversed(cli.json("log"))]
    assert actions == [
        "source.add",
        "entity.add",
        "document.add",
        "claim.add",
        "claim.add",
        "claim.attribute",
        "claim.status",
        "claim.link",
        "source.edit",
    ]
    events = list(reversed(cli.json("log")))
    assert all(e["analyst"] == "tester" for e in events)
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(events))


def test_failed_write_appends_nothing(cli):
    cli.ok("source", "add", "nug")
    cli("claim", "add", "A", "--source", "nope")
    assert len(cli.json("log")) == 1


def test_log_for_one_claim(cli):
    writes(cli)
    assert [e["action"] for e in cli.json("log", "a")] == [
        "claim.link",
        "claim.status",
        "claim.attribute",
        "claim.add",
    ]


def test_verify_passes_on_an_untouched_chain(cli):
    writes(cli)
    run = cli.ok("audit", "verify")
    assert "intact: 9 events" in run.stderr


def tamper(url, *statements):
    """Statements run behind provenance's back, in one transaction."""
    engine = db.make_engine(url)
    with engine.begin() as connection:
        for sql in statements:
            connection.execute(text(sql))
    engine.dispose()


@pytest.mark.parametrize(
    ("sql", "first_bad", "why"),
    [
        ('UPDATE events SET payload = \'{"key":"forged"}\' WHERE seq = 4', 4, "edited"),
        ("UPDATE events SET analyst = 'mallory' WHERE seq = 2", 2, "edited"),
        ("DELETE FROM events WHERE seq = 3", 4, "deleted"),
        ("UPDATE events SET seq = seq + 100 WHERE seq = 5", 6, "deleted"),
    ],
)
def test_verify_names_the_first_bad_event(cli, db_url, sql, first_bad, why):
    writes(cli)
    tamper(db_url, sql)
    run = cli("audit", "verify")
    assert run.exit_code == 1
    assert f"broken at event {first_bad}" in run.stderr
    assert why in run.stderr


def test_verify_detects_two_events_swapped(cli, db_url):
    writes(cli)
    tamper(db_url, "UPDATE events SET seq = 1000 WHERE seq = 2")
    tamper(db_url, "UPDATE events SET seq = 2 WHERE seq = 3")
    tamper(db_url, "UPDATE events SET seq = 3 WHERE seq = 1000")
    run = cli("audit", "verify")
    assert run.exit_code == 1 and "broken at event 2" in run.stderr


def test_anchor_is_checked(cli):
    writes(cli)
    anchor = cli.ok("audit", "anchor").stdout.strip()
    assert len(anchor) == 64
    cli.ok("source", "add", "later")
    assert "anchor found" in cli.ok("audit", "verify", "--anchor", anchor).stderr
    run = cli("audit", "verify", "--anchor", "f" * 64)
    assert run.exit_code == 1 and "not in the audit chain" in run.stderr


def test_an_events_hash_is_what_it_was_before_orjson_wrote_the_json():
    """Chains stored before canonical JSON came from orjson still verify: the hash of a
    fixed event (text with controls, a line separator and quotes) is the standard library's."""
    from provenance.services.audit import event_hash

    assert (
        event_hash(
            seq=7,
            at="2025-05-05T10:00:00.000000Z",
            analyst="ann ✓",
            action="claim.add",
            target='k\u2028"x',
            payload='{"a":"\\u0001é"}',
            prev_hash="0" * 64,
        )
        == "598af485c05550689120fe7f518b82950e6eb1bc7e458e30d731cd14ddc6ac30"
    )


_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.text(st.characters(exclude_categories=("Cs",)))
    # The standard library writes below 1e-4 in exponent form (1e-05), orjson does not;
    # both read back as the same number, and payloads are read, never compared as text.
    | st.floats(min_value=1e-4, max_value=1e15, allow_nan=False)
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(_values)
def test_canonical_json_is_the_standard_librarys_byte_for_byte(value):
    import json

    from provenance.services.audit import canonical

    expected = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert canonical(value) == expected


def test_what_orjson_refuses_is_written_by_the_standard_library():
    import datetime as dt

    from provenance.services.audit import canonical

    assert canonical({"b": 2**70}) == '{"b":1180591620717411303424}'
    assert canonical({2: "y", 1: "x"}) == '{"1":"x","2":"y"}'
    assert (
        canonical({"at": dt.date(2025, 5, 5), "s": "\ud800"}) == '{"at":"2025-05-05","s":"\ud800"}'
    )
    assert canonical({"t": dt.datetime(2025, 5, 5, 10, tzinfo=dt.UTC)}) == (
        '{"t":"2025-05-05 10:00:00+00:00"}'
    )


def test_reads_of_many_records_go_a_chunk_at_a_time_with_the_same_result(cli, monkeypatch):
    """An attacker merged a source of 70,000 claims on PostgreSQL: one statement bound a
    parameter per claim, past its 65,535, and `audit verify --deep` and both merges failed
    (250,000 on SQLite). Reads now go 5,000 keys at a time; here 3, on a few claims."""
    from provenance.services import history

    cli.ok("source", "add", "solo")
    cli.ok("source", "add", "solo2", "--alias", "S2")
    cli.ok("entity", "add", "ent-a")
    cli.ok("entity", "add", "ent-b")
    for i in range(10):
        cli.ok("claim", "add", f"Claim {i}", "--source", "solo2", "--via", "solo",
               "--subject", "ent-b", "--tag", f"t{i}", "--key", f"so-{i}")  # fmt: skip
    monkeypatch.setattr(history, "KEYS_PER_READ", 3)
    monkeypatch.setattr(history.chunks, "__defaults__", (3,))
    cli.ok("source", "merge", "solo", "solo2", "--note", "one party")
    cli.ok("entity", "merge", "ent-a", "ent-b", "--note", "one place")
    assert "every record matches its history" in cli.ok("audit", "verify", "--deep").stderr
    [event] = cli.json("log", "--limit", "1", "--action", "entity.merge")
    assert len([c for c in event["payload"]["changes"] if c["kind"] == "claim"]) == 10
    claims = cli.json("claim", "list", "--limit", "0")
    assert {c["attributions"][0]["source"] for c in claims} == {"solo"}
    assert all(c["attributions"][0]["via"] == [] for c in claims)  # the relay became the origin
    assert {c["subject"] for c in claims} == {"ent-a"}
