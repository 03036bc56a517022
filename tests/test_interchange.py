"""Interchange: every import format, every export format read back by a real reader, the
round trips, redaction and spreadsheet safety."""

import csv
import io
import json
import sqlite3
from html.parser import HTMLParser

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provenance.figures import needs_category_mark
from tests.conftest import SEED, Cli, write_json


def export(cli, *args):
    return cli.ok("export", *args).stdout


@pytest.fixture
def fresh(empty_url):
    """A second, empty database on the same backend."""

    return empty_url


def test_json_round_trip_is_byte_identical(seeded, tmp_path, tmp_path_factory, postgres_database):
    seeded.ok("claim", "status", "quake-magnitude", "verified", "--note", "USGS")
    first = export(seeded)
    path = tmp_path / "export.json"
    path.write_text(first, encoding="utf-8")
    other = _other_database(tmp_path_factory, postgres_database)
    other.ok("import", str(path))
    assert export(other) == first


def _other_database(tmp_path_factory, postgres_database):
    """A second empty database on the same backend as the test's."""
    import uuid

    from sqlalchemy import text

    from provenance.db import initialise, make_engine
    from tests.conftest import _schema_url

    if postgres_database is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('other') / 'other.db'}"
    else:
        schema = f"o_{uuid.uuid4().hex[:12]}"
        engine = make_engine(postgres_database)
        with engine.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
        url = _schema_url(postgres_database, schema)
    initialise(url)
    return Cli(url)


@pytest.mark.parametrize(("fmt", "suffix"), [("jsonl", "jsonl"), ("csv", "csv")])
def test_jsonl_and_csv_round_trips_keep_the_claims(
    seeded, tmp_path, tmp_path_factory, postgres_database, fmt, suffix
):
    path = tmp_path / f"export.{suffix}"
    path.write_text(export(seeded, "-f", fmt), encoding="utf-8")
    other = _other_database(tmp_path_factory, postgres_database)
    other.ok("import", str(path))

    def essentials(cli):
        # CSV carries claims and attributions only (no source grades, no links), so the flags
        # that depend on those are compared for JSONL alone.
        return [
            (
                c["key"],
                c["text"],
                c["subject"],
                c["property"],
                c["value"],
                c["unit"],
                c["period"],
                c["place"],
                c["tags"],
                c["status"],
                c["flags"] if fmt == "jsonl" else None,
                [
                    (a["source"], a["via"], a["document"], a["stance"], a["confidence"], a["quote"])
                    for a in c["attributions"]
                ],
            )
            for c in cli.json("claim", "list", "--limit", "0")
        ]

    # An export lists claims by key; the seed lists them in its own order.
    assert sorted(essentials(other), key=lambda e: e[0]) == sorted(
        essentials(seeded), key=lambda e: e[0]
    )
    assert other.ok("import", str(path)).stderr.count("nothing changed") == 1


def test_yaml_import_reads_the_same_document(cli, tmp_path):
    document = json.loads(SEED.read_text(encoding="utf-8"))
    path = tmp_path / "seed.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    cli.ok("import", str(path))
    assert len(cli.json("claim", "list", "--limit", "0")) == len(document["claims"])


def test_yaml_refuses_object_construction(cli, tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("claims: !!python/object/apply:os.system ['echo pwned']\n")
    run = cli("import", str(path))
    assert run.exit_code == 1 and "evil.yaml" in run.stderr and "Traceback" not in run.stderr


def test_format_is_detected_by_content(cli, tmp_path):
    path = tmp_path / "data.txt"
    path.write_text('{"type": "claim", "text": "x", "attributions": [{"source": "a"}]}\n')
    cli.ok("import", str(path))
    assert len(cli.json("claim", "list")) == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"type": "claim", "text": "x"}\n', "data.jsonl:1/attributions: is required"),
        (
            '{"type": "claim", "text": "x", "attributions": [{"source": "a"}]}\n{broken\n',
            "data.jsonl:2: invalid JSON",
        ),
        ('{"type": "thing"}\n', "data.jsonl:1: type 'thing' must be one of"),
        ('{"type": "source", "key": "a", "reliability": "Q"}\n', "data.jsonl:1/reliability"),
    ],
)
def test_jsonl_problems_name_the_line(cli, tmp_path, content, expected):
    path = tmp_path / "data.jsonl"
    path.write_text(content)
    run = cli("import", str(path))
    assert run.exit_code == 1 and expected in run.stderr
    assert cli.json("claim", "list") == [] and cli.json("source", "list") == []


