"""Tables at any width: every table command rendered at 60, 80, 100 and 160 columns shows
every key and every reason code whole, no line is wider than the screen, columns left out
are named on stderr, and below the stacking threshold each record is a block."""

from __future__ import annotations

import re

import pytest

from provenance.cli import app

WIDTHS = (60, 80, 100, 160)
REASON_CODES = (
    "contradicted",
    "conflict",
    "circular",
    "single-source",
    "low-reliability",
    "disputed",
    "false",
    "unverified",
)


def at(cli, width, *args, env=None):
    """`provenance …` piped, with COLUMNS=width (or no COLUMNS at all when width is None)."""
    result = cli.runner.invoke(
        app,
        ["--db", cli.url, "--analyst", "tester", *args],
        env={"COLUMNS": None if width is None else str(width), **(env or {})},
    )
    assert result.exit_code == 0, result.stderr
    return result


def whole(word, text):
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


@pytest.fixture
def busy(seeded):
    """The seed set plus a conflict, a denial, a verdict and a link: every reason code
    that the seed can carry, and long keys."""
    seeded.ok(
        "claim",
        "add",
        "The junta carried out 250 air attacks between the quake and 10 May.",
        "--source",
        "nug",
        "--via",
        "unnamed-outlet",
        "--subject",
        "junta",
        "--property",
        "air_attacks",
        "--value",
        "250",
        "--unit",
        "attacks",
        "--from",
        "2025-03-28",
        "--to",
        "2025-05-10",
        "--place",
        "Myanmar except Yangon and Naypyitaw",
        "--key",
        "nug-air-attacks-may-10-revised-count-with-a-very-long-key",
    )
    seeded.ok(
        "claim", "attribute", "nug-air-attacks-since-quake", "--source", "junta-media",
        "--stance", "denies",
    )  # fmt: skip
    seeded.ok(
        "claim", "status", "mah-never-met-xi", "disputed", "--note", "photo from 2019",
    )  # fmt: skip
    seeded.ok("claim", "status", "kyiv-drone-strikes-moscow", "false", "--note", "no such strikes")
    return seeded


def _claim_keys(cli, *args):
    return [r["key"] for r in cli.json("claim", "list", "--limit", "0", *args)]


def table_commands(cli):
    """(command, keys that must appear whole, reason codes that must appear whole)."""
    claims = cli.json("claim", "list", "--limit", "0")
    flagged = cli.json("flag")
    sources = cli.json("source", "list")
    entities = cli.json("entity", "list")
    documents = cli.json("doc", "list")
    events = cli.json("log")
    groups = cli.json("compare", "--subject", "junta")
    series = cli.json("timeline", "--subject", "junta")
    pair = [
        "nug-air-attacks-since-quake",
        "nug-air-attacks-may-10-revised-count-with-a-very-long-key",
    ]
    return [
        (
            ["claim", "list", "--limit", "0"],
            [c["key"] for c in claims],
            sorted({f for c in claims for f in c["flags"]}),
        ),
        (
            ["flag"],
            [f["claim"] for f in flagged] + [k for f in flagged for k in f["conflicts_with"]],
            sorted({r for f in flagged for r in f["reasons"]}),
        ),
        (["source", "list"], [s["key"] for s in sources], []),
        (["entity", "list"], [e["key"] for e in entities], []),
        (["doc", "list"], [d["key"] for d in documents], []),
        (["log"], [e["action"] for e in events] + [str(e["seq"]) for e in events], []),
        (
            ["compare", "--subject", "junta"],
            [c["claim"] for g in groups for c in g["claims"]],
            [],
        ),
        (["compare", "--sources", "nug", "junta-media"], ["junta-media", "nug"], []),
        (["compare", *pair], pair, []),
        (
            ["timeline", "--subject", "junta"],
            [p["claim"] for s in series for p in s["series"]],
            [],
        ),
        (["source", "score"], [s["source"] for s in cli.json("source", "score")], []),
    ]


