"""The rules of DESIGN.md §2 on hand-worked scenarios, each at its boundary.

Scenarios are imported as interchange documents; every expectation below was worked out by
hand from the rule, not read off the program."""

import json

import pytest

from tests.conftest import write_json

SOURCES = [
    {"key": "monitor", "reliability": "B"},
    {"key": "ngo", "reliability": "B"},
    {"key": "army-tv", "reliability": "D", "affiliation": "army"},
    {"key": "army-radio", "reliability": "D", "affiliation": "army"},
    {"key": "blogger", "reliability": "E"},
    {"key": "wire", "reliability": "A"},
]


def claim(
    key,
    value,
    *,
    subject="town-a",
    prop="dead",
    period=("2025-01-01", "2025-01-31"),
    place="Town A",
    sources=("monitor", "ngo"),
    stance="asserts",
    via=(),
    status=None,
    confidence=70,
):
    record = {
        "key": key,
        "text": f"claim {key}",
        "subject": subject,
        "property": prop,
        "value": value,
        "attributions": [
            {"source": s, "stance": stance, "via": list(via), "confidence": confidence}
            for s in sources
        ],
    }
    if period:
        record["period"] = {"start": period[0], "end": period[1]}
    if place:
        record["place"] = place
    if status:
        record["status"] = status
    return record


@pytest.fixture
def scenario(cli, tmp_path):
    def load(*claims, links=(), entities=()):
        document = {
            "sources": SOURCES,
            "entities": list(entities),
            "claims": list(claims),
            "links": list(links),
        }
        cli.ok("import", str(write_json(tmp_path / "scenario.json", document)))
        return cli

    return load


def flags_of(cli, key, *options):
    for record in cli.json("flag", *options):
        if record["claim"] == key:
            return record["reasons"]
    return []


def conflicted(cli, *options):
    return {
        r["claim"]: r["conflicts_with"] for r in cli.json("flag", "--reason", "conflict", *options)
    }


# ---- numeric conflicts and the tolerance --------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "tolerance", "conflict"),
    [
        (100, 110, "5", False),  # [95, 105] and [104.5, 115.5] touch
        (100, 111, "5", True),  # [95, 105] and [105.45, 116.55] do not
        (100, 122, "10", False),  # [90, 110] and [109.8, 134.2]
        (100, 123, "10", True),  # [90, 110] and [110.7, 135.3]
        (100, 100, "0", False),
        (100, 101, "0", True),
        (3, 40, "5", True),
    ],
)
def test_tolerance_edges(scenario, a, b, tolerance, conflict):
    cli = scenario(claim("a", a), claim("b", b))
    found = conflicted(cli, "--tolerance", tolerance)
    assert (found == {"a": ["b"], "b": ["a"]}) is conflict, found


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        ({"min": 31}, 276, False),
        ({"min": 31}, 20, True),  # at least 31 cannot be 20
        ({"min": 31}, 30, False),  # 30 is within 5 % of 31
        ({"max": 10}, 50, True),
        ({"max": 10}, {"min": 5}, False),
        ({"min": 200, "max": 250}, 240, False),
        ({"min": 200, "max": 250}, 300, True),
        ({"min": 200, "max": 250}, {"min": 270, "max": 300}, False),  # [190, 262.5] ∩ [256.5, 315]
        ({"min": 200, "max": 250}, {"min": 280, "max": 300}, True),  # [190, 262.5], [266, 315]
        ({"approx": 300}, 310, False),
        ({"approx": 300}, 340, True),
    ],
)
def test_open_ranges_and_approximations(scenario, a, b, conflict):
    cli = scenario(claim("a", a), claim("b", b))
    assert bool(conflicted(cli)) is conflict


def test_conflict_is_only_within_a_claim_key(scenario):
    cli = scenario(
        claim("a", 10),
        claim("other-place", 99, place="Town B"),
        claim("no-place", 99, place=None),
        claim("other-prop", 99, prop="wounded"),
        claim("other-subject", 99, subject="town-b"),
        claim("other-period", 99, period=("2025-02-01", "2025-02-28")),
    )
    assert conflicted(cli) == {}


def test_a_missing_place_matches_only_a_missing_place(scenario):
    cli = scenario(claim("a", 10, place=None), claim("b", 99, place=None), claim("c", 10))
    assert conflicted(cli) == {"a": ["b"], "b": ["a"]}


def test_place_matches_case_insensitively(scenario):
    cli = scenario(claim("a", 10, place="Town A"), claim("b", 99, place="town a"))
    assert set(conflicted(cli)) == {"a", "b"}