CSV_HEADER = (
    "key,text,subject,property,value,value_min,value_max,unit,period_start,"
    "period_end,place,tags,status,source,via,document,stance,confidence,quote\n"
)


def test_csv_rows_sharing_a_key_are_one_claim(cli, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(
        CSV_HEADER + "k1,Town A: 40-45 dead,town-a,dead,,40,45,people,2025-01-01,2025-01-31,"
        "Town A,a;b,,monitor,wire;agency,,asserts,likely,40 to 45\n"
        + "k1,Town A: 40-45 dead,town-a,dead,,40,45,people,2025-01-01,2025-01-31,"
        "Town A,a;b,,army-tv,,,denies,20,\n"
        + ",About 300 fled,town-a,displaced,~300,,,,,,,,,ngo,,,,,\n"
    )
    cli.ok("import", str(path))
    k1 = cli.json("claim", "show", "k1")
    assert k1["value"] == {"min": 40, "max": 45} and k1["tags"] == ["a", "b"]
    assert [(a["source"], a["via"], a["stance"], a["confidence"]) for a in k1["attributions"]] == [
        ("monitor", ["wire", "agency"], "asserts", 70),
        ("army-tv", [], "denies", 20),
    ]
    fled = next(c for c in cli.json("claim", "list") if c["key"] != "k1")
    assert fled["value"] == {"approx": 300}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (",x,,,,,,,,,,,,,,,,150,", "sheet.csv:2/attributions/0/confidence: confidence 150 is out"),
        (",x,,,,,,,,,,,,a,,,hints,,", "sheet.csv:2/attributions/0/stance"),
        (",x,,,,,,,2025-13-01,,,,,a,,,,,", "sheet.csv:2/period/start: '2025-13-01' is not a date"),
        (",x,,,,,,,2025-05-02,2025-03-01,,,,a,,,,,", "sheet.csv:2/period: period end"),
        (",,,,,,,,,,,,,a,,,,,", "sheet.csv:2/text"),
        (",x,,,,5,1,,,,,,,a,,,,,", "sheet.csv:2/value: value min 5 is greater than max 1"),
        (",x,,,,,,,,,,,maybe,a,,,,,", "sheet.csv:2/status: status 'maybe'"),
        (",x,,,,,,,,,,,,a,,,,,,extra", "sheet.csv:2: more cells than columns"),
        # a stray quote was read as text (`"bad "quote"` became `bad quote"`)
        (',"bad "quote",,,,,,,,,,,,a,,,,,', "sheet.csv:2: invalid CSV: ',' expected after '\"'"),
        (',"never closed,,,,,,,,,,,,a,,,,,', "sheet.csv:2: invalid CSV: unexpected end of data"),
    ],
)
def test_csv_problems_name_the_line_and_the_field(cli, tmp_path, row, expected):
    path = tmp_path / "sheet.csv"
    path.write_text(CSV_HEADER + ",fine,,,,,,,,,,,,a,,,,,\n".replace("\n", "\n") + row + "\n")
    path.write_text(CSV_HEADER + row + "\n")
    run = cli("import", str(path))
    assert run.exit_code == 1, run.stderr
    assert expected in run.stderr
    assert cli.json("claim", "list") == []