def keys_among_words(cli):
    """(command, the column, keys it names among other words): whole where it is shown."""
    series = cli.json("timeline", "--subject", "junta")
    return [
        (
            ["timeline", "--subject", "junta"],
            "sources",
            [
                source
                for s in series
                for p in s["series"]
                for source in p["origins"] + p.get("denied_by", []) + p.get("reported_by", [])
            ],
        ),
        (
            ["claim", "list", "--limit", "0"],
            "sources (grade)",
            [
                a["source"]
                for c in cli.json("claim", "list", "--limit", "0")
                for a in c["attributions"]
            ],
        ),
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_keys_among_other_words_are_never_cut_where_their_column_is_shown(busy, width):
    shown = 0
    for args, column, keys in keys_among_words(busy):
        assert keys, args
        run = at(busy, width, *args)
        if "leaves out" in run.stderr and column in run.stderr:
            continue
        shown += 1
        for key in keys:
            assert whole(key, run.stdout), (args, width, key)
    assert shown or width < 160


@pytest.mark.parametrize("width", WIDTHS)
def test_every_table_command_shows_keys_and_reason_codes_whole(busy, width):
    for args, keys, codes in table_commands(busy):
        assert keys, args
        out = at(busy, width, *args).stdout
        too_wide = [line for line in out.splitlines() if len(line) > width]
        assert not too_wide, (args, width, too_wide[:3])
        for key in keys:
            assert whole(key, out), (args, width, key)
        for code in codes:
            assert code in REASON_CODES
            assert whole(code, out), (args, width, code)


def test_every_reason_code_appears_in_the_width_fixture(busy):
    """The width test covers every code: the fixture carries each one but circular."""
    seen = {r for f in busy.json("flag") for r in f["reasons"]}
    assert seen >= set(REASON_CODES) - {"circular"}


def test_columns_left_out_are_named_on_stderr_with_how_to_see_them(busy):
    narrow = at(busy, 100, "claim", "list", "--limit", "0")
    assert "leaves out" in narrow.stderr and "sources (grade)" in narrow.stderr
    assert "-f json" in narrow.stderr and "COLUMNS" in narrow.stderr
    wide = at(busy, 160, "claim", "list", "--limit", "0")
    assert "leaves out" not in wide.stderr and "sources (grade)" in wide.stdout


def test_below_the_threshold_each_record_is_a_block(busy):
    out = at(busy, 60, "claim", "list", "--limit", "0").stdout
    assert "┃" not in out and "│" not in out  # no table frame
    blocks = [b for b in out.split("\n\n") if b.strip()]
    assert len(blocks) >= len(_claim_keys(busy))
    first = blocks[1] if not blocks[0].lstrip().startswith("key") else blocks[0]
    assert "text" in first and "flags" in first


def test_piped_output_uses_columns_or_a_hundred(busy):
    unset = at(busy, None, "claim", "list", "--limit", "0").stdout
    assert max(len(line) for line in unset.splitlines()) == 100
    wide = at(busy, 140, "claim", "list", "--limit", "0").stdout
    assert 100 < max(len(line) for line in wide.splitlines()) <= 140


def test_demo_at_80_columns_stays_under_twice_its_length_at_160(cli, tmp_path):
    lines = {}
    for width in (80, 160):
        run = at(cli, width, "demo", "--path", str(tmp_path / f"demo-{width}.db"))
        lines[width] = run.stdout.count("\n")
        assert "nug-air-attacks-since-quake" in run.stdout
    assert lines[80] < 2 * lines[160], lines


def test_timeline_keeps_claims_apart_that_share_a_prefix(busy):
    out = at(busy, 80, "timeline", "--subject", "junta", "--property", "air_attacks").stdout
    assert "…" not in out
    assert whole("nug-air-attacks-since-quake", out)
    assert whole("nug-air-attacks-may-10-revised-count-with-a-very-long-key", out)


@pytest.mark.parametrize("width", [60, 80])
def test_extract_keeps_the_stance_at_any_width(cli, tmp_path, width):
    """A denial's claim is the thing denied ("Envoy Was Summoned"): without its stance,
    as an 80-column table left it out, it read as the source asserting it."""
    path = tmp_path / "a.txt"
    path.write_text("Prague Says Czech Envoy Was Not Summoned\nThe army said 40 died.\n")
    shown = at(cli, width, "extract", str(path), "-f", "table").stdout
    assert whole("denies", shown) and whole("asserts", shown)