def test_aliases_of_one_entity_are_one_subject(scenario):
    army = {"key": "myanmar-army", "name": "Myanmar army", "aliases": ["the army", "NA"]}
    cli = scenario(
        claim("a", 10, subject="the army"), claim("b", 99, subject="NA"), entities=[army]
    )
    assert conflicted(cli) == {"a": ["b"], "b": ["a"]}
    assert cli.json("claim", "show", "a")["subject"] == "myanmar-army"


def test_periods_that_differ_only_at_the_end_do_not_conflict(scenario):
    cli = scenario(
        claim("by-may-2", 282, period=("2025-03-28", "2025-05-02")),
        claim("by-may-10", 300, period=("2025-03-28", "2025-05-10")),
    )
    assert conflicted(cli) == {}


def test_a_containing_period_with_a_lower_count_conflicts(scenario):
    cli = scenario(
        claim("by-may-2", 282, period=("2025-03-28", "2025-05-02")),
        claim("by-may-10", 250, period=("2025-03-28", "2025-05-10")),
        claim("by-may-10-close", 270, period=("2025-03-28", "2025-05-11")),
    )
    # 250 (widened up to 262.5) is below 282 (widened down to 267.9): conflict.
    # 270 (up to 283.5) is not below 267.9: no conflict.
    assert conflicted(cli) == {"by-may-10": ["by-may-2"], "by-may-2": ["by-may-10"]}


def test_nesting_pairs_only_the_claims_whose_ranges_conflict(scenario):
    """Several claims on each of two nested periods: only the pairs whose own ranges
    conflict are partners, whichever claims share their period."""
    month, spring = ("2025-04-01", "2025-04-30"), ("2025-03-01", "2025-05-31")
    cli = scenario(
        claim("spring-250", 250, period=spring),
        claim("spring-300", 300, period=spring),
        claim("april-282", 282, period=month),
        claim("april-240", 240, period=month),
        claim("elsewhere-100", 100, period=spring, place="Town B"),
    )
    assert conflicted(cli) == {
        "spring-250": ["april-282", "spring-300"],  # 262.5 < 267.9, and a value conflict
        "spring-300": ["spring-250"],  # 315 is not below any April count
        "april-282": ["april-240", "spring-250"],
        "april-240": ["april-282"],  # 228 is not above spring-250's 262.5
    }
    # The same partners on one claim's page as in the whole queue.
    shown = cli.json("claim", "show", "april-282")
    why = shown["explanations"]["conflict"]
    assert "april-240" in why and "spring-250" in why and "spring-300" not in why
    assert "conflict" not in cli.json("claim", "show", "elsewhere-100")["flags"]


def test_a_nested_claim_is_flagged_exactly_when_it_has_a_partner(scenario):
    """The flag finds the claims of nested periods without pairing them (each against the
    other key's bounds); at the boundary, equal counts do not conflict, and a claim is
    flagged only when some claim of the other period conflicts with it."""
    month, half = ("2025-01-01", "2025-01-31"), ("2025-01-01", "2025-01-15")
    cli = scenario(
        claim("month-10", 10, period=month),
        claim("month-range", {"min": 5, "max": 20}, period=month),  # agrees with 10
        claim("half-20", 20, period=half),
        claim("half-range", {"min": 10, "max": 25}, period=half),  # agrees with 20
    )
    # month-range's 20 is not below any half-month low end (20, 10); half-range's 10 is
    # not above any month high end (10, 20): only 10 against 20 conflicts.
    assert conflicted(cli, "--tolerance", "0") == {
        "month-10": ["half-20"],
        "half-20": ["month-10"],
    }


def test_categorical_values_fold_case_and_whitespace(scenario):
    cli = scenario(
        claim("a", "Extended", prop="ceasefire"), claim("b", "  extended ", prop="ceasefire")
    )
    assert conflicted(cli) == {}


def test_different_categorical_values_conflict(scenario):
    cli = scenario(claim("a", "extended", prop="ceasefire"), claim("b", "ended", prop="ceasefire"))
    assert conflicted(cli) == {"a": ["b"], "b": ["a"]}


# ---- origins and independence -----------------------------------------------------------


def test_relays_never_count_as_origins(scenario):
    cli = scenario(claim("a", 5, sources=["monitor"], via=["wire", "ngo"]))
    record = cli.json("claim", "show", "a")
    assert record["origins"] == ["monitor"] and record["independent_sources"] == 1
    assert "single-source" in record["flags"]


