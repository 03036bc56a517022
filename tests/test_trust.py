"""Earned reliability on synthetic worlds whose sources' accuracies are known.

The worlds are generated here, seeded, so every run sees the same data; expectations come
from the world's truth, never from the program's own output."""

import random

import pytest
from sqlalchemy import text

from tests.conftest import write_json


def world(
    *, accuracies, items=200, categorical=True, seed=1, liars_agree=False, echoes_of=None, echoes=0
):
    """Sources s0…sN with the given accuracies report on every item. A wrong categorical
    value is one of three (or always the same one when liars agree); a wrong figure is off
    by 20–50 %. Echoes copy one source's reports from within its affiliation."""
    rng = random.Random(seed)
    sources = [
        {"key": f"s{i}", "reliability": "F", "affiliation": f"family-{i}"}
        for i in range(len(accuracies))
    ]
    sources += [
        {"key": f"echo{j}", "reliability": "F", "affiliation": f"family-{echoes_of}"}
        for j in range(echoes)
    ]
    claims, truth = [], {}
    for item in range(items):
        subject = f"item-{item:03d}"
        true = "va" if categorical else rng.randint(100, 10_000)
        truth[subject] = true
        for index, accuracy in enumerate(accuracies):
            if rng.random() < accuracy:
                value = true
            elif categorical:
                value = "vb" if liars_agree else rng.choice(["vb", "vc", "vd"])
            else:
                value = round(true * rng.choice([-1, 1]) * rng.uniform(0.2, 0.5) + true)
            reporters = [f"s{index}"] + (
                [f"echo{j}" for j in range(echoes)] if index == echoes_of else []
            )
            for reporter in reporters:
                claims.append(
                    {
                        "key": f"{subject}-{reporter}",
                        "text": f"{subject} {value}",
                        "subject": subject,
                        "property": "p",
                        "value": value,
                        "attributions": [{"source": reporter}],
                    }
                )
    return {"sources": sources, "claims": claims}, truth


def scored(cli, tmp_path, document, *options):
    cli.ok("import", str(write_json(tmp_path / "world.json", document)))
    return {r["source"]: r for r in cli.json("source", "score", *options)}


def winners(cli):
    """Per item, the value of the most plausible claim."""
    best = {}
    for claim in cli.json("claim", "list", "--limit", "0"):
        current = best.get(claim["subject"])
        if current is None or claim["plausibility"] > current["plausibility"]:
            best[claim["subject"]] = claim
    return {subject: claim["value"] for subject, claim in best.items()}


def test_trust_ranks_sources_like_the_truth(cli, tmp_path):
    accuracies = [0.95, 0.85, 0.7, 0.55, 0.4, 0.25]
    document, _ = world(accuracies=accuracies, items=150)
    scores = scored(cli, tmp_path, document)
    ranked = sorted((f"s{i}" for i in range(len(accuracies))), key=lambda s: -scores[s]["trust"])
    assert ranked == [f"s{i}" for i in range(len(accuracies))]
    assert scores["s0"]["suggested_reliability"] in "AB"
    assert scores["s5"]["suggested_reliability"] in "DE"


def test_numeric_trust_ranks_sources_like_the_truth(cli, tmp_path):
    accuracies = [0.95, 0.8, 0.6, 0.35]
    document, truth = world(accuracies=accuracies, items=120, categorical=False, seed=3)
    scores = scored(cli, tmp_path, document)
    ranked = sorted((f"s{i}" for i in range(len(accuracies))), key=lambda s: -scores[s]["trust"])
    assert ranked == [f"s{i}" for i in range(len(accuracies))]

    def right():
        found = winners(cli)
        return sum(abs(found[s] - truth[s]) <= 0.01 * truth[s] for s in truth) / len(truth)

    weighted = right()
    cli.ok("source", "score", "--method", "vote")  # the plain median of the claims
    assert weighted > right() and weighted > 0.9


def test_echoes_of_a_liar_within_its_affiliation_change_nothing(cli, tmp_path, tmp_path_factory):
    accuracies = [0.9, 0.8, 0.3]
    plain, _ = world(accuracies=accuracies, items=80, seed=5)
    echoed, _ = world(accuracies=accuracies, items=80, seed=5, echoes_of=2, echoes=4)
    first = scored(cli, tmp_path, plain)
    before = winners(cli)
    from tests.test_interchange import _other_database

    other = _other_database(tmp_path_factory, None if "sqlite" in cli.url else _pg(cli))
    second = scored(other, tmp_path, echoed)
    assert {s: first[s]["trust"] for s in ("s0", "s1", "s2")} == pytest.approx(
        {s: second[s]["trust"] for s in ("s0", "s1", "s2")}, abs=1e-6
    )
    assert winners(other) == before