def test_csv_unknown_column_is_refused(cli, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("key,text,source,colour\n,x,a,red\n")
    run = cli("import", str(path))
    assert run.exit_code == 1 and "sheet.csv:1: unknown column 'colour'" in run.stderr


def test_bad_source_reliability_in_json_is_reported(cli, tmp_path):
    document = {"sources": [{"key": "x", "reliability": "Z"}]}
    run = cli("import", str(write_json(tmp_path / "s.json", document)))
    assert run.exit_code == 1 and "#/sources/0/reliability" in run.stderr


def test_csv_export_neutralises_formulas_but_not_numbers(cli, tmp_path):
    document = {
        "claims": [
            {
                "key": "f",
                "text": '=HYPERLINK("http://x")',
                "value": -5,
                "attributions": [{"source": "a", "quote": "@SUM(A1)"}],
            }
        ]
    }
    cli.ok("import", str(write_json(tmp_path / "f.json", document)))
    [row] = list(csv.DictReader(io.StringIO(export(cli, "-f", "csv"))))
    assert row["text"].startswith("'=") and row["quote"] == "'@SUM(A1)"
    assert row["value"] == "-5"
    path = tmp_path / "back.csv"
    path.write_text(export(cli, "-f", "csv"))
    assert "nothing changed" in cli.ok("import", str(path)).stderr


LINE_SEPARATORS = "\u2028\u2029\u0085"


def test_line_separators_inside_values_are_escaped_and_survive_a_round_trip(cli, tmp_path):
    """JSON allows U+2028, U+2029 and U+0085 raw, but readers that split lines on them do
    not: a source name holding one once broke `export -f json` (it would not import)."""
    odd = "a\u2028b\u2029c\u0085d"
    document = {
        "sources": [{"key": "s1", "name": odd, "notes": odd}],
        "claims": [
            {
                "key": "c1",
                "text": "One.",
                "value": odd,
                "tags": ["t"],
                "attributions": [{"source": "s1", "quote": odd}],
            }
        ],
    }
    cli.ok("import", str(write_json(tmp_path / "odd.json", document)))
    for fmt in ("json", "jsonl", "prov-json", "claimreview"):
        written = cli.ok("export", "-f", fmt).stdout
        assert not set(LINE_SEPARATORS) & set(written), fmt
        if fmt == "jsonl":
            assert all(json.loads(line) for line in written.splitlines())
        else:
            json.loads(written)
    for command in (("source", "list"), ("claim", "list"), ("claim", "show", "c1")):
        written = cli.ok(*command, "-f", "json").stdout
        assert not set(LINE_SEPARATORS) & set(written) and json.loads(written)
    exported = tmp_path / "out.json"
    cli.ok("export", "-o", str(exported))
    again = Cli(f"sqlite:///{tmp_path / 'again.db'}")
    again.ok("init")
    again.ok("import", str(exported))
    shown = again.json("claim", "show", "c1")
    assert shown["value"] == odd and shown["attributions"][0]["quote"] == odd
    assert again.json("source", "show", "s1")["notes"] == odd  # a name is one line (folded)


def test_jsonl_export_is_one_typed_object_a_line(seeded):
    lines = [json.loads(line) for line in export(seeded, "-f", "jsonl").splitlines()]
    kinds = {line["type"] for line in lines}
    assert kinds == {"source", "entity", "document", "claim", "link"}
    assert sum(line["type"] == "claim" for line in lines) == 29


def test_sqlite_export_reads_with_sqlite3(seeded, tmp_path):
    path = tmp_path / "out.db"
    seeded.ok("export", "-f", "sqlite", "--out", str(path))
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM claims").fetchone()[0] == 29
        row = connection.execute(
            "SELECT value_number, flags, attributions FROM claims_flat "
            "WHERE key = 'nug-air-attacks-since-quake'"
        ).fetchone()
    assert row[0] == 282
    assert "contradicted" in row[1] and "nug (asserts, 60)" in row[2]
    # opened as a database, it says what it is (it said "not a provenance database yet:
    # run init", and init then called it another program's)
    run = Cli(f"sqlite:///{path}")("claim", "list")
    assert run.exit_code == 4 and "is an `export -f sqlite` file" in run.stderr


def test_sqlite_export_needs_a_file(seeded):
    assert seeded("export", "-f", "sqlite").exit_code == 2


def test_prov_json_reads_back_with_the_prov_library(seeded):
    from prov.model import ProvDocument

    seeded.ok(
        "claim", "add", "The junta carried out 290 air attacks by 10 May.", "--source", "nug",
        "--subject", "myanmar-military", "--property", "air_attacks", "--value", "290",
        "--from", "2025-03-28", "--to", "2025-05-10", "--key", "nug-air-attacks-may-10",
    )  # fmt: skip
    seeded.ok(
        "claim", "link", "nug-air-attacks-may-10", "nug-air-attacks-since", "--relation", "updates"
    )
    document = ProvDocument.deserialize(content=export(seeded, "-f", "prov-json"), format="json")
    records = list(document.get_records())
    names = {str(r.identifier) for r in records if r.identifier is not None}
    assert "claim:nug-air-attacks-since-quake" in names and "source:nug" in names
    kinds = {type(r).__name__ for r in records}
    assert {"ProvEntity", "ProvAgent", "ProvAttribution", "ProvDerivation"} <= kinds
    attributed = {
        (str(r.formal_attributes[0][1]), str(r.formal_attributes[1][1]))
        for r in records
        if type(r).__name__ == "ProvAttribution"
    }
    assert ("claim:nug-air-attacks-since-quake", "source:nug") in attributed
    assert any(
        agent == "source:unnamed-outlet" and entity.startswith("report:nug-air-attacks")
        for entity, agent in attributed
    )


def test_claimreview_parses_as_json_ld(seeded):
    from pyld import jsonld

    seeded.ok("claim", "status", "quake-magnitude", "verified", "--note", "USGS confirms 7.7")
    seeded.ok("claim", "status", "observers-mah-may", "false", "--note", "no meeting took place")
    reviews = json.loads(export(seeded, "-f", "claimreview"))
    assert [r["identifier"] for r in reviews] == ["observers-mah-may-meet-xi", "quake-magnitude"]

    def loader(url, options=None):
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": {"@context": {"@vocab": "https://schema.org/"}},
        }

    expanded = jsonld.expand(reviews, {"documentLoader": loader})
    rating = expanded[1]["https://schema.org/reviewRating"][0]
    assert rating["https://schema.org/alternateName"][0]["@value"] == "True"
    assert reviews[0]["reviewRating"]["ratingValue"] == 1
    assert reviews[0]["itemReviewed"]["author"] == [
        {"@type": "Organization", "name": "Unnamed observers"}
    ]
    assert (
        reviews[1]["author"]["name"] == "tester" and reviews[1]["reviewBody"] == "USGS confirms 7.7"
    )


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text, self.fetches = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.fetches += [v for k, v in attrs if k in ("src", "srcset", "data") and v]

    def handle_data(self, data):
        self.text.append(data)