def test_same_affiliation_echoes_are_circular(scenario):
    cli = scenario(claim("a", 5, sources=["army-tv", "army-radio"]))
    record = cli.json("claim", "show", "a")
    assert record["independent_sources"] == 1
    assert record["origins"] == ["army-tv", "army-radio"]
    assert record["flags"][:3] == ["circular", "single-source", "low-reliability"]


def test_two_attributions_from_one_source_are_circular(scenario):
    one = claim("a", 5, sources=["monitor"])
    one["attributions"].append({"source": "monitor", "via": ["wire"]})
    cli = scenario(one)
    assert flags_of(cli, "a")[:2] == ["circular", "single-source"]


def test_independent_origins_clear_single_source(scenario):
    cli = scenario(claim("a", 5, sources=["monitor", "army-tv"]))
    assert flags_of(cli, "a") == ["unverified"]
    assert flags_of(cli, "a", "--min-sources", "3") == ["single-source", "unverified"]


def test_reports_stance_does_not_count_as_an_origin(scenario):
    record = claim("a", 5, sources=["monitor"])
    record["attributions"].append({"source": "ngo", "stance": "reports"})
    cli = scenario(record)
    assert cli.json("claim", "show", "a")["independent_sources"] == 1


# ---- weak sourcing ----------------------------------------------------------------------


def test_low_reliability_when_every_origin_is_graded_d_to_f(scenario):
    cli = scenario(
        claim("weak", 5, sources=["army-tv", "blogger"]),
        claim("mixed", 6, sources=["army-tv", "monitor"], prop="other"),
    )
    assert "low-reliability" in flags_of(cli, "weak")
    assert "low-reliability" not in flags_of(cli, "mixed")


def test_low_reliability_when_every_confidence_is_below_50(scenario):
    cli = scenario(claim("unsure", 5, confidence=49), claim("half", 6, confidence=50, prop="other"))
    assert "low-reliability" in flags_of(cli, "unsure")
    assert "low-reliability" not in flags_of(cli, "half")


# ---- contradictions, verdicts, severity ---------------------------------------------------


def test_a_denial_contradicts(scenario):
    record = claim("a", 5)
    record["attributions"].append({"source": "army-tv", "stance": "denies"})
    cli = scenario(record)
    assert flags_of(cli, "a")[0] == "contradicted"
    assert "army-tv denies it" in cli.json("claim", "show", "a")["explanations"]["contradicted"]


def test_a_contradicts_link_flags_both_ends(scenario):
    cli = scenario(
        claim("a", 5),
        claim("b", 5, prop="other"),
        links=[{"from": "a", "to": "b", "relation": "contradicts"}],
    )
    assert flags_of(cli, "a")[0] == "contradicted" and flags_of(cli, "b")[0] == "contradicted"


def test_supports_links_do_not_contradict(scenario):
    cli = scenario(
        claim("a", 5),
        claim("b", 5, prop="other"),
        links=[{"from": "a", "to": "b", "relation": "supports"}],
    )
    assert "contradicted" not in flags_of(cli, "a")


def test_verified_and_retracted_claims_keep_only_conflict_and_contradicted(scenario):
    cli = scenario(
        claim("verified", 10, sources=["blogger"], status="verified"),
        claim("rival", 99, sources=["blogger"]),
        claim("retracted", 1, sources=["blogger"], prop="other", status="retracted"),
        claim("quiet", 1, sources=["blogger"], prop="third", status="verified"),
    )
    assert flags_of(cli, "verified") == ["conflict"]
    assert flags_of(cli, "retracted") == []
    assert flags_of(cli, "quiet") == []
    assert flags_of(cli, "rival")[:2] == ["conflict", "single-source"]


def test_analyst_verdicts_are_flags(scenario):
    cli = scenario(claim("a", 1, status="disputed"), claim("b", 2, prop="x", status="false"))
    assert flags_of(cli, "a") == ["disputed"] and flags_of(cli, "b") == ["false"]


def test_most_severe_first(scenario):
    cli = scenario(
        claim("unverified-only", 1, prop="p1"),
        claim("single", 1, prop="p2", sources=["monitor"]),
        claim("circular", 1, prop="p3", sources=["army-tv", "army-radio"]),
        claim("conflict-1", 1, prop="p4"),
        claim("conflict-2", 50, prop="p4"),
        claim("contradicted", 1, prop="p5"),
        claim("other", 1, prop="p6"),
        links=[{"from": "contradicted", "to": "other", "relation": "contradicts"}],
    )
    order = [r["claim"] for r in cli.json("flag")]
    assert order == [
        "contradicted",
        "other",
        "conflict-1",
        "conflict-2",
        "circular",
        "single",
        "unverified-only",
    ]