def _pg(cli):
    from sqlalchemy.engine import make_url

    return make_url(cli.url.split("?")[0]).render_as_string(hide_password=False)


def test_truth_discovery_beats_majority_voting_with_a_few_verdicts(cli, tmp_path):
    # Four sources that are usually wrong, and wrong alike, outnumber three good ones.
    accuracies = [0.9, 0.85, 0.8, 0.35, 0.35, 0.3, 0.3]
    document, truth = world(accuracies=accuracies, items=150, liars_agree=True, seed=11)
    for claim in document["claims"]:
        item = int(claim["subject"].split("-")[1])
        if item < 15 and claim["key"].endswith("-s0"):  # the analyst checked 10 % of items
            claim["status"] = "verified"
    cli.ok("import", str(write_json(tmp_path / "w.json", document)))
    cli.ok("source", "score", "--method", "vote")
    voted = winners(cli)
    cli.ok("source", "score")
    discovered = winners(cli)
    unchecked = [s for s in truth if int(s.split("-")[1]) >= 15]

    def right(found):
        return sum(found[s] == truth[s] for s in unchecked) / len(unchecked)

    # Majority voting follows the colluding liars wherever they outnumber the good sources;
    # the verdicts teach the estimate whom to believe.
    assert right(discovered) > right(voted) + 0.15


def test_verdicts_anchor_the_estimate(cli, tmp_path):
    document = {
        "claims": [
            {
                "key": "a",
                "text": "a",
                "subject": "x",
                "property": "p",
                "value": "yes",
                "status": "verified",
                "attributions": [{"source": "lonely"}],
            },
            {
                "key": "b",
                "text": "b",
                "subject": "x",
                "property": "p",
                "value": "no",
                "attributions": [{"source": "m1"}],
            },
            {
                "key": "c",
                "text": "c",
                "subject": "x",
                "property": "p",
                "value": "no",
                "attributions": [{"source": "m2"}],
            },
            {
                "key": "d",
                "text": "d",
                "subject": "y",
                "property": "n",
                "value": 100,
                "status": "false",
                "attributions": [{"source": "m1"}],
            },
            {
                "key": "e",
                "text": "e",
                "subject": "y",
                "property": "n",
                "value": 50,
                "attributions": [{"source": "lonely"}],
            },
        ]
    }
    scores = scored(cli, tmp_path, document)
    plausibility = {c["key"]: c["plausibility"] for c in cli.json("claim", "list")}
    assert plausibility["a"] == 1.0 and plausibility["b"] == 0.0 and plausibility["c"] == 0.0
    assert plausibility["d"] == 0.0 and plausibility["e"] == 1.0
    assert scores["lonely"]["trust"] > scores["m1"]["trust"]
    assert scores["m1"]["conflicts"] == 2 and scores["lonely"]["agreements"] == 2


def test_scores_are_stored_shown_and_deterministic(seeded):
    first = seeded.json("source", "score")
    assert seeded.json("source", "score") == first
    assert set(first[0]) == {
        "source",
        "trust",
        "claims",
        "agreements",
        "conflicts",
        "suggested_reliability",
    }
    sources = {s["key"]: s for s in seeded.json("source", "list")}
    assert all(sources[r["source"]]["trust"] == r["trust"] for r in first)
    claim = seeded.json("claim", "show", "nug-air-attacks-since-quake")
    assert 0 <= claim["plausibility"] <= 1
    shown = seeded.ok("claim", "show", "nug-air-attacks-since-quake").stdout
    assert f"plausibility {claim['plausibility']:.2f}" in shown
    actions = [e["action"] for e in seeded.json("log")]
    assert actions[0] == "source.score"


def test_source_show_lists_what_raised_and_lowered_trust(cli, tmp_path):
    document, _ = world(accuracies=[0.9, 0.6, 0.5], items=30, seed=2)
    scored(cli, tmp_path, document)
    shown = cli.json("source", "show", "s1")
    assert shown["raised_by"] and shown["lowered_by"]
    assert all(c["plausibility"] >= 0.5 for c in shown["raised_by"])
    assert all(c["plausibility"] < 0.5 for c in shown["lowered_by"])
    assert "raised by" in cli.ok("source", "show", "s1").stdout


def test_unknown_method_is_an_error(cli):
    assert cli("source", "score", "--method", "magic").exit_code == 2


