"""What the views say: timeline series by shared start or nesting, and a claim's tree from
its origin out to the document the analyst read."""

from __future__ import annotations


def figure(cli, key, value, start, end, source="monitor"):
    cli.ok(
        "claim", "add", f"Figure {key}", "--source", source, "--subject", "camp-x",
        "--property", "displaced", "--value", value, "--from", start, "--to", end,
        "--key", key,
    )  # fmt: skip


def test_timeline_chains_only_shared_starts_or_nested_periods(cli):
    cli.ok("source", "add", "monitor")
    figure(cli, "since-may-2024", "at least 14000", "2024-05-01", "2025-10-20")
    figure(cli, "since-oct-26", "2227", "2025-10-26", "2025-11-10")
    figure(cli, "since-may-2024-later", "15000", "2024-05-01", "2025-11-15")
    figure(cli, "inside-oct-26", "2000", "2025-10-27", "2025-11-05")
    series = cli.json("timeline", "--subject", "camp-x")
    chains = [[p["claim"] for p in s["series"]] for s in series]
    assert ["since-may-2024", "since-may-2024-later"] in chains
    assert ["inside-oct-26", "since-oct-26"] in chains  # nested: one period inside the other
    changes = {p["claim"]: p["change"] for s in series for p in s["series"]}
    assert changes["since-may-2024"] is None and changes["since-oct-26"] == 227
    assert changes["since-may-2024-later"] == 1000
    bases = {s["basis"] for s in series}
    assert "since 2024-05-01" in bases and "nested periods" in bases
    table = cli.ok("timeline", "--subject", "camp-x").stdout
    assert "-11,773" not in table and "−11,773" not in table


def test_claim_show_puts_the_document_under_the_nearest_relay(cli):
    for key in ("junta-media", "outlet-a", "outlet-b"):
        cli.ok("source", "add", key)
    cli.ok("doc", "add", "b-article", "--title", "Outlet B's article", "--publisher", "outlet-b")
    cli.ok(
        "claim", "add", "A relayed claim.", "--source", "junta-media", "--via", "outlet-b",
        "--via", "outlet-a", "--doc", "b-article", "--quote", "as outlet A reported",
        "--key", "relayed",
    )  # fmt: skip
    lines = cli.ok("claim", "show", "relayed").stdout.splitlines()
    at = {name: next(i for i, line in enumerate(lines) if name in line) for name in (
        "junta-media asserts", "relayed by outlet-a", "relayed by outlet-b",
        "in document b-article", "as outlet A reported",
    )}  # fmt: skip
    order = sorted(at, key=at.get)
    assert order == [
        "junta-media asserts",
        "relayed by outlet-a",
        "relayed by outlet-b",
        "in document b-article",
        "as outlet A reported",
    ]
    indent = {name: len(lines[i]) - len(lines[i].lstrip("│ ├└─")) for name, i in at.items()}
    assert indent["relayed by outlet-a"] < indent["relayed by outlet-b"]
    assert indent["relayed by outlet-b"] < indent["in document b-article"]


def test_a_page_of_the_work_queue_says_it_is_the_first_of_more(seeded):
    """The demo's "12 flagged claims" read as the whole queue, and `flag` then listed 29."""
    whole = seeded.ok("flag").stdout
    page = seeded.ok("flag", "--limit", "3").stdout
    total = len(seeded.json("flag"))
    assert whole.startswith(f"{total} flagged claims")
    assert page.startswith("the first 3 flagged claims, most severe first (--limit 3")
    assert seeded.ok("flag", "--limit", str(total + 1)).stdout.startswith(f"{total} flagged")


def test_a_table_names_a_few_partners_and_counts_the_rest(cli, tmp_path):
    """`flag` drew a row of 1,000 partner keys, one a line: 70 s and 3.1 GB for 1,500
    claims sharing a key. A table cell names five and counts the rest; JSON lists them."""
    import json

    path = tmp_path / "shared.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "type": "claim",
                    "key": f"k{i:02d}",
                    "text": f"claim {i}",
                    "subject": "town",
                    "property": "dead",
                    "value": 100 * (i + 1),
                    "attributions": [{"source": "s"}],
                }
            )
            + "\n"
            for i in range(12)
        )
    )
    cli.ok("import", str(path))
    table = cli.ok("flag", "--limit", "1").stdout
    assert "k01" in table and "k05" in table and "k06" not in table
    assert "and 6 more (-f json)" in table
    [record] = cli.json("flag", "--limit", "1")
    assert len(record["conflicts_with"]) == 11
    assert "and 6 more (-f json)" in cli.ok("compare", "--subject", "town").stdout
