"""Hostile stored text is inert everywhere it is shown.

In a terminal: Rich markup (``[/b]``) prints as written instead of tracing back, and
control characters (ESC sequences that clear the screen or draw OSC-8 links) are shown as
visible symbols. In the briefs: HTML, images, ``javascript:`` links and Markdown
table-breaking characters render as text; the Markdown is rendered with a CommonMark
library and the HTML parsed, and neither may hold active content."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from provenance.cli import app

MARKUP = "a [/b] [bold]c[/bold] [link=https://x.test]d[/link]"
ESC = "\x1b[2J\x1b]8;;https://evil.test\x07click\x1b]8;;\x07\x07\r"
HOSTILE = (
    '<script>alert(1)</script> "><img src=x onerror=alert(2)> ![t](http://tracker.test/p.gif) '
    "[x](javascript:alert(3)) <a href='javascript:alert(4)'>y</a> | pipe |\r| fake | row |"
    "\n- list\n# heading &lt;b&gt; `code` *em* _em_ ~~s~~ <https://auto.test>"
)


def run(cli, *args, width=100):
    result = cli.runner.invoke(
        app, ["--db", cli.url, "--analyst", "tester", *args], env={"COLUMNS": str(width)}
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def hostile(cli, tmp_path):
    """Markup and control characters in every kind of stored text a view prints."""
    text = MARKUP + " " + ESC
    cli.ok("source", "add", "evil", "--name", "a [/b]", "--kind", "x[/k]\x1b[2J", "--notes", text)
    cli.ok("source", "add", "other", "--name", "Other [/i]", "--affiliation", "x")
    cli.ok(
        "doc", "add", "page", "--title", text, "--url", "javascript:alert(1)",
        "--publisher", "evil",
    )  # fmt: skip
    common = ["--subject", "town", "--property", "dead", "--unit", "[/u]people\x1b[31m"]
    common += ["--from", "2025-01-01", "--to", "2025-01-31", "--place", text]
    cli.ok(
        "claim", "add", f"{MARKUP} {ESC} {HOSTILE}", "--source", "evil", "--via", "other",
        "--doc", "page", "--quote", text, "--value", "10", "--key", "c1", *common,
    )  # fmt: skip
    cli.ok(
        "claim", "add", f"second {MARKUP}", "--source", "other", "--value", "99",
        "--key", "c2", *common,
    )  # fmt: skip
    cli.ok("claim", "attribute", "c1", "--source", "other", "--stance", "denies")
    cli.ok("claim", "status", "c1", "disputed", "--note", text, analyst="[/x]ana [b]")
    cli.ok("claim", "link", "c1", "c2", "--relation", "contradicts", "--note", text)
    return cli


VIEWS = [
    ("claim", "show", "c1"),
    ("claim", "list"),
    ("source", "show", "evil"),
    ("source", "show", "other"),
    ("source", "list"),
    ("doc", "show", "page"),
    ("doc", "list"),
    ("compare", "--subject", "town"),
    ("compare", "--sources", "evil", "other"),
    ("compare", "c1", "c2"),
    ("timeline", "--subject", "town"),
    ("log",),
    ("flag",),
]


@pytest.mark.parametrize("width", [60, 160])
@pytest.mark.parametrize("view", VIEWS, ids=" ".join)
def test_markup_and_control_characters_are_shown_never_obeyed(hostile, view, width):
    out = run(hostile, *view, width=width).stdout
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out
    assert "\x9b" not in out


STRAY_JOINERS = "a \u200d\u200d漢a b \u200d\u200d漢漢漢漢漢"
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji of three, joined


@pytest.mark.parametrize("width", [16, 20, 24, 40])
def test_joiners_that_join_nothing_are_shown_and_never_break_a_view(cli, width):
    """Two zero-width joiners after a space, before a wide character: Rich 15 failed on
    the wrapped line (an IndexError) and `source show` at 20 columns traced back. A joiner
    with nothing to join shows as <U+200D>; one inside an emoji stays."""
    cli.ok("source", "add", "zz", "--name", f"{STRAY_JOINERS} {FAMILY}")
    cli.ok("claim", "add", STRAY_JOINERS, "--source", "zz", "--key", "c1")
    for view in (("source", "show", "zz"), ("source", "list"), ("claim", "show", "c1")):
        run(cli, *view, width=width)
    shown = run(cli, "source", "show", "zz", width=200).stdout
    assert "a <U+200D><U+200D>漢a" in shown and FAMILY in shown
    assert cli.json("source", "show", "zz")["name"] == f"{STRAY_JOINERS} {FAMILY}"


def test_markup_in_a_name_prints_as_written(cli):
    cli.ok("source", "add", "ab", "--name", "a [/b]")
    out = run(cli, "source", "show", "ab").stdout
    assert "a [/b]" in out


def test_escape_sequences_show_as_symbols(hostile):
    out = run(hostile, "claim", "show", "c1", width=200).stdout
    assert "␛[2J" in out and "␇" in out
    assert "[/b] [bold]c[/bold]" in out  # markup as written, not applied


def test_errors_show_control_characters_as_symbols(cli):
    for args in (("claim", "show", "no\x1b[2Jsuch"), ("source", "show", "x\x1b]8;;y\x07")):
        result = cli(*args)
        assert result.exit_code != 0 and result.stderr.startswith("error: ")
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr


# ---- briefs ---------------------------------------------------------------------------

ACTIVE_TAGS = {"script", "img", "iframe", "object", "embed", "form", "input", "link", "meta"}
ACTIVE_TAGS |= {"audio", "video", "source", "base", "frame", "svg-script"}


class Active(HTMLParser):
    """Everything in a page that could run, load or send something."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.tags: list[str] = []
        self.rows = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows += 1
        if tag == "meta":  # the page's own charset, viewport and policy; never a refresh
            if any(k == "http-equiv" and (v or "").lower() == "refresh" for k, v in attrs):
                self.found.append("<meta refresh>")
        elif tag in ACTIVE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}")
            if name in ("href", "src", "action", "formaction", "xlink:href", "data"):
                target = (value or "").strip().lower()
                inside = target.startswith("#")  # an SVG's reference to its own parts
                link = tag == "a" and target.startswith(("http://", "https://"))
                if not (inside or link):
                    self.found.append(f"{tag} {name}={value}")


