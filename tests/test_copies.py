"""Undeclared copying on hand-sized worlds: detection, what a copier's vote is worth, the
`echo` flag and the analyst's decisions; and the trust fixes that came with it (duplicate
claims, denials, relays). Every world is built here, seeded; expectations come from the
world's truth."""

import json
import random
import re

import pytest

from provenance.cli import app
from tests.conftest import write_json


def copier_world(*, items=60, copiers=1, own_errors=0.0, seed=3, honest=(0.8, 0.8), merged=False):
    """Honest sources h0…, a liar (right 25 % of the time, wrong among six values) and
    copiers c0… that take the liar's value for every key (or, with ``own_errors``, make
    their own mistake that often). ``merged``: one claim per key and value, attributed to
    every source that gives it (as an analyst records it), else one claim per source."""
    rng = random.Random(seed)
    claims, truth = [], {}
    by_value: dict[tuple[str, str], dict] = {}

    def claim(subject, source, value):
        if merged and (subject, value) in by_value:
            by_value[subject, value]["attributions"].append({"source": source})
            return
        record = {
            "key": f"{subject}-{source}",
            "text": f"{source} says {subject} is {value}",
            "subject": subject,
            "property": "p",
            "value": value,
            "attributions": [{"source": source}],
        }
        by_value[subject, value] = record
        claims.append(record)

    for item in range(items):
        subject = f"item-{item:03d}"
        truth[subject] = "right"
        for index, accuracy in enumerate(honest):
            claim(subject, f"h{index}", "right" if rng.random() < accuracy else rng.choice("xyz"))
        liar = "right" if rng.random() < 0.25 else f"wrong-{rng.choice('abcdef')}"
        claim(subject, "liar", liar)
        for index in range(copiers):
            own = rng.random() < own_errors
            claim(subject, f"c{index}", f"own-{rng.choice('abcdef')}" if own else liar)
    return {"claims": claims}, truth


def accuracy(cli, truth):
    best = {}
    for claim in cli.json("claim", "list", "--limit", "0"):
        current = best.get(claim["subject"])
        if current is None or claim["plausibility"] > current["plausibility"]:
            best[claim["subject"]] = claim
    return sum(best[s]["value"] == truth[s] for s in truth) / len(truth)


def pair_of(cli, a, b, *options):
    for pair in cli.json("source", "copies", *options):
        if {pair["a"], pair["b"]} == {a, b}:
            return pair
    return None


def test_a_copier_of_a_liar_is_detected_and_loses_its_vote(cli, tmp_path):
    document, truth = copier_world(copiers=2)
    cli.ok("import", str(write_json(tmp_path / "w.json", document)))
    cli.ok("source", "score", "--no-copying")
    blind = accuracy(cli, truth)
    assert cli.json("source", "copies", "--min-probability", "0") == []
    cli.ok("source", "score")
    aware = accuracy(cli, truth)
    pair = pair_of(cli, "c0", "liar")
    assert pair is not None and pair["probability"] >= 0.9
    assert pair["shared_values"] == 60 and pair["shared_false"] > 30
    # Three sources saying the liar's value outvote two honest ones when each counts once;
    # a copier counts only for what it adds, so the honest sources win.
    assert blind < 0.5 < 0.7 < aware
    shown = cli.json("source", "show", "c0")["suspected_partners"]
    assert {p["source"] for p in shown} >= {"liar"}


def test_two_honest_sources_that_agree_on_true_values_are_not_flagged(cli, tmp_path):
    document, _ = copier_world(honest=(0.95, 0.95, 0.7), copiers=0)
    cli.ok("import", str(write_json(tmp_path / "w.json", document)))
    cli.ok("source", "score")
    pair = pair_of(cli, "h0", "h1", "--min-probability", "0")
    assert pair is None or pair["probability"] < 0.5
    assert pair_of(cli, "h0", "h1") is None
    assert cli.json("flag", "--reason", "echo") == []


def echoes(cli):
    return {r["claim"] for r in cli.json("flag", "--reason", "echo")}