def test_flag_json_shape_and_reason_filter(scenario):
    cli = scenario(claim("a", 1), claim("b", 50))
    records = cli.json("flag", "--reason", "conflict")
    assert records[0] == {
        "claim": "a",
        "text": "claim a",
        "reasons": ["conflict", "unverified"],
        "independent_sources": 2,
        "origins": ["monitor", "ngo"],
        "conflicts_with": ["b"],
    }
    assert cli("flag", "--reason", "nonsense").exit_code == 2


def test_strict_exits_3_only_when_something_is_flagged(scenario):
    cli = scenario(claim("a", 1, status="verified"))
    assert cli("flag", "--strict").exit_code == 0
    cli.ok("claim", "status", "a", "unverified", "--note", "reopened")
    assert cli("flag", "--strict").exit_code == 3


def test_claim_list_filters_by_flag(scenario):
    cli = scenario(claim("a", 1), claim("b", 50), claim("c", 1, prop="x"))
    assert [r["key"] for r in cli.json("claim", "list", "--flag", "conflict")] == ["a", "b"]


def test_claim_show_explains_a_conflict_in_words(scenario):
    cli = scenario(
        claim("town-a-dead-monitor", {"min": 40, "max": 45}),
        claim("town-a-dead-army", 3, sources=["army-tv"]),
    )
    why = cli.json("claim", "show", "town-a-dead-army")["explanations"]["conflict"]
    assert why == "conflicts with town-a-dead-monitor: 3 is outside 40–45 ± 5 %"
    tree = cli.ok("claim", "show", "town-a-dead-army").stdout
    assert "3 is outside 40–45 ± 5 %" in tree


# ---- compare and timeline -----------------------------------------------------------------


def test_compare_by_subject(scenario):
    cli = scenario(
        claim("a", 10, sources=["monitor"]),
        claim("b", 99, sources=["army-tv"]),
        claim("c", 7, prop="wounded"),
    )
    groups = cli.json("compare", "--subject", "town-a")
    assert [(g["property"], g["agree"]) for g in groups] == [("dead", False), ("wounded", True)]
    dead = groups[0]
    assert set(dead) == {"subject", "property", "period", "place", "agree", "claims"}
    assert dead["period"] == {"start": "2025-01-01", "end": "2025-01-31"}
    assert dead["claims"][0] == {
        "claim": "a",
        "value": 10,
        "unit": None,
        "origins": ["monitor"],
        "asserted_by": ["monitor"],
        "denied_by": [],
        "reported_by": [],
        "status": "unverified",
        "conflicts_with": ["b"],
        "plausibility": None,
        "superseded_by": [],
    }
    table = cli.ok("compare", "--subject", "town-a", "--property", "dead").stdout
    assert "DISAGREE" in table and "B2" in table and "D2" in table  # confidence 70: digit 2


def test_compare_two_sources(scenario):
    cli = scenario(
        claim("m1", 10, sources=["monitor"]),
        claim("n1", 10, sources=["ngo"]),
        claim("m2", 10, sources=["monitor"], prop="wounded"),
        claim("n2", 80, sources=["ngo"], prop="wounded"),
        claim("m3", 1, sources=["monitor"], prop="missing"),
        claim("n3", 1, sources=["ngo"], prop="displaced"),
        claim("n4", 2, sources=["ngo"], prop="arrested"),
    )
    report = cli.json("compare", "--sources", "monitor", "ngo")
    assert {
        k: report[k] for k in ("a", "b", "shared", "agree", "conflict", "only_a", "only_b")
    } == {
        "a": "monitor",
        "b": "ngo",
        "shared": 2,
        "agree": 1,
        "conflict": 1,
        "only_a": 1,
        "only_b": 2,
    }
    verdicts = {i["property"]: i["verdict"] for i in report["items"]}
    assert verdicts == {
        "dead": "agree",
        "wounded": "conflict",
        "missing": "only_a",
        "displaced": "only_b",
        "arrested": "only_b",
    }


def test_compare_two_claims(scenario):
    cli = scenario(claim("a", 10), claim("b", 99))
    pair = cli.json("compare", "a", "b")
    assert pair["same_key"] is True and pair["conflict"] is True
    assert pair["a"]["key"] == "a" and pair["b"]["key"] == "b"
    assert cli("compare", "a").exit_code == 2
    assert cli("compare", "a", "b", "--subject", "town-a").exit_code == 2