def export(cli, *args):
    return run(cli, "export", *args).stdout


def test_markdown_brief_renders_inert_in_commonmark(hostile):
    from markdown_it import MarkdownIt

    page = export(hostile, "-f", "markdown")
    rendered = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(page)
    parser = Active()
    parser.feed(rendered)
    assert parser.found == []
    assert "<script>" in _text_of(rendered)  # the text is still there, as text
    assert "javascript:" in _text_of(rendered)


def test_markdown_brief_keeps_its_table_rows(hostile):
    """A CR or a pipe in a value cannot add rows or cells to a table."""
    from markdown_it import MarkdownIt

    page = export(hostile, "-f", "markdown")
    rendered = MarkdownIt("commonmark").enable("table").render(page)
    grades = rendered.split("Source grades", 1)[1].split("</table>", 1)[0]
    parser = Active()
    parser.feed(grades)
    sources = run(hostile, "source", "list", "-f", "json").stdout.count('"key"')
    assert parser.rows == 1 + sources  # the header and one row a source
    assert "fake" not in grades


def test_html_brief_is_inert(hostile):
    page = export(hostile, "-f", "html")
    parser = Active()
    parser.feed(page)
    assert parser.found == []
    assert "&lt;script&gt;" in page and "<script" not in page
    assert 'href="javascript' not in page.lower()