def test_html_briefing_is_self_contained_and_readable(seeded):
    page = export(seeded, "-f", "html")
    parser = Collector()
    parser.feed(page)
    text = " ".join(parser.text)
    assert parser.fetches == [] and "script" not in parser.tags and "style" in parser.tags
    for heading in [
        "Claims by status",
        "Claims by flag",
        "Conflicts, side by side",
        "Contradicted claims",
        "Single-source claims",
        "Source grades",
    ]:
        assert heading in text
    assert "junta-ceasefire-extension" in text and parser.tags.count("table") >= 3
    assert parser.tags.count("svg") >= 1  # the relay graph: every seed claim is relayed


def test_a_brief_draws_the_figures_that_disagree_most_and_lists_the_rest(cli, tmp_path):
    """Hundreds of figures made a brief take minutes (matplotlib); it draws MAX_CHARTS."""
    from provenance.io.brief_html import MAX_CHARTS

    claims = []
    for item in range(MAX_CHARTS + 5):
        # the last five items: three sources disagree; the others: two say the same
        values = [10, 20, 30] if item >= MAX_CHARTS else [7, 7]
        for index, value in enumerate(values):
            claims.append(
                {
                    "key": f"toll-{item:03d}-{index}",
                    "text": f"{value} killed at site {item}",
                    "subject": f"site-{item:03d}",
                    "property": "people_killed",
                    "value": value,
                    "period": {"start": "2025-01-01", "end": f"2025-01-0{2 + index}"},
                    "attributions": [{"source": f"s{index}"}],
                }
            )
    cli.ok("import", str(write_json(tmp_path / "many.json", {"claims": claims})))
    parser = Collector()
    parser.feed(export(cli, "-f", "html"))
    text = " ".join(parser.text)
    charts = [t for t in parser.text if t.startswith("site-") and "people_killed" in t]
    assert parser.tags.count("svg") == MAX_CHARTS  # no relay graph: nothing is relayed
    assert f"5 more figures, not drawn (the {MAX_CHARTS} above disagree the most;" in text
    assert all(f"site-{item:03d} · people_killed" in text for item in range(MAX_CHARTS + 5))
    drawn = {t.split(" ·")[0] for t in charts if "values)" not in t}
    assert {f"site-{item:03d}" for item in range(MAX_CHARTS, MAX_CHARTS + 5)} <= drawn