def test_timeline_marks_a_cumulative_figure_that_goes_down(scenario):
    cli = scenario(
        claim("by-may-2", 282, period=("2025-03-28", "2025-05-02")),
        claim("by-apr-25", 200, period=("2025-03-28", "2025-04-25")),
        claim("by-may-10", 250, period=("2025-03-28", "2025-05-10")),
    )
    [line] = cli.json("timeline", "--subject", "town-a", "--property", "dead")
    series = [(p["claim"], p["change"], p["conflict"]) for p in line["series"]]
    assert series == [
        ("by-apr-25", None, False),
        ("by-may-2", 82.0, True),
        ("by-may-10", -32.0, True),
    ]
    assert cli("timeline").exit_code == 2


def test_contradicted_follows_the_link_on_one_page_and_leaves_with_its_other_end(cli):
    """A page of claims computes `contradicted` for its own claims only: the claim at the
    other end of the link may be off the page, and once it is withdrawn the flag goes."""
    cli.ok("source", "add", "nug", "--name", "NUG")
    for key in ("a-claim", "b-claim", "c-claim"):
        cli.ok("claim", "add", f"Text of {key}", "--source", "nug", "--key", key, "--tag", key)
    cli.ok("claim", "link", "a-claim", "b-claim", "--relation", "contradicts")

    def flags_of(key):
        return {
            "show": "contradicted" in cli.json("claim", "show", key)["flags"],
            "page": "contradicted" in cli.json("claim", "list", "--tag", key)[0]["flags"],
            "queue": "contradicted"
            in next((r["reasons"] for r in cli.json("flag") if r["claim"] == key), []),
        }

    assert flags_of("a-claim") == {"show": True, "page": True, "queue": True}
    assert flags_of("b-claim") == {"show": True, "page": True, "queue": True}
    assert flags_of("c-claim") == {"show": False, "page": False, "queue": False}
    cli.ok("claim", "withdraw", "b-claim", "--note", "captured twice")
    assert flags_of("a-claim") == {"show": False, "page": False, "queue": False}


def test_a_figure_another_claim_updates_leaves_every_comparison(cli):
    """ "Earlier reporting 12 deaths", now 15: with `15 updates 12` linked, the two were
    still in `conflict` with each other, everywhere, and a user set the old figure to
    `retracted` to quiet it. The earlier figure leaves the comparisons (it stays listed,
    with its other flags); the later one is compared as before."""
    cli.ok("source", "add", "ministry")
    cli.ok("source", "add", "ngo")
    common = ["--subject", "floods", "--property", "deaths"]
    for key, value, source in (("earlier", "12", "ministry"), ("later", "15", "ministry")):
        cli.ok("claim", "add", f"{value} died", "--source", source, "--value", value,
               "--key", key, "--new-entity", *common)  # fmt: skip
    cli.ok("claim", "add", "30 died", "--source", "ngo", "--value", "30", "--key", "other", *common)

    def conflicts():
        shown = {key: cli.json("claim", "show", key) for key in ("earlier", "later", "other")}
        queue = {r["claim"]: r for r in cli.json("flag", "--limit", "10")}  # stored ranking
        whole = {r["claim"]: r for r in cli.json("flag")}
        found = {}
        for key, record in shown.items():
            assert ("conflict" in record["flags"]) == ("conflict" in queue[key]["reasons"])
            assert queue[key]["conflicts_with"] == whole[key]["conflicts_with"]
            found[key] = sorted(whole[key]["conflicts_with"])
        return found

    assert conflicts() == {
        "earlier": ["later", "other"],
        "later": ["earlier", "other"],
        "other": ["earlier", "later"],
    }
    cli.ok("claim", "link", "later", "earlier", "--relation", "updates")
    assert conflicts() == {"earlier": [], "later": ["other"], "other": ["later"]}
    [group] = cli.json("compare", "--subject", "floods")
    assert {row["claim"]: row["conflicts_with"] for row in group["claims"]}["earlier"] == []
    cli.ok("claim", "unlink", "later", "earlier", "--relation", "updates")
    assert conflicts()["earlier"] == ["later", "other"]


