"""Similar values support one another (AccuSim): a list value that shares items with
another partly supports it. Hand-sized worlds, seeded; expectations from the world's truth."""

import random

import numpy as np

from provenance.analysis.similarity import support
from tests.conftest import write_json


def test_a_list_supports_the_lists_sharing_its_items_by_their_share_of_it():
    found = support([(0, "aiken; allen"), (0, "aiken"), (0, "moore"), (1, "aiken")])
    weights = {
        (int(t), int(s)): float(w)
        for t, s, w in zip(found.target, found.supporter, found.weight, strict=True)
    }
    # "aiken" is all in "aiken; allen": it supports it wholly; the other way, half
    assert weights == {(0, 1): 1.0, (1, 0): 0.5}
    vote = np.array([1.0, 2.0, 3.0, 4.0])
    assert found.adjust(vote, 0.5).tolist() == [2.0, 2.25, 3.0, 4.0]


def test_values_that_are_not_lists_are_never_similar():
    # items are compared whole: "killed" is no part of "not killed"
    found = support([(0, "killed"), (0, "not killed"), (1, "army"), (1, "army; police")])
    assert {(int(t), int(s)) for t, s in zip(found.target, found.supporter, strict=True)} == {
        (3, 2),
        (2, 3),
    }


def book_world(seed=5, books=100):
    """Seven stores list each book's three authors: for every book, three of them (drawn
    anew each time) give the first author alone, two the first two, two the full list.
    No store is better than another and the full list is never the most given, but every
    partial list is consistent with it."""
    rng = random.Random(seed)
    names = [f"{a}{b}son" for a in "bcdfgh" for b in "aeiou"]
    claims, truth = [], {}
    for book in range(books):
        subject = f"isbn-{book:03d}"
        authors = rng.sample(names, 3)
        truth[subject] = "; ".join(authors)
        for rank, store in enumerate(rng.sample(range(7), 7)):
            value = "; ".join(authors[: 1 if rank < 3 else 2 if rank < 5 else 3])
            claims.append(
                {
                    "key": f"{subject}-store-{store}",
                    "text": f"store-{store} lists {subject} by {value}",
                    "subject": subject,
                    "property": "authors",
                    "value": value,
                    "attributions": [{"source": f"store-{store}"}],
                }
            )
    return {"claims": claims}, truth


def right_books(cli, truth, *options):
    cli.json("source", "score", *options)
    best: dict[str, dict] = {}
    for claim in cli.json("claim", "list", "--limit", "0"):
        current = best.get(claim["subject"])
        if current is None or claim["plausibility"] > current["plausibility"]:
            best[claim["subject"]] = claim
    return sum(best[s]["value"] == v for s, v in truth.items())


def test_partial_lists_support_the_full_list(cli, tmp_path):
    document, truth = book_world()
    cli.ok("import", str(write_json(tmp_path / "books.json", document)))
    assert right_books(cli, truth, "--method", "vote") == 0  # the first author alone wins
    # every partial list supports the full one wholly; it supports them only in part.
    # Without similarity (rho 0) the estimate gets 24 to 30 books of 100 right.
    assert right_books(cli, truth) >= 85