def test_a_brief_lists_a_figure_dated_at_the_end_of_the_calendar_without_drawing_it(cli):
    """Found by the attacker: one claim over 2025-01-01 → 9999-12-31 made every HTML brief
    an internal error (matplotlib's dates end in 9999)."""
    cli.ok("source", "add", "a")
    for value, end in ((5, "2025-01-02"), (7, "9999-12-31")):
        cli.ok(
            "claim", "add", f"A says {value}", "--source", "a", "--subject", "x",
            "--property", "deaths", "--value", str(value), "--from", "2025-01-01",
            "--to", end, "--new-entity",
        )  # fmt: skip
    parser = Collector()
    parser.feed(export(cli, "-f", "html"))
    text = " ".join(parser.text)
    assert "1 more figures, not drawn" in text and "x · deaths (2 values)" in text
    assert parser.tags.count("svg") == 0


def test_markdown_briefing(seeded):
    page = export(seeded, "-f", "markdown")
    assert page.startswith("# Provenance briefing")
    assert "| contradicted | contradicted: a source denies it" in page
    assert "| nug | National Unity Government | C |" in page


def test_filtered_export_carries_only_what_the_claims_reference(seeded):
    document = json.loads(export(seeded, "--source", "nug"))
    assert {c["key"] for c in document["claims"]} == {
        "nug-air-attacks-since-quake",
        "nug-civilians-killed-since-quake",
        "nug-civilians-wounded-since-quake",
        "nug-children-killed-since-quake",
    }
    assert {s["key"] for s in document["sources"]} == {"nug", "unnamed-outlet"}
    assert [e["key"] for e in document["entities"]] == ["myanmar-military"]
    assert all(
        link["from"].startswith("nug-") and link["to"].startswith("nug-")
        for link in document["links"]
    )


def test_protected_sources_are_pseudonymised_unless_asked(seeded, tmp_path):
    seeded.ok("source", "edit", "observers", "--protected")
    plain = export(seeded)
    assert "Unnamed observers" not in plain and '"observers"' not in plain
    assert "Min Aung Hlaing may attempt" not in plain  # the identifying quote is gone
    document = json.loads(plain)
    pseudonym = next(s["key"] for s in document["sources"] if s["protected"])
    assert pseudonym.startswith("protected-") and pseudonym in export(seeded, "-f", "csv")
    assert json.loads(export(seeded))["sources"] == document["sources"]  # stable
    named = seeded.ok("export", "--include-protected")
    assert "Unnamed observers" in named.stdout and "warning" in named.stderr


def test_export_to_a_file_replaces_it_whole(seeded, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    target = folder / "brief.html"
    target.write_text("the old report")
    seeded.ok("export", "-f", "html", "--out", str(target))
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in folder.iterdir()] == ["brief.html"]
    failed = seeded("export", "--flag", "nonsense", "--out", str(target))
    assert failed.exit_code == 2 and target.read_text().startswith("<!DOCTYPE html>")


def test_a_write_that_fails_half_way_leaves_the_old_file(tmp_path):
    from provenance.cli.exporting import output_file

    target = tmp_path / "export.json"
    target.write_text("old and complete")
    with pytest.raises(RuntimeError), output_file(target) as stream:
        stream.write("{ half a docu")
        raise RuntimeError("disk full")
    assert target.read_text() == "old and complete"
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]


# ---- property: random claims survive export → import unchanged -----------------------------

words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda s: s.strip())
numbers = st.integers(min_value=-(10**9), max_value=10**9)
values = st.one_of(
    st.none(),
    numbers,
    words,
    st.builds(lambda n: {"min": n}, numbers),
    st.builds(lambda n: {"max": n}, numbers),
    st.builds(lambda a, b: {"min": min(a, b), "max": max(a, b)}, numbers, numbers),
    st.builds(lambda n: {"approx": n}, numbers),
)
slugs = st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True)


def _typed(claim):
    """A categorical value that plain text would not bring back says so (the exports' own
    rule): one with digits, one that starts like a figure without its number (``<``,
    ``~ many``) or like a JSON object (``{``)."""
    value = claim.get("value")
    if isinstance(value, str) and needs_category_mark(value):
        return {**claim, "value_kind": "category"}
    return claim