def test_echo_appears_after_scoring_and_goes_with_a_rejection(cli, tmp_path):
    document, _ = copier_world(copiers=1, merged=True)
    cli.ok("import", str(write_json(tmp_path / "w.json", document)))
    assert echoes(cli) == set()  # nothing before a scoring run
    cli.ok("source", "score")
    shared = {
        c["key"]
        for c in cli.json("claim", "list", "--source", "c0", "--limit", "0")
        if "liar" in c["origins"]
    }
    flagged = echoes(cli)
    assert flagged and flagged <= shared
    one = sorted(flagged)[0]
    shown = cli.json("claim", "show", one)
    assert "echo" in shown["flags"]
    assert "c0" in shown["explanations"]["echo"] and "liar" in shown["explanations"]["echo"]
    assert shown["flags"].index("echo") < shown["flags"].index("unverified")

    cli.ok("source", "copies", "--reject", "liar", "c0", "--note", "they share a wire")
    assert echoes(cli) == set()
    assert pair_of(cli, "c0", "liar")["decision"] == "rejected"
    cli.ok("source", "score")  # scoring now leaves the pair alone
    assert pair_of(cli, "c0", "liar", "--min-probability", "0") is None
    assert echoes(cli) == set()


def test_accepting_a_pair_gives_them_one_affiliation_audited(cli, tmp_path):
    document, _ = copier_world(copiers=1, merged=True)
    cli.ok("import", str(write_json(tmp_path / "w.json", document)))
    cli.ok("source", "score")
    assert echoes(cli)
    run = cli.ok("source", "copies", "--accept", "c0", "liar", "-f", "json")
    assert json.loads(run.stdout)["affiliation"] == "c0"
    assert echoes(cli) == set()
    assert cli.json("source", "show", "liar")["affiliation"] == "c0"
    event = [e for e in cli.json("log") if e["action"] == "source.copies.accept"][-1]
    assert [
        (c["kind"], c["key"], c["before"], c["after"]) for c in event["payload"]["changes"]
    ] == [
        ("source", "c0", {"affiliation": None}, {"affiliation": "c0"}),
        ("source", "liar", {"affiliation": None}, {"affiliation": "c0"}),
    ]
    cli.ok("audit", "verify", "--deep")  # the records rebuild from the events
    assert event["payload"]["decision"]["after"]["decision"] == "accepted"
    # one origin now: where only the two assert a value, it is circular, not corroborated
    both = [
        c
        for c in cli.json("claim", "list", "--source", "c0", "--limit", "0")
        if set(c["origins"]) == {"c0", "liar"}
    ]
    assert both and all(c["independent_sources"] == 1 and "circular" in c["flags"] for c in both)


def refused_writing_nothing(cli, args, words, exit_code=1):
    """``source copies ARGS`` fails (exit 1, or 2 for options that do not go together)
    saying ``words`` and adds nothing to the trail."""
    trail = len(cli.json("log", "--limit", "0"))
    run = cli("source", "copies", *args)
    assert run.exit_code == exit_code and words in run.stderr and "Traceback" not in run.stderr
    assert len(cli.json("log", "--limit", "0")) == trail


def test_decisions_refuse_bad_pairs(cli, tmp_path):
    document, _ = copier_world(copiers=1, items=5)
    cli.ok("import", str(write_json(tmp_path / "w.json", document)))
    for args, words in [
        (("--accept", "c0", "c0"), "same source"),
        (("--reject", "c0", "nobody"), "no source 'nobody'"),
    ]:
        refused_writing_nothing(cli, args, words)
    # two options that do not go together are a usage error (DESIGN §3: exit 2)
    refused_writing_nothing(
        cli, ("--accept", "c0", "liar", "--reject", "c0", "liar"), "not both", exit_code=2
    )
    cli.ok("source", "edit", "c0", "--affiliation", "wire")
    cli.ok("source", "edit", "liar", "--affiliation", "junta")
    refused_writing_nothing(cli, ("--accept", "c0", "liar"), "different affiliations")
    assert cli.json("source", "show", "liar")["affiliation"] == "junta"


def test_copiers_with_their_own_errors_are_still_found(cli, tmp_path):
    # three honest sources: against a liar and two copiers, two could not be told apart
    # from the copiers by anything in the data
    document, _ = copier_world(copiers=2, own_errors=0.2, items=80, honest=(0.8, 0.8, 0.8))
    cli.ok("import", str(write_json(tmp_path / "w.json", document)))
    cli.ok("source", "score")
    found = {frozenset((p["a"], p["b"])) for p in cli.json("source", "copies")}
    assert {frozenset(("c0", "liar")), frozenset(("c1", "liar"))} <= found
    assert not {pair for pair in found if pair <= {"h0", "h1", "h2"}}