def test_briefs_show_quotes_documents_and_stance(seeded, tmp_path):
    seeded.ok(
        "doc", "add", "report", "--title", "Monthly report", "--url", "https://example.org/r?a=1",
        "--publisher", "unnamed-outlet",
    )  # fmt: skip
    seeded.ok(
        "claim", "attribute", "nug-air-attacks-since-quake", "--source", "junta-media",
        "--stance", "denies", "--doc", "report", "--quote", "no such attacks took place",
    )  # fmt: skip
    markdown = export(seeded, "-f", "markdown")
    assert "“the junta had carried out 282 air attacks since the March 28 earthquake”" in markdown
    assert "[Monthly report](<https://example.org/r?a=1>)" in markdown
    assert "junta-media (D6) denies" in markdown and "no such attacks took place" in markdown
    html = export(seeded, "-f", "html")
    assert 'href="https://example.org/r?a=1"' in html
    assert '<span class="denies">junta-media (D6) denies' in html


def test_a_denial_is_never_a_source_of_the_value(seeded):
    seeded.ok(
        "claim", "attribute", "nug-air-attacks-since-quake", "--source", "junta-media",
        "--stance", "denies",
    )  # fmt: skip
    groups = seeded.json("compare", "--subject", "junta", "--property", "air_attacks")
    claim = groups[0]["claims"][0]
    assert claim["asserted_by"] == ["nug"] and claim["denied_by"] == ["junta-media"]
    assert "junta-media" not in claim["origins"]
    table = run(
        seeded, "compare", "--subject", "junta", "--property", "air_attacks", width=160
    ).stdout
    assert "denies 282 attacks" in table
    report = seeded.json("compare", "--sources", "junta-media", "nug")
    assert report["a_denies"] == 1
    denial = next(i for i in report["items"] if i["verdict"] == "a_denies")
    assert denial["a_values"][0]["stance"] == "denies"
    series = seeded.json("timeline", "--subject", "junta", "--property", "air_attacks")
    point = series[0]["series"][0]
    assert point["denied_by"] == ["junta-media"] and point["origins"] == ["nug"]


def _text_of(html: str) -> str:
    chunks: list[str] = []

    class Text(HTMLParser):
        def handle_data(self, data: str) -> None:
            chunks.append(data)

    Text().feed(html)
    return "".join(chunks)


# Found by an attack on the wheel: two names that print alike, and names that draw lines.
INVISIBLE = {
    "\u200b": "U+200B",  # zero-width space
    "\u200e": "U+200E",  # left-to-right mark
    "\u200f": "U+200F",  # right-to-left mark
    "\u061c": "U+061C",  # Arabic letter mark
    "\u2060": "U+2060",  # word joiner
    "\ufeff": "U+FEFF",  # byte-order mark
    "\u00ad": "U+00AD",  # soft hyphen
    "\u202e": "U+202E",  # right-to-left override
}


@pytest.mark.parametrize("char,code", INVISIBLE.items(), ids=INVISIBLE.values())
def test_invisible_characters_in_a_name_are_shown_so_lookalikes_differ(cli, char, code):
    cli.ok("source", "add", "real", "--name", "Reuters")
    cli.ok("source", "add", "fake", "--name", f"Reu{char}ters")
    table = run(cli, "source", "list", width=160).stdout
    assert f"Reu<{code}>ters" in table and char not in table
    assert cli.json("source", "show", "fake")["name"] == f"Reu{char}ters"  # stored as given


def test_joiners_that_scripts_need_are_left_alone(cli):
    name = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # Persian, with a non-joiner
    cli.ok("source", "add", "fa", "--name", name)
    assert name in run(cli, "source", "list", width=160).stdout


@pytest.mark.parametrize("name", ["Good\nsource", "Good\r\nsource", "Good\u2028source"])
def test_a_line_break_in_a_name_becomes_a_space(cli, name):
    cli.ok("source", "add", "s", "--name", name, "--alias", name.replace("Good", "Also"))
    shown = cli.json("source", "show", "s")
    assert shown["name"] == "Good source" and shown["aliases"] == ["Also source"]


@pytest.mark.parametrize("analyst", ["bob\nalice", "bob\ralice", "bob\talice", "bob\u200b"])
def test_an_analyst_name_must_be_one_visible_line(cli, analyst):
    run_ = cli("source", "add", "s", analyst=analyst)
    assert run_.exit_code == 1 and run_.stderr.count("\n") == 1
    assert "must be one line" in run_.stderr
    assert cli.json("source", "list") == []