claims = st.lists(
    st.fixed_dictionaries(
        {
            "key": slugs,
            "text": words,
            "value": values,
            "tags": st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), max_size=3),
            "attributions": st.lists(
                st.fixed_dictionaries(
                    {
                        "source": slugs,
                        "stance": st.sampled_from(["asserts", "denies", "reports"]),
                        "confidence": st.one_of(st.none(), st.integers(0, 100)),
                        "quote": st.one_of(st.none(), words),
                    }
                ),
                min_size=1,
                max_size=3,
                unique_by=lambda a: (a["source"], a["stance"]),
            ),
        }
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda c: c["key"],
).map(lambda batch: [_typed(c) for c in batch])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(claims)
def test_random_claims_survive_export_and_import(tmp_path_factory, postgres_database, batch):
    source_db = _other_database(tmp_path_factory, postgres_database)
    path = tmp_path_factory.mktemp("doc") / "in.json"
    path.write_text(json.dumps({"claims": batch}, ensure_ascii=False), encoding="utf-8")
    source_db.ok("import", str(path))
    exported = source_db.ok("export").stdout
    out = tmp_path_factory.mktemp("doc") / "out.json"
    out.write_text(exported, encoding="utf-8")
    target = _other_database(tmp_path_factory, postgres_database)
    target.ok("import", str(out))
    assert target.ok("export").stdout == exported
    stored = {c["key"]: c for c in json.loads(exported)["claims"]}
    for claim in batch:
        assert stored[claim["key"]]["value"] == claim["value"]
        assert stored[claim["key"]]["text"] == " ".join(claim["text"].split())


def test_progress_shows_on_a_terminal_and_nowhere_else(cli, db_url, tmp_path):
    """A real pseudo-terminal on stderr: the bar appears; piped, nothing but the result."""
    import os
    import pty
    import subprocess
    import sys

    claims = [
        {"key": f"c{i}", "text": f"claim {i}", "attributions": [{"source": "s"}]}
        for i in range(2500)
    ]
    cli.ok("import", str(write_json(tmp_path / "many.json", {"claims": claims})))
    command = [
        sys.executable,
        "-m",
        "provenance",
        "--db",
        db_url,
        "export",
        "--out",
        str(tmp_path / "out.json"),
    ]
    leader, follower = pty.openpty()
    with subprocess.Popen(
        command, stderr=follower, stdout=subprocess.DEVNULL, env={**os.environ, "COLUMNS": "100"}
    ) as process:
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed when the process ended
                break
            if not chunk:
                break
            seen += chunk
        process.wait()
    os.close(leader)
    assert b"exporting claims" in seen
    piped = subprocess.run(command, capture_output=True, text=True)
    assert piped.returncode == 0 and "exporting" not in piped.stderr