def test_a_claim_in_conflict_with_thousands_lists_the_first_thousand(cli, tmp_path):
    """40,000 claims sharing one claim key: `claim list --limit 2000` held 40 million
    pairs (17.5 GB) to list each claim's 20,000 partners. `conflicts_with` names at most
    1,000 claims, the first in key order, wherever it is read."""
    path = tmp_path / "shared.jsonl"
    with path.open("w") as out:
        for i in range(1003):
            record = {"type": "claim", "key": f"k{i:04d}", "text": f"claim {i}",
                      "subject": "town", "property": "dead", "value": i,
                      "attributions": [{"source": f"s{i % 7}"}]}  # fmt: skip
            out.write(json.dumps(record) + "\n")
    cli.ok("import", str(path))
    expected = [f"k{i:04d}" for i in range(1, 1001)]  # k0000 itself left out
    [group] = cli.json("compare", "--subject", "town")
    compared = {row["claim"]: row["conflicts_with"] for row in group["claims"]}
    assert compared["k0000"] == expected
    assert "conflict" in cli.json("claim", "show", "k0000")["flags"]
    queue = {r["claim"]: r["conflicts_with"] for r in cli.json("flag")}
    assert queue["k0000"] == expected and len(queue) == 1003
    assert max(len(partners) for partners in queue.values()) == 1000
    paged = {r["claim"]: r["conflicts_with"] for r in cli.json("flag", "--limit", "5")}
    assert all(paged[key] == queue[key] for key in paged)


def test_an_update_replaces_a_figure_of_the_same_thing_and_never_closes_a_circle(cli):
    """C updates B updates A, then A updates C took all three out of every comparison
    (compare said 100, 200 and 300 agree); an update across subjects hid a figure of
    another thing."""
    cli.ok("source", "add", "ministry")
    claims = (("ca", "100", "quake"), ("cb", "200", "quake"), ("cc", "300", "quake"),
              ("ce", "5", "elsewhere"))  # fmt: skip
    for key, value, subject in claims:
        about = ["--subject", subject, "--property", "deaths", "--new-entity"]
        cli.ok("claim", "add", f"{value} died", "--source", "ministry", "--value", value,
               "--key", key, *about)  # fmt: skip
    cli.ok("claim", "link", "cb", "ca", "--relation", "updates")
    cli.ok("claim", "link", "cc", "cb", "--relation", "updates")
    trail = len(cli.json("log", "--limit", "0"))
    circle = cli("claim", "link", "ca", "cc", "--relation", "updates")
    assert circle.exit_code == 1 and "cc already updates ca through other updates" in circle.stderr
    across = cli("claim", "link", "ce", "cc", "--relation", "updates")
    assert across.exit_code == 1 and "about different things" in across.stderr
    assert len(cli.json("log", "--limit", "0")) == trail
    [group] = cli.json("compare", "--subject", "quake")
    assert group["agree"] is True  # only cc (300) is compared: the others are replaced
    assert {r["claim"] for r in cli.json("flag", "--reason", "conflict")} == set()


def test_figures_in_different_units_are_never_counted_as_agreeing(cli):
    """An attacker's finding: "$2 million" beside "€2 million", and "10 km" beside "10
    miles", were said to agree (and counted so in flags and compare); a figure without a
    unit takes its key's, and one unit written in two cases is one unit."""
    for key in ("a", "b"):
        cli.ok("source", "add", key)
    add = ["claim", "add", "--subject", "aid", "--property", "pledged", "--new-entity"]
    cli.ok(*add, "A pledge", "-s", "a", "--value", "$2 million", "--key", "usd")
    cli.ok(*add, "B pledge", "-s", "b", "--value", "€2 million", "--key", "eur")
    cli.ok(*add, "B again", "-s", "b", "--value", "2 million", "--key", "bare")
    road = ["claim", "add", "--subject", "road", "--property", "length", "--new-entity"]
    cli.ok(*road, "A road", "-s", "a", "--value", "10", "--unit", "km", "--key", "km")
    cli.ok(*road, "B road", "-s", "b", "--value", "10", "--unit", " KM ", "--key", "km2")
    flagged = {r["claim"]: r["conflicts_with"] for r in cli.json("flag", "--reason", "conflict")}
    assert flagged == {"usd": ["eur"], "eur": ["usd"]}
    why = cli.json("claim", "show", "usd")["explanations"]["conflict"]
    assert "eur gives 'EUR' where this claim gives 'USD'" in why
    verdicts = {
        (r["subject"], r["verdict"]) for r in cli.json("compare", "--sources", "a", "b")["items"]
    }
    assert verdicts == {("aid", "conflict"), ("road", "agree")}
    [pledges] = cli.json("compare", "--subject", "aid")
    assert pledges["agree"] is False