@pytest.mark.parametrize(
    ("trust", "contested", "grade"),
    [(0.95, 2, "F"), (0.95, 3, "A"), (0.8, 3, "B"), (0.5, 10, "D"), (0.1, 3, "E"), (None, 9, "F")],
)
def test_a_grade_is_suggested_only_from_three_contested_claims(trust, contested, grade):
    """One disagreement between unnamed witnesses and an armed group suggested grade C for
    the witnesses: below three claims that others agree or disagree with, it is F
    ("reliability cannot be judged")."""
    from provenance.analysis.trust import suggested_reliability

    assert suggested_reliability(trust, contested) == grade


def figure(key, subject, value, source, **extra):
    return {
        "key": key,
        "text": f"{source} on {subject}",
        "subject": subject,
        "property": "killed",
        "value": value,
        "attributions": [{"source": source}],
        **extra,
    }


def plausibilities(cli):
    return {c["key"]: c["plausibility"] for c in cli.json("claim", "list", "--limit", "0")}


def test_a_bound_the_keys_value_meets_agrees_with_it(cli, tmp_path):
    """ "At least 446" when the key's value is 570 is true, and `flag` finds no conflict in
    it; scoring read it as exactly 446 (plausibility 0.02) and held it against its
    source. A bound that the value meets, after the tolerance, agrees with it, "at most"
    as "at least"; one the value misses is still an error."""
    claims = []
    for item, truth in enumerate((570, 1200, 80, 3300, 45, 910)):
        subject = f"inc-{item}"
        for source, share in (("h0", 1.0), ("h1", 1.01), ("h2", 0.99), ("liar", 0.5)):
            claims.append(figure(f"{subject}-{source}", subject, round(truth * share), source))
        claims.append(figure(f"{subject}-atleast", subject, {"min": int(truth * 0.78)}, "bounds"))
        claims.append(figure(f"{subject}-atmost", subject, {"max": int(truth * 1.3)}, "bounds"))
        claims.append(figure(f"{subject}-over", subject, {"min": int(truth * 1.3)}, "wrong"))
        claims.append(figure(f"{subject}-under", subject, {"max": int(truth * 0.78)}, "wrong"))
    claims.append(figure("edge", "inc-0", {"min": 590}, "edge"))  # 3.5 % above 570
    scores = scored(cli, tmp_path, {"claims": claims})
    plausibility = plausibilities(cli)
    for item in range(6):
        assert plausibility[f"inc-{item}-h0"] == 1.0
        assert plausibility[f"inc-{item}-atleast"] == 1.0
        assert plausibility[f"inc-{item}-atmost"] == 1.0
        assert plausibility[f"inc-{item}-over"] < 0.1
        assert plausibility[f"inc-{item}-under"] < 0.1
    # within the tolerance, as a figure 3.5 % off is, and as `flag` sees it
    assert 0.5 <= plausibility["edge"] < 1.0
    [edge] = [r for r in cli.json("flag") if r["claim"] == "edge"]
    assert "inc-0-h0" not in edge["conflicts_with"]
    assert scores["bounds"]["conflicts"] == 0 and scores["bounds"]["agreements"] == 12
    assert scores["bounds"]["trust"] == pytest.approx(scores["h0"]["trust"])
    assert scores["wrong"]["trust"] < 0.2
    assert cli.json("source", "show", "bounds")["lowered_by"] == []
    # "at least 570" is not the figure 570: copy detection compares value ids
    cli.ok("claim", "add", "at least 570", "--source", "h1", "--subject", "inc-0",
           "--property", "killed", "--value", "at least 570", "--key", "bound-570")  # fmt: skip
    from provenance.analysis.observations import observe
    from provenance.db import open_database

    with open_database(cli.url).transaction() as session:
        data = observe(session)
        ids = dict(session.execute(text("SELECT key, id FROM claims")).all())
    assert data is not None
    index = {int(claim_id): i for i, claim_id in enumerate(data.claim_ids)}
    assert data.value[index[ids["bound-570"]]] != data.value[index[ids["inc-0-h0"]]]


def test_a_superseded_figure_neither_votes_nor_counts_against_its_source(cli, tmp_path):
    """A figure that a later claim `updates` leaves `flag`'s comparisons, but it still
    voted in `source score` and counted as its source's error ("lowered by" listed early
    tallies). It leaves scoring by the same rule, and comes back when the update goes."""
    claims, links = [], []
    for item in range(5):
        subject = f"inc-{item}"
        for source in ("a", "b"):
            claims.append(figure(f"{subject}-{source}-early", subject, 40, source))
            claims.append(figure(f"{subject}-{source}", subject, 100, source))
            update = {"from": f"{subject}-{source}", "to": f"{subject}-{source}-early"}
            links.append({**update, "relation": "updates"})
        claims.append(figure(f"{subject}-c", subject, 40, "c"))
    scores = scored(cli, tmp_path, {"claims": claims, "links": links})
    plausibility = plausibilities(cli)
    for item in range(5):
        # a's and b's early 40s would have outvoted their own later 100s together with c
        assert plausibility[f"inc-{item}-a"] == 1.0 and plausibility[f"inc-{item}-b"] == 1.0
        assert plausibility[f"inc-{item}-c"] < 0.1
        assert plausibility[f"inc-{item}-a-early"] is None  # not scored, as not flagged
    assert scores["a"]["conflicts"] == 0 and scores["a"]["agreements"] == 5
    assert scores["a"]["trust"] > scores["c"]["trust"]
    assert cli.json("source", "show", "a")["lowered_by"] == []
    # the one rule: an update from a withdrawn claim supersedes nothing
    cli.ok("claim", "withdraw", "inc-0-a", "--note", "captured by mistake")
    cli.ok("source", "score")
    assert plausibilities(cli)["inc-0-a-early"] is not None


