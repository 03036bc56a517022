"""After a bulk import, the planner knows the new rows: the tables that grew get fresh
statistics in the same transaction (PostgreSQL ANALYZE; SQLite sqlite_stat1)."""

import json

from sqlalchemy import text

from provenance.db import make_engine

CLAIMS = 400


def write_claims(path, count, status="unverified"):
    lines = [{"type": "source", "key": "nug", "name": "NUG", "reliability": "C"}]
    lines += [
        {
            "type": "claim",
            "text": f"Claim number {n} about air attacks",
            "status": status,
            "attributions": [{"source": "nug", "via": ["rfa"]}],
            "tags": ["bulk"],
        }
        for n in range(count)
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def estimated_rows(connection, backend, query):
    """The planner's row estimate for ``query`` (PostgreSQL), or None on SQLite."""
    if backend != "postgresql":
        return None
    [[plan]] = connection.execute(text("EXPLAIN (FORMAT JSON) " + query)).all()
    return plan[0]["Plan"]["Plan Rows"]


def analysed_tables(connection, backend):
    if backend == "postgresql":
        rows = connection.execute(
            text("SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = current_schema()")
        )
    else:
        has_stats = connection.execute(
            text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        ).scalar()
        if not has_stats:
            return set()
        rows = connection.execute(text("SELECT DISTINCT tbl FROM sqlite_stat1"))
    return {row[0] for row in rows}


def test_an_import_leaves_statistics_the_planner_uses(cli, backend, tmp_path):
    engine = make_engine(cli.url)
    with engine.connect() as connection:
        assert not analysed_tables(connection, backend) & {"claims", "attributions"}
    cli.ok("import", str(write_claims(tmp_path / "claims.jsonl", CLAIMS)))
    with engine.connect() as connection:
        assert {"claims", "attributions", "relays", "claim_tags"} <= analysed_tables(
            connection, backend
        )
        # Every claim is unverified: with statistics the planner expects all of them
        # (without, PostgreSQL guesses a small share of the table for an equality).
        estimate = estimated_rows(
            connection, backend, "SELECT id FROM claims WHERE status = 'unverified'"
        )
        assert estimate is None or estimate >= CLAIMS * 0.9
        if backend == "sqlite":
            # sqlite_stat1 starts with the row count the planner reads for each index.
            stat = connection.execute(
                text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_claims__status'")
            ).scalar()
            assert stat is not None and int(stat.split()[0]) == CLAIMS
    engine.dispose()


def test_a_dry_run_leaves_no_statistics(cli, backend, tmp_path):
    cli.ok("import", "--dry-run", str(write_claims(tmp_path / "claims.jsonl", CLAIMS)))
    engine = make_engine(cli.url)
    with engine.connect() as connection:
        assert not analysed_tables(connection, backend) & {"claims", "attributions"}
    engine.dispose()


def test_postgres_sessions_plan_for_every_row_and_keep_the_urls_own_options(db_url, backend):
    """Results stream through server-side cursors, which PostgreSQL would plan for their
    first 10 % of rows (`flag` on 200,000 claims: over six minutes instead of 16 s)."""
    import pytest

    if backend != "postgresql":
        pytest.skip("PostgreSQL session settings")
    from sqlalchemy.engine import make_url

    url = make_url(db_url).update_query_dict({"options": "-c statement_timeout=12345"})
    engine = make_engine(url.render_as_string(hide_password=False))
    with engine.connect() as connection:
        assert connection.execute(text("SHOW cursor_tuple_fraction")).scalar() == "1"
        assert connection.execute(text("SHOW jit")).scalar() == "off"
        assert connection.execute(text("SHOW statement_timeout")).scalar() == "12345ms"
    engine.dispose()
