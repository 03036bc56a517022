"""Hostile imports, generated: whatever the file holds (deep nesting, alias bombs, numbers
with thousands of digits, control characters, Rich markup, random bytes), the import
either works or is refused with one line a problem, never a traceback, never part of a
file, and never a blow-up: the import runs in a child process under a memory cap
(``resource.setrlimit``) and a time limit, so a runaway fails the test instead of hanging
the machine."""

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.capped import MEMORY_CAP, one_line_errors, provenance

MARKUP = ["[/x]", "[bold red]", "[link=http://tracker.example]x[/link]", "[/]", "[[", "]"]
ESCAPES = ["\x1b[2J", "\x1b]8;;http://tracker.example\x1b\\", "\x07", "\x08", "\x1b[31m"]
control = st.characters(codec="utf-8", categories=("Cc",))
fragment = (
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
    | st.sampled_from(MARKUP + ESCAPES)
    | st.text(control, min_size=1, max_size=3)
)
hostile_text = st.lists(fragment, min_size=1, max_size=5).map("".join)

#: A placeholder the rendering replaces by a raw token that ``json.dumps`` cannot write
#: (a number of thousands of digits, brackets nested 200,000 deep, a YAML alias).
RAW = "RAWTOKEN7319"

hazard = st.one_of(
    st.just(None),
    st.integers(1, 200_000).map(lambda depth: ("deep", depth)),
    st.integers(19, 6_000).map(lambda digits: ("digits", digits)),
    st.integers(2, 9).map(lambda levels: ("aliases", levels)),
)

claimish = st.fixed_dictionaries(
    {"text": hostile_text, "attributions": st.just([{"source": "desk"}])},
    optional={
        "key": hostile_text,
        "value": hostile_text | st.integers() | st.floats(allow_nan=False),
        "place": hostile_text,
        "unit": hostile_text,
        "subject": hostile_text,
        "tags": st.lists(hostile_text, max_size=3),
        "status": hostile_text,
    },
)
sourceish = st.fixed_dictionaries(
    {"key": hostile_text},
    optional={"name": hostile_text, "notes": hostile_text, "kind": hostile_text},
)


def raw_token(danger) -> str:
    kind, size = danger
    if kind == "deep":
        return "[" * size + "]" * size
    if kind == "digits":
        return "9" * size
    return "*bomb"


def bomb(levels: int) -> str:
    lines = ['b0: &b0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"b{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines).replace(f"&b{levels - 1}", "&bomb") + "\n"


def render(kind: str, sources, claims, danger) -> str:
    if danger is not None:
        claims = [{**claims[0], "value": RAW}, *claims[1:]] if claims else claims
    token = raw_token(danger) if danger else ""
    if kind == "json":
        return json.dumps({"sources": sources, "claims": claims}).replace(json.dumps(RAW), token)
    if kind == "jsonl":
        records = [{"type": "source", **s} for s in sources]
        records += [{"type": "claim", **c} for c in claims]
        return "".join(json.dumps(r).replace(json.dumps(RAW), token) + "\n" for r in records)
    if kind == "yaml":
        import yaml

        text = yaml.safe_dump({"sources": sources, "claims": claims}, allow_unicode=False)
        head = bomb(danger[1]) if danger and danger[0] == "aliases" else ""
        return head + text.replace(RAW, token)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["key", "text", "value", "place", "unit", "source"])
    for c in claims:
        value = token if c.get("value") == RAW else c.get("value", "")
        writer.writerow(
            [c.get("key", ""), c["text"], value, c.get("place", ""), c.get("unit", ""), "desk"]
        )
    return out.getvalue()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(["json", "jsonl", "yaml", "csv"]),
    sources=st.lists(sourceish, max_size=2),
    claims=st.lists(claimish, min_size=1, max_size=3),
    danger=hazard,
    garbage=st.one_of(st.none(), st.binary(min_size=1, max_size=200)),
)
def test_hostile_imports_never_trace_never_write_part_and_never_blow_up(
    cli, db_url, tmp_path, kind, sources, claims, danger, garbage
):
    path = tmp_path / f"hostile.{kind}"
    if garbage is not None:
        path.write_bytes(garbage)
    else:
        path.write_text(render(kind, sources, claims, danger), encoding="utf-8", newline="")
    before = cli.ok("export").stdout
    run = provenance(db_url, "import", "--format", kind, str(path), timeout=120)
    assert run.returncode in (0, 1), f"exit {run.returncode} under a {MEMORY_CAP:,}-byte cap"
    assert "Traceback" not in run.stderr
    if run.returncode == 1:
        assert one_line_errors(run.stderr), run.stderr[-800:]
        assert cli.ok("export").stdout == before
    else:
        # What was stored shows in the terminal views without breaking them.
        cli.ok("claim", "list", "--limit", "0")
        cli.ok("source", "list")