def test_yaml_round_trip_is_byte_identical(seeded, tmp_path, tmp_path_factory, postgres_database):
    """export → the same document as YAML → import elsewhere → export: the same bytes."""
    first = export(seeded)
    path = tmp_path / "export.yaml"
    path.write_text(
        yaml.safe_dump(json.loads(first), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    other = _other_database(tmp_path_factory, postgres_database)
    other.ok("import", str(path))
    assert export(other) == first


CATEGORIES_THAT_LOOK_LIKE_FIGURES = ["<", "~ many", "> half", "{not json", "007", "5G", "killed"]


@pytest.mark.parametrize(("fmt", "suffix"), [("json", "json"), ("jsonl", "jsonl"), ("csv", "csv")])
def test_categories_that_look_like_figures_survive_every_export(
    cli, tmp_path, tmp_path_factory, postgres_database, fmt, suffix
):
    """Each export marks a category that would read back as a figure, a JSON object or a
    refused figure (`<`), so importing the export gives the same values."""
    claims = [
        {
            "key": f"c{n}",
            "text": f"claim {n}",
            "value": value,
            "value_kind": "category",
            "attributions": [{"source": "s"}],
        }
        for n, value in enumerate(CATEGORIES_THAT_LOOK_LIKE_FIGURES)
    ]
    cli.ok("import", str(write_json(tmp_path / "in.json", {"claims": claims})))
    path = tmp_path / f"export.{suffix}"
    path.write_text(export(cli, "-f", fmt), encoding="utf-8")
    other = _other_database(tmp_path_factory, postgres_database)
    other.ok("import", str(path))
    values = {c["key"]: c["value"] for c in other.json("claim", "list")}
    assert values == {f"c{n}": v for n, v in enumerate(CATEGORIES_THAT_LOOK_LIKE_FIGURES)}


def test_csv_rows_of_one_claim_that_disagree_are_refused_naming_both(cli, tmp_path):
    """A second row that gives the claim another text or value is another claim under the
    same key: it is refused, not folded into the first as an attribution of its value."""
    path = tmp_path / "sheet.csv"
    path.write_text("key,text,value,source\nk1,Ten killed,10,nug\nk1,Twelve killed,12,rfa\n")
    run = cli("import", str(path))
    assert run.exit_code == 1
    assert run.stderr == (
        f"error: {path}:3: claim 'k1' has text 'Twelve killed' here but 'Ten killed' at "
        f"{path}:2: the rows of one claim repeat its cells or leave them empty (a different "
        "claim needs its own key)\n"
    )
    assert cli.json("claim", "list") == []
    path.write_text("key,text,value,source\nk1,Ten killed,10,nug\nk1,Ten killed,12,rfa\n")
    assert "has value '12' here but '10'" in cli("import", str(path)).stderr


def test_csv_rows_of_one_claim_may_leave_its_cells_empty(cli, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("key,text,value,source\nk1,Ten killed,10,nug\nk1,,,rfa\nk1,Ten killed,,wire\n")
    cli.ok("import", str(path))
    k1 = cli.json("claim", "show", "k1")
    assert (k1["text"], k1["value"]) == ("Ten killed", 10)
    assert [a["source"] for a in k1["attributions"]] == ["nug", "rfa", "wire"]


@pytest.mark.parametrize("suffix", ["json", "jsonl", "yaml"])
def test_a_file_saved_with_a_byte_order_mark_imports(cli, tmp_path, suffix):
    """Windows editors put a byte order mark first; the JSONL reader refused the file."""
    claim = '"key": "k", "text": "A b", "attributions": [{"source": "s"}]'
    documents = {
        "json": '{"claims": [{' + claim + "}]}",
        "jsonl": '{"type": "claim", ' + claim + "}\n",
        "yaml": "claims:\n  - key: k\n    text: A b\n    attributions: [{source: s}]\n",
    }
    path = tmp_path / f"bom.{suffix}"
    path.write_bytes(b"\xef\xbb\xbf" + documents[suffix].encode())
    cli.ok("import", str(path))
    assert [c["key"] for c in cli.json("claim", "list")] == ["k"]


def test_a_whole_float_reads_back_as_an_integer_on_every_database(cli, tmp_path):
    """SQLite turns a whole float in the value column into an integer; PostgreSQL kept
    `1.0` and `1e+18`, so the two printed and exported the same claim differently."""
    path = tmp_path / "floats.jsonl"
    lines = [{"type": "source", "key": "nug"}] + [
        {
            "type": "claim",
            "key": key,
            "text": key,
            "value": value,
            "attributions": [{"source": "nug"}],
        }
        for key, value in [("f1", 1.0), ("f2", 1e18), ("f3", {"min": 2.0}), ("f4", 2.5)]
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines))
    cli.ok("import", str(path))
    cli.ok("claim", "add", "added", "--source", "nug", "--value", "7.0", "--key", "f5")
    printed = cli.ok("claim", "list", "-f", "jsonl").stdout.splitlines()
    values = [line.split('"value": ', 1)[1].split(', "unit"')[0] for line in printed]
    assert values == ["1", "1000000000000000000", '{"min": 2.0}', "2.5", "7"]
    assert "every record matches its history" in cli.ok("audit", "verify", "--deep").stderr


@pytest.mark.parametrize(
    ("kind", "name", "schema_type"),
    [
        ("official", "Disaster Management Ministry", "Organization"),
        ("official", "Maj-Gen Zaw Min Tun", "Person"),
        ("person", "Volunteer Ko Ko", "Person"),
        ("media", "Dhaka Tribune", "Organization"),
    ],
)
def test_claimreview_names_a_ministry_as_an_organization(cli, kind, name, schema_type):
    """An `official` source was always a schema.org Person: a flood ministry too."""
    cli.ok("source", "add", "src", "--name", name, "--kind", kind)
    cli.ok("claim", "add", "Fifteen died", "--source", "src", "--key", "k")
    cli.ok("claim", "status", "k", "verified", "--note", "checked")
    [review] = json.loads(export(cli, "-f", "claimreview"))
    assert review["itemReviewed"]["author"] == [{"@type": schema_type, "name": name}]