@pytest.mark.parametrize(("copied", "second_values"), [(60, 0), (60, 8), (52, 0), (40, 0)])
def test_a_copier_whose_claims_lie_within_the_originals_is_named(
    cli, tmp_path, copied, second_values
):
    """The copier of a liar copies its value for the first ``copied`` of 60 keys, so the
    two are alike in accuracy and only coverage tells them apart. Direction stayed
    "cannot tell" unless the copier's share of the shared keys exceeded the original's by
    0.2 (a copier of 88 % of its original's 84 keys was not named). The copier's claims
    lie within what the two share and the original says more: that names the copier; with
    the same keys nothing does, however many values the original gives in a key."""
    document, _ = copier_world(copiers=1, items=60)
    document["claims"] = [
        c
        for c in document["claims"]
        if not (c["key"].endswith("-c0") and int(c["subject"].split("-")[1]) >= copied)
    ]
    for item in range(second_values):  # the liar's second figure for a key it spoke to
        subject = f"item-{item:03d}"
        document["claims"].append(
            {
                "key": f"{subject}-liar-again",
                "text": f"liar again on {subject}",
                "subject": subject,
                "property": "p",
                "value": "wrong-again",
                "attributions": [{"source": "liar"}],
            }
        )
    cli.ok("import", str(write_json(tmp_path / "w.json", document)))
    cli.ok("source", "score")
    pair = pair_of(cli, "c0", "liar")
    assert pair is not None and pair["probability"] >= 0.9 and pair["shared_keys"] == copied
    if copied == 60:
        assert pair["direction"] is None and pair["copier"] is None
    else:
        assert (pair["copier"], pair["original"]) == ("c0", "liar")
        assert pair["direction"] == "c0 copies liar"


def plausibility_of(cli, key):
    return cli.json("claim", "show", key)["plausibility"]


@pytest.mark.parametrize("value", ["extended", 250])
def test_a_denial_lowers_the_denied_values_plausibility(cli, tmp_path, value):
    def world(denied):
        attributions = [{"source": "junta-media"}]
        if denied:
            attributions.append({"source": "nug", "stance": "denies"})
        claims = [
            {
                "key": "ceasefire",
                "text": "The junta extended the ceasefire",
                "subject": "junta",
                "property": "ceasefire",
                "value": value,
                "attributions": attributions,
            }
        ]
        # both parties also speak elsewhere, so each has a record
        claims += [
            {
                "key": f"other-{i}",
                "text": f"other {i}",
                "subject": f"thing-{i}",
                "property": "p",
                "value": "a",
                "attributions": [{"source": "junta-media"}, {"source": "nug"}],
            }
            for i in range(3)
        ]
        return {"claims": claims}

    cli.ok("import", str(write_json(tmp_path / "plain.json", world(False))))
    cli.ok("source", "score")
    plain = plausibility_of(cli, "ceasefire")
    cli.ok("claim", "attribute", "ceasefire", "--source", "nug", "--stance", "denies")
    cli.ok("source", "score")
    denied = plausibility_of(cli, "ceasefire")
    assert denied < plain and denied <= 0.5


def test_a_sources_repeated_claims_for_one_key_count_once(cli, tmp_path, tmp_path_factory):
    rng = random.Random(8)

    def world(repeat):
        claims = []
        for item in range(30):
            values = {"a": 100, "b": 100 if rng.random() < 0.5 else 150, "c": 150}
            for source, value in values.items():
                for copy in range(2 if repeat and source == "a" else 1):
                    claims.append(
                        {
                            "key": f"k{item}-{source}-{copy}",
                            "text": f"{source} gives {value} (statement {copy})",
                            "subject": f"town-{item}",
                            "property": "displaced",
                            "value": value,
                            "attributions": [{"source": source}],
                        }
                    )
        return {"claims": claims}

    state = rng.getstate()
    once = world(False)
    rng.setstate(state)
    twice = world(True)
    first = {r["source"]: r["trust"] for r in _score(cli, tmp_path / "once.json", once)}
    from tests.test_interchange import _other_database
    from tests.test_trust import _pg

    other = _other_database(tmp_path_factory, None if "sqlite" in cli.url else _pg(cli))
    second = {r["source"]: r["trust"] for r in _score(other, tmp_path / "twice.json", twice)}
    assert second == pytest.approx(first, abs=1e-6)


def _score(cli, path, document):
    cli.ok("import", str(write_json(path, document)))
    return cli.json("source", "score")


