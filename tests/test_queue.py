"""The stored work queue: `flag --limit N` reads a stored ranking, and shows exactly what
`flag` computes, after every kind of write, whatever the settings, and when it cannot
store."""

import json

import pytest
from sqlalchemy import text

from provenance.analysis.queue import RULES
from provenance.db import WRITER_LOCK, make_engine


def page(cli, limit, *options):
    return cli.json("flag", "--limit", str(limit), *options)


def whole(cli, *options):
    """The whole queue, ranked on the spot (no --limit: the stored ranking is not read)."""
    return cli.json("flag", *options)


def stored_state(cli):
    engine = make_engine(cli.url)
    try:
        with engine.connect() as connection:
            return connection.execute(
                text("SELECT through_seq, rules FROM flag_queue_state")
            ).first()
    finally:
        engine.dispose()


def last_event(cli):
    engine = make_engine(cli.url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT max(seq) FROM events")).scalar()
    finally:
        engine.dispose()


def execute(cli, statement):
    engine = make_engine(cli.url)
    try:
        with engine.begin() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


WRITES = [
    ("claim", "status", "nug-air-attacks-since-quake", "verified", "--note", "confirmed"),
    ("claim", "status", "mah-never-met-xi", "false", "--note", "they met"),
    (
        "claim",
        "add",
        "The quake was magnitude 6.1",
        "--source",
        "junta-media",
        "--subject",
        "march-28-earthquake",
        "--property",
        "magnitude",
        "--value",
        "6.1",
        "--key",
        "quake-6-1",
    ),
    ("source", "edit", "nug", "-r", "E"),
    ("source", "edit", "junta-media", "--affiliation", "myanmar-military"),
    ("claim", "link", "mah-never-met-xi", "observers-mah-may-meet-xi", "--relation", "contradicts"),
    ("claim", "attribute", "quake-magnitude", "--source", "nug"),
    ("claim", "attribute", "quake-magnitude", "--source", "junta-media", "--stance", "denies"),
    (
        "claim",
        "attribute",
        "quake-magnitude",
        "--source",
        "nug",
        "--edit",
        "--new-stance",
        "denies",
    ),
    ("claim", "unattribute", "quake-magnitude", "--source", "junta-media"),
    ("claim", "withdraw", "junta-ceasefire-extension", "--note", "captured twice"),
    # quake-magnitude (7.7) no longer conflicts with anything
    ("claim", "withdraw", "quake-6-1", "--note", "a draft's figure"),
    # restored, the 6.1 conflicts with the 7.7 again; withdrawn again, it does not
    ("claim", "restore", "quake-6-1", "--note", "withdrawn by mistake"),
    ("claim", "withdraw", "quake-6-1", "--note", "a draft's figure after all"),
    # 456 wounded captured as killed: it conflicts with the 276 killed; corrected back,
    # the 276 (in the property the claim left) conflicts with nothing again
    ("claim", "edit", "nug-civilians-wounded-since-quake", "--property", "civilians_killed"),
    ("claim", "edit", "nug-civilians-wounded-since-quake", "--property", "civilians_wounded"),
    ("source", "add", "new-outlet", "-r", "C"),
    ("entity", "edit", "china", "--name", "People's Republic of China"),
    # mah-moscow-visit-victory-day's two origins become one affiliation: not independent
    ("source", "copies", "--accept", "unnamed-outlet", "junta-media", "--note", "one desk"),
    ("source", "copies", "--reject", "nug", "observers", "--note", "checked"),
    # the fifth trip captured twice, from the junta's outlet: its second origin, merged
    (
        "claim",
        "add",
        "Min Aung Hlaing has been to Russia five times since the coup",
        "--source",
        "junta-media",
        "--key",
        "mah-five-trips-again",
        "--subject",
        "min-aung-hlaing",
        "--property",
        "trips_to_russia",
        "--value",
        "5",
        "--from",
        "2021-02-01",
        "--to",
        "2025-05-09",
    ),
    (
        "claim",
        "merge",
        "mah-fifth-russia-trip-since-coup",
        "mah-five-trips-again",
        "--note",
        "one claim captured twice",
    ),
    ("source", "merge", "observers", "unnamed-reports", "--note", "one voice"),
    # a second Lashio whose claim, moved to lashio, conflicts with junta-retook-lashio-april
    (
        "claim",
        "add",
        "The MNDAA held Lashio in April 2025",
        "--source",
        "nug",
        "--key",
        "lashio-mndaa",
        "--subject",
        "lashio-town",
        "--new-entity",
        "--property",
        "controlled_by",
        "--value",
        "mndaa",
        "--category",
        "--from",
        "2025-04-01",
        "--to",
        "2025-04-30",
        "--place",
        "Northern Shan State",
    ),
    ("entity", "merge", "lashio", "lashio-town", "--note", "the same town"),
    # two independent origins, then one: zelenskyy joins unnamed-outlet's affiliation
    ("claim", "attribute", "argentina-arrest-warrant", "--source", "zelenskyy"),
    ("source", "edit", "zelenskyy", "--affiliation", "myanmar-military"),
]


@pytest.mark.parametrize("listed_max", [20_000, 0])
def test_a_page_is_the_head_of_the_queue_after_every_kind_of_write(seeded, monkeypatch, listed_max):
    """A ranking stored before a write is never read after it: each page equals the queue
    ranked on the spot (a stale ranking would still show the claim before the write).
    The catch-up names the changed claims as a list of ids, or (above ``LISTED_MAX``) by
    a subquery: both rank the same claims again."""
    from provenance.analysis import queue

    monkeypatch.setattr(queue, "LISTED_MAX", listed_max)
    assert page(seeded, 5) == whole(seeded)[:5]
    for write in WRITES:
        seeded.ok(*write)
        queue = whole(seeded)
        assert page(seeded, 5) == queue[:5], write
        assert page(seeded, 1000) == queue, write
        assert stored_state(seeded).through_seq == last_event(seeded)


def test_the_queue_order_is_severity_then_key(seeded):
    queue = page(seeded, 1000)
    from provenance.analysis.flags import WEIGHTS

    ranks = [(-sum(WEIGHTS[r] for r in q["reasons"]), q["claim"]) for q in queue]
    assert ranks == sorted(ranks)
    assert queue == whole(seeded)


def test_other_settings_rank_again(seeded):
    for source, value in (("nug", "100"), ("junta-media", "130")):
        seeded.ok(
            "claim", "add", f"{value} strikes", "--source", source,
            "--subject", "myanmar-military", "--property", "strikes", "--value", value,
        )  # fmt: skip
    assert whole(seeded, "--tolerance", "60") != whole(seeded)  # 30 % apart: a conflict at 5 %
    assert page(seeded, 50) == whole(seeded)
    assert page(seeded, 50, "--tolerance", "60") == whole(seeded, "--tolerance", "60")
    assert page(seeded, 50, "--min-sources", "1") == whole(seeded, "--min-sources", "1")
    assert page(seeded, 50) == whole(seeded)


def test_a_current_stored_ranking_is_what_a_page_reads(seeded):
    """The page comes from the stored ranking (not ranked again) while nothing changed:
    a claim moved to the top there is shown first; a ranking made by other rules, or
    before the last event, is not read."""
    queue = whole(seeded)
    page(seeded, 5)
    last = queue[-1]["claim"]
    execute(seeded, f"UPDATE flag_queue SET rank = -100000 WHERE key = '{last}'")
    assert page(seeded, 1)[0]["claim"] == last
    execute(seeded, f"UPDATE flag_queue_state SET rules = {RULES - 1}")
    assert page(seeded, 5) == queue[:5]
    assert stored_state(seeded).rules == RULES
    execute(seeded, f"UPDATE flag_queue SET rank = -100000 WHERE key = '{last}'")
    seeded.ok("source", "score")
    assert page(seeded, 5) == whole(seeded)[:5]  # a write of this kind ranks all again


def test_a_page_while_another_writer_holds_the_lock_is_ranked_without_storing(seeded, backend):
    """The page does not wait for an import: it ranks on the spot, right, and stores
    nothing."""
    page(seeded, 5)
    seeded.ok("claim", "status", "quake-magnitude", "disputed", "--note", "one outlet")
    expected = whole(seeded)
    stale = stored_state(seeded).through_seq
    engine = make_engine(seeded.url).execution_options(sqlite_begin="IMMEDIATE")
    try:
        with engine.connect() as holder, holder.begin():  # a writer's transaction
            if backend == "postgresql":
                holder.execute(text(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})"))
            assert page(seeded, 1000) == expected
            assert stored_state(seeded).through_seq == stale
    finally:
        engine.dispose()
    assert page(seeded, 1000) == expected
    assert stored_state(seeded).through_seq == last_event(seeded)


@pytest.mark.parametrize("reason", ["contradicted", "single-source", "unverified"])
def test_a_page_of_one_reason_is_that_reasons_queue(seeded, reason):
    assert page(seeded, 100, "--reason", reason) == whole(seeded, "--reason", reason)


def _other_cli(url):
    from tests.conftest import Cli

    return Cli(url)


def test_a_read_only_server_gets_its_page_ranked_on_the_spot(seeded, backend):
    """A hot standby (or a read-only session) cannot store the ranking: the page is
    ranked without it, as on a read-only file (it was a traceback)."""
    if backend != "postgresql":
        pytest.skip(
            "read-only sessions are a PostgreSQL setting; SQLite's read-only file "
            "is the writer-busy path above"
        )
    seeded.ok("claim", "status", "quake-magnitude", "disputed", "--note", "one outlet")
    expected = whole(seeded)
    reader = _other_cli(seeded.url + "&options=-cdefault_transaction_read_only%3Don")
    assert page(reader, 5) == expected[:5]
    assert stored_state(seeded) is None or stored_state(seeded).through_seq != last_event(seeded)


def test_a_role_that_may_not_read_the_stored_ranking_gets_its_page_ranked(seeded, backend):
    """A role granted SELECT on the tables before migration 0008 made the ranking's: its
    page is ranked on the spot (it was a 'permission denied' traceback)."""
    if backend != "postgresql":
        pytest.skip("roles and grants are PostgreSQL's")
    import uuid

    from sqlalchemy.engine import make_url

    schema = dict(make_url(seeded.url).query)["options"].split("=", 1)[1]
    role = f"r_{uuid.uuid4().hex[:10]}"
    execute(seeded, f"CREATE ROLE {role} LOGIN")
    try:
        execute(seeded, f"GRANT USAGE ON SCHEMA {schema} TO {role}")
        execute(seeded, f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}")
        execute(seeded, f"REVOKE ALL ON flag_queue, flag_queue_state FROM {role}")
        as_role = make_url(seeded.url).set(username=role).render_as_string(hide_password=False)
        assert page(_other_cli(as_role), 5) == whole(seeded)[:5]
    finally:
        execute(seeded, f"DROP OWNED BY {role}")
        execute(seeded, f"DROP ROLE {role}")


def test_a_ranking_stored_by_another_process_mid_page_is_not_read(seeded, monkeypatch):
    """The check that the stored ranking is current and the page read from it see one
    snapshot: another process that stores a ranking with other settings in between does
    not leak into this page (PostgreSQL took a new snapshot per statement)."""
    from provenance.analysis import queue
    from provenance.analysis.facts import Settings
    from provenance.db import open_database

    expected = whole(seeded)
    database = open_database(seeded.url)
    default, other = Settings(), Settings(min_sources=1)
    assert queue.keep_current(database, default)
    checked = queue.is_current

    def and_meanwhile(reader, settings):
        current = checked(reader, settings)
        elsewhere = open_database(seeded.url)
        try:
            with elsewhere.deriving() as connection:
                queue.rebuild(connection, other)
        finally:
            elsewhere.close()
        return current

    monkeypatch.setattr(queue, "is_current", and_meanwhile)
    try:
        with database.querying() as reader:
            shown = list(queue.flagged(reader, default, limit=1000, stored=True))
    finally:
        database.close()
    assert shown == expected


def test_after_verdicts_new_claims_and_source_edits_only_those_claims_are_ranked_again(
    seeded,
):
    """A verdict changes its claim's reasons alone, a new claim those of its subject and
    property, a source's edit those of its claims: the stored ranking catches up on those
    claims. A row of another claim is left as stored (here: tampered, to see it), until a
    write of another kind (a scoring run) ranks everything again."""
    queue = whole(seeded)
    page(seeded, 5)
    untouched = next(q["claim"] for q in reversed(queue) if "nug" not in q["origins"])
    execute(seeded, f"UPDATE flag_queue SET rank = -100000 WHERE key = '{untouched}'")
    seeded.ok("claim", "status", "quake-magnitude", "disputed", "--note", "one outlet")
    seeded.ok(
        "claim", "add", "The quake was magnitude 6.1", "--source", "junta-media",
        "--subject", "march-28-earthquake", "--property", "magnitude", "--value", "6.1",
    )  # fmt: skip
    seeded.ok("source", "edit", "nug", "-r", "E")  # low reliability for every nug claim
    caught_up = page(seeded, 1000)
    assert caught_up[0]["claim"] == untouched  # not ranked again
    assert caught_up[1:] == [q for q in whole(seeded) if q["claim"] != untouched]
    assert stored_state(seeded).through_seq == last_event(seeded)
    seeded.ok("source", "score")
    assert page(seeded, 1000) == whole(seeded)  # a write of another kind ranks all again


def test_claim_list_by_reason_is_the_queue_of_that_reason(seeded):
    """`claim list --flag CODE` reads the stored ranking too: the same claims as `flag
    --reason CODE` ranks on the spot, after writes; a tampered ranking shows while it is
    current, and is gone after a write that ranks all again."""
    from provenance.analysis.flags import WEIGHTS

    def listed(code):
        return {c["key"] for c in seeded.json("claim", "list", "--flag", code, "--limit", "0")}

    def ranked(code):
        return {q["claim"] for q in whole(seeded, "--reason", code)}

    for code in ("contradicted", "single-source", "unverified"):
        assert listed(code) == ranked(code)
    seeded.ok("claim", "status", "quake-magnitude", "verified", "--note", "USGS")
    assert listed("unverified") == ranked("unverified")
    unflagged = next(q["claim"] for q in whole(seeded) if "contradicted" not in q["reasons"])
    execute(
        seeded, f"UPDATE flag_queue SET rank = -{WEIGHTS['contradicted']} WHERE key = '{unflagged}'"
    )
    assert unflagged in listed("contradicted")  # read from the stored ranking
    seeded.ok("source", "score")
    assert listed("contradicted") == ranked("contradicted")


@pytest.mark.parametrize("small", [True, False])
def test_after_a_small_import_only_what_it_changed_is_ranked_again(
    seeded, tmp_path, monkeypatch, small
):
    """An import's field-level changes name what it changed: a new claim that conflicts
    with a stored one, a contradicts link between two stored claims, a source graded
    down. Those claims are ranked again; a claim none of it touches keeps its stored row
    (tampered here, to see it). After a larger import everything is ranked again."""
    from provenance.analysis import queue

    if not small:
        monkeypatch.setattr(queue, "CATCH_UP_BYTES", 100)
    queue = whole(seeded)
    page(seeded, 5)
    untouched = "kyiv-drone-strikes-moscow"
    assert untouched in {q["claim"] for q in queue}
    execute(seeded, f"UPDATE flag_queue SET rank = -100000 WHERE key = '{untouched}'")
    records = [
        {"type": "source", "key": "zelenskyy", "name": "Volodymyr Zelenskyy", "reliability": "E"},
        {
            "type": "claim",
            "key": "quake-6-1",
            "text": "The quake was magnitude 6.1",
            "subject": "march-28-earthquake",
            "property": "magnitude",
            "value": 6.1,
            "attributions": [{"source": "junta-media"}],
        },
        {
            "type": "link",
            "from": "mah-never-met-xi",
            "to": "mah-first-china-visit-oct-2024",
            "relation": "contradicts",
        },
    ]
    path = tmp_path / "small.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    seeded.ok("import", str(path))
    caught_up = page(seeded, 1000)
    if small:
        assert caught_up[0]["claim"] == untouched  # not ranked again
        assert caught_up[1:] == [q for q in whole(seeded) if q["claim"] != untouched]
    else:
        assert caught_up == whole(seeded)
    assert stored_state(seeded).through_seq == last_event(seeded)


def test_a_decision_on_suspected_copies_ranks_their_claims_again(seeded):
    """junta-media and unnamed-outlet both assert mah-moscow-visit-victory-day: as a
    suspected pair, the claim is an echo; rejected, it is not (the decision names the
    pair, and their claims are ranked again)."""
    seeded.ok("source", "score")
    pair = (
        "(SELECT min(id) FROM sources WHERE key IN ('junta-media', 'unnamed-outlet')), "
        "(SELECT max(id) FROM sources WHERE key IN ('junta-media', 'unnamed-outlet'))"
    )
    execute(
        seeded,
        "DELETE FROM source_dependence WHERE source_a_id IN (SELECT id FROM sources "
        "WHERE key IN ('junta-media', 'unnamed-outlet')) AND source_b_id IN (SELECT id "
        "FROM sources WHERE key IN ('junta-media', 'unnamed-outlet'))",
    )
    execute(
        seeded,
        "INSERT INTO source_dependence (run_id, source_a_id, source_b_id, probability, "
        "a_copies_b, b_copies_a, direction, shared_keys, shared_values, shared_false) "
        f"SELECT max(id), {pair}, 0.9, 0.5, 0.4, 0, 3, 3, 0 FROM scoring_runs",
    )
    echoes = {q["claim"] for q in page(seeded, 1000) if "echo" in q["reasons"]}
    assert "mah-moscow-visit-victory-day" in echoes
    seeded.ok("source", "copies", "--reject", "junta-media", "unnamed-outlet", "--note", "no")
    after = page(seeded, 1000)
    assert after == whole(seeded)
    assert not any("echo" in q["reasons"] for q in after if q["claim"] in echoes)


def test_a_link_then_a_rename_of_its_first_claim_leaves_no_end_behind(seeded):
    """Both ends of a link are ranked again even when the claim the link's event names is
    renamed before the next page (the other end is then reachable by neither key)."""
    page(seeded, 5)
    seeded.ok("claim", "link", "mah-never-met-xi", "quake-magnitude", "--relation", "contradicts")
    seeded.ok("claim", "edit", "mah-never-met-xi", "--key", "mah-renamed")
    queue = page(seeded, 1000)
    assert queue == whole(seeded)
    assert "contradicted" in next(q for q in queue if q["claim"] == "quake-magnitude")["reasons"]


def test_a_ranking_stored_by_other_rules_is_ranked_again(seeded):
    """A ranking stored by an earlier program (other rules) is never read: here one that
    missed a claim, as version 1 could after a link and a rename."""
    page(seeded, 5)
    execute(seeded, f"UPDATE flag_queue_state SET rules = {RULES - 1}")
    execute(seeded, "DELETE FROM flag_queue WHERE key = 'quake-magnitude'")
    assert page(seeded, 1000) == whole(seeded)


def test_a_source_edit_the_rules_do_not_read_ranks_nothing_again(seeded):
    """A source's notes are not read by any rule: its claims keep their stored rows (one
    tampered here, to see it). Its grade is: they are ranked again."""
    queue = whole(seeded)
    page(seeded, 5)
    of_nug = next(q["claim"] for q in queue if "nug" in q["origins"])
    execute(seeded, f"UPDATE flag_queue SET rank = -100000 WHERE key = '{of_nug}'")
    seeded.ok("source", "edit", "nug", "--notes", "a note no rule reads")
    assert page(seeded, 1000)[0]["claim"] == of_nug  # not ranked again
    seeded.ok("source", "edit", "nug", "-r", "E")
    assert page(seeded, 1000) == whole(seeded)


def test_flag_takes_the_claim_lists_period_filters(cli):
    """DESIGN §3: `flag` takes the `claim list` filters; a contract audit found --since and
    --until missing."""
    cli.ok("source", "add", "nug")
    cli.ok("claim", "add", "March toll", "--source", "nug", "--key", "march",
           "--from", "2025-03-01", "--to", "2025-03-31")  # fmt: skip
    cli.ok("claim", "add", "May toll", "--source", "nug", "--key", "may",
           "--from", "2025-05-01", "--to", "2025-05-31")  # fmt: skip
    assert {r["claim"] for r in cli.json("flag")} == {"march", "may"}
    assert {r["claim"] for r in cli.json("flag", "--since", "2025-04-01")} == {"may"}
    assert {r["claim"] for r in cli.json("flag", "--until", "2025-04-01")} == {"march"}
    assert cli.json("flag", "--since", "2025-04-01") == [
        r for r in cli.json("flag") if r["claim"] == "may"
    ]


@pytest.mark.parametrize("command", [("claim", "list"), ("flag",), ("export",)])
def test_a_period_that_ends_before_it_starts_is_a_usage_error(cli, command):
    """Found by the second attack: it ran, and matched nothing, without a word."""
    run = cli(*command, "--since", "2025-03-01", "--until", "2025-01-01")
    assert run.exit_code == 2 and "is after --until" in run.stderr