def test_a_source_whose_ranges_were_met_cannot_overrule_everyone(cli, tmp_path):
    """A first-time analyst's world: an NGO writes ranges, right for most items and ten
    times too high for one in ten; twelve outlets give the figure itself, three an item,
    each right 60–80 % of the time. The NGO's ranges are met so often that, with each
    source weighed by its odds, its trust ran away to 0.99 with no conflict and its wrong
    ranges outvoted three outlets: a source's weight in a figure's median is now its vote
    (log-odds), as for a category, so one source at 0.99 no longer outweighs three at
    0.7."""
    rng = random.Random(4)
    claims, wrong_items = [], []
    for item in range(80):
        subject, truth = f"strike-{item:02d}", rng.randint(10, 90)
        factor = 10 if item % 10 == 0 else 1
        if factor == 10:
            wrong_items.append(subject)
        ngo = {"min": round(truth * factor * 0.9), "max": round(truth * factor * 1.1)}
        claims.append(figure(f"{subject}-ngo", subject, ngo, "ngo"))
        for index in rng.sample(range(12), 3):
            off = rng.random() >= [0.6, 0.7, 0.8][index % 3]
            value = round(truth * rng.choice([0.5, 0.7, 1.4, 2])) if off else truth
            claims.append(figure(f"{subject}-p{index}", subject, value, f"p{index}"))
    scores = scored(cli, tmp_path, {"claims": claims})
    won = winners(cli)
    assert all(not isinstance(won[subject], dict) for subject in wrong_items), won
    assert scores["ngo"]["conflicts"] >= len(wrong_items)
    assert scores["ngo"]["trust"] < 0.95


def test_the_star_goes_to_the_most_precise_of_the_equally_plausible_values(cli, tmp_path):
    """A first-time analyst saw ★ on "at least 5" from the least trusted source while four
    sources said exactly 12: every value the estimate meets scores 1, and the first won."""
    claims = [
        figure("a-army", "market", {"min": 5}, "army"),
        figure("b-ngo", "market", {"min": 10, "max": 14}, "ngo"),
        figure("c-near", "market", {"approx": 12}, "near"),
        *(figure(f"d-{name}", "market", 12, name) for name in ("un", "medics", "wire")),
    ]
    scored(cli, tmp_path, {"claims": claims})
    assert set(plausibilities(cli).values()) == {1.0}
    table = cli.ok("compare", "--subject", "market").stdout
    starred = [line for line in table.splitlines() if "★" in line]
    assert len(starred) == 1 and "d-un" in starred[0], table


def test_compare_and_timeline_mark_a_superseded_figure(cli, tmp_path):
    """A first-time analyst found revised-away figures looking live in both views."""
    claims = [
        figure("toll-early", "market", 42, "ministry", period={"start": "2024-03-01"}),
        figure("toll", "market", 57, "ministry", period={"start": "2024-03-01"}),
        figure("toll-un", "market", 57, "un", period={"start": "2024-03-01"}),
    ]
    links = [{"from": "toll", "to": "toll-early", "relation": "updates"}]
    cli.ok("import", str(write_json(tmp_path / "w.json", {"claims": claims, "links": links})))
    [group] = cli.json("compare", "--subject", "market")
    marks = {c["claim"]: c["superseded_by"] for c in group["claims"]}
    assert marks == {"toll-early": ["toll"], "toll": [], "toll-un": []}
    [line] = cli.json("timeline", "--subject", "market")
    assert {p["claim"]: p["superseded_by"] for p in line["series"]} == marks
    for command in ("compare", "timeline"):
        table = cli.ok(command, "--subject", "market").stdout
        assert [row for row in table.splitlines() if "(superseded)" in row] == [
            row for row in table.splitlines() if "toll-early" in row
        ], table
        assert "(superseded)" in table