def test_relays_never_vote(cli, tmp_path, tmp_path_factory):
    def world(relayed):
        claims = []
        for item in range(10):
            claims.append(
                {
                    "key": f"x{item}",
                    "text": f"x {item}",
                    "subject": f"s{item}",
                    "property": "p",
                    "value": "told",
                    "attributions": [{"source": "a", "via": ["r1", "r2", "r3"] if relayed else []}],
                }
            )
            claims.append(
                {
                    "key": f"y{item}",
                    "text": f"y {item}",
                    "subject": f"s{item}",
                    "property": "p",
                    "value": "other",
                    "attributions": [{"source": "b"}, {"source": "c"}],
                }
            )
        return {"claims": claims}

    plain = {c["key"]: c["plausibility"] for c in _scored_claims(cli, tmp_path, world(False))}
    from tests.test_interchange import _other_database
    from tests.test_trust import _pg

    other = _other_database(tmp_path_factory, None if "sqlite" in cli.url else _pg(cli))
    relayed = {c["key"]: c["plausibility"] for c in _scored_claims(other, tmp_path, world(True))}
    # Three relays would outvote b and c if they voted; they do not.
    assert relayed == plain
    assert all(relayed[f"y{i}"] > relayed[f"x{i}"] for i in range(10))


def _scored_claims(cli, tmp_path, document):
    cli.ok("import", str(write_json(tmp_path / f"{id(document)}.json", document)))
    cli.ok("source", "score")
    return cli.json("claim", "list", "--limit", "0")


def test_scoring_with_copy_detection_is_deterministic(cli, tmp_path):
    document, _ = copier_world(copiers=2, own_errors=0.1)
    cli.ok("import", str(write_json(tmp_path / "w.json", document)))
    first = cli.ok("source", "score", "-f", "json").stdout
    pairs = cli.ok("source", "copies", "--min-probability", "0", "-f", "json").stdout
    assert cli.ok("source", "score", "-f", "json").stdout == first
    assert cli.ok("source", "copies", "--min-probability", "0", "-f", "json").stdout == pairs


def test_the_same_decision_again_writes_nothing(cli, tmp_path):
    """`--reject b a` after `--reject a b` recorded a second event that changed nothing."""
    document, _ = copier_world(copiers=1, merged=True)
    cli.ok("import", str(write_json(tmp_path / "w.json", document)))
    cli.ok("source", "copies", "--reject", "liar", "c0", "--note", "they share a wire")
    again = ("--reject", "c0", "liar", "--note", "they share a wire")
    refused_writing_nothing(cli, again, "already rejected")
    trail = len(cli.json("log", "--limit", "0"))
    cli.ok("source", "copies", "--reject", "c0", "liar", "--note", "checked the wire")
    assert len(cli.json("log", "--limit", "0")) == trail + 1


def test_a_pair_that_shares_an_affiliation_is_not_rejected_as_independent(cli, tmp_path):
    """After `--accept` gave the pair one affiliation, `--reject` said "independent" and
    changed nothing: they still counted as one origin."""
    document, _ = copier_world(copiers=1, merged=True)
    cli.ok("import", str(write_json(tmp_path / "w.json", document)))
    cli.ok("source", "copies", "--accept", "c0", "liar", "--note", "one desk")
    reject = ("--reject", "c0", "liar", "--note", "no, independent")
    refused_writing_nothing(cli, reject, "share the affiliation")


LONG = {"liar": "regional-conflict-wire-aggregator", "c0": "daily-bulletin-of-the-north"}


@pytest.mark.parametrize("width", [100, 120, 140])
def test_long_source_keys_stay_whole_in_the_copies_table_and_the_timeline(cli, tmp_path, width):
    document, _ = copier_world(copiers=1, items=30)
    for claim in document["claims"]:
        for attribution in claim["attributions"]:
            attribution["source"] = LONG.get(attribution["source"], attribution["source"])
    cli.ok("import", str(write_json(tmp_path / "w.json", document)))
    cli.ok("source", "score")
    env = {"COLUMNS": str(width)}
    copies = cli.runner.invoke(app, ["--db", cli.url, "source", "copies"], env=env).stdout
    timeline = cli.runner.invoke(
        app, ["--db", cli.url, "timeline", "--subject", "item-000"], env=env
    ).stdout
    for out in (copies, timeline):
        assert all(len(line) <= width for line in out.splitlines())
        for key in LONG.values():
            assert re.search(rf"(?<![\w-]){key}(?![\w-])", out), (width, key, out)
